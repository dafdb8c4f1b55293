"""Choosing what to remind whom about, as of a day. Plain queries, no e-mail here."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, defer, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from app.core.deadlines import WorkCalendar
from app.models import Department, Document, ProgressReport, Task
from app.tasks.queries import open_condition

DUE_SOON_DAYS = 7
# Rows of each part of a digest: the most urgent first, then a link to the unit's whole list.
# Thirty rows a part keep a digest well under the 102 KB after which Gmail clips a message.
DIGEST_ROWS = 30
AFTER_DEADLINE_WINDOW = 30  # days: older late tasks are the digest's and escalation's business


@dataclass
class Digest:
    department: Department
    today: dt.date
    late: list[Task] = field(default_factory=list)  # oldest deadline first
    due_soon: list[Task] = field(default_factory=list)
    unaddressed: list[Task] = field(default_factory=list)  # chưa, no progress report yet

    @property
    def is_empty(self) -> bool:
        return not (self.late or self.due_soon or self.unaddressed)

    def days_late(self, task: Task) -> int:
        return (self.today - task.deadline).days

    @property
    def task_ids(self) -> list[int]:
        return [t.id for t in self.late + self.due_soon + self.unaddressed]


def _open_tasks(session: Session, *conditions) -> list[Task]:
    query = (
        select(Task)
        .join(Document, Task.document_id == Document.id)
        .where(open_condition(), *conditions)
        .options(
            joinedload(Task.document).joinedload(Document.issuer), joinedload(Task.lead_department)
        )
        .order_by(Task.deadline.is_(None), Task.deadline, Task.id)
    )
    return list(session.scalars(query).unique())


def digests(
    session: Session, today: dt.date, department_ids: list[int] | None = None
) -> list[Digest]:
    """Every department's weekly digest (empty ones included), in display order."""
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)
    departments = session.scalars(
        select(Department)
        .where(Department.is_active.is_(True))
        .order_by(Department.display_order, Department.name)
    ).all()
    if department_ids is not None:
        departments = [d for d in departments if d.id in department_ids]
    conditions = [Document.issued_on <= today]
    if department_ids is not None:
        conditions.append(Task.lead_department_id.in_(department_ids))
    # Every open task counts, but a mail shows only the first ``DIGEST_ROWS`` of each part:
    # the tasks are read without their documents, then the documents (with their issuers) of
    # the rows shown, a query for each 500.
    open_tasks = (
        select(Task)
        .join(Document, Task.document_id == Document.id)
        .where(open_condition(), *conditions)
    )
    tasks = list(
        session.scalars(
            open_tasks.options(defer(Task.search_text)).order_by(
                Task.deadline.is_(None), Task.deadline, Task.id
            )
        )
    )
    # The open tasks with a progress report, by a subquery: thousands of ids in an IN (…)
    # cost more to compile than to run, and would pass SQLite's limit of parameters.
    reported = set(
        session.scalars(
            select(ProgressReport.task_id)
            .where(ProgressReport.task_id.in_(open_tasks.with_only_columns(Task.id)))
            .distinct()
        )
    )
    by_department: dict[int, Digest] = {d.id: Digest(d, today) for d in departments}
    for task in tasks:
        digest = by_department.get(task.lead_department_id)
        if digest is None:
            continue
        if task.deadline is not None and task.deadline < today:
            digest.late.append(task)
        elif task.deadline is not None and task.deadline <= soon:
            digest.due_soon.append(task)
        elif task.id not in reported:
            digest.unaddressed.append(task)
    shown = [
        task
        for digest in by_department.values()
        for part in (digest.late, digest.due_soon, digest.unaddressed)
        for task in part[:DIGEST_ROWS]
    ]
    ids = sorted({task.document_id for task in shown})
    documents = {}
    for start in range(0, len(ids), 500):
        query = select(Document).where(Document.id.in_(ids[start : start + 500]))
        documents.update(
            (d.id, d) for d in session.scalars(query.options(joinedload(Document.issuer)))
        )
    for task in shown:  # as a joined load would have set it: no query when the mail reads it
        set_committed_value(task, "document", documents[task.document_id])
    return list(by_department.values())


def due_within(
    session: Session, today: dt.date, calendar: WorkCalendar, working_days: int
) -> list[Task]:
    """Open tasks falling due from today up to ``working_days`` working days ahead."""
    until = calendar.add_working_days(today, working_days)
    return _open_tasks(session, Task.deadline >= today, Task.deadline <= until)


def just_late(session: Session, today: dt.date) -> list[Task]:
    """Open tasks whose deadline has passed in the last few weeks."""
    since = today - dt.timedelta(days=AFTER_DEADLINE_WINDOW)
    return _open_tasks(session, and_(Task.deadline < today, Task.deadline >= since))


def long_late(session: Session, today: dt.date, days: int) -> list[Task]:
    """Open tasks more than ``days`` days past their deadline."""
    return _open_tasks(session, Task.deadline < today - dt.timedelta(days=days))


def by_department(tasks: list[Task]) -> dict[Department, list[Task]]:
    grouped: dict[Department, list[Task]] = defaultdict(list)
    for task in tasks:
        grouped[task.lead_department].append(task)
    return dict(sorted(grouped.items(), key=lambda kv: (kv[0].display_order, kv[0].name)))
