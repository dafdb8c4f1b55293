"""What a task is as of a date: the one rule every report, list and reminder uses.

As of date D, only tasks whose document was issued on or before D count. Such a task
that was not done or cancelled by D is *chậm* (late) when its deadline, as it stood on
D, is before D, and *chưa* (not yet addressed) otherwise. A done task is on time or
late by comparing its completion date with the deadline as it stood on that date.
Everything is read from the task's events, so a past date gives what was true then.

A task its office handed over to a successor office when it ended (``TaskState.HANDED_OVER``,
``app.offices.handover``) counts no more in that office from the day it was handed over: it is
neither open, nor done, nor cancelled there (the successor's copy counts from that day on);
every earlier date keeps what it said.
"""

from __future__ import annotations

import datetime as dt
import enum
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from operator import itemgetter

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.core.units_as_of import lead_then
from app.models import Document, Event, Task, TaskTransfer
from app.models.documents import OPEN_STATES, TaskState

EVENT_BATCH = 5000  # rows of events read at a time by ``open_counts_on``


class Category(enum.StrEnum):
    LATE = "late"  # chậm tham mưu giải quyết
    PENDING = "pending"  # chưa tham mưu giải quyết
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    CANCELLED = "cancelled"
    # Today's category of a task handed over to a successor office (``tasks.queries``); as of
    # any date ``classify`` leaves such a task out instead.
    HANDED_OVER = "handed_over"

    @property
    def label(self) -> str:
        return CATEGORY_LABELS[self]

    @property
    def short_label(self) -> str:
        return CATEGORY_SHORT_LABELS[self]

    @property
    def is_open(self) -> bool:
        return self in (Category.LATE, Category.PENDING)


CATEGORY_LABELS = {
    Category.LATE: N_("Chậm tham mưu giải quyết"),
    Category.PENDING: N_("Chưa tham mưu giải quyết"),
    Category.DONE_ON_TIME: N_("Hoàn thành đúng hạn"),
    Category.DONE_LATE: N_("Hoàn thành quá hạn"),
    Category.CANCELLED: N_("Đã hủy"),
    Category.HANDED_OVER: N_("Đã chuyển giao cho cơ quan khác"),
}

CATEGORY_SHORT_LABELS = {
    Category.LATE: N_("Chậm"),
    Category.PENDING: N_("Chưa"),
    Category.DONE_ON_TIME: N_("Đúng hạn"),
    Category.DONE_LATE: N_("Xong quá hạn"),
    Category.CANCELLED: N_("Hủy"),
    Category.HANDED_OVER: N_("Chuyển giao"),
}


@dataclass(frozen=True)
class Change:
    """A state or deadline change, effective from ``effective_on``."""

    effective_on: dt.date
    state: str | None = None
    sets_deadline: bool = False
    deadline: dt.date | None = None


@dataclass
class Timeline:
    """The history of one task that classification needs, changes in the order recorded.

    On a given day the state (and the deadline) is the one set by the change recorded
    last among those already in effect that day, so a completion entered today with an
    earlier completion date overrides a progress report entered in between.
    """

    issued_on: dt.date
    lead_department_id: int | None = None
    changes: list[Change] = field(default_factory=list)

    def state_on(self, day: dt.date) -> tuple[str | None, dt.date | None]:
        """The state holding on ``day`` and the date it took effect."""
        for change in reversed(self.changes):
            if change.state is not None and change.effective_on <= day:
                return change.state, change.effective_on
        return None, None

    def deadline_on(self, day: dt.date) -> dt.date | None:
        for change in reversed(self.changes):
            if change.sets_deadline and change.effective_on <= day:
                return change.deadline
        return None


@dataclass(frozen=True)
class Status:
    category: Category
    deadline: dt.date | None  # as it stood on the as-of date (or on completion)
    done_on: dt.date | None = None
    days_late: int = 0  # calendar days past the deadline, for chậm and done late
    # The unit that led the task on the as-of date, where the query read it (not compared).
    lead_id: int | None = field(default=None, compare=False)


