"""Every body the API reads or writes, described once with pydantic.

Request bodies are validated with these models (strictly: a number is not a string, a date is
YYYY-MM-DD, no unknown fields; lengths, ranges and ids that exist), responses are built from
them, and ``spec.py`` generates the OpenAPI components from the same classes, so the document
cannot drift from the code. Pydantic was chosen over marshmallow + apispec because its JSON
Schema is produced by the validator itself (no plugin translating field classes), it validates
JSON directly in its Rust core, and OpenAPI 3.1 takes that JSON Schema as it is.

The classes are named as the components are (``Task``, ``Document`` …); import this module as
``schemas`` rather than importing the names next to the ORM models of the same names.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
)
from pydantic_core import PydanticCustomError

from app import models
from app.core.deadlines import MAX_WORKING_DAYS
from app.web.forms import LONG_TEXT, YEARS
from app.web.inputs import MAX_ID

MAX_TASKS_PER_DOCUMENT = 500
MAX_COOPERATORS = 100


# --- the pieces -----------------------------------------------------------------------------


def _in_years(value: dt.date) -> dt.date:
    if value.year not in YEARS:
        raise PydanticCustomError(
            "date_out_of_range",
            "Năm phải từ {first} đến {last}.",
            {"first": YEARS.start, "last": YEARS.stop - 1},
        )
    return value


def _existing(model, message: str):
    """An id that must name a row; checked when the caller passes the session as context."""

    def check(value: int, info: ValidationInfo) -> int:
        session = (info.context or {}).get("session")
        if session is not None and session.get(model, value) is None:
            raise PydanticCustomError("not_found", message)
        return value

    return AfterValidator(check)


Day = Annotated[dt.date, AfterValidator(_in_years)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
IssuerId = Annotated[Id, _existing(models.Issuer, "Không có cơ quan ban hành này.")]
DepartmentId = Annotated[Id, _existing(models.Department, "Không có đơn vị này.")]


def _text(max_length: int, required: bool = True):
    return Annotated[
        str,
        StringConstraints(
            strip_whitespace=True, min_length=1 if required else 0, max_length=max_length
        ),
    ]


Text = _text(LONG_TEXT)
OptionalText = _text(LONG_TEXT, required=False)
Version = Annotated[
    int | None,
    Field(
        ge=0,
        le=MAX_ID,
        description="Phiên bản nhiệm vụ mà người gửi đã đọc (trường `version`); nếu nhiệm vụ "
        "đã đổi từ đó, yêu cầu bị từ chối với mã 409.",
    ),
]


class Body(BaseModel):
    """A request body: strict types, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


# --- request bodies -------------------------------------------------------------------------


class NewTask(Body):
    content: Text
    lead_department_id: DepartmentId
    cooperating_department_ids: Annotated[
        list[DepartmentId], Field(max_length=MAX_COOPERATORS)
    ] = []
    deadline: Day | None = Field(None, description="Thời hạn là một ngày cụ thể")
    working_days: Annotated[int, Field(ge=1, le=MAX_WORKING_DAYS)] | None = Field(
        None, description="Thời hạn tính bằng ngày làm việc kể từ ngày ban hành"
    )


class NewDocument(Body):
    number: _text(64)
    kind: _text(128, required=False) | None = None
    issuer_id: IssuerId
    issued_on: Day
    summary: OptionalText | None = None
    signer: _text(255, required=False) | None = None
    tasks: Annotated[list[NewTask], Field(min_length=1, max_length=MAX_TASKS_PER_DOCUMENT)]


class NewProgress(Body):
    content: Text
    version: Version = None


class CompletionRequest(Body):
    comment: OptionalText | None = None
    version: Version = None


class Confirmation(Body):
    done_on: Day = Field(description="Ngày hoàn thành (không sau hôm nay)")
    version: Version = None


class Reason(Body):
    reason: Text
    version: Version = None


class NewExtension(Body):
    new_deadline: Day
    reason: Text
    version: Version = None


class Decision(Body):
    decision: Literal["approve", "refuse"]
    note: OptionalText | None = Field(None, description="Bắt buộc khi từ chối")


# --- responses ------------------------------------------------------------------------------


class ErrorDetail(BaseModel):
    code: int
    message: str
    field: str | None = None


class Error(BaseModel):
    error: ErrorDetail


class DepartmentRef(BaseModel):
    id: int
    name: str
    short_name: str


class IssuerRef(BaseModel):
    id: int
    name: str


class Document(BaseModel):
    id: int
    number: str
    kind: str
    issuer: IssuerRef
    issued_on: dt.date
    summary: str


TaskState = Literal["open", "in_progress", "awaiting_confirmation", "done", "cancelled"]


class Task(BaseModel):
    id: int
    content: str
    state: TaskState
    category: Literal["late", "pending", "done_on_time", "done_late", "cancelled"] = Field(
        description="Tính đến hôm nay: late = chậm, pending = chưa"
    )
    document: Document
    lead_department: DepartmentRef
    cooperating_departments: list[DepartmentRef]
    deadline_kind: Literal["date", "none", "working_days"]
    deadline: dt.date | None
    original_deadline: dt.date | None
    working_days: int | None
    done_on: dt.date | None
    days_late: Annotated[int, Field(ge=0)]
    note: str
    version: int
    url: str


class Change(BaseModel):
    field: str
    before: str
    after: str


class HistoryEntry(BaseModel):
    id: int
    kind: str
    title: str
    effective_on: dt.date
    recorded_at: dt.datetime
    user: str | None
    comment: str
    changes: list[Change]


class ProgressReport(BaseModel):
    id: int
    task_id: int
    reported_on: dt.date
    department: str
    user: str | None
    content: str


