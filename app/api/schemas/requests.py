"""The request bodies the API reads, validated strictly: a number is not a string, a date is
YYYY-MM-DD, no unknown fields; lengths, ranges and ids that exist."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, ValidationInfo
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
    deadline: Day | None = Field(
        None, description="Khi phê duyệt: ngày gia hạn đến, nếu khác ngày đề nghị"
    )


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
