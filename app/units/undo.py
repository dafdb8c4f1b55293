"""Undoing the last change of a unit, while nothing has happened since to what it moved.

A change keeps (``UnitChange.undo``) every unit, task, person and recurring duty it altered,
as it was before and as it left them, the events it wrote and the units it created. Undoing is
refused, with the reason for the user, when a unit of the change has had a later change, when
a task it moved has an event after the change's own, when a person or recurring duty it moved
has been changed since, or when a unit it created has gained anything of its own. Otherwise
everything is put back as it was: leads and cooperations, people, recurring duties, names and
end dates; the change's transfers, events, former names and created units are deleted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import (
    Department,
    DepartmentName,
    Evaluation,
    Event,
    ProgressReport,
    Reminder,
    Series,
    Task,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
    User,
    task_cooperators,
)
from app.models.documents import task_code
from app.units.checks import ReorganisationError, unit_named
from app.units.lineage import describe


def _person(user: User) -> list:
    return [user.department_id, user.role, user.is_active]


def _series(series: Series) -> list:
    return [series.lead_department_id, list(series.cooperator_ids or [])]


def _task(task: Task) -> list:
    return [task.lead_department_id, sorted(d.id for d in task.cooperating_departments)]


def _unit_ids(change: UnitChange) -> list[int]:
    return [p.department_id for p in change.parts]


def _later_change(session: Session, change: UnitChange) -> UnitChange | None:
    return session.scalar(
        select(UnitChange)
        .join(UnitChangePart, UnitChangePart.change_id == UnitChange.id)
        .where(UnitChangePart.department_id.in_(_unit_ids(change)), UnitChange.id > change.id)
        .order_by(UnitChange.id)
        .limit(1)
    )


def _created_in_use(session: Session, unit_id: int, undo: dict) -> bool:
    """Whether a unit the change created has anything the change did not give it."""
    tasks = [t["id"] for t in undo["tasks"]]
    people = [p["id"] for p in undo["people"]]
    found = [
        select(Task.id).where(Task.lead_department_id == unit_id, Task.id.not_in(tasks)),
        select(task_cooperators.c.task_id).where(
            task_cooperators.c.department_id == unit_id, task_cooperators.c.task_id.not_in(tasks)
        ),
        select(User.id).where(User.department_id == unit_id, User.id.not_in(people)),
        select(ProgressReport.id).where(ProgressReport.department_id == unit_id),
        select(Reminder.id).where(Reminder.department_id == unit_id),
        select(Evaluation.id).where(Evaluation.department_id == unit_id),  # a unit's grade
    ]
    if any(session.scalar(query.limit(1)) is not None for query in found):
        return True
    moved = {s["id"] for s in undo["series"]}
    for series in session.scalars(select(Series)):
        if series.id not in moved and (
            series.lead_department_id == unit_id or unit_id in (series.cooperator_ids or [])
        ):
            return True
    return False


def refusal(session: Session, change: UnitChange) -> str | None:
    """Why ``change`` cannot be undone now (for the user), or None when it can."""
    undo = change.undo
    if not undo:
        return (
            "Thay đổi này được ghi trước khi có chức năng hoàn tác (hoặc nạp từ bản lưu trữ): "
            "không hoàn tác được."
        )
    later = _later_change(session, change)
    if later is not None:
        return (
            f"Sau thay đổi này đã có thay đổi khác của cùng đơn vị ({describe(later)}): "
            "chỉ hoàn tác được thay đổi gần nhất của một đơn vị."
        )
    for entry in undo["tasks"]:
        task = session.get(Task, entry["id"])
        if task is None:
            return f"Nhiệm vụ {task_code(entry['id'])} đã bị xóa sau thay đổi này."
        last = session.scalar(select(func.max(Event.id)).where(Event.task_id == task.id))
        if last != entry["event"] or _task(task) != entry["after"]:
            return (
                f"Nhiệm vụ {task_code(task.id)} đã có cập nhật sau thay đổi này: "
                "không hoàn tác được."
            )
    for entry in undo["people"]:
        user = session.get(User, entry["id"])
        if user is None or _person(user) != entry["after"]:
            name = user.full_name if user else f"#{entry['id']}"
            return f"Tài khoản “{name}” đã được sửa sau thay đổi này: không hoàn tác được."
    for entry in undo["series"]:
        series = session.get(Series, entry["id"])
        if series is None or _series(series) != entry["after"]:
            return (
                f"Nhiệm vụ định kỳ số {entry['id']} đã được sửa sau thay đổi này: "
                "không hoàn tác được."
            )
    for unit_id in undo["created"]:
        if _created_in_use(session, unit_id, undo):
            name = session.get(Department, unit_id).name
            return (
                f"Đơn vị “{name}” do thay đổi này thành lập đã có nhiệm vụ, người dùng hoặc "
                "báo cáo mới: không hoàn tác được."
            )
    for entry in undo["units"]:
        holder = unit_named(session, entry["name"])
        if holder is not None and holder.id != entry["id"]:
            return f"Tên “{entry['name']}” nay là tên của một đơn vị khác: không hoàn tác được."
    return None


def undoable(session: Session, change: UnitChange) -> bool:
    return refusal(session, change) is None


def undo(session: Session, change: UnitChange) -> str:
    """Put back everything ``change`` altered and delete it; its description returned.
    ``ReorganisationError`` with the reason when it cannot be undone (nothing touched)."""
    reason = refusal(session, change)
    if reason is not None:
        raise ReorganisationError(reason)
    text = describe(change)
    undo = change.undo
    for entry in undo["tasks"]:
        task = session.get(Task, entry["id"])
        lead, cooperating = entry["before"]
        task.lead_department = session.get(Department, lead)
        task.cooperating_departments = [session.get(Department, i) for i in cooperating]
    for entry in undo["people"]:
        user = session.get(User, entry["id"])
        department_id, user.role, user.is_active = entry["before"]
        user.department = session.get(Department, department_id) if department_id else None
    for entry in undo["series"]:
        series = session.get(Series, entry["id"])
        series.lead_department_id, cooperating = entry["before"]
        series.cooperator_ids = list(cooperating)
    for entry in undo["units"]:
        unit = session.get(Department, entry["id"])
        unit.name = entry["name"]
        ended = entry["ended_on"]
        unit.ended_on = dt.date.fromisoformat(ended) if ended else None
        unit.is_active = entry["is_active"]
        unit.calendar_token = entry["calendar_token"]
    session.flush()
    if undo["events"]:
        session.execute(delete(Event).where(Event.id.in_(undo["events"])))
    session.execute(delete(TaskTransfer).where(TaskTransfer.change_id == change.id))
    session.execute(delete(DepartmentName).where(DepartmentName.change_id == change.id))
    session.delete(change)
    session.flush()
    for unit_id in undo["created"]:
        session.delete(session.get(Department, unit_id))
    session.flush()
    session.expire_all()
    return text


def last_changes(session: Session) -> set[int]:
    """The changes that are the last of every unit they involve (the ones an undo is offered
    for, when they kept what it takes)."""
    latest: dict[int, int] = {}
    parts: dict[int, list[int]] = {}
    for change_id, unit_id in session.execute(
        select(UnitChangePart.change_id, UnitChangePart.department_id)
    ):
        latest[unit_id] = max(latest.get(unit_id, 0), change_id)
        parts.setdefault(change_id, []).append(unit_id)
    return {c for c, units in parts.items() if all(latest[u] == c for u in units)}


@dataclass
class Restoring:
    """What undoing a change puts back, for the page that asks to confirm it."""

    tasks: list[Task]
    people: list[User]
    series: list[Series]
    units: list[tuple[Department, str]]  # each unit, with the name it gets back
    removed: list[Department]  # the units the change created, deleted


def restoring(session: Session, change: UnitChange) -> Restoring:
    undo = change.undo or {"tasks": [], "people": [], "series": [], "units": [], "created": []}

    def rows(model, entries):
        found = (session.get(model, e["id"]) for e in entries)
        return [row for row in found if row is not None]

    return Restoring(
        tasks=rows(Task, undo["tasks"]),
        people=rows(User, undo["people"]),
        series=rows(Series, undo["series"]),
        units=[(session.get(Department, e["id"]), e["name"]) for e in undo["units"]],
        removed=[session.get(Department, i) for i in undo["created"]],
    )
