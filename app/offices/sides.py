"""What each side of two levels reads of the other, read only: the office below, of the task
it took in (whose it is, its state above); the office above, on its task, of the office below
doing it (its state, progress reports, parts and their last reports). Deliberate reads across
offices (``all_offices()``), each limited to the one task linked; plain records returned, the
other office's rows left out of the session."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import Office, ProgressReport, Task
from app.offices.upper_flow import forget_others, reading_across


@dataclass(frozen=True)
class UpperLink:
    """What the office below reads of the task it took in: whose it is, and where it is."""

    office: str
    code: str
    state_label: str


def upper_link(session: Session, task: Task) -> UpperLink | None:
    if task.upper_task_id is None:
        return None
    office = session.get(Office, task.office_id)
    above = session.get(Office, office.parent_id) if office and office.parent_id else None
    with reading_across(session):
        upper = session.scalar(select(Task).where(Task.id == task.upper_task_id))
        link = None
        if upper is not None and above is not None and upper.office_id == above.id:
            link = UpperLink(above.name, upper.code, upper.state_label)
    forget_others(session, task.office_id)
    return link


@dataclass(frozen=True)
class Report:
    reported_on: dt.date
    unit: str
    content: str


@dataclass(frozen=True)
class Part:
    code: str
    content: str
    lead: str
    deadline: dt.date | None
    state_label: str
    last_progress: Report | None


@dataclass
class LowerWork:
    """What the office above reads, on its task, of the office below doing it."""

    office: str
    taken: bool
    code: str = ""
    lead: str = ""
    state_label: str = ""
    deadline: dt.date | None = None
    done_on: dt.date | None = None
    reports: list[Report] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)


def _report(row: ProgressReport) -> Report:
    return Report(row.reported_on, row.department.name, row.content)


def lower_work(session: Session, task: Task) -> LowerWork | None:
    """When ``task`` is given to an office below (its lead unit stands for one): that office's
    task taken in from it, its progress reports (newest first) and its parts, each with its
    last report; None for a task given to a unit that is no office here."""
    with reading_across(session):
        office = session.scalar(
            select(Office).where(
                Office.parent_unit_id == task.lead_department_id,
                Office.parent_id == task.office_id,
            )
        )
        if office is None:
            return None
        lower = session.scalar(
            select(Task)
            .where(Task.upper_task_id == task.id, Task.office_id == office.id)
            .options(joinedload(Task.lead_department))
        )
        if lower is None:
            return LowerWork(office.name, taken=False)
        work = LowerWork(
            office.name, True, lower.code, lower.lead_department.name, lower.state_label,
            lower.deadline, lower.done_on,
        )  # fmt: skip
        reports = session.scalars(
            select(ProgressReport)
            .where(ProgressReport.task_id == lower.id, ProgressReport.office_id == office.id)
            .options(joinedload(ProgressReport.department))
            .order_by(ProgressReport.id.desc())
        ).all()
        work.reports = [_report(r) for r in reports]
        parts = session.scalars(
            select(Task)
            .where(Task.parent_task_id == lower.id, Task.office_id == office.id)
            .options(joinedload(Task.lead_department))
            .order_by(Task.id)
        ).all()
        last = {}
        if parts:
            for row in session.scalars(
                select(ProgressReport)
                .where(ProgressReport.task_id.in_([p.id for p in parts]))
                .options(joinedload(ProgressReport.department))
                .order_by(ProgressReport.id)
            ):
                last[row.task_id] = _report(row)
        work.parts = [
            Part(
                p.code, p.content, p.lead_department.name, p.deadline, p.state_label, last.get(p.id)
            )  # fmt: skip
            for p in parts
        ]
    forget_others(session, task.office_id)
    return work
