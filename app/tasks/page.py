"""The task page, its attachments and the live deadline preview of the forms."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.attachments import send_stored
from app.core.deadlines import (
    MAX_WORKING_DAYS,
    load_calendar,
    moved_text,
    resolve_deadline,
    written_if_moved,
)
from app.core.permissions import (
    can_report_progress,
    can_request_completion,
    can_request_extension,
    can_view_task,
    is_office,
    leads,
    sees_everything,
)
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Attachment, Document, Extension, ProgressReport, Series, Task
from app.models.documents import DeadlineKind, TaskState
from app.models.people import Role
from app.offices import sides, sub_tasks
from app.offices.handover import links_of
from app.recurring.series import series_tasks_of, upcoming
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
from app.tasks.history import history_page, last_event_id
from app.tasks.queries import days_late, task_category
from app.web.forms import parse_date
from app.web.inputs import positive_int
from app.web.wiring import deny


def _forms(task: Task, pending: Extension | None) -> dict:
    """The page's forms as the task is now. Never bound to the request: when the page answers
    a refused form, the others must not read its post (they would lose the task's version and
    their defaults, and the next one sent would be taken for a stale page)."""
    today = local_today()
    version = {"version": task.version, "last_event": last_event_id(db.session, task)}
    fresh = {"formdata": None}
    decision = {"deadline": pending.requested_deadline} if pending else {}
    return {
        "progress_form": ProgressForm(data=version, **fresh),
        "completion_form": CompletionRequestForm(data=version, **fresh),
        "extension_form": ExtensionRequestForm(data=version, **fresh),
        "confirm_form": ConfirmForm(data={**version, "done_on": today}, **fresh),
        "send_back_form": SendBackForm(data=version, prefix="back", **fresh),
        "cancel_form": CancelForm(data=version, prefix="cancel", **fresh),
        # At most one extension is pending: its form shows the date asked, to grant or change.
        "decision_form": DecisionForm(data=decision, **fresh),
    }


def _requests_note(task: Task, members_may: bool) -> str | None:
    """For a member of the lead unit, where the completion and extension forms would be:
    "head" (the unit's head sends them) or "members" (the office's setting lets members)."""
    if current_user.role != Role.DEPARTMENT_MEMBER or not leads(current_user, task):
        return None
    if TaskState(task.state).is_closed:
        return None
    return "members" if members_may else "head"


@bp.get("/nhiem-vu/<int:task_id>")
@login_required
def detail(task_id: int):
    return task_page(load_task(task_id))


def task_page(task: Task, refused: tuple[str, object] | None = None):
    """The task page; ``refused`` is (its name on the page, the form) of a form sent back
    with errors: shown with what was typed, its fields marked, and the summary at the top
    linking to them (the base template summarises ``form``), answered 400."""
    today = local_today()
    extensions = db.session.scalars(
        select(Extension).where(Extension.task_id == task.id).order_by(Extension.id.desc())
    ).all()
    before = positive_int(request.args.get("truoc"))  # an older page of the history
    history = history_page(db.session, task, before)
    series = periods = upcoming_periods = None
    if task.series_id:
        series = db.session.get(Series, task.series_id)
        periods = series_tasks_of(series)
        upcoming_periods = upcoming(series, today, 3, load_calendar(db.session))
    members_may = members_may_ask()
    pending = workflow.pending_extension(db.session, task)
    parent = None
    if task.parent_task_id:
        parent = db.session.scalar(select(Task).where(Task.id == task.parent_task_id))
    received_from, handed_to = links_of(db.session, task)
    forms = _forms(task, pending)
    if refused is not None:
        forms[refused[0]] = forms["form"] = refused[1]
    page = render_template(
        "tasks/detail.html",
        task=task,
        entries=history.entries,
        history=history,
        series=series,
        periods=periods,
        upcoming_periods=upcoming_periods,
        extensions=extensions,
        category=task_category(task, today),
        days_late=days_late(task, today),
        can_report=can_report_progress(current_user, task) and task.state != TaskState.HANDED_OVER,
        received_from=received_from,
        handed_to=handed_to,
        can_complete=can_request_completion(current_user, task, members_may)
        and task.state in (TaskState.OPEN, TaskState.IN_PROGRESS),
        can_extend=can_request_extension(current_user, task, members_may)
        and pending is None
        and not TaskState(task.state).is_closed,
        requests_note=_requests_note(task, members_may),
        office=is_office(current_user),
        # Two levels: the task of the office above this one was taken in from, its parts; the
        # task this one is a part of; the office below's work on this one (read only).
        upper=sides.upper_link(db.session, task),
        parts=sub_tasks.sub_tasks(db.session, task) if task.upper_task_id else [],
        parent=parent,
        lower=sides.lower_work(db.session, task),
        **forms,
    )
    return page, 200 if refused is None else 400


def _may_see(item: Attachment) -> bool:
    """Deny by default: a file is seen by who may see everything it belongs to (its task, its
    progress report's task, its document), and one that belongs to nothing by the admin alone
    (an archive or a bug may leave one; the admin can look at it and remove it)."""
    if current_user.role == Role.ADMIN:
        return True
    task_ids = {item.task_id} - {None}
    if item.progress_report_id is not None:
        report = db.session.get(ProgressReport, item.progress_report_id)
        task_ids.add(report.task_id if report is not None else None)
    tasks = [db.session.get(Task, task_id) if task_id else None for task_id in task_ids]
    document = db.session.get(Document, item.document_id) if item.document_id else None
    if None in tasks or (item.document_id is not None and document is None):
        return False  # a part of what it belongs to is gone
    if not tasks and document is None:
        return False
    if not all(can_view_task(current_user, task) for task in tasks):
        return False
    return (
        document is None
        or sees_everything(current_user)
        or any(can_view_task(current_user, task) for task in document.tasks)
    )


@bp.get("/tep/<int:attachment_id>")
@login_required
def attachment(attachment_id: int):
    item = db.session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    if not _may_see(item):
        deny(f"attachment {attachment_id}")
    return send_stored(item)


@bp.get("/thoi-han")
@login_required
def compute_deadline():
    """The deadline a form would get, for the document page's live preview."""
    error = {"error": _("Thiếu hoặc sai ngày ban hành / thời hạn.")}, 400
    issued = parse_date(request.args.get("issued_on"))
    kind = request.args.get("kind", "date")
    on = parse_date(request.args.get("on"))
    days = request.args.get("days", "")
    if issued is None or kind not in set(DeadlineKind) or (request.args.get("on") and on is None):
        return error
    bad_days = not (days.isascii() and days.isdigit() and 1 <= int(days) <= MAX_WORKING_DAYS)
    if days and bad_days:  # the form's bound: 1 to 365 working days
        return {"error": _("Số ngày làm việc từ 1 đến %(n)s.", n=MAX_WORKING_DAYS)}, 400
    try:
        result = resolve_deadline(
            load_calendar(db.session), kind, issued, on, int(days) if days else None
        )
    except ValueError:
        return error
    written = written_if_moved(on if kind == DeadlineKind.DATE else None, result)
    if written is not None:  # a day off: the day written, and the working day counted
        text = moved_text(written, result, _)
    else:
        text = result.strftime("%d/%m/%Y") if result else _("Thường xuyên")
    return {"deadline": result.isoformat() if result else None, "text": text}
