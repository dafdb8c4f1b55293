"""Organisation changes: rename, merge, split and dissolve units on a date.

Each change is first planned (``app.units.plan``: every check, and what would move, with
nothing written; what the preview page shows), then ``apply`` carries that same plan out: it
records the change, creates the units it creates, ends the units it ends, hands their open
tasks (and their places as cooperating units) to the successors with a transfer and an event in
each task's history, moves people and recurring duties, keeps in the change what it takes to
undo it (``app.units.undo``), and flushes. ``ReorganisationError`` (a message for the user, in
Vietnamese) comes before anything is touched. The caller commits once. Closed tasks stay with
the unit that closed them. A change may be entered after the fact (any date up to today); a
unit's changes must come in date order.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy.orm import Session

from app.models import Department, DepartmentName, Series, Task, UnitChange, User
from app.units.checks import DECISION_LENGTH, MAX_UNITS, ReorganisationError, name_key, unit_named
from app.units.handover import (
    add_part,
    end_unit,
    hand_over,
    hand_over_stranded,
    move_series,
    open_tasks_cooperated,
    open_tasks_led,
    record,
)
from app.units.lineage import describe, history, merger_of, successor
from app.units.plan import Plan, plan_dissolve, plan_merge, plan_rename, plan_split

__all__ = [
    "MAX_UNITS",
    "Plan",
    "ReorganisationError",
    "apply",
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


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _person(user: User) -> list:
    return [user.department_id, user.role, user.is_active]


def _series(series: Series) -> list:
    return [series.lead_department_id, list(series.cooperator_ids or [])]


def _task(task: Task) -> list:
    return [task.lead_department_id, sorted(d.id for d in task.cooperating_departments)]


class _Journal:
    """What a change altered, as it was before and as the change left it: the undo's record."""

    def __init__(self) -> None:
        self.units: dict[int, dict] = {}
        self.tasks: dict[int, list] = {}
        self.people: dict[int, list] = {}
        self.series: dict[int, list] = {}
        self.events: list = []
        self.last_event: dict[int, object] = {}  # task id → the change's last event on it

    def unit(self, unit: Department) -> None:
        self.units.setdefault(
            unit.id,
            {
                "name": unit.name,
                "ended_on": _iso(unit.ended_on),
                "is_active": unit.is_active,
                "calendar_token": unit.calendar_token,
            },
        )

    def data(self, session: Session, created: list[Department]) -> dict:
        session.flush()
        return {
            "version": 1,
            "created": [u.id for u in created],
            "units": [{"id": i, **v} for i, v in self.units.items()],
            "tasks": [
                {
                    "id": i,
                    "before": v,
                    "after": _task(session.get(Task, i)),
                    "event": self.last_event[i].id,
                }
                for i, v in self.tasks.items()
            ],
            "events": [e.id for e in self.events],
            "people": [
                {"id": i, "before": v, "after": _person(session.get(User, i))}
                for i, v in self.people.items()
            ],
            "series": [
                {"id": i, "before": v, "after": _series(session.get(Series, i))}
                for i, v in self.series.items()
            ],
        }


def _create(session: Session, name: str, on: dt.date, template: Department) -> Department:
    """A new unit created on ``on``, placed where ``template`` was."""
    unit = Department(
        name=name,
        display_order=template.display_order,
        email="",
        created_on=on,
        leader_id=template.leader_id,
    )
    session.add(unit)
    session.flush()
    return unit


def apply(session: Session, plan: Plan, *, decision: str = "", by: User | None = None):
    """Carry ``plan`` out (see the module's docstring); the change recorded."""
    if len((decision or "").strip()) > DECISION_LENGTH:
        raise ReorganisationError(f"Căn cứ (quyết định) dài quá {DECISION_LENGTH} ký tự.")
    journal = _Journal()
    names = {}
    if plan.renamed is not None:
        names = {"old_name": plan.renamed.name, "new_name": plan.new_name}
    created = [_create(session, n, plan.on, plan.template) for n in plan.created()]
    targets = {n: u for n, u in plan.targets.items() if u is not None}
    targets.update({u.name: u for u in created})
    change = record(session, plan.kind, plan.on, decision, by, **names)
    for unit in plan.ended:
        add_part(change, unit, "from")
    for name in plan.targets:
        add_part(change, targets[name], "to")
    session.flush()
    for move in plan.tasks:
        journal.tasks.setdefault(move.task.id, _task(move.task))
        target = targets[move.target] if move.target is not None else None
        event = hand_over(session, move.task, move.source, target, change, by)
        journal.events.append(event)
        journal.last_event[move.task.id] = event
    for person in plan.people:
        user = person.user
        journal.people.setdefault(user.id, _person(user))
        if person.target is not None:
            user.department = targets[person.target]
        user.role = person.role
        if user.is_active and not person.active:
            user.rotate_sessions()
        user.is_active = person.active
    for move in plan.series:
        journal.series.setdefault(move.series.id, _series(move.series))
        move_series(move.series, move.source, targets[move.target], move.role)
    for unit in plan.ended:
        journal.unit(unit)
        end_unit(unit, plan.on)
    if plan.renamed is not None:
        unit = plan.renamed
        journal.unit(unit)
        session.add(
            DepartmentName(
                department_id=unit.id,
                name=unit.name,
                until=plan.on - dt.timedelta(days=1),
                change_id=change.id,
            )
        )
        unit.name = plan.new_name
    change.undo = journal.data(session, created)
    session.flush()
    return change


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
    plan = plan_rename(session, unit, new_name, on=on, today=today)
    return apply(session, plan, decision=decision, by=by)


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
    given (one of the people of these units), becomes the successor's head and the other
    heads its members."""
    plan = plan_merge(session, units, into, on=on, today=today, head=head)
    return apply(session, plan, decision=decision, by=by)


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
    plan = plan_split(session, unit, into, assign=assign, on=on, today=today)
    return apply(session, plan, decision=decision, by=by)


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
    plan = plan_dissolve(session, unit, on=on, today=today)
    return apply(session, plan, decision=decision, by=by)
