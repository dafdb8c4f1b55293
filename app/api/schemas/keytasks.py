"""The bodies of the key task groups' and evaluations' endpoints: what they read (strictly, as
every request body) and what they answer."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field

from app import models
from app.api.schemas.requests import (
    Body,
    Day,
    DepartmentId,
    Id,
    IssuerId,
    _existing,
    _text,
)
from app.api.schemas.responses import DepartmentRef, IssuerRef

MAX_GROUP_TASKS = 2000
TaskId = Annotated[Id, _existing(models.Task, "Không có nhiệm vụ này.")]


class NewKeyTaskGroup(Body):
    name: _text(255)
    issuer_id: IssuerId = Field(description="Cơ quan giao nhóm nhiệm vụ")
    period_from: Day
    period_to: Day
    given_on: Day | None = Field(None, description="Ngày giao; mặc định: ngày đầu kỳ")
    display_order: Annotated[int, Field(ge=0, le=10_000)] = 0
    note: _text(5000, required=False) = ""
    task_ids: Annotated[list[TaskId], Field(max_length=MAX_GROUP_TASKS)] = []


class NewEvaluation(Body):
    grade: _text(128) = Field(description="Một mức trong danh sách mức đánh giá (cài đặt)")
    effective_on: Day = Field(description="Ngày đánh giá, có hiệu lực từ ngày này")
    decided_by: _text(255, required=False) = ""
    note: _text(5000, required=False) = ""
    reason: _text(5000, required=False) = Field(
        "", description="Bắt buộc khi đánh giá lại (đã có đánh giá đến ngày này)"
    )


class NewUnitEvaluation(NewEvaluation):
    department_id: DepartmentId
    period_from: Day
    period_to: Day


class Figures(BaseModel):
    total: int
    done_on_time: int
    done_late: int
    done_no_deadline: int
    in_time: int
    overdue: int
    on_time_share: float | None = Field(description="% hoàn thành đúng hạn (kể cả không có hạn)")
    done_late_share: float | None
    overdue_share: float | None
    update_rate: float | None


class Evaluation(BaseModel):
    id: int
    grade: str
    effective_on: dt.date
    decided_by: str
    note: str
    reason: str = Field(description="Lý do, khi là đánh giá lại")
    revises_id: int | None
    proposal: str = Field(description="Mức hệ thống đề xuất khi ghi")
    recorded_by: str | None
    recorded_at: dt.datetime


class KeyTaskGroup(BaseModel):
    id: int
    name: str
    issuer: IssuerRef
    period_from: dt.date
    period_to: dt.date
    given_on: dt.date
    note: str
    as_of: dt.date
    figures: Figures
    proposal: str = Field(description="Mức đề xuất theo quy tắc của quản trị, tính đến as_of")
    evaluation: Evaluation | None = Field(description="Đánh giá có hiệu lực ngày as_of")


class KeyTaskGroupDetail(KeyTaskGroup):
    task_ids: list[int] = Field(description="Nhiệm vụ của nhóm mà người gọi được xem")
    evaluations: list[Evaluation]


class KeyTaskGroupList(BaseModel):
    items: list[KeyTaskGroup]


class KeyTaskSection(BaseModel):
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    text: str = Field(description="Mục công tác triển khai thực hiện nhiệm vụ trọng tâm")
    groups: list[KeyTaskGroup]


class UnitEvaluation(BaseModel):
    department: DepartmentRef
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    figures: Figures
    proposal: str
    evaluation: Evaluation | None
    evaluations: list[Evaluation]
