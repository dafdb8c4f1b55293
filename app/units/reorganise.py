"""Organisation changes: rename, merge, split and dissolve units on a date.

Each function checks everything first and raises ``ReorganisationError`` (a message for the
user, in Vietnamese) before touching anything; it then records the change, ends the units it
ends, hands their open tasks (and their places as cooperating units) to the successors with a
transfer and an event in each task's history, moves people and recurring duties, and flushes.
The caller commits once. Closed tasks stay with the unit that closed them. A change may be
entered after the fact (any date up to today); a unit's changes must come in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from app.models import (
    Department,
    DepartmentName,
    Series,
    Task,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
    User,
    task_cooperators,
)
from app.models.documents import OPEN_STATES, task_code
from app.models.history import EventKind
from app.models.people import Role
from app.models.units import ChangeKind
from app.tasks.changes import _event, snapshot

MAX_UNITS = 50  # units in one merger or split
NAME_LENGTH = 255
DECISION_LENGTH = 2000


class ReorganisationError(ValueError):
    """A change that cannot be saved; the message says why, for the user."""


def _day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


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


def last_change_on(session: Session, unit: Department) -> dt.date | None:
    """The date of the latest change that involved the unit (a rename is a part of its change
    too, as the unit it renamed)."""
    return session.scalar(
        select(func.max(UnitChange.effective_on))
        .join(UnitChangePart, UnitChangePart.change_id == UnitChange.id)
        .where(UnitChangePart.department_id == unit.id)
    )


def _check_date(session: Session, units: Sequence[Department], on: dt.date, today: dt.date):
    if on > today:
        raise ReorganisationError(
            f"Ngày hiệu lực {_day(on)} sau hôm nay: thay đổi chỉ được nhập khi đã có hiệu lực."
        )
    for unit in units:
        if unit.ended_on is not None:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” đã thôi hoạt động từ ngày {_day(unit.ended_on)}."
            )
        if unit.created_on is not None and on <= unit.created_on:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” được thành lập ngày {_day(unit.created_on)}: "
                "thay đổi phải có hiệu lực sau ngày đó."
            )
        last = last_change_on(session, unit)
        if last is not None and on < last:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” đã có thay đổi ngày {_day(last)}: "
                "các thay đổi của một đơn vị phải theo thứ tự ngày."
            )


def _clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ReorganisationError("Tên đơn vị không được để trống.")
    if len(name) > NAME_LENGTH:
        raise ReorganisationError(f"Tên đơn vị dài quá {NAME_LENGTH} ký tự.")
    return name


def name_key(name: str) -> str:
    """A unit's name for comparing: spaces squeezed, case folded (Vietnamese letters too)."""
    return " ".join((name or "").split()).casefold()


def unit_named(session: Session, name: str) -> Department | None:
    """The unit (current or ended) bearing ``name`` today, case and spacing aside."""
    key = name_key(name)
    return next((d for d in session.scalars(select(Department)) if name_key(d.name) == key), None)


def _check_free(session: Session, name: str, unit: Department | None = None) -> None:
    holder = unit_named(session, name)
    if holder is not None and holder is not unit:
        raise ReorganisationError(f"Tên “{name}” đã là tên của một đơn vị khác.")


def _record(session, kind, on, decision, by, **names) -> UnitChange:
    decision = (decision or "").strip()
    if len(decision) > DECISION_LENGTH:
        raise ReorganisationError(f"Căn cứ (quyết định) dài quá {DECISION_LENGTH} ký tự.")
    change = UnitChange(
        kind=kind, effective_on=on, decision=decision, entered_by_id=by.id if by else None, **names
    )
    session.add(change)
    return change


def _part(change: UnitChange, unit: Department, role: str) -> None:
    change.parts.append(UnitChangePart(department=unit, role=role))


def _transfer_comment(old: Department, new: Department | None, change: UnitChange) -> str:
    if new is None:
        text = f"{old.name} thôi phối hợp (giải thể)"
    else:
        text = f"Chuyển từ {old.name} sang {new.name}"
    return f"{text} theo {change.decision}" if change.decision else text


