"""Every change to a task goes through here, so each one leaves an event behind.

Functions only flush; the caller (request, command, job) commits once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from app.models import Department, Document, Event, Task, TaskTransfer, User
from app.models.documents import DeadlineKind, TaskState
from app.models.history import EventKind

# From these on a task is closed for good (``Task.closed_on``).
CLOSED_STATES = (TaskState.DONE, TaskState.CANCELLED, TaskState.HANDED_OVER)


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot(task: Task) -> dict[str, Any]:
    """The task's visible fields, as stored in an event's ``before``/``after``."""
    return {
        "content": task.content,
        "lead_department_id": task.lead_department_id,
        "cooperating_department_ids": sorted(d.id for d in task.cooperating_departments),
        "deadline_kind": task.deadline_kind,
        "deadline_working_days": task.deadline_working_days,
        "deadline": _iso(task.deadline),
        "state": task.state,
        "done_on": _iso(task.done_on),
        "note": task.note,
    }


def _event(
    session: Session,
    task: Task,
    kind: str,
    effective_on: dt.date,
    by: User | None,
    before: dict | None,
    **fields: Any,
) -> Event:
    event = Event(
        task_id=task.id,
        user_id=by.id if by else None,
        kind=kind,
        effective_on=effective_on,
        before=before,
        after=snapshot(task),
        **fields,
    )
    session.add(event)
    return event


def note(
    session: Session,
    task: Task,
    kind: str,
    *,
    effective_on: dt.date,
    by: User | None,
    details: dict[str, Any],
    comment: str = "",
) -> Event:
    """An event that records something said about the task (a progress report, an extension
    request or refusal) without changing its state or deadline.

    The task's version moves on all the same: whoever is editing it from an older page, or acting
    on it at the same instant, is told it changed instead of writing over it unawares."""
    flag_modified(task, "state")  # an UPDATE of the row: the version is checked and bumped
    event = Event(
        task_id=task.id,
        user_id=by.id if by else None,
        kind=kind,
        effective_on=effective_on,
        after=details,
        comment=comment[:500],
    )
    session.add(event)
    return event


def add_task(
    session: Session,
    document: Document,
    *,
    content: str,
    lead: Department,
    cooperators: Sequence[Department] = (),
    deadline_kind: str = DeadlineKind.DATE,
    deadline: dt.date | None = None,
    working_days: int | None = None,
    written: dt.date | None = None,
    state: str = TaskState.OPEN,
    note: str = "",
    by: User | None = None,
    kind: str = EventKind.CREATED,
    effective_on: dt.date | None = None,
    series_id: int | None = None,
    period: str | None = None,
) -> Task:
    """A new task whose first state and deadline hold from the document's issue date (or from
    ``effective_on``: a recurring duty's period exists from the day it is created).
    ``written`` is the day the document wrote when ``deadline`` is the working day after it."""
    task = Task(
        document=document,
        content=content,
        lead_department=lead,
        cooperating_departments=[d for d in cooperators if d.id != lead.id],
        deadline_kind=deadline_kind,
        deadline_working_days=working_days,
        deadline=deadline,
        original_deadline=deadline,
        deadline_written=written,
        state=state,
        closed_on=document.issued_on if state in CLOSED_STATES else None,
        note=note,
        series_id=series_id,
        period=period,
    )
    session.add(task)
    session.flush()
    _event(
        session,
        task,
        kind,
        effective_on or document.issued_on,
        by,
        None,
        state=state,
        sets_deadline=True,
        deadline=deadline,
    )
    return task


def change_state(
    session: Session,
    task: Task,
    state: str,
    *,
    effective_on: dt.date,
    by: User | None = None,
    comment: str = "",
    cancel_reason: str | None = None,
) -> Event:
    """Move the task to ``state`` from ``effective_on`` (a completion's date for done)."""
    before = snapshot(task)
    task.state = state
    task.done_on = effective_on if state == TaskState.DONE else None
    task.closed_on = effective_on if state in CLOSED_STATES else None
    if cancel_reason is not None:
        task.cancel_reason = cancel_reason
    session.flush()
    return _event(
        session, task, EventKind.STATE, effective_on, by, before, state=state, comment=comment
    )


def change_deadline(
    session: Session,
    task: Task,
    deadline: dt.date | None,
    *,
    effective_on: dt.date,
    deadline_kind: str | None = None,
    working_days: int | None = None,
    by: User | None = None,
    comment: str = "",
    written: dt.date | None = None,
) -> Event:
    """Move the deadline from ``effective_on`` on (an extension's approval date); ``written``
    as for ``add_task``."""
    before = snapshot(task)
    task.deadline = deadline
    task.deadline_written = written
    if deadline_kind is not None:
        task.deadline_kind = deadline_kind
        task.deadline_working_days = working_days
    session.flush()
    return _event(
        session,
        task,
        EventKind.DEADLINE,
        effective_on,
        by,
        before,
        sets_deadline=True,
        deadline=deadline,
        comment=comment,
    )


def would_change(
    task: Task,
    content: str | None,
    lead: Department | None,
    cooperators: Sequence[Department] | None,
    note: str | None,
) -> bool:
    """Whether ``edit_task`` with these values would change the task (a ``Task``, or the
    import's plain ``StoredTask``)."""
    if content is not None and content != task.content:
        return True
    if note is not None and note != task.note:
        return True
    if lead is not None and lead.id != task.lead_department_id:
        return True
    if cooperators is not None:
        lead_id = lead.id if lead is not None else task.lead_department_id
        wanted = sorted(d.id for d in cooperators if d.id != lead_id)
        return wanted != sorted(task.cooperator_ids)
    return False


def _correct_last_transfer(session: Session, task: Task, lead: Department) -> None:
    """A changed lead corrects the period the task is in now: after an organisation change
    handed it over, the receiving unit of that hand-over (the earlier periods keep theirs)."""
    last = session.scalar(
        select(TaskTransfer)
        .where(TaskTransfer.task_id == task.id)
        .order_by(TaskTransfer.id.desc())
        .limit(1)
    )
    if last is not None:
        last.to_department_id = lead.id


def edit_task(
    session: Session,
    task: Task,
    *,
    effective_on: dt.date,
    by: User | None = None,
    content: str | None = None,
    lead: Department | None = None,
    cooperators: Sequence[Department] | None = None,
    note: str | None = None,
) -> Event | None:
    """Change the descriptive fields; returns None when nothing changed (and then touches
    nothing: an import of an unchanged file neither flushes nor dirties its tasks)."""
    if not would_change(task, content, lead, cooperators, note):
        return None
    before = snapshot(task)
    if content is not None:
        task.content = content
    if lead is not None and lead.id != task.lead_department_id:
        _correct_last_transfer(session, task, lead)
        task.lead_department = lead
    if cooperators is not None:
        lead_id = lead.id if lead is not None else task.lead_department_id
        task.cooperating_departments = [d for d in cooperators if d.id != lead_id]
    if note is not None:
        task.note = note
    session.flush()
    if snapshot(task) == before:
        return None
    return _event(session, task, EventKind.EDITED, effective_on, by, before)


def update_task(
    session: Session,
    task: Task,
    *,
    effective_on: dt.date,
    by: User | None,
    content: str,
    lead: Department,
    cooperators: Sequence[Department],
    deadline_kind: str,
    deadline: dt.date | None,
    working_days: int | None,
    note: str | None = None,
    written: dt.date | None = None,
) -> None:
    """An office edit: the descriptive fields, then the deadline if it moved (its own event,
    effective from ``effective_on``)."""
    edit_task(
        session,
        task,
        effective_on=effective_on,
        by=by,
        content=content,
        lead=lead,
        cooperators=cooperators,
        note=note,
    )
    if (task.deadline, task.deadline_kind, task.deadline_written) != (
        deadline,
        deadline_kind,
        written,
    ):
        change_deadline(
            session,
            task,
            deadline,
            effective_on=effective_on,
            deadline_kind=deadline_kind,
            working_days=working_days if deadline_kind == DeadlineKind.WORKING_DAYS else None,
            by=by,
            comment="Sửa thời hạn",
            written=written,
        )
