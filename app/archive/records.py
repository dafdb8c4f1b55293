"""Each record of an archive as the import accepts it, one pydantic model per part.

Strict like the API's bodies (``app/api/schemas.py``): a number is not a string nor a boolean,
a date is YYYY-MM-DD in the years a form accepts, a moment is an ISO time without zone (stored
times are naive UTC), no unknown field; texts as long as the forms and the columns allow; states
and kinds only those of the models' enums. The API's models describe other shapes (ids of this
instance, no history) and the archive, a feature, may not import the API, a surface: the shared
constraints (LONG_TEXT, YEARS, MAX_ID, MAX_WORKING_DAYS, the enums) are imported from where the
API takes them, the few of the API's own (the number of cooperating units) are repeated here
on purpose.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from app.core.deadlines import MAX_WORKING_DAYS
from app.models.documents import DeadlineKind, TaskState
from app.models.history import EventKind, ExtensionStatus
from app.models.units import ChangeKind
from app.web.forms import LONG_TEXT, YEARS
from app.web.inputs import MAX_ID

MAX_COOPERATORS = 100  # as app/api/schemas.py: the units cooperating on one task
MAX_LIST = 1000  # a unit's former names, an organisation change's parts
SHA256 = r"^[0-9a-f]{64}$"
MEMBER = r"^files/[0-9]{1,12}$"  # where the export puts an attachment's bytes


def _in_years(value: dt.date) -> dt.date:
    if value.year not in YEARS:
        raise PydanticCustomError(
            "date_out_of_range",
            "Năm phải từ {first} đến {last}.",
            {"first": YEARS.start, "last": YEARS.stop - 1},
        )
    return value


def _naive(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is not None:
        raise PydanticCustomError("zoned", "Thời điểm ghi không kèm múi giờ (giờ UTC).")
    return _in_years(value)


def _not_blank(value: str) -> str:
    if not value.strip():
        raise PydanticCustomError("blank", "Thiếu (bắt buộc).")
    return value


def _no_repeats(values: list) -> list:
    repeated = next((v for i, v in enumerate(values) if v in values[:i]), None)
    if repeated is not None:
        raise PydanticCustomError("repeated", "giá trị {value} có hai lần.", {"value": repeated})
    return values


def _text(max_length: int, required: bool = False):
    if required:
        return Annotated[
            str, StringConstraints(min_length=1, max_length=max_length), AfterValidator(_not_blank)
        ]
    return Annotated[str, StringConstraints(max_length=max_length)]


def _one_of(kinds: type[enum.StrEnum]):
    return Literal[tuple(kind.value for kind in kinds)]


Ref = Annotated[int, Field(ge=1, le=MAX_ID)]
Day = Annotated[dt.date, AfterValidator(_in_years)]
Moment = Annotated[dt.datetime, AfterValidator(_naive)]
Order = Annotated[int, Field(ge=-MAX_ID - 1, le=MAX_ID)]
Username = _text(64, required=True)
Name = _text(255, required=True)
Long = _text(LONG_TEXT)
State = _one_of(TaskState)
WorkingDays = Annotated[int, Field(ge=1, le=MAX_WORKING_DAYS)]


class Record(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class Issuer(Record):
    ref: Ref
    name: Name
    short_name: _text(64) = ""
    order: Order = 0
    organ_id: _text(35) | None = None  # mã định danh (edXML), since issue 31


class FormerName(Record):
    name: Name
    until: Day
    change: Ref | None = None


class Unit(Record):
    ref: Ref
    name: Name
    short_name: _text(64) = ""
    order: Order = 0
    email: _text(255) = ""
    organ_id: _text(35) | None = None
    active: bool = True
    created_on: Day | None = None
    ended_on: Day | None = None
    names: Annotated[list[FormerName], Field(max_length=MAX_LIST)] = []


class ChangePart(Record):
    unit: Ref
    role: Literal["from", "to"]


class Change(Record):
    ref: Ref
    kind: _one_of(ChangeKind)
    effective_on: Day
    decision: Long = ""
    old_name: _text(255) | None = None
    new_name: _text(255) | None = None
    entered_by: Username | None = None
    entered_at: Moment | None = None
    parts: Annotated[list[ChangePart], Field(max_length=MAX_LIST)] = []


class Document(Record):
    ref: Ref
    number: _text(64, required=True)
    kind: _text(128) = ""
    issuer: Ref
    issued_on: Day
    summary: Long = ""
    signer: _text(255) = ""
    created_at: Moment | None = None


class Task(Record):
    ref: Ref
    document: Ref
    content: _text(LONG_TEXT, required=True)
    lead: Ref
    cooperators: Annotated[
        list[Ref], Field(max_length=MAX_COOPERATORS), AfterValidator(_no_repeats)
    ] = []
    deadline_kind: _one_of(DeadlineKind)
    working_days: WorkingDays | None = None
    deadline: Day | None = None
    original_deadline: Day | None = None
    deadline_written: Day | None = None  # the day the document wrote, when it was a day off
    state: State
    done_on: Day | None = None
    closed_on: Day | None = None
    cancel_reason: Long = ""
    note: Long = ""
    period: _text(16) | None = None
    created_at: Moment | None = None
    updated_at: Moment | None = None


class Transfer(Record):
    task: Ref
    effective_on: Day
    from_: Ref = Field(alias="from")
    to: Ref
    change: Ref | None = None


class ProgressReport(Record):
    ref: Ref
    task: Ref
    unit: Ref
    by: Username | None = None
    reported_on: Day
    content: _text(LONG_TEXT, required=True)
    created_at: Moment | None = None


class Snapshot(Record):
    """An event's ``before`` or ``after``: the task's fields (app/tasks/changes.py) or what a
    note records (a progress report, an extension request or decision)."""

    content: Long | None = None
    lead_department_id: Ref | None = None
    cooperating_department_ids: (
        Annotated[list[Ref], Field(max_length=MAX_COOPERATORS), AfterValidator(_no_repeats)] | None
    ) = None
    deadline_kind: _one_of(DeadlineKind) | None = None
    deadline_working_days: WorkingDays | None = None
    deadline: Day | None = None
    state: State | None = None
    done_on: Day | None = None
    note: Long | None = None
    progress_report_id: Ref | None = None
    extension_id: Ref | None = None
    requested_deadline: Day | None = None
    status: _one_of(ExtensionStatus) | None = None


class Event(Record):
    task: Ref
    by: Username | None = None
    kind: _one_of(EventKind)
    effective_on: Day
    created_at: Moment | None = None
    state: State | None = None
    sets_deadline: bool = False
    deadline: Day | None = None
    before: Snapshot | None = None
    after: Snapshot | None = None
    comment: Long = ""


class Extension(Record):
    task: Ref
    requested_by: Username | None = None
    requested_on: Day
    previous_deadline: Day | None = None
    requested_deadline: Day
    reason: _text(LONG_TEXT, required=True)
    status: _one_of(ExtensionStatus)
    decided_by: Username | None = None
    decided_on: Day | None = None
    decision_note: Long = ""
    approved_deadline: Day | None = None
    created_at: Moment | None = None


class Attachment(Record):
    """The archive's ``content_type`` is read and ignored: the type is derived from the name
    (as an upload's), and the file must be what its name says."""

    ref: Ref
    document: Ref | None = None
    task: Ref | None = None
    progress_report: Ref | None = None
    filename: _text(1024, required=True)
    content_type: _text(255) = ""
    size: Annotated[int, Field(ge=0, le=2**62)]
    by: Username | None = None
    created_at: Moment | None = None
    sha256: Annotated[str, StringConstraints(pattern=SHA256)]
    member: Annotated[str, StringConstraints(pattern=MEMBER)]


class KeyTaskGroup(Record):
    ref: Ref
    name: Name
    issuer: Ref
    period_from: Day
    period_to: Day
    given_on: Day
    order: Annotated[int, Field(ge=0, le=10_000)] = 0
    note: _text(5000) = ""
    tasks: Annotated[list[Ref], Field(max_length=2000), AfterValidator(_no_repeats)] = []
    created_at: Moment | None = None


Count = Annotated[int, Field(ge=0, le=MAX_ID)]


class Figures(Record):
    """The figures a proposal came from (``app.keytasks.grades.Figures``)."""

    done_on_time: Count = 0
    done_late: Count = 0
    done_no_deadline: Count = 0
    in_time: Count = 0
    overdue: Count = 0
    open_tasks: Count = 0
    updated: Count = 0


class Evaluation(Record):
    """A grade of a group (``group``) or of a unit over a period (``unit``), never both."""

    ref: Ref
    group: Ref | None = None
    unit: Ref | None = None
    period_from: Day
    period_to: Day
    effective_on: Day
    grade: _text(128, required=True)
    note: _text(5000) = ""
    decided_by: _text(255) = ""
    revises: Ref | None = None
    reason: _text(5000) = ""
    proposal: _text(128) = ""
    figures: Figures | None = None
    recorded_by: Username | None = None
    recorded_at: Moment | None = None


MODELS: dict[str, type[Record]] = {
    "issuers": Issuer,
    "units": Unit,
    "changes": Change,
    "documents": Document,
    "tasks": Task,
    "transfers": Transfer,
    "progress_reports": ProgressReport,
    "events": Event,
    "extensions": Extension,
    "attachments": Attachment,
    "key_task_groups": KeyTaskGroup,
    "evaluations": Evaluation,
}


# --- a refusal in the office's words --------------------------------------------------------


def _path(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _message(error: dict) -> str:  # noqa: PLR0911  (one answer per kind of error)
    kind, ctx, value = error["type"], error.get("ctx") or {}, error.get("input")
    if kind == "json_invalid":
        return "không phải JSON."
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return "không phải một bản ghi (đối tượng JSON)."
    if kind in ("missing", "string_too_short"):
        return "thiếu (bắt buộc)."
    if kind == "string_too_long":
        return f"dài quá {ctx['max_length']} ký tự."
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"phải từ {ctx.get('ge', '…')} đến {ctx.get('le', '…')}."
    if kind.startswith(("date_", "datetime_")) and kind != "date_out_of_range":
        return (
            "phải là ngày dạng YYYY-MM-DD."
            if kind.startswith("date_")
            else ("phải là thời điểm dạng YYYY-MM-DDTHH:MM:SS.")
        )
    if kind == "literal_error":
        expected = str(ctx.get("expected", "")).replace(" or ", ", ")
        return f"“{str(value)[:40]}” không được nhận; chỉ nhận: {expected}."
    if kind == "extra_forbidden":
        return "trường này không thuộc định dạng."
    if kind == "too_long":
        return f"nhiều nhất {ctx.get('max_length')} mục."
    simple = {"string_type": "phải là chuỗi ký tự.", "int_type": "phải là số nguyên.",
              "bool_type": "phải là true hoặc false.", "list_type": "phải là danh sách.",
              "string_pattern_mismatch": "giá trị không hợp lệ."}  # fmt: skip
    if kind in simple:
        return simple[kind]
    return error["msg"][:1].lower() + error["msg"][1:] if kind in CUSTOM else "không hợp lệ."


CUSTOM = ("date_out_of_range", "zoned", "blank", "repeated")


def problem(error: ValidationError) -> str:
    """The first problem of a record, for ``Phần “…”, dòng N: …``."""
    found = error.errors(include_url=False)[0]
    where = _path(found["loc"])
    return f"trường “{where}”: {_message(found)}" if where else _message(found)
