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
from sqlalchemy.orm import Session

from app.models import Department, DepartmentName, Series, UnitChange, User
from app.models.documents import task_code
from app.models.people import Role
from app.models.units import ChangeKind
from app.units.checks import (
    MAX_UNITS,
    ReorganisationError,
    check_date,
    check_free,
    clean_name,
    name_key,
    unit_named,
)
from app.units.handover import (
    add_part,
    end_unit,
    hand_over,
    hand_over_stranded,
    move_people,
    move_series,
    open_tasks_cooperated,
    open_tasks_led,
    record,
)
from app.units.lineage import describe, history, merger_of, successor

__all__ = [
    "MAX_UNITS",
    "ReorganisationError",
    "describe",
    "dissolve",
    "hand_over_stranded",
    "history",
    "merge",
    "merger_of",
    "name_key",
    "open_tasks_cooperated",
    "open_tasks_led",
    "rename",
    "split",
    "successor",
    "unit_named",
]


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
    new_name = clean_name(new_name)
    if new_name == unit.name:
        raise ReorganisationError(f"Đơn vị đã mang tên “{new_name}”.")
    check_date(session, [unit], on, today)
    check_free(session, new_name, unit)
    change = record(
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
    add_part(change, unit, "to")
    unit.name = new_name
    session.flush()
    return change


def _target(session: Session, target: Department | str, on: dt.date, template: Department):
    """An existing unit, or a new one created on ``on`` (placed where ``template`` was)."""
    if isinstance(target, Department):
        return target, False
    name = clean_name(target)
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
        name = clean_name(into)
        if any(name_key(u.name) == name_key(name) for u in units):
            raise ReorganisationError(f"Đơn vị “{name}” không thể hợp nhất vào chính nó.")
    check_date(session, units, on, today)
    if isinstance(into, Department):
        check_date(session, [into], on, today)
    if head is not None and head.department_id not in {u.id for u in units} | (
        {into.id} if isinstance(into, Department) else set()
    ):
        raise ReorganisationError(
            f"“{head.full_name}” không thuộc các đơn vị hợp nhất: không thể là trưởng đơn vị mới."
        )
    target, created = _target(session, into, on, units[0])
    if not created and target is not into:  # an existing unit named: checked as one given
        check_date(session, [target], on, today)
    change = record(session, ChangeKind.MERGE, on, decision, by)
    for unit in units:
        add_part(change, unit, "from")
    add_part(change, target, "to")
    session.flush()
    for unit in units:
        for task in open_tasks_led(session, unit):
            hand_over(session, task, unit, target, change, by)
        for task in open_tasks_cooperated(session, unit):
            hand_over(session, task, unit, target, change, by)
        move_people(session, unit, target)
        move_series(session, unit, target)
        end_unit(unit, on)
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
    check_date(session, [unit], on, today)
    names = [t.name if isinstance(t, Department) else clean_name(t) for t in into]
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
            check_date(session, [target], on, today)
        targets[name_key(target.name)] = target
    change = record(session, ChangeKind.SPLIT, on, decision, by)
    add_part(change, unit, "from")
    for target in targets.values():
        add_part(change, target, "to")
    session.flush()
    for task in led + cooperated:
        hand_over(session, task, unit, targets[name_key(chosen[task.id])], change, by)
    first = targets[name_key(names[0])]
    move_people(session, unit, first)
    move_series(session, unit, first)
    end_unit(unit, on)
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
    check_date(session, [unit], on, today)
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
    change = record(session, ChangeKind.DISSOLVE, on, decision, by)
    add_part(change, unit, "from")
    session.flush()
    for task in open_tasks_cooperated(session, unit):
        hand_over(session, task, unit, None, change, by)
    for user in session.scalars(select(User).where(User.department_id == unit.id)):
        user.is_active = False
        user.rotate_sessions()
    end_unit(unit, on)
    session.flush()
    return change
