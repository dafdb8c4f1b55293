"""Task lists, the task page and the actions on it."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.attachments import AttachmentError, attachment_path, save_upload
from app.classification import Category
from app.deadlines import load_calendar, resolve_deadline
from app.extensions import db
from app.formutil import department_choices
from app.i18n import N_
from app.models import Attachment, Department, Document, Extension, Issuer, Task
from app.models.documents import DeadlineKind, TaskState
from app.permissions import (
    can_report_progress,
    can_request_completion,
    can_request_extension,
    can_view_task,
    is_department_user,
    is_office,
    sees_everything,
)
from app.printing import letterhead
from app.settings import load_settings
from app.tasks import workflow
from app.tasks.changes import update_task
from app.tasks.export import tasks_workbook
from app.tasks.forms import (
    CompletionRequestForm,
    ConfirmForm,
    DecisionForm,
    ExtensionRequestForm,
    ProgressForm,
    ReasonForm,
    TaskEditForm,
)
from app.tasks.history import last_event_id, timeline
from app.tasks.queries import SORTS, TaskFilter, all_matching, days_late, task_category, task_page
from app.timeutil import local_today
from app.web import deny

bp = Blueprint("tasks", __name__)

CATEGORY_CHOICES = {
    "late": N_("Chậm tham mưu giải quyết"),
    "pending": N_("Chưa tham mưu giải quyết"),
    "open": N_("Chưa hoàn thành (chậm và chưa)"),
    "done": N_("Đã hoàn thành"),
    "done_on_time": N_("Hoàn thành đúng hạn"),
    "done_late": N_("Hoàn thành quá hạn"),
    "cancelled": N_("Đã hủy"),
}


def _filter_choices():
    # Plain (id, name) rows: the filter only shows them.
    departments = db.session.execute(
        select(Department.id, Department.name).order_by(Department.display_order)
    ).all()
    if not sees_everything(current_user):
        departments = [d for d in departments if d.id == current_user.department_id]
    issuers = db.session.execute(
        select(Issuer.id, Issuer.name).order_by(Issuer.display_order, Issuer.name)
    ).all()
    kinds = [k for k in db.session.scalars(select(Document.kind).distinct()) if k]
    return departments, issuers, sorted(kinds)


def _render_list(flt: TaskFilter, title: str, endpoint: str):
    today = local_today()
    page = task_page(db.session, current_user, flt, today)
    departments, issuers, kinds = _filter_choices()
    return render_template(
        "tasks/list.html",
        page=page,
        flt=flt,
        title=title,
        endpoint=endpoint,
        departments=departments,
        issuers=issuers,
        kinds=kinds,
        sorts=SORTS,
        categories=CATEGORY_CHOICES,
        task_category=task_category,
        days_late=days_late,
    )


@bp.get("/nhiem-vu")
@login_required
def index():
    return _render_list(TaskFilter.from_args(request.args), _("Danh sách nhiệm vụ"), "tasks.index")


@bp.get("/nhiem-vu/qua-han")
@login_required
def overdue():
    flt = TaskFilter.from_args(request.args)
    flt.category = Category.LATE.value
    if "sort" not in request.args:
        flt.sort = "days_late"
    return _render_list(flt, _("Nhiệm vụ chậm tham mưu giải quyết"), "tasks.overdue")


@bp.get("/nhiem-vu/xuat.xlsx")
@login_required
def export():
    today = local_today()
    tasks = all_matching(db.session, current_user, TaskFilter.from_args(request.args), today)
    data = tasks_workbook(tasks, today, letterhead(load_settings(db.session)))
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        download_name=f"nhiem-vu-{today:%Y%m%d}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/don-vi-cua-toi")
@login_required
def my_department():
    if not is_department_user(current_user) or not current_user.department_id:
        deny("my department: not a department user")
    today = local_today()
    flt = TaskFilter(department=None, category="open", sort="days_late")
    page = task_page(db.session, current_user, flt, today, per_page=500)
    tasks = page.items
    return render_template(
        "tasks/my_department.html",
        tasks=tasks,
        department=current_user.department,
        task_category=task_category,
        days_late=days_late,
    )


def _load_task(task_id: int) -> Task:
    task = db.session.scalar(
        select(Task)
        .where(Task.id == task_id)
        .options(
            joinedload(Task.document).joinedload(Document.issuer), joinedload(Task.lead_department)
        )
    )
    if task is None:
        abort(404)
    if not can_view_task(current_user, task):
        deny(f"task {task_id}")
    return task


def _members_may_ask() -> bool:
    return load_settings(db.session).members_may_ask


def _forms(task: Task) -> dict:
    today = local_today()
    version = {"version": task.version, "last_event": last_event_id(db.session, task)}
    return {
        "progress_form": ProgressForm(data=version),
        "completion_form": CompletionRequestForm(data=version),
        "extension_form": ExtensionRequestForm(data=version),
        "confirm_form": ConfirmForm(data={**version, "done_on": today}),
        "send_back_form": ReasonForm(data=version, prefix="back"),
        "cancel_form": ReasonForm(data=version, prefix="cancel"),
        "decision_form": DecisionForm(),
    }


@bp.get("/nhiem-vu/<int:task_id>")
@login_required
def detail(task_id: int):
    task = _load_task(task_id)
    today = local_today()
    extensions = db.session.scalars(
        select(Extension).where(Extension.task_id == task.id).order_by(Extension.id.desc())
    ).all()
    return render_template(
        "tasks/detail.html",
        task=task,
        entries=timeline(db.session, task),
        extensions=extensions,
        category=task_category(task, today),
        days_late=days_late(task, today),
        can_report=can_report_progress(current_user, task),
        can_complete=can_request_completion(current_user, task, _members_may_ask())
        and task.state in (TaskState.OPEN, TaskState.IN_PROGRESS),
        can_extend=can_request_extension(current_user, task, _members_may_ask())
        and workflow.pending_extension(db.session, task) is None
        and not TaskState(task.state).is_closed,
        office=is_office(current_user),
        **_forms(task),
    )


def _stale(task: Task, form) -> bool:
    """True (and a message showing what changed) when the task moved on since the form."""
    try:
        seen = int(form.version.data or 0)
    except ValueError:
        seen = 0
    if seen == task.version:
        return False
    try:
        since = int(form.last_event.data or 0)
    except ValueError:
        since = 0
    changes = timeline(db.session, task, since_event_id=since)
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


def _commit_or_conflict(task: Task) -> bool:
    try:
        db.session.commit()
        return True
    except StaleDataError:
        db.session.rollback()
        flash(
            _("Nhiệm vụ vừa được người khác cập nhật; thao tác của bạn chưa được lưu."), "warning"
        )
        return False


def _act(task_id: int, allowed, form_class, action, success: str, prefix: str = ""):
    task = _load_task(task_id)
    if not allowed(current_user, task):
        deny(f"task {task_id}: {request.endpoint}")
    form = form_class(prefix=prefix) if prefix else form_class()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(url_for("tasks.detail", task_id=task_id))
    if _stale(task, form):
        return redirect(url_for("tasks.detail", task_id=task_id))
    try:
        action(task, form)
    except (workflow.WorkflowError, AttachmentError) as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("tasks.detail", task_id=task_id))
    if _commit_or_conflict(task):
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

    return _act(task_id, can_report_progress, ProgressForm, action, _("Đã gửi báo cáo tiến độ."))


@bp.post("/nhiem-vu/<int:task_id>/de-nghi-hoan-thanh")
@login_required
def request_completion(task_id: int):
    def action(task, form):
        workflow.request_completion(
            db.session, task, current_user, local_today(), form.comment.data or ""
        )

    return _act(
        task_id,
        lambda user, task: can_request_completion(user, task, _members_may_ask()),
        CompletionRequestForm,
        action,
        _("Đã đề nghị Văn phòng xác nhận hoàn thành."),
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
        lambda user, task: can_request_extension(user, task, _members_may_ask()),
        ExtensionRequestForm,
        action,
        _("Đã gửi đề nghị gia hạn."),
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

    return _act(task_id, _office, ConfirmForm, action, _("Đã xác nhận hoàn thành."))


@bp.post("/nhiem-vu/<int:task_id>/tra-lai")
@login_required
def send_back(task_id: int):
    def action(task, form):
        workflow.send_back(db.session, task, current_user, form.reason.data, local_today())

    return _act(task_id, _office, ReasonForm, action, _("Đã trả lại đơn vị."), prefix="back")


@bp.post("/nhiem-vu/<int:task_id>/huy")
@login_required
def cancel(task_id: int):
    def action(task, form):
        workflow.cancel_task(db.session, task, current_user, form.reason.data, local_today())

    return _act(task_id, _office, ReasonForm, action, _("Đã hủy nhiệm vụ."), prefix="cancel")


@bp.post("/gia-han/<int:extension_id>")
@login_required
def decide_extension(extension_id: int):
    extension = db.session.get(Extension, extension_id)
    if extension is None:
        abort(404)
    task = _load_task(extension.task_id)
    if not is_office(current_user):
        deny(f"extension {extension_id}")
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            workflow.decide_extension(
                db.session,
                extension,
                current_user,
                form.decision.data == "approve",
                form.note.data or "",
                local_today(),
            )
            if _commit_or_conflict(task):
                flash(
                    _("Đã phê duyệt gia hạn.")
                    if form.decision.data == "approve"
                    else _("Đã từ chối gia hạn."),
                    "success",
                )
        except workflow.WorkflowError as error:
            db.session.rollback()
            flash(str(error), "danger")
    return redirect(url_for("tasks.detail", task_id=task.id))


@bp.route("/nhiem-vu/<int:task_id>/sua", methods=["GET", "POST"])
@login_required
def edit(task_id: int):
    task = _load_task(task_id)
    if not is_office(current_user):
        deny(f"edit task {task_id}")
    form = TaskEditForm()
    choices = department_choices(
        db.session, [task.lead_department_id, *(d.id for d in task.cooperating_departments)]
    )
    form.lead.choices = choices
    form.cooperators.choices = choices
    conflict = []
    if request.method == "GET":
        form.process(
            data={
                "version": task.version,
                "last_event": last_event_id(db.session, task),
                "content": task.content,
                "lead": task.lead_department_id,
                "cooperators": [d.id for d in task.cooperating_departments],
                "deadline_kind": task.deadline_kind,
                "deadline": task.deadline,
                "working_days": task.deadline_working_days,
                "note": task.note,
            }
        )
    elif form.validate_on_submit():
        if int(form.version.data or 0) != task.version:
            conflict = timeline(db.session, task, since_event_id=int(form.last_event.data or 0))
            flash(
                _(
                    "Nhiệm vụ vừa được người khác cập nhật; thay đổi của bạn chưa được lưu. "
                    "Xem các thay đổi bên dưới, rồi sửa lại trên bản mới nhất."
                ),
                "warning",
            )
            form.version.data, form.last_event.data = task.version, last_event_id(db.session, task)
            return render_template("tasks/edit.html", form=form, task=task, conflict=conflict), 409
        kind = form.deadline_kind.data
        if kind == DeadlineKind.DATE and not form.deadline.data:
            form.deadline.errors.append(_("Chọn ngày của thời hạn."))
        elif kind == DeadlineKind.WORKING_DAYS and not form.working_days.data:
            form.working_days.errors.append(_("Nhập số ngày làm việc."))
        else:
            today = local_today()
            new_deadline = resolve_deadline(
                load_calendar(db.session),
                kind,
                task.document.issued_on,
                form.deadline.data,
                form.working_days.data,
            )
            lead = db.session.get(Department, form.lead.data)
            cooperators = [db.session.get(Department, i) for i in form.cooperators.data]
            update_task(
                db.session,
                task,
                effective_on=today,
                by=current_user,
                content=form.content.data.strip(),
                lead=lead,
                cooperators=cooperators,
                note=(form.note.data or "").strip(),
                deadline_kind=kind,
                deadline=new_deadline,
                working_days=form.working_days.data,
            )
            if _commit_or_conflict(task):
                flash(_("Đã lưu nhiệm vụ."), "success")
                return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/edit.html", form=form, task=task, conflict=conflict)


@bp.get("/tep/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = db.session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    if item.task_id is not None:
        _load_task(item.task_id)  # 403 unless the user may see the task
    elif item.document_id is not None:
        document = db.session.get(Document, item.document_id)
        if not sees_everything(current_user) and not any(
            can_view_task(current_user, t) for t in document.tasks
        ):
            deny(f"attachment {attachment_id}")
    path = attachment_path(item)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        download_name=item.filename,
        mimetype=item.content_type,
        as_attachment=not item.content_type.startswith(("image/", "application/pdf")),
    )


@bp.get("/thoi-han")
@login_required
def compute_deadline():
    """The deadline a form would get, for the document page's live preview."""
    try:
        issued = dt.date.fromisoformat(request.args.get("issued_on", ""))
        kind = request.args.get("kind", "date")
        on = dt.date.fromisoformat(request.args["on"]) if request.args.get("on") else None
        days = int(request.args["days"]) if request.args.get("days") else None
        result = resolve_deadline(load_calendar(db.session), kind, issued, on, days)
    except (ValueError, KeyError):
        return {"error": _("Thiếu hoặc sai ngày ban hành / thời hạn.")}, 400
    return {
        "deadline": result.isoformat() if result else None,
        "text": result.strftime("%d/%m/%Y") if result else _("Thường xuyên"),
    }
