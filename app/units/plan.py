"""What an organisation change would do, computed without writing anything.

Each ``plan_*`` function checks the change (raising ``ReorganisationError`` with the reason)
and returns a ``Plan``: the units it ends, the units that receive their work (existing ones, or
names of units it will create), and every open task (as lead or as cooperating unit), person
and recurring duty that moves, in the order the save moves them. The preview page shows a plan;
the save (``reorganise.apply``) carries out the same plan, so the two cannot disagree.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Department, Series, Task, User
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
from app.units.handover import open_tasks_cooperated, open_tasks_led

LEAD = "lead"
COOPERATING = "cooperating"


@dataclass(frozen=True)
class TaskMove:
    """``task``'s lead or cooperation (``role``) goes from ``source`` to the target named
    ``target`` (None: a dissolved unit's cooperation ends). ``dropped``: the cooperation ends
    because the target already leads or cooperates on the task."""

    task: Task
    role: str
    source: Department
    target: str | None
    dropped: bool = False


@dataclass(frozen=True)
class PersonMove:
    """``user`` goes to the target named ``target`` (None: stays in its unit), with ``role``
    and ``active`` from the change on."""

    user: User
    target: str | None
    role: str
    active: bool


@dataclass(frozen=True)
class SeriesMove:
    """``series``'s lead or cooperation goes from ``source`` to the target named ``target``;
    ``dropped``: the cooperation ends, the target already leading or cooperating."""

    series: Series
    role: str
    source: Department
    target: str
    dropped: bool = False


@dataclass
class Plan:
    kind: ChangeKind
    on: dt.date
    ended: list[Department] = field(default_factory=list)
    # name → the existing unit bearing it, or None for a unit the change creates
    targets: dict[str, Department | None] = field(default_factory=dict)
    template: Department | None = None  # where a created unit is placed
    tasks: list[TaskMove] = field(default_factory=list)
    people: list[PersonMove] = field(default_factory=list)
    series: list[SeriesMove] = field(default_factory=list)
    renamed: Department | None = None
    new_name: str | None = None
    # task id (or ("series", id)) → [lead, cooperating units] as the moves so far leave it
    # (unit ids, or the names of units to be created): which cooperations a move drops
    simulated: dict = field(default_factory=dict, repr=False)

    def created(self) -> list[str]:
        return [name for name, unit in self.targets.items() if unit is None]

    def fingerprint(self, decision: str = "") -> str:
        """A digest of everything the change would do (and its decision): the confirmation
        carries it, and a save whose plan no longer has it is shown again instead."""
        signature = {
            "kind": str(self.kind),
            "on": self.on.isoformat(),
            "ended": [u.id for u in self.ended],
            "targets": [[n, u.id if u else None] for n, u in self.targets.items()],
            "tasks": [[m.task.id, m.role, m.source.id, m.target, m.dropped] for m in self.tasks],
            "people": [[m.user.id, m.target, m.role, m.active] for m in self.people],
            "series": [
                [m.series.id, m.role, m.source.id, m.target, m.dropped] for m in self.series
            ],
            "renamed": [self.renamed.id if self.renamed else None, self.new_name],
            "decision": (decision or "").strip(),
        }
        text = json.dumps(signature, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


def plan_rename(
    session: Session, unit: Department, new_name: str, *, on: dt.date, today: dt.date
) -> Plan:
    new_name = clean_name(new_name)
    if new_name == unit.name:
        raise ReorganisationError(f"Đơn vị đã mang tên “{new_name}”.")
    check_date(session, [unit], on, today)
    check_free(session, new_name, unit)
    return Plan(ChangeKind.RENAME, on, targets={new_name: unit}, renamed=unit, new_name=new_name)


def _people(session: Session, unit: Department) -> list[User]:
    query = select(User).where(User.department_id == unit.id).order_by(User.id)
    return list(session.scalars(query))


def _active_series(session: Session) -> list[Series]:
    return list(session.scalars(select(Series).where(Series.active.is_(True)).order_by(Series.id)))


def _hand_over(session: Session, plan: Plan, unit: Department, target: str, tasks=None) -> None:
    """Add ``unit``'s open tasks (each to ``target``, or to ``tasks[task.id]``), people and
    recurring duties to ``plan``, in the order the save moves them."""

    def key(name: str | None):
        existing = plan.targets.get(name) if name is not None else None
        return existing.id if existing is not None else name

    for role, found in ((LEAD, open_tasks_led), (COOPERATING, open_tasks_cooperated)):
        for task in found(session, unit):
            goes = tasks[task.id] if tasks is not None else target
            lead, cooperating = plan.simulated.setdefault(
                task.id,
                [task.lead_department_id, {d.id for d in task.cooperating_departments}],
            )
            dropped = False
            if role == LEAD:
                plan.simulated[task.id][0] = key(goes)
                cooperating.discard(key(goes))
            else:
                cooperating.discard(unit.id)
                dropped = key(goes) in cooperating or lead == key(goes)
                if not dropped:
                    cooperating.add(key(goes))
            plan.tasks.append(TaskMove(task, role, unit, goes, dropped))
    for user in _people(session, unit):
        plan.people.append(PersonMove(user, target, user.role, user.is_active))
    for series in _active_series(session):
        lead, cooperating = plan.simulated.setdefault(
            ("series", series.id), [series.lead_department_id, set(series.cooperator_ids or [])]
        )
        if lead == unit.id:
            plan.simulated[("series", series.id)][0] = lead = key(target)
            plan.series.append(SeriesMove(series, LEAD, unit, target))
        if unit.id in cooperating:
            cooperating.discard(unit.id)
            dropped = key(target) in cooperating or key(target) == lead
            cooperating.add(key(target))
            cooperating.discard(lead)
            plan.series.append(SeriesMove(series, COOPERATING, unit, target, dropped))


def _target(session: Session, into: Department | str, on, today) -> tuple[str, Department | None]:
    if isinstance(into, Department):
        check_date(session, [into], on, today)
        return into.name, into
    name = clean_name(into)
    existing = unit_named(session, name)
    if existing is not None:
        check_date(session, [existing], on, today)
        return existing.name, existing
    return name, None


def plan_merge(
    session: Session,
    units: Sequence[Department],
    into: Department | str,
    *,
    on: dt.date,
    today: dt.date,
    head: User | None = None,
) -> Plan:
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
    target, existing = _target(session, into, on, today)
    if head is not None and head not in head_candidates(session, units, existing):
        raise ReorganisationError(
            f"“{head.full_name}” không thuộc các đơn vị hợp nhất: không thể là trưởng đơn vị mới."
        )
    plan = Plan(ChangeKind.MERGE, on, ended=units, targets={target: existing}, template=units[0])
    for unit in units:
        _hand_over(session, plan, unit, target)
    if head is not None:  # the other heads, of the merged units and of the target, step down
        staying = []
        if existing is not None:
            staying = session.scalars(
                select(User).where(User.department_id == existing.id).order_by(User.id)
            )
        moves = [(m.user, m.target, m.active) for m in plan.people] + [
            (u, None, u.is_active) for u in staying
        ]
        plan.people = []
        for user, goes, active in moves:
            role = user.role
            if user is head:
                role = Role.DEPARTMENT_HEAD
            elif role == Role.DEPARTMENT_HEAD:
                role = Role.DEPARTMENT_MEMBER
            if goes is not None or role != user.role or user is head:
                plan.people.append(PersonMove(user, goes or target, role, active))
    return plan


def head_candidates(
    session: Session, units: Sequence[Department], into: Department | None
) -> list[User]:
    """Who may head the unit after a merger: the active people of the merging units and of
    the unit they merge into."""
    ids = [u.id for u in units] + ([into.id] if into is not None else [])
    return list(
        session.scalars(
            select(User)
            .where(User.is_active.is_(True), User.department_id.in_(ids))
            .where(User.role.in_([Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER]))
            .order_by(User.full_name, User.id)
        )
    )


def _split_targets(names: list[str], tasks: list[Task], assign: Mapping) -> dict[int, str]:
    by_name = {name_key(n): n for n in names}
    chosen: dict[int, str] = {}
    problems = []
    for task in tasks:
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
    return chosen


def plan_split(
    session: Session,
    unit: Department,
    into: Sequence[Department | str],
    *,
    assign: Mapping[int, Department | str],
    on: dt.date,
    today: dt.date,
) -> Plan:
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
    tasks = open_tasks_led(session, unit) + open_tasks_cooperated(session, unit)
    chosen = _split_targets(names, tasks, assign)
    plan = Plan(ChangeKind.SPLIT, on, ended=[unit], template=unit)
    renamed = {}
    for item in into:
        name, existing = _target(session, item, on, today)
        plan.targets[name] = existing
        renamed[name_key(name)] = name
    chosen = {task_id: renamed[name_key(name)] for task_id, name in chosen.items()}
    _hand_over(session, plan, unit, next(iter(plan.targets)), chosen)
    return plan


def plan_dissolve(session: Session, unit: Department, *, on: dt.date, today: dt.date) -> Plan:
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
    plan = Plan(ChangeKind.DISSOLVE, on, ended=[unit])
    for task in open_tasks_cooperated(session, unit):
        cooperating = {d.id for d in task.cooperating_departments} - {unit.id}
        plan.simulated[task.id] = [task.lead_department_id, cooperating]
        plan.tasks.append(TaskMove(task, COOPERATING, unit, None, True))
    for user in _people(session, unit):
        plan.people.append(PersonMove(user, None, user.role, False))
    return plan
