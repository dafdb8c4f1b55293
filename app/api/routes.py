"""The API's endpoints: the same rules as the web interface, JSON in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import g, jsonify, request
from flask_login import current_user
from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.exc import StaleDataError

from app.api import schemas
from app.api.blueprint import bp
from app.api.serialize import (
    document_model,
    dump,
    extension_model,
    progress_model,
    series_model,
    statistics_model,
    summary_model,
    task_detail_model,
    task_model,
    trend_model,
)
from app.api.spec import openapi_spec
from app.core.deadlines import load_calendar, resolve_deadline
from app.core.permissions import (
    can_report_progress,
    can_request_completion,
    can_request_extension,
    can_view_task,
    is_office,
    sees_everything,
)
from app.core.timeutil import local_today, utcnow
from app.documents import operations
from app.extensions import csrf, db
from app.models import ApiToken, Department, Document, Extension, Series, Task
from app.models.access import hash_token
from app.models.documents import DeadlineKind
from app.recurring.recurrence import PhraseError
from app.recurring.series import create_due_tasks, create_series
from app.reports.statistics import PeriodError, build_statistics, build_trend
from app.reports.statistics_page import scoped
from app.reports.summary import build_summary, summary_text
from app.reports.views import MAX_ISSUERS
from app.tasks import workflow
from app.tasks.blueprint import members_may_ask
from app.tasks.queries import SORTS, TaskFilter, task_page
from app.units.reorganise import successor
from app.web.forms import YEARS
from app.web.inputs import MAX_ID, MAX_PAGE, deadline_problem, positive_int
from app.web.wiring import deny

csrf.exempt(bp)  # token-authenticated, no cookies: CSRF does not apply
MAX_PER_PAGE = 200
LAST_USED_EVERY = dt.timedelta(minutes=1)


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body: dict[str, Any] = {"code": error.status, "message": error.message}
    if error.field:
        body["field"] = error.field
    return jsonify(error=body), error.status


@bp.before_request
def _authenticate():
    """Only a valid, unrevoked token authenticates here; a browser session does not."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Thiếu token API (Authorization: Bearer <token>).")
    found = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token.strip()))
        .options(joinedload(ApiToken.user))
    )
    if found is None or found.revoked_at is not None or not found.user.is_active:
        raise ApiError(401, "Token API không hợp lệ hoặc đã bị thu hồi.")
    now = utcnow()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        # "last used" to the minute: not a write on every call, which on SQLite would compete
        # with every other writer
        found.last_used_at = now
        db.session.commit()
    g._login_user = found.user  # what flask_login.current_user returns for this request
    return None


def _parse(model: type[BaseModel]):
    """The request's JSON body validated by ``model`` (ids checked against the database)."""
    try:
        return model.model_validate_json(request.get_data(), context={"session": db.session})
    except ValidationError as error:
        message, field = schemas.first_problem(error)
        raise ApiError(400, message, field) from None


def _date(value: Any, field: str) -> dt.date:
    if not isinstance(value, str):
        raise ApiError(400, "Phải là ngày dạng YYYY-MM-DD.", field)
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        raise ApiError(400, f"“{value[:20]}” không phải ngày dạng YYYY-MM-DD.", field)
    return day


def _load_task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise ApiError(404, "Không có nhiệm vụ này.")
    if not can_view_task(current_user, task):
        deny(f"api task {task_id}")
    return task


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_spec())


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
        )
    except workflow.WorkflowError as error:
        raise _refused(error) from None
    _commit()
    return jsonify(dump(extension_model(db.session.get(Extension, extension_id))))


def _living_on(day, unit: Department, field: str) -> None:
    """A document issued on ``day`` cannot name a unit an organisation change had ended."""
    if unit.ended_on is not None and unit.ended_on <= day:
        heir = successor(db.session, unit)
        instead = f": hãy giao cho “{heir.name}”" if heir is not None else ""
        raise ApiError(
            400,
            f"Đơn vị “{unit.name}” đã thôi hoạt động từ ngày {unit.ended_on:%d/%m/%Y}{instead}.",
            field,
        )


