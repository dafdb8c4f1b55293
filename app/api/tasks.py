"""The API's endpoints on tasks: the list, one task, and the workflow's steps."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user
from pydantic import BaseModel
from sqlalchemy.orm.exc import StaleDataError

from app.api import schemas
from app.api.blueprint import bp
from app.api.common import ApiError, _date, _load_task, _parse
from app.api.serialize import dump, extension_model, progress_model, task_detail_model, task_model
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
from app.tasks.blueprint import members_may_ask
from app.tasks.queries import SORTS, TaskFilter, task_page
from app.web.inputs import MAX_ID, MAX_PAGE, positive_int
from app.web.wiring import deny

MAX_PER_PAGE = 200


@bp.get("/tasks")
def list_tasks():
    args = request.args
    for name in ("deadline_from", "deadline_to", "issued_from", "issued_to"):
        if args.get(name):
            _date(args[name], name)
    for name in ("department", "issuer", "page", "per_page"):
        if (
            args.get(name)
            and positive_int(args[name], MAX_PAGE if name == "page" else MAX_ID) is None
        ):
            raise ApiError(400, "Phải là số nguyên dương.", name)
    if args.get("sort") and args["sort"] not in SORTS:
        raise ApiError(400, f"Chỉ nhận: {', '.join(SORTS)}.", "sort")
    per_page = min(positive_int(args.get("per_page")) or 50, MAX_PER_PAGE)
    today = local_today()
    page = task_page(db.session, current_user, TaskFilter.from_args(args), today, per_page)
    listed = schemas.TaskList(
        items=[task_model(t, today) for t in page.items],
        total=page.total,
        page=page.page,
        pages=page.pages,
        per_page=per_page,
    )
    return jsonify(dump(listed))


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int):
    cursors = {}
    for name in ("history_before", "progress_before"):
        if request.args.get(name):
            cursors[name] = positive_int(request.args[name])
            if cursors[name] is None:
                raise ApiError(400, "Phải là số nguyên dương.", name)
    task = _load_task(task_id)
    return jsonify(dump(task_detail_model(db.session, task, local_today(), **cursors)))


def _commit() -> None:
    """Commit, or tell the client someone changed the task first (nothing is saved then)."""
    try:
        db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise ApiError(409, CONFLICT, "version") from None


CONFLICT = "Nhiệm vụ vừa được người khác cập nhật; thao tác chưa được lưu. Hãy đọc lại rồi gửi lại."


def _refused(error: workflow.WorkflowError) -> ApiError:
    """A value at fault is a 400 naming it; a step the task's state does not allow, a 409."""
    db.session.rollback()
    return ApiError(400 if error.field else 409, str(error), error.field)


def _task_action(task_id: int, allowed, model: type[BaseModel], action):
    """One workflow step on a task: permission, body, the version the client read, the step."""
    task = _load_task(task_id)
    if not allowed(current_user, task):
        deny(f"api {request.endpoint} {task_id}")
    body = _parse(model)
    if body.version is not None and body.version != task.version:
        raise ApiError(409, f"{CONFLICT} (Phiên bản hiện tại: {task.version}.)", "version")
    try:
        result = action(task, body)
    except workflow.WorkflowError as error:
        raise _refused(error) from None
    _commit()
    return result


def _office(user, _task) -> bool:
    return is_office(user)


@bp.post("/tasks/<int:task_id>/progress")
def post_progress(task_id: int):
    def action(task, body):
        return workflow.report_progress(db.session, task, current_user, body.content, local_today())

    report = _task_action(task_id, can_report_progress, schemas.NewProgress, action)
    return jsonify(dump(progress_model(report))), 201


def _task_answer(task_id: int):
    return jsonify(dump(task_model(db.session.get(Task, task_id), local_today())))


@bp.post("/tasks/<int:task_id>/completion-request")
def post_completion_request(task_id: int):
    def action(task, body):
        workflow.request_completion(
            db.session, task, current_user, local_today(), body.comment or ""
        )

    def allowed(user, task):
        return can_request_completion(user, task, members_may_ask())

    _task_action(task_id, allowed, schemas.CompletionRequest, action)
    return _task_answer(task_id)


@bp.post("/tasks/<int:task_id>/confirmation")
def post_confirmation(task_id: int):
    def action(task, body):
        workflow.confirm_completion(db.session, task, current_user, body.done_on, local_today())

    _task_action(task_id, _office, schemas.Confirmation, action)
    return _task_answer(task_id)


@bp.post("/tasks/<int:task_id>/send-back")
def post_send_back(task_id: int):
    def action(task, body):
        workflow.send_back(db.session, task, current_user, body.reason, local_today())

    _task_action(task_id, _office, schemas.Reason, action)
    return _task_answer(task_id)


@bp.post("/tasks/<int:task_id>/cancellation")
def post_cancellation(task_id: int):
    def action(task, body):
        workflow.cancel_task(db.session, task, current_user, body.reason, local_today())

    _task_action(task_id, _office, schemas.Reason, action)
    return _task_answer(task_id)


@bp.post("/tasks/<int:task_id>/extensions")
def post_extension(task_id: int):
    def action(task, body):
        return workflow.request_extension(
            db.session, task, current_user, body.new_deadline, body.reason, local_today()
        )

    def allowed(user, task):
        return can_request_extension(user, task, members_may_ask())

    extension = _task_action(task_id, allowed, schemas.NewExtension, action)
    return jsonify(dump(extension_model(extension))), 201


@bp.post("/extensions/<int:extension_id>/decision")
def post_decision(extension_id: int):
    extension = db.session.get(Extension, extension_id)
    if extension is None:
        raise ApiError(404, "Không có đề nghị gia hạn này.")
    _load_task(extension.task_id)
    if not is_office(current_user):
        deny(f"api extension {extension_id}")
    body = _parse(schemas.Decision)
    try:
        workflow.decide_extension(
            db.session,
            extension,
            current_user,
            body.decision == "approve",
            body.note or "",
            local_today(),
            body.deadline if body.decision == "approve" else None,
        )
    except workflow.WorkflowError as error:
        raise _refused(error) from None
    _commit()
    return jsonify(dump(extension_model(db.session.get(Extension, extension_id))))
