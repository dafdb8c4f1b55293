"""The bodies the API answers with; the endpoints build them, the OpenAPI document describes
them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field


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


TaskState = Literal[
    "open", "in_progress", "awaiting_confirmation", "done", "cancelled", "handed_over"
]


class Task(BaseModel):
    id: int
    content: str
    state: TaskState
    category: Literal[
        "late", "pending", "done_on_time", "done_late", "cancelled", "handed_over"
    ] = Field(
        description="Tính đến hôm nay: late = chậm, pending = chưa; handed_over = đã chuyển "
        "giao cho cơ quan kế thừa khi cơ quan này kết thúc"
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
    approved_deadline: dt.date | None = Field(
        None, description="Ngày được gia hạn đến (có thể khác ngày đề nghị)"
    )


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
    proposal: str = Field(
        "", description="Mức đánh giá đề xuất theo quy tắc của quản trị; rỗng ở dòng tổng"
    )
    grade: str = Field(
        "",
        description="Mức đánh giá văn phòng đã ghi cho kỳ này, có hiệu lực đến as_of; rỗng: chưa",
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
