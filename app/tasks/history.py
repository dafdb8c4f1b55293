"""A task's timeline in words: events with who, when and what changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.i18n import N_
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
}


@dataclass
class Entry:
    event: Event
    title: str
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # label, before, after
    progress: ProgressReport | None = None
    attachments: list[Attachment] = field(default_factory=list)


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
    out = []
    for key, label in FIELD_LABELS.items():
        before, after = event.before.get(key), event.after.get(key)
        if key in event.after and before != after:
            out.append((label, _show(key, before, departments), _show(key, after, departments)))
    return out


def department_names(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Department.id, Department.name)).all())


def timeline(session: Session, task: Task, since_event_id: int = 0) -> list[Entry]:
    """Newest first; ``since_event_id`` keeps only what was recorded after that event."""
    departments = department_names(session)
    events = session.scalars(
        select(Event)
        .where(Event.task_id == task.id, Event.id > since_event_id)
        .options(joinedload(Event.user))
        .order_by(Event.id.desc())
    ).all()
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
        entry = Entry(
            event, KIND_TITLES.get(event.kind, event.kind), describe_changes(event, departments)
        )
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