class Extension(BaseModel):
    id: int
    task_id: int
    requested_on: dt.date
    previous_deadline: dt.date | None
    requested_deadline: dt.date
    reason: str
    status: Literal["pending", "approved", "refused"]
    decided_on: dt.date | None
    decision_note: str


class TaskDetail(Task):
    history: list[HistoryEntry] = Field(description="Mới nhất trước, tối đa 100 mục")
    history_next: int | None = Field(
        description="Còn mục cũ hơn: gọi lại với history_before=<giá trị này>"
    )
    progress_reports: list[ProgressReport] = Field(description="Mới nhất trước, tối đa 100")
    progress_next: int | None = Field(
        description="Còn báo cáo cũ hơn: gọi lại với progress_before=<giá trị này>"
    )
    extensions: list[Extension]


class TaskList(BaseModel):
    items: list[Task]
    total: int
    page: int
    pages: int
    per_page: int


class CreatedDocument(Document):
    tasks: list[Task]


class SummaryDepartment(BaseModel):
    id: int
    name: str
    count: int


class SummaryPart(BaseModel):
    total: int
    departments: list[SummaryDepartment]


class Summary(BaseModel):
    as_of: dt.date
    late: SummaryPart
    pending: SummaryPart
    text: str


DocumentId = Annotated[Id, _existing(models.Document, "Không có văn bản này.")]


class NewSeries(Body):
    document_id: DocumentId
    content: Text
    lead_department_id: DepartmentId
    cooperating_department_ids: Annotated[
        list[DepartmentId], Field(max_length=MAX_COOPERATORS)
    ] = []
    phrase: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=255)
    ] = Field(description="Định kỳ như văn bản ghi, ví dụ “hằng tháng, trước ngày 20”")
    starts_on: Day | None = Field(None, description="Mặc định: hôm nay")
    ends_on: Day | None = None
    max_count: Annotated[int, Field(ge=1, le=1000)] | None = None


class Period(BaseModel):
    task_id: int
    period: str
    deadline: dt.date | None
    state: TaskState


class UpcomingPeriod(BaseModel):
    period: str
    deadline: dt.date


class Series(BaseModel):
    id: int
    document: Document
    content: str
    lead_department: DepartmentRef
    phrase: str
    rule: str = Field(description="The rule as the product reads the phrase")
    starts_on: dt.date
    ends_on: dt.date | None
    active: bool
    periods: list[Period]
    upcoming: list[UpcomingPeriod]


class SeriesList(BaseModel):
    items: list[Series]


class StatisticsRow(BaseModel):
    department: DepartmentRef | None = Field(description="null: the total row (Tổng cộng)")
    total: int
    done: int
    done_on_time: int
    done_late: int
    done_no_deadline: int
    not_done: int
    in_time: int
    overdue: int
    completion_rate: float | None = Field(description="Tỷ lệ hoàn thành, %, một chữ số thập phân")
    overdue_rate: float | None = Field(
        description="Tỷ lệ quá hạn, % trên số nhiệm vụ có thời hạn; null khi không có"
    )
    update_rate: float | None = Field(
        description="Phần nhiệm vụ chưa hoàn thành có báo cáo tiến độ trong 30 ngày đến as_of"
    )


class Statistics(BaseModel):
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    rows: list[StatisticsRow]
    total: StatisticsRow


class TrendDepartment(BaseModel):
    id: int
    name: str
    late: int
    pending: int


class TrendPoint(BaseModel):
    as_of: dt.date
    late: int
    pending: int
    departments: list[TrendDepartment]


class Trend(BaseModel):
    points: list[TrendPoint]


REQUESTS = [NewDocument, NewProgress, CompletionRequest, Confirmation, Reason, NewExtension,
            Decision, NewSeries]  # fmt: skip
RESPONSES = [Error, TaskList, TaskDetail, CreatedDocument, ProgressReport, Extension, Summary,
             Statistics, Trend, Series, SeriesList]  # fmt: skip


# --- errors in the user's words -------------------------------------------------------------


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: dict) -> str:
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind in ("json_invalid", "model_type") and not error["loc"]:
        return "Nội dung yêu cầu phải là một đối tượng JSON."
    if kind in ("missing", "string_too_short"):
        return "Trường này là bắt buộc."
    if kind == "string_too_long":
        return f"Dài quá {ctx['max_length']} ký tự."
    if kind == "string_type":
        return "Phải là chuỗi ký tự."
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "Phải là số nguyên."
    if kind == "greater_than_equal":
        return f"Phải lớn hơn hoặc bằng {ctx['ge']}."
    if kind == "less_than_equal":
        return f"Phải nhỏ hơn hoặc bằng {ctx['le']}."
    if kind.startswith("date_") and kind != "date_out_of_range":
        shown = f"“{value[:20]}” không phải" if isinstance(value, str) else "Phải là"
        return f"{shown} ngày dạng YYYY-MM-DD."
    if kind == "list_type":
        return "Phải là danh sách."
    if kind == "too_short":
        return "Cần ít nhất một mục."
    if kind == "too_long":
        return f"Nhiều nhất {ctx.get('max_length')} mục."
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "Phải là một đối tượng JSON."
    if kind == "bool_type":
        return "Phải là true hoặc false."
    if kind == "literal_error":
        return f"Chỉ nhận: {ctx.get('expected')}."
    if kind == "extra_forbidden":
        return "Trường này không được nhận."
    if kind in ("not_found", "date_out_of_range"):
        return error["msg"]
    return "Giá trị không hợp lệ."


def first_problem(error: ValidationError) -> tuple[str, str | None]:
    """The first problem of a validation as (Vietnamese message, field path or None)."""
    found = error.errors(include_url=False)[0]
    return _message(found), _path(found["loc"]) or None
