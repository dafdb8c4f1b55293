"""The API's endpoints: the same rules as the web interface, JSON in and out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from sqlalchemy import extract, select
from sqlalchemy.orm import joinedload

from app.api.serialize import (
    document_json,
    progress_json,
    summary_json,
    task_detail_json,
    task_json,
)
from app.api.spec import openapi_spec
from app.deadlines import MAX_WORKING_DAYS, load_calendar, resolve_deadline
from app.extensions import csrf, db
from app.formutil import YEARS
from app.inputs import MAX_ID, MAX_PAGE, deadline_problem, positive_int
from app.models import ApiToken, Department, Document, Issuer, Task
from app.models.access import hash_token
from app.models.documents import DeadlineKind
from app.permissions import can_report_progress, can_view_task, is_office
from app.reports.summary import build_summary, summary_text
from app.tasks import workflow
from app.tasks.changes import add_task
from app.tasks.queries import SORTS, TaskFilter, task_page
from app.timeutil import local_today, utcnow
from app.web import deny

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # token-authenticated, no cookies: CSRF does not apply
MAX_PER_PAGE = 200


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
    found.last_used_at = utcnow()
    db.session.commit()
    g._login_user = found.user  # what flask_login.current_user returns for this request
    return None


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ApiError(400, "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


TEXT_LIMITS = {"number": 64, "kind": 128, "signer": 255}  # the columns' sizes
LONG_TEXT = 20_000  # a summary, a task's content, a progress report


def _text(data: dict, name: str, required: bool = True, path: str = "") -> str:
    value = data.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ApiError(400, "Trường này là bắt buộc.", path + name)
        return ""
    if not isinstance(value, str):
        raise ApiError(400, "Phải là chuỗi ký tự.", path + name)
    limit = TEXT_LIMITS.get(name, LONG_TEXT)
    if len(value.strip()) > limit:
        raise ApiError(400, f"Dài quá {limit} ký tự.", path + name)
    return value.strip()


def _int(data: dict, name: str, required: bool = True, path: str = "") -> int | None:
    value = data.get(name)
    if value is None:
        if required:
            raise ApiError(400, "Trường này là bắt buộc.", path + name)
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ApiError(400, "Phải là số nguyên.", path + name)
    if not 1 <= value <= MAX_ID:
        raise ApiError(400, f"Phải là số nguyên từ 1 đến {MAX_ID}.", path + name)
    return value


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
    return jsonify(
        items=[task_json(t, today) for t in page.items],
        total=page.total,
        page=page.page,
        pages=page.pages,
        per_page=per_page,
    )


@bp.get("/tasks/<int:task_id>")
def get_task(task_id: int):
    return jsonify(task_detail_json(db.session, _load_task(task_id), local_today()))


@bp.post("/tasks/<int:task_id>/progress")
def post_progress(task_id: int):
    task = _load_task(task_id)
    if not can_report_progress(current_user, task):
        deny(f"api progress {task_id}")
    content = _text(_body(), "content")
    try:
        report = workflow.report_progress(db.session, task, current_user, content, local_today())
    except workflow.WorkflowError as error:
        db.session.rollback()
        raise ApiError(409, str(error)) from None
    db.session.commit()
    return jsonify(progress_json(report)), 201


@bp.post("/documents")
def create_document():
    if not is_office(current_user):
        deny("api create document")
    data = _body()
    number = _text(data, "number")
    issuer_id = _int(data, "issuer_id")
    issuer = db.session.get(Issuer, issuer_id)
    if issuer is None:
        raise ApiError(400, "Không có cơ quan ban hành này.", "issuer_id")
    if "issued_on" not in data:
        raise ApiError(400, "Trường này là bắt buộc.", "issued_on")
    issued_on = _date(data["issued_on"], "issued_on")
    tasks = data.get("tasks")
    if not isinstance(tasks, list) or not tasks:
        raise ApiError(400, "Cần ít nhất một nhiệm vụ.", "tasks")
    calendar = load_calendar(db.session)
    rows = []
    for index, item in enumerate(tasks):
        path = f"tasks[{index}]."
        if not isinstance(item, dict):
            raise ApiError(400, "Mỗi nhiệm vụ phải là một đối tượng JSON.", f"tasks[{index}]")
        content = _text(item, "content", path=path)
        lead = db.session.get(Department, _int(item, "lead_department_id", path=path))
        if lead is None:
            raise ApiError(400, "Không có đơn vị này.", path + "lead_department_id")
        cooperator_ids = item.get("cooperating_department_ids") or []
        if (
            not isinstance(cooperator_ids, list)
            or not all(
                isinstance(i, int) and not isinstance(i, bool) and 1 <= i <= MAX_ID
                for i in cooperator_ids[:100]
            )
            or len(cooperator_ids) > 100
        ):
            raise ApiError(400, "Phải là danh sách số.", path + "cooperating_department_ids")
        cooperators = [db.session.get(Department, i) for i in cooperator_ids]
        if None in cooperators:
            raise ApiError(400, "Không có đơn vị này.", path + "cooperating_department_ids")
        working_days = _int(item, "working_days", required=False, path=path)
        if working_days is not None and not 1 <= working_days <= MAX_WORKING_DAYS:
            message = f"Từ 1 đến {MAX_WORKING_DAYS} ngày làm việc."
            raise ApiError(400, message, path + "working_days")
        if working_days:
            kind, on = DeadlineKind.WORKING_DAYS, None
        elif item.get("deadline") is not None:
            kind, on = DeadlineKind.DATE, _date(item["deadline"], path + "deadline")
        else:
            kind, on = DeadlineKind.NONE, None
        deadline = resolve_deadline(calendar, kind, issued_on, on, working_days)
        problem = deadline_problem(deadline, issued_on)
        if problem:
            raise ApiError(400, problem, path + "deadline")
        rows.append((content, lead, cooperators, kind, deadline, working_days))
    duplicate = db.session.scalar(
        select(Document).where(
            Document.issuer_id == issuer.id,
            Document.number == number,
            extract("year", Document.issued_on) == issued_on.year,
        )
    )
    if duplicate is not None:
        raise ApiError(
            409,
            f"Đã có văn bản số {number} ngày {duplicate.issued_on:%d/%m/%Y} của cơ quan này.",
            "number",
        )
    document = Document(
        number=number,
        kind=_text(data, "kind", required=False),
        issuer=issuer,
        issued_on=issued_on,
        summary=_text(data, "summary", required=False),
        signer=_text(data, "signer", required=False),
    )
    db.session.add(document)
    db.session.flush()
    for content, lead, cooperators, kind, deadline, working_days in rows:
        add_task(
            db.session,
            document,
            content=content,
            lead=lead,
            cooperators=cooperators,
            deadline_kind=kind,
            deadline=deadline,
            working_days=working_days,
            by=current_user,
        )
    db.session.commit()
    today = local_today()
    return jsonify(
        {**document_json(document), "tasks": [task_json(t, today) for t in document.tasks]}
    ), 201


@bp.get("/summary")
def summary():
    as_of = _date(request.args["as_of"], "as_of") if request.args.get("as_of") else local_today()
    issuer_ids = []
    for value in request.args.getlist("issuer"):
        if positive_int(value) is None:
            raise ApiError(400, "Phải là số nguyên dương.", "issuer")
        issuer_ids.append(int(value))
    result = build_summary(db.session, as_of, issuer_ids or None)
    return jsonify(summary_json(result, summary_text(result)))
