"""What departments and the office do to a task, as plain functions over a session.

Each checks that the step makes sense for the task's state, records the change through
``changes`` (so it leaves events) and flushes; the caller commits.

Two levels (``app.offices.upper_flow``): a completion or extension request on a task taken in
from the office above is the same request on that office's task, in its queue; that office's
decisions (confirm, send back, cancel, decide an extension) come back down to the task taken
in, which its own office no longer decides.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Extension, ProgressReport, Task, User
from app.models.documents import TaskState
from app.models.history import EventKind, ExtensionStatus
from app.offices import upper_flow
from app.tasks import changes
from app.tasks.changes import change_deadline, change_state
from app.tasks.history import approval_comment
from app.web.inputs import deadline_problem


class WorkflowError(Exception):
    """A step that does not apply to the task as it is now; the message is for the user.

    ``field`` names the input at fault when the value given, not the task's state, is the
    problem (the API answers 400 naming it, instead of 409)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def _require_open(task: Task) -> None:
    if task.state == TaskState.HANDED_OVER:
        raise WorkflowError("Nhiệm vụ đã chuyển giao cho cơ quan kế thừa.")
    if task.state in (TaskState.DONE, TaskState.CANCELLED):
        raise WorkflowError("Nhiệm vụ đã kết thúc (hoàn thành hoặc hủy).")


def _decided_above(task: Task) -> None:
    """A task taken in from the office above is decided there, not by its own office."""
    if task.upper_task_id is not None:
        raise WorkflowError(
            "Nhiệm vụ cấp trên giao: Văn phòng cấp trên xác nhận hoàn thành, trả lại, hủy "
            "và quyết định gia hạn."
        )


def _ask_above(session: Session, task: Task, user: User | None, ask) -> None:
    """The same request on the task of the office above ``task`` was taken in from:
    ``ask(upper_task, who)`` within that office (nothing when ``task`` was not taken in)."""
    if task.upper_task_id is None:
        return
    try:
        with upper_flow.asking_above(session, task, user) as (upper, said):
            ask(upper, said)
    except upper_flow.UpperTaskError as error:
        raise WorkflowError(str(error)) from error
    except WorkflowError as error:
        raise WorkflowError(
            f"Văn phòng cấp trên chưa nhận được đề nghị: {error}", error.field
        ) from error


def report_progress(
    session: Session, task: Task, user: User, content: str, today: dt.date
) -> ProgressReport:
    _require_open(task)
    if not content.strip():
        raise WorkflowError("Nội dung báo cáo không được để trống.", "content")
    report = ProgressReport(
        task=task,
        department_id=user.department_id or task.lead_department_id,
        user=user,
        reported_on=today,
        content=content.strip(),
    )
    session.add(report)
    session.flush()
    changes.note(
        session,
        task,
        EventKind.PROGRESS,
        effective_on=today,
        by=user,
        details={"progress_report_id": report.id},
        comment=content.strip(),
    )
    if task.state == TaskState.OPEN:
        change_state(
            session,
            task,
            TaskState.IN_PROGRESS,
            effective_on=today,
            by=user,
            comment="Báo cáo tiến độ",
        )
    session.flush()
    return report


def request_completion(
    session: Session, task: Task, user: User | None, today: dt.date, comment: str = ""
) -> None:
    _require_open(task)
    if task.state == TaskState.AWAITING_CONFIRMATION:
        raise WorkflowError("Nhiệm vụ đang chờ Văn phòng xác nhận hoàn thành.")
    said = comment.strip() or "Đề nghị xác nhận hoàn thành"
    change_state(
        session, task, TaskState.AWAITING_CONFIRMATION, effective_on=today, by=user, comment=said
    )
    _ask_above(
        session,
        task,
        user,
        lambda upper, who: request_completion(session, upper, None, today, f"{who}: {said}"),
    )


def confirm_completion(
    session: Session, task: Task, user: User, done_on: dt.date, today: dt.date
) -> None:
    """The office confirms; the task counts as done from ``done_on`` (not after today)."""
    _require_open(task)
    _decided_above(task)
    if done_on > today:
        raise WorkflowError("Ngày hoàn thành không được sau ngày hôm nay.", "done_on")
    if done_on < task.document.issued_on:
        raise WorkflowError("Ngày hoàn thành không được trước ngày ban hành văn bản.", "done_on")
    change_state(
        session, task, TaskState.DONE, effective_on=done_on, by=user, comment="Xác nhận hoàn thành"
    )
    upper_flow.confirmed_above(session, task, user, done_on)


