"""Two levels, as the workflow sees them: a request on a task an office took in from the office
above is recorded on that office's task too, and what the office above decides on it comes
back down to the task taken in.

``app.tasks.workflow`` calls these at each step (one place for the pages and the API). The
rows of the other office are written within it (``working_in``), through ``app.tasks.changes``
so that each change leaves its event in the office it belongs to. They name no user: a user
belongs to one office, and the other office's history, queue and archive know only its own;
the words say who asked or decided (the office and the person).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.core.office_scope import all_offices, use_office
from app.models import Extension, Office, Task, User
from app.models.documents import OPEN_STATES, TaskState
from app.models.history import EventKind, ExtensionStatus
from app.tasks import changes
from app.tasks.history import approval_comment


class UpperTaskError(ValueError):
    """A step between two offices that cannot be taken; the message is for the user,
    ``field`` the input at fault when a value given is the problem."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@contextlib.contextmanager
def working_in(session: Session, office_id: int) -> Iterator[None]:
    """Read and write within ``office_id``: what was pending is written first in the office it
    was made in, and what is made inside is written before the office changes back (a new
    row takes the office current when it is written)."""
    session.flush()
    with use_office(office_id):
        yield
        session.flush()


@contextlib.contextmanager
def reading_across(session: Session) -> Iterator[None]:
    """Read across offices (``all_offices``), what was pending written first in its own office:
    a query's autoflush inside would have no office to give a new row."""
    session.flush()
    with all_offices():
        yield


def forget_others(session: Session, office_id: int) -> None:
    """The rows of other offices a cross-office read loaded leave the session: nothing later in
    the request finds them by id without the office's filter."""
    for obj in list(session.identity_map.values()):
        if getattr(obj, "office_id", office_id) != office_id:
            session.expunge(obj)


def who(office: Office | None, user: User | None) -> str:
    """ "Văn phòng HĐND và UBND xã Tân Đoàn (Nguyễn Văn An)": who asked or decided, in words
    the other office reads."""
    name = office.name if office is not None else ""
    if user is None:
        return name
    return f"{name} ({user.full_name})" if name else user.full_name


def upper_task_of(session: Session, task: Task) -> tuple[Task, Office]:
    """The task of the office above that ``task`` was taken in from, while it is still given
    to ``task``'s office (its lead is the unit standing for that office), and that office."""
    office = session.get(Office, task.office_id)
    with reading_across(session):
        upper = session.scalar(
            select(Task).where(Task.id == task.upper_task_id).options(joinedload(Task.document))
        )
    if upper is None or office is None or upper.office_id != office.parent_id:
        raise UpperTaskError("Không tìm thấy nhiệm vụ cấp trên đã giao.")
    if upper.lead_department_id != office.parent_unit_id:
        raise UpperTaskError("Văn phòng cấp trên đã giao nhiệm vụ này cho đơn vị khác.")
    return upper, office


@contextlib.contextmanager
def asking_above(session: Session, task: Task, user: User | None) -> Iterator[tuple[Task, str]]:
    """Within the office above: its task ``task`` was taken in from, and who asks, in words."""
    upper, office = upper_task_of(session, task)
    with working_in(session, upper.office_id):
        yield upper, who(office, user)


def _given_below(session: Session, task: Task) -> list[tuple[Task, Office]]:
    """The open tasks the office ``task`` is given to took it in as (one, as a rule)."""
    with reading_across(session):
        rows = session.execute(
            select(Task, Office)
            .join(Office, Office.id == Task.office_id)
            .where(
                Task.upper_task_id == task.id,
                Office.parent_unit_id == task.lead_department_id,
                Task.state.in_(OPEN_STATES),
            )
            .order_by(Task.id)
        ).all()
    return [(lower, office) for lower, office in rows]


Apply = Callable[[Task, str], None]


def _pass_down(
    session: Session, task: Task, by: User | None, apply: Apply, said: str | None = None
) -> None:
    """``apply(lower, said)`` on each task below ``task``, within its office, and on down;
    ``said``: who decided, in words (``by`` of ``task``'s office when not given)."""
    below = _given_below(session, task)
    if not below:
        return
    if said is None:
        said = who(session.get(Office, task.office_id), by)
    for lower, office in below:
        with working_in(session, office.id):
            apply(lower, said)
        _pass_down(session, lower, None, apply, office.name)


def confirmed_above(session: Session, task: Task, by: User | None, done_on: dt.date) -> None:
    def apply(lower: Task, said: str) -> None:
        changes.change_state(
            session, lower, TaskState.DONE, effective_on=done_on, by=None, comment=said
        )

    _pass_down(session, task, by, apply)


def sent_back_above(session: Session, task: Task, by: User | None, reason: str, today) -> None:
    def apply(lower: Task, said: str) -> None:
        if lower.state == TaskState.AWAITING_CONFIRMATION:
            changes.change_state(
                session,
                lower,
                TaskState.IN_PROGRESS,
                effective_on=today,
                by=None,
                comment=f"Trả lại: {said}: {reason.strip()}",
            )

    _pass_down(session, task, by, apply)


def cancelled_above(session: Session, task: Task, by: User | None, reason: str, today) -> None:
    def apply(lower: Task, said: str) -> None:
        words = f"{said}: {reason.strip()}"
        changes.change_state(
            session,
            lower,
            TaskState.CANCELLED,
            effective_on=today,
            by=None,
            comment=words,
            cancel_reason=words,
        )

    _pass_down(session, task, by, apply)


def extension_decided_above(
    session: Session,
    task: Task,
    by: User | None,
    granted: dt.date | None,
    note: str,
    today: dt.date,
) -> None:
    """The office above approved (``granted``: the new deadline) or refused (None) an
    extension: the request below, if one waits, is decided the same way; an approval moves
    the deadline below either way."""

    def apply(lower: Task, said: str) -> None:
        words = f"{said}: {note.strip()}" if note.strip() else said
        pending = session.scalar(
            select(Extension).where(
                Extension.task_id == lower.id, Extension.status == ExtensionStatus.PENDING
            )
        )
        if pending is not None:
            pending.decided_by, pending.decided_on, pending.decision_note = None, today, words
        if granted is None:
            if pending is not None:
                pending.status = ExtensionStatus.REFUSED
                details = {"extension_id": pending.id, "status": "refused"}
                changes.note(
                    session,
                    lower,
                    EventKind.EXTENSION_DECIDED,
                    effective_on=today,
                    by=None,
                    details=details,
                    comment=words,
                )
            return
        if pending is not None:
            pending.status, pending.approved_deadline = ExtensionStatus.APPROVED, granted
        if lower.deadline != granted:
            event = changes.change_deadline(
                session,
                lower,
                granted,
                effective_on=today,
                by=None,
                deadline_kind="date",
                comment=approval_comment(words),
            )
            if pending is not None:
                asked = pending.requested_deadline.isoformat()
                event.after = {**event.after, "requested_deadline": asked}

    _pass_down(session, task, by, apply)
