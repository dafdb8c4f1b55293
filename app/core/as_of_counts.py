"""Every category of the as-of rule counted by the database, grouped by any column.

``classification.classify`` read as SQL, for tables that count many tasks of every category
(the province's table across its communes): as of date D, a task whose document was issued by
D is in the state set by its last recorded state event in effect by D (the highest event id
among those with ``effective_on`` on or before D), since that event's ``effective_on``.
Cancelled: *hủy*. Done: late when that day is after the deadline as it stood on that day (the
last recorded deadline event in effect by then), on time otherwise. Open: *chậm* when the
deadline as it stood on D is before D, *chưa* otherwise. A task with no state event in effect
by D (a recurring duty's later period) is not counted. ``tests/test_province_table.py`` checks
it against ``classify`` on generated histories.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.orm import Session, aliased

from app.core.classification import Category
from app.models import Document, Event, Task
from app.models.documents import TaskState


def category_counts(
    session: Session,
    as_of: dt.date,
    group: ColumnElement,
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[tuple[object, Category, bool], int]:
    """How many tasks are in each category as of ``as_of``, per value of ``group`` (an
    expression on ``Task``) and whether the task had a deadline (for a done task: on the day
    it was done; otherwise on ``as_of``); in one statement. ``where`` narrows the tasks with
    conditions on ``Task`` and ``Document``."""

    def last_event(column, condition, day):
        return (
            select(column)
            .where(Event.task_id == Task.id, condition, Event.effective_on <= day)
            .order_by(Event.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    tasks = (
        select(
            Task.id.label("task_id"),
            group.label("grp"),
            last_event(Event.id, Event.state.is_not(None), as_of).label("state_event"),
            last_event(Event.deadline, Event.sets_deadline.is_(True), as_of).label("deadline"),
        )
        .join(Document, Task.document_id == Document.id)
        .where(Document.issued_on <= as_of, *where)
        .subquery("tasks_then")
    )
    state = aliased(Event, name="state_event")
    earlier = aliased(Event, name="deadline_event")
    # A done task's deadline as it stood on the day it was done.
    deadline_when_done = (
        select(earlier.deadline)
        .where(
            earlier.task_id == tasks.c.task_id,
            earlier.sets_deadline.is_(True),
            earlier.effective_on <= state.effective_on,
        )
        .order_by(earlier.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    deadline = case((state.state == TaskState.DONE, deadline_when_done), else_=tasks.c.deadline)
    statuses = (
        select(
            tasks.c.grp,
            state.state.label("state"),
            state.effective_on.label("since"),
            deadline.label("deadline"),
        )
        .select_from(tasks)
        .join(state, state.id == tasks.c.state_event)
        .subquery("statuses")
    )
    has_deadline = statuses.c.deadline.is_not(None)
    done_late = and_(has_deadline, statuses.c.since > statuses.c.deadline)
    done = case((done_late, Category.DONE_LATE.value), else_=Category.DONE_ON_TIME.value)
    category = case(
        (statuses.c.state == TaskState.CANCELLED, Category.CANCELLED.value),
        (statuses.c.state == TaskState.DONE, done),
        (and_(has_deadline, statuses.c.deadline < as_of), Category.LATE.value),
        else_=Category.PENDING.value,
    )
    query = select(
        statuses.c.grp, category.label("category"), has_deadline.label("dated"), func.count()
    ).group_by(statuses.c.grp, category, has_deadline)
    return {
        (grp, Category(name), bool(dated)): int(n) for grp, name, dated, n in session.execute(query)
    }
