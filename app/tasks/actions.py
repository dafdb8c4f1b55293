"""The actions on a task page: progress, completion, extension, confirmation, send back,
cancel, extension decisions. Each refuses a stale form with what changed since."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from app.core.attachments import AttachmentError, save_upload
from app.core.permissions import (
    can_report_progress,
    can_request_completion,
    can_request_extension,
    is_office,
)
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Extension, Task
from app.tasks import workflow
from app.tasks.blueprint import bp, load_task, members_may_ask
from app.tasks.forms import (
    CancelForm,
    CompletionRequestForm,
    ConfirmForm,
    DecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    SendBackForm,
)
from app.tasks.history import HISTORY_PAGE, timeline
from app.tasks.page import task_page
from app.web.inputs import positive_int
from app.web.wiring import deny


def _stale(task: Task, form) -> bool:
    """True (and a message showing what changed) when the task moved on since the form."""
    seen = positive_int(form.version.data) or 0
    if seen == task.version:
        return False
    since = positive_int(form.last_event.data) or 0
    changes = timeline(db.session, task, since_event_id=since, limit=HISTORY_PAGE)
    described = []
    for entry in changes:
        who = entry.event.user.full_name if entry.event.user else _("hệ thống")
        details = "; ".join(f"{label}: {old} → {new}" for label, old, new in entry.changes)
        described.append(f"{entry.title} ({who}){': ' + details if details else ''}")
    flash(
        _(
            "Nhiệm vụ vừa được người khác cập nhật nên thao tác của bạn chưa được lưu. "
            "Thay đổi mới: %(changes)s. Hãy xem lại rồi thực hiện lại.",
            changes=" | ".join(described) or _("không rõ"),
        ),
        "warning",
    )
    return True


def commit_or_conflict(task: Task) -> bool:
    try:
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        flash(
            _("Nhiệm vụ vừa được người khác cập nhật; thao tác của bạn chưa được lưu."), "warning"
        )
        return False


def _refused(task: Task, name: str, form, error: workflow.WorkflowError | None = None):
    """The task page again with ``form`` as it was sent, the fault marked on its field; a
    refusal that is about the task, not a value typed, stays a message at the top."""
    if error is not None:
        if error.field is None or error.field not in form:
            flash(str(error), "danger")
            return redirect(url_for("tasks.detail", task_id=task.id))
        form[error.field].errors = [str(error)]
    return task_page(task, (name, form))


def _act(task_id: int, allowed, form_class, action, success: str, name: str, prefix: str = ""):
    task = load_task(task_id)
    if not allowed(current_user, task):
        deny(f"task {task_id}: {request.endpoint}")
    form = form_class(prefix=prefix) if prefix else form_class()
    if not form.validate_on_submit():
        return _refused(task, name, form)
    if _stale(task, form):
        return redirect(url_for("tasks.detail", task_id=task_id))
    try:
        action(task, form)
    except AttachmentError as error:
        db.session.rollback()
        return _refused(task, name, form, workflow.WorkflowError(str(error), "files"))
    except workflow.WorkflowError as error:
        db.session.rollback()
        return _refused(task, name, form, error)
    if commit_or_conflict(task):
        flash(success, "success")
    return redirect(url_for("tasks.detail", task_id=task_id))


@bp.post("/nhiem-vu/<int:task_id>/tien-do")
@login_required
def report_progress(task_id: int):
    def action(task, form):
        report = workflow.report_progress(
            db.session, task, current_user, form.content.data, local_today()
        )
        for upload in form.files.data or []:
            if upload and upload.filename:
                db.session.add(
                    save_upload(upload, current_user, task_id=task.id, progress_report_id=report.id)
                )

    return _act(
        task_id,
        can_report_progress,
        ProgressForm,
        action,
        _("Đã gửi báo cáo tiến độ."),
        "progress_form",
    )


@bp.post("/nhiem-vu/<int:task_id>/de-nghi-hoan-thanh")
@login_required
def request_completion(task_id: int):
    def action(task, form):
        workflow.request_completion(
            db.session, task, current_user, local_today(), form.comment.data or ""
        )

    return _act(
        task_id,
        lambda user, task: can_request_completion(user, task, members_may_ask()),
        CompletionRequestForm,
        action,
        _("Đã đề nghị Văn phòng xác nhận hoàn thành."),
        "completion_form",
    )


@bp.post("/nhiem-vu/<int:task_id>/gia-han")
@login_required
def request_extension(task_id: int):
    def action(task, form):
        workflow.request_extension(
            db.session, task, current_user, form.new_deadline.data, form.reason.data, local_today()
        )

    return _act(
        task_id,
        lambda user, task: can_request_extension(user, task, members_may_ask()),
        ExtensionRequestForm,
        action,
        _("Đã gửi đề nghị gia hạn."),
        "extension_form",
    )


def _office(user, _task) -> bool:
    return is_office(user)


@bp.post("/nhiem-vu/<int:task_id>/xac-nhan")
@login_required
def confirm(task_id: int):
    def action(task, form):
        workflow.confirm_completion(
            db.session, task, current_user, form.done_on.data, local_today()
        )

    return _act(task_id, _office, ConfirmForm, action, _("Đã xác nhận hoàn thành."), "confirm_form")


@bp.post("/nhiem-vu/<int:task_id>/tra-lai")
@login_required
def send_back(task_id: int):
    def action(task, form):
        workflow.send_back(db.session, task, current_user, form.reason.data, local_today())

    return _act(
        task_id, _office, SendBackForm, action, _("Đã trả lại đơn vị."), "send_back_form", "back"
    )


@bp.post("/nhiem-vu/<int:task_id>/huy")
@login_required
def cancel(task_id: int):
    def action(task, form):
        workflow.cancel_task(db.session, task, current_user, form.reason.data, local_today())

    return _act(
        task_id, _office, CancelForm, action, _("Đã hủy nhiệm vụ."), "cancel_form", "cancel"
    )


@bp.post("/gia-han/<int:extension_id>")
@login_required
def decide_extension(extension_id: int):
    extension = db.session.get(Extension, extension_id)
    if extension is None:
        abort(404)
    task = load_task(extension.task_id)
    if not is_office(current_user):
        deny(f"extension {extension_id}")
    form = DecisionForm()
    if not form.validate_on_submit():
        return _refused(task, "decision_form", form)
    approve = form.decision.data == "approve"
    try:
        workflow.decide_extension(
            db.session,
            extension,
            current_user,
            approve,
            form.note.data or "",
            local_today(),
            form.deadline.data if approve else None,
        )
    except workflow.WorkflowError as error:
        db.session.rollback()
        return _refused(task, "decision_form", form, error)
    if commit_or_conflict(task):
        flash(_("Đã phê duyệt gia hạn.") if approve else _("Đã từ chối gia hạn."), "success")
    return redirect(url_for("tasks.detail", task_id=task.id))