def _hand_over(
    session: Session,
    task: Task,
    old: Department,
    new: Department | None,
    change: UnitChange,
    by: User | None,
) -> None:
    """Move the task's lead or cooperation from ``old`` to ``new`` (None: a dissolved unit's
    cooperation is dropped), with its history."""
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
    _event(
        session,
        task,
        EventKind.TRANSFERRED,
        change.effective_on,
        by,
        before,
        comment=_transfer_comment(old, new, change),
    )


def _end(unit: Department, on: dt.date) -> None:
    unit.ended_on = on
    unit.is_active = False
    unit.calendar_token = None


def _move_series(session: Session, old: Department, new: Department) -> None:
    for series in session.scalars(select(Series).where(Series.active.is_(True))):
        if series.lead_department_id == old.id:
            series.lead_department_id = new.id
        ids = list(series.cooperator_ids or [])
        if old.id in ids:
            ids = [new.id if i == old.id else i for i in ids if i != series.lead_department_id]
            series.cooperator_ids = list(dict.fromkeys(ids))


def _move_people(session: Session, old: Department, new: Department) -> None:
    for user in session.scalars(select(User).where(User.department_id == old.id)):
        user.department = new


def rename(
    session: Session,
    unit: Department,
    new_name: str,
    *,
    on: dt.date,
    today: dt.date,
    decision: str = "",
    by: User | None = None,
) -> UnitChange:
    """The unit bears ``new_name`` from ``on``; reports for earlier dates keep the old one."""
    new_name = _clean_name(new_name)
    if new_name == unit.name:
        raise ReorganisationError(f"Đơn vị đã mang tên “{new_name}”.")
    _check_date(session, [unit], on, today)
    _check_free(session, new_name, unit)
    change = _record(
        session, ChangeKind.RENAME, on, decision, by, old_name=unit.name, new_name=new_name
    )
    session.flush()
    session.add(
        DepartmentName(
            department_id=unit.id,
            name=unit.name,
            until=on - dt.timedelta(days=1),
            change_id=change.id,
        )
    )
    _part(change, unit, "to")
    unit.name = new_name
    session.flush()
    return change


def _target(session: Session, target: Department | str, on: dt.date, template: Department):
    """An existing unit, or a new one created on ``on`` (placed where ``template`` was)."""
    if isinstance(target, Department):
        return target, False
    name = _clean_name(target)
    existing = unit_named(session, name)
    if existing is not None:
        return existing, False
    unit = Department(
        name=name,
        display_order=template.display_order,
        email="",
        created_on=on,
        leader_id=template.leader_id,
    )
    session.add(unit)
    session.flush()
    return unit, True


def merge(
    session: Session,
    units: Sequence[Department],
    into: Department | str,
    *,
    on: dt.date,
    today: dt.date,
    decision: str = "",
    by: User | None = None,
    head: User | None = None,
) -> UnitChange:
    """``units`` end on ``on`` and ``into`` (an existing unit, or a new one by that name)
    takes over their open tasks, cooperations, people and recurring duties. ``head``, when
    given, becomes the successor's head and the other heads of the merged units its members."""
    units = list(dict.fromkeys(units))
    if not units:
        raise ReorganisationError("Chưa chọn đơn vị nào để hợp nhất.")
    if len(units) > MAX_UNITS:
        raise ReorganisationError(f"Một lần hợp nhất nhiều nhất {MAX_UNITS} đơn vị.")
    if isinstance(into, Department) and into in units:
        raise ReorganisationError(f"Đơn vị “{into.name}” không thể hợp nhất vào chính nó.")
    if isinstance(into, str):
        name = _clean_name(into)
        if any(name_key(u.name) == name_key(name) for u in units):
            raise ReorganisationError(f"Đơn vị “{name}” không thể hợp nhất vào chính nó.")
    _check_date(session, units, on, today)
    if isinstance(into, Department):
        _check_date(session, [into], on, today)
    if head is not None and head.department_id not in {u.id for u in units} | (
        {into.id} if isinstance(into, Department) else set()
    ):
        raise ReorganisationError(
            f"“{head.full_name}” không thuộc các đơn vị hợp nhất: không thể là trưởng đơn vị mới."
        )
    target, created = _target(session, into, on, units[0])
    if not created and target is not into:  # an existing unit named: checked as one given
        _check_date(session, [target], on, today)
    change = _record(session, ChangeKind.MERGE, on, decision, by)
    for unit in units:
        _part(change, unit, "from")
    _part(change, target, "to")
    session.flush()
    for unit in units:
        for task in open_tasks_led(session, unit):
            _hand_over(session, task, unit, target, change, by)
        for task in open_tasks_cooperated(session, unit):
            _hand_over(session, task, unit, target, change, by)
        _move_people(session, unit, target)
        _move_series(session, unit, target)
        _end(unit, on)
    if head is not None:  # the other heads, of the merged units and of the target, step down
        for user in session.scalars(select(User).where(User.department_id == target.id)):
            if user.role == Role.DEPARTMENT_HEAD and user is not head:
                user.role = Role.DEPARTMENT_MEMBER
        head.role = Role.DEPARTMENT_HEAD
        head.department = target
    session.flush()
    return change


