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
from sqlalchemy.orm import Session

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
    it was done; for an open one: on ``as_of``; a cancelled task counts as without); in one
    statement. ``where`` narrows the tasks with conditions on ``Task`` and ``Document``."""
    statuses = _statuses(_tasks_then(as_of, group, where))
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


def _tasks_then(as_of: dt.date, group: ColumnElement, where: Sequence[ColumnElement[bool]]):
    """(group, task id, state, since, deadline on ``as_of``) of each task issued by then."""

    def last(column, condition):
        return (
            select(column)
            .where(Event.task_id == Task.id, condition, Event.effective_on <= as_of)
            .order_by(Event.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    # A task closed for good by the day (``Task.closed_on``: the day its last recorded state
    # change, closing it, took effect) is in its final state since then: its events are read
    # only for the deadline it was done against.
    closed = and_(Task.closed_on.is_not(None), Task.closed_on <= as_of)
    has_state = Event.state.is_not(None)
    state = case((closed, Task.state), else_=last(Event.state, has_state))
    since = case((closed, Task.closed_on), else_=last(Event.effective_on, has_state))
    deadline = case((closed, None), else_=last(Event.deadline, Event.sets_deadline.is_(True)))
    return (
        select(
            group.label("grp"),
            Task.id.label("task_id"),
            state.label("state"),
            since.label("since"),
            deadline.label("deadline"),
        )
        .join(Document, Task.document_id == Document.id)
        .where(Document.issued_on <= as_of, *where)
        # (OFFSET 0: PostgreSQL computes each row once here instead of pulling the subquery up
        # and repeating its lookups in every expression that uses them)
        .offset(0)
        .subquery("tasks_then")
    )


def _statuses(tasks):
    """(group, state, since, the deadline that counts) of the tasks with a state by then: a
    done task's as it stood on the day it was done, none for a cancelled one."""
    deadline_when_done = (
        select(Event.deadline)
        .where(
            Event.task_id == tasks.c.task_id,
            Event.sets_deadline.is_(True),
            Event.effective_on <= tasks.c.since,
        )
        .order_by(Event.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    deadline = case(
        (tasks.c.state == TaskState.DONE, deadline_when_done),
        (tasks.c.state == TaskState.CANCELLED, None),
        else_=tasks.c.deadline,
    )
    return (
        select(tasks.c.grp, tasks.c.state, tasks.c.since, deadline.label("deadline"))
        .where(tasks.c.state.is_not(None))
        .offset(0)
        .subquery("statuses")
    )
