"""What waits for the office: completion requests to confirm or send back, and extension
requests to approve or refuse, oldest first. Plain queries on a session; the queue page, the
dashboard, the top bar and the reminder e-mails all read it from here.

A task taken in from the office above waits for that office, not this one: its requests are
in the queue of the office above (``app.offices.upper_flow``), never here.

Each request and each decision has a stable key (``completion:<event id>``,
``extension:<extension id>``, ``decision:<event id>`` …) so that the e-mails can name each one
once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from app.models import Document, Event, Extension, Task, User
from app.models.documents import TaskState
from app.models.history import EventKind, ExtensionStatus
from app.tasks.history import approval_note, is_approval

COMPLETION, EXTENSION = "completion", "extension"


@dataclass
class Waiting:
    """One request waiting for the office."""

    kind: str  # COMPLETION or EXTENSION
    task: Task
    since: dt.datetime  # when it was asked (UTC)
    by: User | None
    comment: str
    extension: Extension | None = None
    event_id: int | None = None

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.extension.id if self.extension else self.event_id}"

    def waiting_days(self, now: dt.datetime) -> int:
        return max((now - self.since).days, 0)


def _task_options():
    return (
        joinedload(Task.document).joinedload(Document.issuer),
        joinedload(Task.lead_department),
    )


def waiting_for_office(session: Session, department_id: int | None = None) -> list[Waiting]:
    """Every request waiting for the office, the longest-waiting first."""
    asked = (
        select(Event.task_id, func.max(Event.id).label("event_id"))
        .where(Event.kind == EventKind.STATE, Event.state == TaskState.AWAITING_CONFIRMATION)
        .group_by(Event.task_id)
        .subquery()
    )
    query = (
        select(Task, Event)
        .join(asked, asked.c.task_id == Task.id)
        .join(Event, Event.id == asked.c.event_id)
        .where(Task.state == TaskState.AWAITING_CONFIRMATION, Task.upper_task_id.is_(None))
        .options(*_task_options(), joinedload(Event.user))
    )
    if department_id:
        query = query.where(Task.lead_department_id == department_id)
    items = [
        Waiting(COMPLETION, task, event.created_at, event.user, event.comment, event_id=event.id)
        for task, event in session.execute(query).unique()
    ]
    extensions = (
        select(Extension)
        .join(Task, Task.id == Extension.task_id)
        .where(Extension.status == ExtensionStatus.PENDING, Task.upper_task_id.is_(None))
        .options(
            joinedload(Extension.task).options(*_task_options()),
            joinedload(Extension.requested_by),
        )
    )
    if department_id:
        extensions = extensions.where(Task.lead_department_id == department_id)
    items += [
        Waiting(EXTENSION, e.task, e.created_at, e.requested_by, e.reason, extension=e)
        for e in session.scalars(extensions).unique()
    ]
    items.sort(key=lambda w: (w.since, w.key))
    return items


def count_waiting(session: Session) -> int:
    """How many requests wait for the office (two counts on indexed columns)."""
    completions = session.scalar(
        select(func.count(Task.id)).where(
            Task.state == TaskState.AWAITING_CONFIRMATION, Task.upper_task_id.is_(None)
        )
    )
    extensions = session.scalar(
        select(func.count(Extension.id))
        .join(Task, Task.id == Extension.task_id)
        .where(Extension.status == ExtensionStatus.PENDING, Task.upper_task_id.is_(None))
    )
    return (completions or 0) + (extensions or 0)


@dataclass
class Decision:
    """What the office decided on a department's request, for the lead department's head."""

    key: str
    task: Task
    title: str  # "Xác nhận hoàn thành", "Trả lại", "Phê duyệt gia hạn đến …", "Không gia hạn"
    comment: str
    at: dt.datetime


def recent_decisions(session: Session, since: dt.datetime) -> list[Decision]:
    """The office's decisions on requests recorded since ``since``: completions confirmed or
    sent back, extensions approved or refused."""
    out = []
    events = session.scalars(
        select(Event)
        .where(
            Event.created_at >= since,
            Event.kind.in_((EventKind.STATE, EventKind.DEADLINE, EventKind.EXTENSION_DECIDED)),
        )
        .options(joinedload(Event.task).options(*_task_options()))
        .order_by(Event.id)
    )
    for event in events:
        before = event.before or {}
        if event.kind == EventKind.STATE:
            if before.get("state") != TaskState.AWAITING_CONFIRMATION:
                continue  # not a decision on a completion request
            if event.state == TaskState.DONE:
                title = f"Xác nhận hoàn thành (ngày hoàn thành {event.effective_on:%d/%m/%Y})"
                comment = ""
            elif event.state == TaskState.IN_PROGRESS:
                title = "Trả lại, chưa xác nhận hoàn thành"
                comment = event.comment.removeprefix("Trả lại: ")
            else:
                continue
        elif event.kind == EventKind.DEADLINE:
            if not is_approval(event) or not event.deadline:
                continue
            title = f"Đồng ý gia hạn đến {event.deadline:%d/%m/%Y}"
            asked = (event.after or {}).get("requested_deadline")
            if asked and asked != event.deadline.isoformat():
                title += f" (đề nghị {dt.date.fromisoformat(asked):%d/%m/%Y})"
            comment = approval_note(event)
        else:
            title, comment = "Không đồng ý gia hạn", event.comment
        out.append(Decision(f"decision:{event.id}", event.task, title, comment, event.created_at))
    return out