def classify(timeline: Timeline, as_of: dt.date) -> Status | None:
    """The task's status as of ``as_of``; None when its document was not yet issued."""
    if timeline.issued_on > as_of:
        return None
    state, since = timeline.state_on(as_of)
    if state is None:
        return None  # not created yet by then (a recurring duty's later period)
    if state == TaskState.HANDED_OVER:
        return None  # gone on in a successor office from that day
    if state == TaskState.CANCELLED:
        return Status(Category.CANCELLED, timeline.deadline_on(as_of))
    if state == TaskState.DONE:
        deadline = timeline.deadline_on(since)
        if deadline is not None and since > deadline:
            return Status(Category.DONE_LATE, deadline, since, (since - deadline).days)
        return Status(Category.DONE_ON_TIME, deadline, since)
    deadline = timeline.deadline_on(as_of)
    if deadline is not None and deadline < as_of:
        return Status(Category.LATE, deadline, days_late=(as_of - deadline).days)
    return Status(Category.PENDING, deadline)


def load_timelines(
    session: Session,
    as_of: dt.date,
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[int, Timeline]:
    """Timelines of the tasks issued on or before ``as_of``, cut at ``as_of``, in two queries.

    A timeline's ``lead_department_id`` is the unit that led the task on ``as_of``. ``where``
    narrows the tasks with conditions on ``Task`` and ``Document``.
    """
    conditions = [Document.issued_on <= as_of, *where]
    task_query = (
        select(Task.id, Document.issued_on, lead_then(as_of))
        .join(Document, Task.document_id == Document.id)
        .where(*conditions)
    )
    timelines = {
        task_id: Timeline(issued_on, lead_id)
        for task_id, issued_on, lead_id in session.execute(task_query)
    }
    if not timelines:
        return timelines
    event_query = (
        select(Event.task_id, Event.effective_on, Event.state, Event.sets_deadline, Event.deadline)
        .join(Task, Task.id == Event.task_id)
        .join(Document, Task.document_id == Document.id)
        .where(
            *conditions,
            Event.effective_on <= as_of,
            or_(Event.state.is_not(None), Event.sets_deadline.is_(True)),
        )
        .order_by(Event.id)
    )
    for task_id, effective_on, state, sets_deadline, deadline in session.execute(event_query):
        timelines[task_id].changes.append(Change(effective_on, state, sets_deadline, deadline))
    return timelines


def classify_tasks(
    session: Session,
    as_of: dt.date,
    where: Sequence[ColumnElement[bool]] = (),
) -> dict[int, tuple[Timeline, Status]]:
    """Timeline and status as of ``as_of`` of every task issued by then."""
    result = {}
    for task_id, timeline in load_timelines(session, as_of, where).items():
        status = classify(timeline, as_of)
        if status is not None:
            result[task_id] = (timeline, status)
    return result


def _open_as_of(as_of: dt.date, where: Sequence[ColumnElement[bool]]):
    """(task id, lead unit then, deadline as it stood) of the tasks open as of ``as_of``.

    The same rule as ``classify``, evaluated by the database: the state and the deadline on
    the day are those of the last recorded event in effect by then (highest event id among
    those with ``effective_on`` on or before the day). Tasks closed for good by that day
    (``closed_on``) are skipped without reading their events.
    """

    def last(column, condition):
        return (
            select(column)
            .where(Event.task_id == Task.id, condition, Event.effective_on <= as_of)
            .order_by(Event.id.desc())
            .limit(1)
            .scalar_subquery()
        )

    state_then = last(Event.state, Event.state.is_not(None))
    deadline_then = last(Event.deadline, Event.sets_deadline.is_(True))
    return (
        select(
            Task.id,
            lead_then(as_of).label("lead_department_id"),
            deadline_then.label("deadline"),
        )
        .join(Document, Task.document_id == Document.id)
        .where(
            Document.issued_on <= as_of,
            or_(Task.closed_on.is_(None), Task.closed_on > as_of),
            *where,
            state_then.in_(OPEN_STATES),
        )
        .subquery("open_then")
    )


def open_counts(
    session: Session, as_of: dt.date, where: Sequence[ColumnElement[bool]] = ()
) -> dict[tuple[Category, int], int]:
    """How many tasks are chậm and chưa as of ``as_of``, per lead department, in one query."""

    rows = _open_as_of(as_of, where)
    late = and_(rows.c.deadline.is_not(None), rows.c.deadline < as_of)
    query = select(
        rows.c.lead_department_id,
        func.sum(case((late, 1), else_=0)),
        func.sum(case((late, 0), else_=1)),
    ).group_by(rows.c.lead_department_id)
    counts: dict[tuple[Category, int], int] = {}
    for department_id, late_count, pending_count in session.execute(query):
        counts[(Category.LATE, department_id)] = int(late_count or 0)
        counts[(Category.PENDING, department_id)] = int(pending_count or 0)
    return counts


def open_statuses(
    session: Session, as_of: dt.date, where: Sequence[ColumnElement[bool]] = ()
) -> dict[int, Status]:
    """Status as of ``as_of`` of the tasks chậm or chưa that day, from the database."""
    rows = _open_as_of(as_of, where)
    query = select(rows.c.id, rows.c.deadline, rows.c.lead_department_id)
    out = {}
    for task_id, deadline, lead in session.execute(query):
        if deadline is not None and deadline < as_of:
            out[task_id] = Status(
                Category.LATE, deadline, days_late=(as_of - deadline).days, lead_id=lead
            )
        else:
            out[task_id] = Status(Category.PENDING, deadline, lead_id=lead)
    return out


def open_counts_on(
    session: Session, days: Sequence[dt.date], where: Sequence[ColumnElement[bool]] = ()
) -> dict[dt.date, dict[tuple[Category, int], int]]:
    """``open_counts`` as of each of ``days`` (the monthly trend): two queries (the candidate
    tasks' transfers, their state and deadline events in recorded order) and one pass over
    the events in Python.

    The same rule, read as intervals: a state (or deadline) event is the one in effect on day D
    from its ``effective_on`` until the earliest ``effective_on`` among the events of its kind
    recorded after it; walking a task's events from the last recorded back, each one fills the
    days from its ``effective_on`` up to where a later one took over. The task is open on D when
    it was issued by D, not closed for good by D (``closed_on``) and its state on D is an open
    state, and chậm when its deadline on D is before D, counted under the unit that led it on D
    (``lead_then``). Only the tasks not closed for good by the first day are read.
    """
    if not days:
        return {}
    ordered = sorted(set(days))
    first, last = ordered[0], ordered[-1]
    # No condition on the issue date (the planner then starts from the tasks not closed).
    candidates = (
        select(Task.id)
        .join(Document, Task.document_id == Document.id)
        .where(or_(Task.closed_on.is_(None), Task.closed_on > first), *where)
    )
    moves = _transfers_of(session, candidates)
    # A task closed for good on a day counts on no day from then (as in ``open_counts``), so
    # its events in effect from that day on (its closing ones) are not read. A task with no
    # event read is open on no day.
    events = (
        candidates.with_only_columns(
            Task.id,
            Task.lead_department_id,
            Document.issued_on,
            Task.closed_on,
            Event.effective_on,
            Event.state,
            Event.sets_deadline,
            Event.deadline,
        )
        .join(Event, Event.task_id == Task.id)
        .where(
            Event.effective_on <= last,
            or_(Task.closed_on.is_(None), Event.effective_on < Task.closed_on),
            or_(Event.state.is_not(None), Event.sets_deadline.is_(True)),
        )
        .order_by(Task.id, Event.id)
    )
    counts: dict[dt.date, dict[tuple[Category, int], int]] = {d: {} for d in ordered}
    n = len(ordered)
    open_states = frozenset(OPEN_STATES)
    states: list[str | None] = [None] * n
    deadlines: list[dt.date | None] = [None] * n
    # Read in batches, a task at a time: all at once, the 93,000 rows of 200,000 tasks' year
    # took 57 MB more in the worker.
    rows = session.execute(events).yield_per(EVENT_BATCH)
    for task_id, task_rows in groupby(rows, itemgetter(0)):
        history = list(task_rows)
        _, lead, issued_on, closed_on = history[0][:4]
        state_bound, deadline_bound = _fill_days(history, ordered, states, deadlines)
        task_moves = moves.get(task_id)
        until = n if closed_on is None else bisect_left(ordered, closed_on)
        for k in range(max(bisect_left(ordered, issued_on), state_bound), until):
            if states[k] not in open_states:
                continue
            day = ordered[k]
            # Before deadline_bound no deadline is set yet, whatever the list still holds.
            deadline = deadlines[k] if k >= deadline_bound else None
            key = (
                Category.LATE if deadline is not None and deadline < day else Category.PENDING,
                _lead_on(task_moves, day) if task_moves else lead,
            )
            counted = counts[day]
            counted[key] = counted.get(key, 0) + 1
    out: dict[dt.date, dict[tuple[Category, int], int]] = {d: {} for d in days}
    for day in days:  # both categories of every unit counted that day, 0 for none
        for unit in {unit for _, unit in counts[day]}:
            out[day][(Category.LATE, unit)] = counts[day].get((Category.LATE, unit), 0)
            out[day][(Category.PENDING, unit)] = counts[day].get((Category.PENDING, unit), 0)
    return out


def _fill_days(history, ordered, states: list, deadlines: list) -> tuple[int, int]:
    """One task's state and deadline on each of the ``ordered`` days, written into ``states``
    and ``deadlines`` from the first day an event of its kind set (returned: before it, the
    lists hold another task's values)."""
    n = len(ordered)
    state_bound = deadline_bound = n  # the days from here on are set by later events
    # From the last recorded event back: each one sets the days until a later one did.
    for *_, effective_on, state, sets_deadline, deadline in reversed(history):
        start = bisect_left(ordered, effective_on)
        if state is not None and start < state_bound:
            states[start:state_bound] = [state] * (state_bound - start)
            state_bound = start
        if sets_deadline and start < deadline_bound:
            deadlines[start:deadline_bound] = [deadline] * (deadline_bound - start)
            deadline_bound = start
    return state_bound, deadline_bound


def _transfers_of(session: Session, candidates) -> dict[int, list[tuple[dt.date, int, int]]]:
    """The transfers of the tasks ``candidates`` selects, by task, in recorded order."""
    moves: dict[int, list[tuple[dt.date, int, int]]] = {}
    transfers = (
        candidates.with_only_columns(
            TaskTransfer.task_id,
            TaskTransfer.effective_on,
            TaskTransfer.from_department_id,
            TaskTransfer.to_department_id,
        )
        .join(TaskTransfer, TaskTransfer.task_id == Task.id)
        .order_by(TaskTransfer.id)
    )
    for task_id, effective_on, from_id, to_id in session.execute(transfers):
        moves.setdefault(task_id, []).append((effective_on, from_id, to_id))
    return moves


def _lead_on(moves: list[tuple[dt.date, int, int]], day: dt.date) -> int:
    """``lead_then`` from a task's transfers in recorded order (effective on, from, to): the
    receiving unit of the last one in effect by ``day``, else the unit the first one took the
    task from."""
    for effective_on, _, to_id in reversed(moves):
        if effective_on <= day:
            return to_id
    return moves[0][1]