def send_back(session: Session, task: Task, user: User, reason: str, today: dt.date) -> None:
    if task.state != TaskState.AWAITING_CONFIRMATION:
        raise WorkflowError("Chỉ trả lại được nhiệm vụ đang chờ xác nhận.")
    _decided_above(task)
    if not reason.strip():
        raise WorkflowError("Cần ghi lý do trả lại.", "reason")
    change_state(
        session,
        task,
        TaskState.IN_PROGRESS,
        effective_on=today,
        by=user,
        comment=f"Trả lại: {reason.strip()}",
    )
    upper_flow.sent_back_above(session, task, user, reason, today)


def cancel_task(session: Session, task: Task, user: User, reason: str, today: dt.date) -> None:
    _require_open(task)
    _decided_above(task)
    if not reason.strip():
        raise WorkflowError("Cần ghi lý do hủy nhiệm vụ.", "reason")
    change_state(
        session,
        task,
        TaskState.CANCELLED,
        effective_on=today,
        by=user,
        comment=reason.strip(),
        cancel_reason=reason.strip(),
    )
    upper_flow.cancelled_above(session, task, user, reason, today)


def pending_extension(session: Session, task: Task) -> Extension | None:
    return session.scalar(
        select(Extension).where(
            Extension.task_id == task.id, Extension.status == ExtensionStatus.PENDING
        )
    )


def request_extension(
    session: Session,
    task: Task,
    user: User | None,
    new_deadline: dt.date,
    reason: str,
    today: dt.date,
) -> Extension:
    _require_open(task)
    if pending_extension(session, task) is not None:
        raise WorkflowError("Đã có một đề nghị gia hạn đang chờ duyệt.")
    if not reason.strip():
        raise WorkflowError("Cần ghi lý do gia hạn.", "reason")
    if new_deadline <= today or (task.deadline and new_deadline <= task.deadline):
        raise WorkflowError(
            "Thời hạn mới phải sau hôm nay và sau thời hạn hiện tại.", "new_deadline"
        )
    problem = deadline_problem(new_deadline, task.document.issued_on)
    if problem:
        raise WorkflowError(problem, "new_deadline")
    extension = Extension(
        task=task,
        requested_by=user,
        requested_on=today,
        previous_deadline=task.deadline,
        requested_deadline=new_deadline,
        reason=reason.strip(),
    )
    session.add(extension)
    session.flush()
    changes.note(
        session,
        task,
        EventKind.EXTENSION_REQUESTED,
        effective_on=today,
        by=user,
        details={"extension_id": extension.id, "requested_deadline": new_deadline.isoformat()},
        comment=reason.strip(),
    )
    session.flush()
    _ask_above(
        session,
        task,
        user,
        lambda upper, who: request_extension(
            session, upper, None, new_deadline, f"{who}: {reason.strip()}", today
        ),
    )
    return extension


def granted_problem(task: Task, granted: dt.date) -> str | None:
    """Why the office cannot grant ``granted``: not after the current deadline, or out of the
    bounds of any deadline (before the issue date, decades after it); None if it can."""
    if task.deadline and granted <= task.deadline:
        return f"Ngày gia hạn phải sau thời hạn hiện tại ({task.deadline:%d/%m/%Y})."
    return deadline_problem(granted, task.document.issued_on)


def decide_extension(
    session: Session,
    extension: Extension,
    user: User,
    approve: bool,
    note: str,
    today: dt.date,
    granted: dt.date | None = None,
) -> None:
    """Approval moves the deadline from today on, to the date asked or to ``granted`` (the
    office may grant another); a refusal leaves it where it was. The office's comment is kept
    with the decision and said in the task's history either way."""
    if extension.status != ExtensionStatus.PENDING:
        raise WorkflowError("Đề nghị gia hạn này đã được xử lý.")
    task = extension.task
    _decided_above(task)
    extension.decided_by, extension.decided_on = user, today
    extension.decision_note = note.strip()
    if approve:
        _require_open(task)
        granted = granted or extension.requested_deadline
        problem = granted_problem(task, granted)
        if problem:
            raise WorkflowError(problem, "deadline")
        extension.status = ExtensionStatus.APPROVED
        extension.approved_deadline = granted
        event = change_deadline(
            session,
            task,
            granted,
            effective_on=today,
            by=user,
            deadline_kind="date",
            comment=approval_comment(note.strip()),
        )
        asked = extension.requested_deadline.isoformat()
        event.after = {**event.after, "requested_deadline": asked}  # "(đề nghị …)" when other
    else:
        if not note.strip():
            raise WorkflowError("Cần ghi lý do từ chối gia hạn.", "note")
        extension.status = ExtensionStatus.REFUSED
        changes.note(
            session,
            task,
            EventKind.EXTENSION_DECIDED,
            effective_on=today,
            by=user,
            details={"extension_id": extension.id, "status": "refused"},
            comment=note.strip(),
        )
    session.flush()
    upper_flow.extension_decided_above(
        session, task, user, extension.approved_deadline if approve else None, note, today
    )