def split(
    session: Session,
    unit: Department,
    into: Sequence[Department | str],
    *,
    assign: Mapping[int, Department | str],
    on: dt.date,
    today: dt.date,
    decision: str = "",
    by: User | None = None,
) -> UnitChange:
    """``unit`` ends on ``on``; each of its open tasks (led or cooperated on) goes to the unit
    ``assign`` names for it, one of ``into``. Its people and recurring duties go to the first
    unit of ``into``."""
    if len(into) < 2:
        raise ReorganisationError("Chia tách cần ít nhất hai đơn vị mới.")
    if len(into) > MAX_UNITS:
        raise ReorganisationError(f"Một lần chia tách nhiều nhất {MAX_UNITS} đơn vị.")
    _check_date(session, [unit], on, today)
    names = [t.name if isinstance(t, Department) else _clean_name(t) for t in into]
    if len({name_key(n) for n in names}) != len(names):
        raise ReorganisationError("Các đơn vị mới phải có tên khác nhau.")
    if name_key(unit.name) in {name_key(n) for n in names}:
        raise ReorganisationError(f"Đơn vị “{unit.name}” không thể chia tách vào chính nó.")
    led = open_tasks_led(session, unit)
    cooperated = open_tasks_cooperated(session, unit)
    by_name = {name_key(n): n for n in names}
    chosen: dict[int, str] = {}
    problems = []
    for task in led + cooperated:
        wanted = assign.get(task.id)
        written = wanted.name if isinstance(wanted, Department) else (wanted or "")
        key = name_key(written)
        if not key:
            problems.append(f"{task_code(task.id)}: chưa chọn đơn vị nhận.")
        elif key not in by_name:
            problems.append(f"{task_code(task.id)}: “{written[:80]}” không phải đơn vị mới.")
        else:
            chosen[task.id] = by_name[key]
    if problems:
        shown = problems[:20]
        if len(problems) > 20:
            shown.append(f"… và {len(problems) - 20} nhiệm vụ khác")
        raise ReorganisationError(
            "Mỗi nhiệm vụ đang mở của đơn vị phải được giao cho một đơn vị mới:\n"
            + "\n".join(shown)
        )
    targets = {}
    for item in into:
        target, created = _target(session, item, on, unit)
        if not created:
            _check_date(session, [target], on, today)
        targets[name_key(target.name)] = target
    change = _record(session, ChangeKind.SPLIT, on, decision, by)
    _part(change, unit, "from")
    for target in targets.values():
        _part(change, target, "to")
    session.flush()
    for task in led + cooperated:
        _hand_over(session, task, unit, targets[name_key(chosen[task.id])], change, by)
    first = targets[name_key(names[0])]
    _move_people(session, unit, first)
    _move_series(session, unit, first)
    _end(unit, on)
    session.flush()
    return change


