"""A task's timeline in words: events with who, when and what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.core.i18n import N_
from app.models import Attachment, Department, Event, ProgressReport, Task
from app.models.documents import DeadlineKind, TaskState
from app.models.history import EventKind

FIELD_LABELS = {
    "content": N_("Nội dung"),
    "lead_department_id": N_("Đơn vị chủ trì"),
    "cooperating_department_ids": N_("Đơn vị phối hợp"),
    "deadline": N_("Thời hạn"),
    "deadline_kind": N_("Loại thời hạn"),
    "deadline_working_days": N_("Số ngày làm việc"),
    "state": N_("Tình trạng"),
    "done_on": N_("Ngày hoàn thành"),
    "note": N_("Ghi chú"),
}
KIND_TITLES = {
    EventKind.CREATED: N_("Giao nhiệm vụ"),
    EventKind.IMPORTED: N_("Nhập từ bảng tính"),
    EventKind.STATE: N_("Đổi tình trạng"),
    EventKind.DEADLINE: N_("Đổi thời hạn"),
    EventKind.EDITED: N_("Sửa nhiệm vụ"),
    EventKind.PROGRESS: N_("Báo cáo tiến độ"),
    EventKind.EXTENSION_REQUESTED: N_("Đề nghị gia hạn"),
    EventKind.EXTENSION_DECIDED: N_("Từ chối gia hạn"),
    EventKind.TRANSFERRED: N_("Chuyển đơn vị theo thay đổi tổ chức"),
    EventKind.TAKEN_IN: N_("Tiếp nhận nhiệm vụ cấp trên giao"),
    EventKind.TAKEN_IN_BELOW: N_("Cấp dưới tiếp nhận nhiệm vụ"),
    EventKind.SUB_TASK: N_("Giao phần việc cho đơn vị"),
    EventKind.HANDED_OVER: N_("Chuyển giao cho cơ quan kế thừa"),
    EventKind.RECEIVED: N_("Tiếp nhận từ cơ quan đã kết thúc"),
}


STATE_TITLES = {
    TaskState.AWAITING_CONFIRMATION: N_("Đề nghị hoàn thành"),
    TaskState.DONE: N_("Xác nhận hoàn thành"),
    TaskState.CANCELLED: N_("Hủy nhiệm vụ"),
    TaskState.IN_PROGRESS: N_("Bắt đầu thực hiện"),
    TaskState.OPEN: N_("Đổi tình trạng"),
}
SENT_BACK = N_("Trả lại, chưa xác nhận hoàn thành")
EXTENDED = N_("Gia hạn đến %(day)s")
EXTENDED_OTHER = N_("Gia hạn đến %(day)s (đề nghị %(asked)s)")
# What decide_extension writes on the deadline event, followed by ": " and the office's comment
# when it gave one.
APPROVAL_COMMENT = "Phê duyệt gia hạn"
# Comments the workflow writes by itself: the title already says them.
DEFAULT_COMMENTS = {
    "Báo cáo tiến độ",
    "Đề nghị xác nhận hoàn thành",
    "Xác nhận hoàn thành",
    APPROVAL_COMMENT,
}
# Shown only when the deadline itself did not change: how it is counted is a detail then.
DEADLINE_DETAILS = ("Loại thời hạn", "Số ngày làm việc")


def approval_comment(note: str) -> str:
    """The comment of an approval's deadline event: the marker, and the office's words."""
    return f"{APPROVAL_COMMENT}: {note}" if note else APPROVAL_COMMENT


def is_approval(event: Event) -> bool:
    """Whether ``event`` is the deadline an approved extension set."""
    comment = event.comment or ""
    return event.kind == EventKind.DEADLINE and (
        comment == APPROVAL_COMMENT or comment.startswith(f"{APPROVAL_COMMENT}: ")
    )


def approval_note(event: Event) -> str:
    """The office's comment on an approval ("" when it gave none)."""
    return (event.comment or "").removeprefix(APPROVAL_COMMENT).removeprefix(": ")


@dataclass
class Entry:
    event: Event
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    progress: ProgressReport | None = None
    attachments: list[Attachment] = field(default_factory=list)
    title_args: dict[str, str] = field(default_factory=dict)

    @property
    def note(self) -> str:
        """The comment worth showing beside the title (none when it repeats it)."""
        comment = (self.event.comment or "").strip()
        if comment in DEFAULT_COMMENTS:
            return ""
        if self.title == SENT_BACK and comment.startswith("Trả lại: "):
            return comment[len("Trả lại: ") :]
        if is_approval(self.event):
            return approval_note(self.event)
        return comment


