"""A plan read per task and per recurring duty: its lead and cooperating units before the
change and after it, by name (what the preview page shows, one row each)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department, User
from app.models.people import Role
from app.models.units import ChangeKind
from app.units.plan import Plan


@dataclass(frozen=True)
class Outcome:
    item: object  # the Task or the Series
    lead_before: str
    lead_after: str
    cooperating_before: list[str]
    cooperating_after: list[str]

    @property
    def lead_changes(self) -> bool:
        return self.lead_before != self.lead_after


def _namer(session: Session, plan: Plan):
    names = {u.id: u.name for u in plan.targets.values() if u is not None}

    def name(key) -> str:
        if isinstance(key, str):
            return key  # a unit the change creates
        if key not in names:
            unit = session.get(Department, key)
            names[key] = unit.name if unit else f"#{key}"
        return names[key]

    return name


def _outcome(item, lead, cooperating, lead_after, cooperating_after, name) -> Outcome:
    return Outcome(
        item,
        name(lead),
        name(lead_after),
        sorted(name(i) for i in cooperating),
        sorted(name(i) for i in cooperating_after),
    )


def outcomes(session: Session, plan: Plan) -> tuple[list[Outcome], list[Outcome]]:
    """The plan's open tasks and recurring duties, each once, in the order they first move."""
    name = _namer(session, plan)
    tasks, series = [], []
    for move in plan.tasks:
        task = move.task
        if any(o.item is task for o in tasks):
            continue
        lead, cooperating = plan.simulated[task.id]
        before = sorted(d.id for d in task.cooperating_departments)
        tasks.append(_outcome(task, task.lead_department_id, before, lead, cooperating, name))
    for move in plan.series:
        duty = move.series
        if any(o.item is duty for o in series):
            continue
        lead, cooperating = plan.simulated[("series", duty.id)]
        before = duty.cooperator_ids or []
        series.append(_outcome(duty, duty.lead_department_id, before, lead, cooperating, name))
    return tasks, series


def heads_after(session: Session, plan: Plan) -> list[User]:
    """The active heads the receiving unit of a merger will have (more than one, or none:
    the preview asks to choose)."""
    if plan.kind != ChangeKind.MERGE:
        return []
    name, existing = next(iter(plan.targets.items()))
    planned = {m.user.id for m in plan.people}
    heads = [
        m.user
        for m in plan.people
        if m.active and m.role == Role.DEPARTMENT_HEAD and m.target in (name, None)
    ]
    if existing is not None:
        heads += [
            u
            for u in session.scalars(select(User).where(User.department_id == existing.id))
            if u.id not in planned and u.is_active and u.role == Role.DEPARTMENT_HEAD
        ]
    return heads
