"""Recording an organisation change, and handing an ended unit's open tasks (with their
history), people and recurring duties over to its successor."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import (
    Department,
    Event,
    Series,
    Task,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
    User,
    task_cooperators,
)
from app.models.documents import OPEN_STATES
from app.models.history import EventKind
from app.tasks.changes import _event, snapshot
from app.units.checks import DECISION_LENGTH, ReorganisationError
from app.units.lineage import merger_of


def open_tasks_led(session: Session, unit: Department) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .where(Task.lead_department_id == unit.id, Task.state.in_(OPEN_STATES))
            .options(selectinload(Task.cooperating_departments))
            .order_by(Task.id)
        )
    )


def open_tasks_cooperated(session: Session, unit: Department) -> list[Task]:
    return list(
        session.scalars(
            select(Task)
            .join(task_cooperators, task_cooperators.c.task_id == Task.id)
            .where(task_cooperators.c.department_id == unit.id, Task.state.in_(OPEN_STATES))
            .options(selectinload(Task.cooperating_departments))
            .order_by(Task.id)
        )
    )


def record(session, kind, on, decision, by, **names) -> UnitChange:
    decision = (decision or "").strip()
    if len(decision) > DECISION_LENGTH:
        raise ReorganisationError(f"Căn cứ (quyết định) dài quá {DECISION_LENGTH} ký tự.")
    change = UnitChange(
        kind=kind, effective_on=on, decision=decision, entered_by_id=by.id if by else None, **names
    )
    session.add(change)
    return change


def add_part(change: UnitChange, unit: Department, role: str) -> None:
    change.parts.append(UnitChangePart(department=unit, role=role))


def _transfer_comment(old: Department, new: Department | None, change: UnitChange) -> str:
    if new is None:
        text = f"{old.name} thôi phối hợp (giải thể)"
    else:
        text = f"Chuyển từ {old.name} sang {new.name}"
    return f"{text} theo {change.decision}" if change.decision else text


def hand_over(
    session: Session,
    task: Task,
    old: Department,
    new: Department | None,
    change: UnitChange,
    by: User | None,
) -> Event:
    """Move the task's lead or cooperation from ``old`` to ``new`` (None: a dissolved unit's
    cooperation is dropped), with its history (the event returned)."""
    before = snapshot(task)
    if task.lead_department_id == old.id:
        session.add(
            TaskTransfer(
                task_id=task.id,
                effective_on=change.effective_on,
                from_department_id=old.id,
                to_department_id=new.id,
                change_id=change.id,
            )
        )
        task.lead_department = new
        task.cooperating_departments = [d for d in task.cooperating_departments if d is not new]
    else:
        kept = [d for d in task.cooperating_departments if d is not old]
        if new is not None and new not in kept and task.lead_department_id != new.id:
            kept.append(new)
        task.cooperating_departments = kept
    session.flush()
    return _event(
        session,
        task,
        EventKind.TRANSFERRED,
        change.effective_on,
        by,
        before,
        comment=_transfer_comment(old, new, change),
    )


def end_unit(unit: Department, on: dt.date) -> None:
    unit.ended_on = on
    unit.is_active = False
    unit.calendar_token = None


def move_series(series: Series, old: Department, new: Department, role: str) -> None:
    """The recurring duty's lead (``role`` "lead") or cooperation passes from ``old`` to
    ``new``."""
    if role == "lead":
        series.lead_department_id = new.id
        return
    ids = [new.id if i == old.id else i for i in series.cooperator_ids or []]
    series.cooperator_ids = list(dict.fromkeys(i for i in ids if i != series.lead_department_id))


def hand_over_stranded(session: Session, by: User | None = None) -> int:
    """Hand the open tasks still led by (or cooperating with) a unit a merger ended to its
    successor, as the merger would have (an import of older rows naming the former unit)."""
    ended = session.scalars(
        select(Department).where(Department.ended_on.is_not(None)).order_by(Department.ended_on)
    ).all()
    moved = 0
    for unit in ended:
        change = merger_of(session, unit)
        if change is None:
            continue
        target = change.units("to")[0]
        for task in open_tasks_led(session, unit) + open_tasks_cooperated(session, unit):
            before = _state(task)
            event = hand_over(session, task, unit, target, change, by)
            _journal(session, change, task, before, event)
            moved += 1
    return moved


def _state(task: Task) -> list:
    return [task.lead_department_id, sorted(d.id for d in task.cooperating_departments)]


def _journal(session: Session, change: UnitChange, task: Task, before: list, event) -> None:
    """Add a hand-over made after the change (a task imported later) to what undoing the
    change restores."""
    if not change.undo:
        return
    session.flush()
    undo = dict(change.undo)
    tasks = [t for t in undo["tasks"] if t["id"] != task.id]
    known = next((t for t in undo["tasks"] if t["id"] == task.id), None)
    tasks.append({"id": task.id, "before": known["before"] if known else before,
                  "after": _state(task), "event": event.id})  # fmt: skip
    change.undo = {**undo, "tasks": tasks, "events": [*undo["events"], event.id]}