def title_of(event: Event) -> tuple[str, dict[str, str]]:
    """What happened, in the office's words ("Đề nghị hoàn thành", "Gia hạn đến …")."""
    after, before = event.after or {}, event.before or {}
    if event.kind == EventKind.STATE and after.get("state") in STATE_TITLES:
        if (
            after["state"] == TaskState.IN_PROGRESS
            and before.get("state") == TaskState.AWAITING_CONFIRMATION
        ):
            return SENT_BACK, {}
        return STATE_TITLES[after["state"]], {}
    if is_approval(event):
        day = _show("deadline", after.get("deadline"), {})
        asked = after.get("requested_deadline")
        if asked and asked != after.get("deadline"):
            return EXTENDED_OTHER, {"day": day, "asked": _show("deadline", asked, {})}
        return EXTENDED, {"day": day}
    return KIND_TITLES.get(event.kind, event.kind), {}


def _show(key: str, value, departments: dict[int, str]) -> str:
    if value in (None, "", []):
        return "—" if key != "deadline" else "Thường xuyên"
    if key == "lead_department_id":
        return departments.get(value, str(value))
    if key == "cooperating_department_ids":
        return "; ".join(departments.get(v, str(v)) for v in value)
    if key in ("deadline", "done_on"):
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    if key == "state":
        return TaskState(value).label
    if key == "deadline_kind":
        return {
            DeadlineKind.DATE: "Ngày cụ thể",
            DeadlineKind.NONE: "Thường xuyên",
            DeadlineKind.WORKING_DAYS: "Số ngày làm việc",
        }.get(value, value)
    return str(value)


def describe_changes(event: Event, departments: dict[int, str]) -> list[tuple[str, str, str]]:
    if not event.before or not event.after:
        return []
    if event.kind == EventKind.STATE or is_approval(event):
        return []  # the title says it ("Xác nhận hoàn thành", "Gia hạn đến …")
    out = []
    for key, label in FIELD_LABELS.items():
        before, after = event.before.get(key), event.after.get(key)
        if key in event.after and before != after:
            out.append((label, _show(key, before, departments), _show(key, after, departments)))
    if any(label == FIELD_LABELS["deadline"] for label, _, _ in out):
        out = [row for row in out if row[0] not in DEADLINE_DETAILS]
    return out


def department_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


@dataclass
class HistoryPage:
    entries: list[Entry]
    older: int | None  # the ``before`` of the next (older) page, None on the last one
    newest: bool  # this is the first page


def history_page(session: Session, task: Task, before: int | None = None) -> HistoryPage:
    """One page of the task's history, newest first, and where the next one starts."""
    entries = timeline(session, task, before_event_id=before, limit=HISTORY_PAGE + 1)
    older = entries[HISTORY_PAGE - 1].event.id if len(entries) > HISTORY_PAGE else None
    return HistoryPage(entries[:HISTORY_PAGE], older, before is None)


HISTORY_PAGE = 50  # entries of a task's history shown at once, newest first


def timeline(
    session: Session,
    task: Task,
    since_event_id: int = 0,
    before_event_id: int | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """Newest first; ``since_event_id`` keeps only what was recorded after that event,
    ``before_event_id`` only what was recorded before it; at most ``limit`` entries (the
    index on (task, id) serves each page at the same cost however long the history)."""
    departments = department_names(session)
    query = (
        select(Event)
        .where(Event.task_id == task.id, Event.id > since_event_id)
        .options(joinedload(Event.user))
        .order_by(Event.id.desc())
    )
    if before_event_id is not None:
        query = query.where(Event.id < before_event_id)
    if limit is not None:
        query = query.limit(limit)
    events = session.scalars(query).all()
    report_ids = [
        e.after["progress_report_id"] for e in events if e.kind == EventKind.PROGRESS and e.after
    ]
    reports = (
        {
            r.id: r
            for r in session.scalars(
                select(ProgressReport).where(ProgressReport.id.in_(report_ids))
            )
        }
        if report_ids
        else {}
    )
    files: dict[int, list[Attachment]] = {}
    if report_ids:
        for attachment in session.scalars(
            select(Attachment)
            .where(Attachment.progress_report_id.in_(report_ids))
            .order_by(Attachment.id)
        ):
            files.setdefault(attachment.progress_report_id, []).append(attachment)
    entries = []
    for event in events:
        title, args = title_of(event)
        entry = Entry(event, title, describe_changes(event, departments), title_args=args)
        if event.kind == EventKind.PROGRESS and event.after:
            entry.progress = reports.get(event.after["progress_report_id"])
            entry.attachments = files.get(event.after["progress_report_id"], [])
        entries.append(entry)
    return entries


def last_event_id(session: Session, task: Task) -> int:
    return (
        session.scalar(
            select(Event.id).where(Event.task_id == task.id).order_by(Event.id.desc()).limit(1)
        )
        or 0
    )