@bp.post("/documents")
def create_document():
    if not is_office(current_user):
        deny("api create document")
    body = _parse(schemas.NewDocument)
    calendar = load_calendar(db.session)
    rows = []
    for index, item in enumerate(body.tasks):
        if item.working_days:
            kind, on = DeadlineKind.WORKING_DAYS, None
        elif item.deadline is not None:
            kind, on = DeadlineKind.DATE, item.deadline
        else:
            kind, on = DeadlineKind.NONE, None
        deadline = resolve_deadline(calendar, kind, body.issued_on, on, item.working_days)
        problem = deadline_problem(deadline, body.issued_on)
        if problem:
            raise ApiError(400, problem, f"tasks[{index}].deadline")
        cooperators = [
            db.session.get(Department, i) for i in dict.fromkeys(item.cooperating_department_ids)
        ]
        lead = db.session.get(Department, item.lead_department_id)
        _living_on(body.issued_on, lead, f"tasks[{index}].lead_department_id")
        for unit in cooperators:
            _living_on(body.issued_on, unit, f"tasks[{index}].cooperating_department_ids")
        planned = (item.content, lead, cooperators, kind, deadline, item.working_days)
        rows.append(operations.PlannedTask(*planned))
    try:
        document = operations.create_document(
            db.session,
            rows,
            current_user,
            issuer_id=body.issuer_id,
            number=body.number,
            issued_on=body.issued_on,
            kind=body.kind,
            summary=body.summary,
            signer=body.signer,
        )
    except operations.SameDocumentExists as same:
        raise ApiError(
            409,
            f"Đã có văn bản số {body.number} ngày {same.existing.issued_on:%d/%m/%Y} "
            "của cơ quan này.",
            "number",
        ) from None
    db.session.commit()
    today = local_today()
    created = schemas.CreatedDocument(
        **document_model(document).model_dump(),
        tasks=[task_model(t, today) for t in document.tasks],
    )
    return jsonify(dump(created)), 201


def _issuers() -> list[int]:
    issuer_ids = []
    for value in request.args.getlist("issuer")[:MAX_ISSUERS]:
        if positive_int(value) is None:
            raise ApiError(400, "Phải là số nguyên dương.", "issuer")
        issuer_ids.append(int(value))
    return issuer_ids


@bp.get("/summary")
def summary():
    as_of = _date(request.args["as_of"], "as_of") if request.args.get("as_of") else local_today()
    result = build_summary(db.session, as_of, _issuers() or None)
    return jsonify(dump(summary_model(result, summary_text(result))))


@bp.get("/stats")
def stats():
    """Results by unit for the tasks of documents issued in [from, to], as of ``as_of``."""
    args = request.args
    for name in ("from", "to"):
        if not args.get(name):
            raise ApiError(400, "Trường này là bắt buộc.", name)
    period_from, period_to = _date(args["from"], "from"), _date(args["to"], "to")
    as_of = _date(args["as_of"], "as_of") if args.get("as_of") else None
    try:
        result = build_statistics(db.session, period_from, period_to, as_of, _issuers() or None)
    except PeriodError as error:
        raise ApiError(
            400, str(error), "as_of" if as_of and as_of < period_from else "to"
        ) from None
    return jsonify(dump(statistics_model(scoped(result, current_user))))


MAX_TREND_MONTHS = 36


@bp.get("/trend")
def trend():
    """Chậm and chưa as of each of the last ``months`` month-ends, per unit and in total."""
    last = _date(request.args["to"], "to") if request.args.get("to") else local_today()
    months = 12
    if request.args.get("months"):
        months = positive_int(request.args["months"], MAX_TREND_MONTHS)
        if months is None:
            raise ApiError(400, f"Phải là số nguyên từ 1 đến {MAX_TREND_MONTHS}.", "months")
    department = None if sees_everything(current_user) else current_user.department_id or 0
    return jsonify(dump(trend_model(build_trend(db.session, last, months, department))))


@bp.get("/series")
def list_series():
    """Recurring duties: every one for the office and leaders, a department's own for it."""
    query = select(Series).order_by(Series.id)
    if not sees_everything(current_user):
        query = query.where(Series.lead_department_id == (current_user.department_id or 0))
    today, work = local_today(), load_calendar(db.session)
    items = [series_model(s, today, work) for s in db.session.scalars(query.limit(500))]
    return jsonify(dump(schemas.SeriesList(items=items)))


@bp.post("/series")
def post_series():
    if not is_office(current_user):
        deny("api create series")
    body = _parse(schemas.NewSeries)
    document = db.session.get(Document, body.document_id)
    today = local_today()
    try:
        series = create_series(
            db.session,
            document,
            content=body.content,
            lead=db.session.get(Department, body.lead_department_id),
            cooperators=[db.session.get(Department, i) for i in body.cooperating_department_ids],
            phrase=body.phrase,
            starts_on=body.starts_on or max(today, document.issued_on),
            by=current_user,
            ends_on=body.ends_on,
            max_count=body.max_count,
        )
    except PhraseError as error:
        db.session.rollback()
        raise ApiError(400, str(error), "phrase") from None
    db.session.commit()
    series_id = series.id
    create_due_tasks(db.session, today, [series_id])
    series = db.session.get(Series, series_id)
    return jsonify(dump(series_model(series, today, load_calendar(db.session)))), 201