def dissolve(
    session: Session,
    unit: Department,
    *,
    on: dt.date,
    today: dt.date,
    decision: str = "",
    by: User | None = None,
) -> UnitChange:
    """``unit`` ends on ``on`` with no successor: refused while it leads an open task or a
    recurring duty. Its places as a cooperating unit are dropped and its people's accounts
    closed."""
    _check_date(session, [unit], on, today)
    led = open_tasks_led(session, unit)
    if led:
        codes = ", ".join(task_code(t.id) for t in led[:20]) + (" …" if len(led) > 20 else "")
        raise ReorganisationError(
            f"Đơn vị “{unit.name}” còn chủ trì {len(led)} nhiệm vụ đang mở ({codes}): "
            "hãy chuyển các nhiệm vụ này cho đơn vị khác trước khi giải thể."
        )
    duties = session.scalar(
        select(func.count())
        .select_from(Series)
        .where(Series.active.is_(True), Series.lead_department_id == unit.id)
    )
    if duties:
        raise ReorganisationError(
            f"Đơn vị “{unit.name}” còn chủ trì {duties} nhiệm vụ định kỳ: hãy dừng hoặc "
            "chuyển chúng trước khi giải thể."
        )
    change = _record(session, ChangeKind.DISSOLVE, on, decision, by)
    _part(change, unit, "from")
    session.flush()
    for task in open_tasks_cooperated(session, unit):
        _hand_over(session, task, unit, None, change, by)
    for user in session.scalars(select(User).where(User.department_id == unit.id)):
        user.is_active = False
        user.rotate_sessions()
    _end(unit, on)
    session.flush()
    return change


def history(session: Session, unit: Department | None = None) -> list[UnitChange]:
    """Changes in date order (of one unit, or all), with their parts."""
    query = (
        select(UnitChange)
        .options(selectinload(UnitChange.parts).selectinload(UnitChangePart.department))
        .order_by(UnitChange.effective_on, UnitChange.id)
    )
    if unit is not None:
        query = query.where(
            UnitChange.id.in_(
                select(UnitChangePart.change_id).where(UnitChangePart.department_id == unit.id)
            )
        )
    return list(session.scalars(query))


def describe(change: UnitChange) -> str:
    """One line, as the history prints it."""
    names = ", ".join(d.name for d in change.units("from"))
    targets = ", ".join(d.name for d in change.units("to"))
    if change.kind == ChangeKind.RENAME:
        text = f"Đổi tên “{change.old_name}” thành “{change.new_name}”"
    elif change.kind == ChangeKind.MERGE:
        text = f"Hợp nhất {names} vào {targets}"
    elif change.kind == ChangeKind.SPLIT:
        text = f"Chia tách {names} thành {targets}"
    else:
        text = f"Giải thể {names}"
    text = f"{_day(change.effective_on)}: {text}"
    if change.decision:
        text += f" (căn cứ: {change.decision})"
    return text


def merger_of(session: Session, unit: Department) -> UnitChange | None:
    """The merger that ended ``unit`` (None while it lives, or when a split or dissolution
    ended it: then no single unit took its work over)."""
    if unit.ended_on is None:
        return None
    change = session.scalar(
        select(UnitChange)
        .join(UnitChangePart, UnitChangePart.change_id == UnitChange.id)
        .where(UnitChangePart.department_id == unit.id, UnitChangePart.role == "from")
        .order_by(UnitChange.id.desc())
        .limit(1)
    )
    if change is None or change.kind != ChangeKind.MERGE:
        return None
    return change


def successor(session: Session, unit: Department) -> Department | None:
    """The living unit that carries ``unit``'s work (following mergers), else None."""
    seen = set()
    while unit.ended_on is not None and unit.id not in seen:
        seen.add(unit.id)
        change = merger_of(session, unit)
        if change is None:
            return None
        unit = change.units("to")[0]
    return unit


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
            _hand_over(session, task, unit, target, change, by)
            moved += 1
    return moved
