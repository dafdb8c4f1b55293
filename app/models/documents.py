from __future__ import annotations

import datetime as dt
import enum
import re
from typing import TYPE_CHECKING

from sqlalchemy import (
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship, validates

from app.core.i18n import N_
from app.core.office_scope import current_office_id
from app.core.textnorm import fold
from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped
from app.models.people import Department

if TYPE_CHECKING:
    from app.models.files import Attachment


class TaskState(enum.StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    AWAITING_CONFIRMATION = "awaiting_confirmation"
    DONE = "done"
    CANCELLED = "cancelled"
    # The office ended and a successor office took the task over (``app.offices.handover``):
    # closed here from that day, neither done nor cancelled; it goes on in the successor.
    HANDED_OVER = "handed_over"

    @property
    def label(self) -> str:
        return STATE_LABELS[self]

    @property
    def is_closed(self) -> bool:
        """No longer worked on in this office (done, cancelled or handed over)."""
        return self in (TaskState.DONE, TaskState.CANCELLED, TaskState.HANDED_OVER)


OPEN_STATES = (TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.AWAITING_CONFIRMATION)

STATE_LABELS = {
    TaskState.OPEN: N_("Chưa thực hiện"),
    TaskState.IN_PROGRESS: N_("Đang thực hiện"),
    TaskState.AWAITING_CONFIRMATION: N_("Chờ xác nhận"),
    TaskState.DONE: N_("Đã hoàn thành"),
    TaskState.CANCELLED: N_("Hủy"),
    TaskState.HANDED_OVER: N_("Đã chuyển giao"),
}


class DeadlineKind(enum.StrEnum):
    DATE = "date"
    NONE = "none"  # standing task, "thường xuyên"
    WORKING_DAYS = "working_days"


class Issuer(OfficeScoped, db.Model):
    """Cơ quan ban hành: UBND tỉnh, Tỉnh ủy, Thành ủy, UBND thành phố …"""

    __tablename__ = "issuers"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    display_order: Mapped[int] = mapped_column(default=0)
    # Mã định danh (edXML OrganId, e.g. 000.00.00.H37): how a package's sender is matched.
    organ_id: Mapped[str | None] = mapped_column(String(35), index=True)

    def __repr__(self) -> str:
        return f"<Issuer {self.name!r}>"


class Document(OfficeScoped, db.Model):
    """Văn bản chỉ đạo / thông báo kết luận carrying one or more tasks."""

    __tablename__ = "documents"
    __table_args__ = (
        # "The same document": one issuer's number in one year (app.documents.operations).
        UniqueConstraint("issuer_id", "number", "issued_year"),
        # The list's kind filter and its choices (every query names the office). It stands for
        # an index of the office alone and one of the kind alone: with those two, SQLite
        # without statistics read every document of the office to find its kinds.
        Index("ix_documents_office_kind", "office_id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # ``OfficeScoped``'s column without an index of its own (the one above leads with it).
    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id"), default=current_office_id, nullable=False
    )
    number: Mapped[str] = mapped_column(String(64))  # số ký hiệu, e.g. 1044/TB-UBND
    kind: Mapped[str] = mapped_column(String(128), default="")  # the list filter
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id"), index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # The year of issued_on, for the unique key: set with issued_on (``_keep_issued_year``).
    issued_year: Mapped[int] = mapped_column()
    summary: Mapped[str] = mapped_column(Text, default="")  # trích yếu
    signer: Mapped[str] = mapped_column(String(255), default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # Set while the import that created it is still being written (app.models.unfinished).
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("import_jobs.id"))

    issuer: Mapped[Issuer] = relationship()
    tasks: Mapped[list[Task]] = relationship(back_populates="document", order_by="Task.id")
    attachments: Mapped[list[Attachment]] = relationship(
        primaryjoin="Document.id == Attachment.document_id",
        order_by="Attachment.id",
        viewonly=True,
    )

    @validates("issued_on")
    def _keep_issued_year(self, _key: str, value: dt.date | None) -> dt.date | None:
        self.issued_year = value.year if value is not None else None
        return value

    def __repr__(self) -> str:
        return f"<Document {self.number} {self.issued_on}>"


task_cooperators = Table(
    "task_cooperators",
    db.Model.metadata,
    Column("task_id", Integer, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("department_id", Integer, ForeignKey("departments.id"), primary_key=True),
)


class Task(OfficeScoped, db.Model):
    """One assignment inside a document (nội dung / nhiệm vụ).

    The columns hold the current state; the as-of history lives in ``Event`` rows.
    """

    __tablename__ = "tasks"
    __table_args__ = (
        # The overdue list and "my department": open tasks of a department by deadline.
        Index("ix_tasks_lead_state_deadline", "lead_department_id", "state", "deadline"),
        # The office's lists and dashboard: its open tasks by state and deadline, its done
        # tasks by completion date. They lead with the office (every query names it), and
        # stand for an index of the office alone: with one, PostgreSQL read a whole office's
        # tasks through it to find its open ones (50,000 for a province's, 20 ms a list).
        Index("ix_tasks_office_state_deadline", "office_id", "state", "deadline"),
        Index("ix_tasks_office_state_done_on", "office_id", "state", "done_on"),
        # A recurring duty's instance: one per period, whoever creates it (two schedulers).
        UniqueConstraint("series_id", "period", name="uq_tasks_series_period"),
        # An office takes a task of the office above in once (``app.offices.upper_tasks``).
        # Partial: as a whole-table key, SQLite without statistics chose it for every count
        # of an office's own tasks (upper_task_id IS NULL) and read all of them.
        Index(
            "uq_tasks_office_id_upper_task_id",
            "office_id",
            "upper_task_id",
            unique=True,
            sqlite_where=text("upper_task_id IS NOT NULL"),
            postgresql_where=text("upper_task_id IS NOT NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # ``OfficeScoped``'s column without an index of its own (the two above lead with it).
    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id"), default=current_office_id, nullable=False
    )
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    deadline_kind: Mapped[str] = mapped_column(String(16), default=DeadlineKind.DATE)
    deadline_working_days: Mapped[int | None]
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    original_deadline: Mapped[dt.date | None] = mapped_column(Date)
    # The date the document wrote when it fell on a day off and ``deadline`` (what every
    # classification and report counts) is the working day after it; None otherwise.
    deadline_written: Mapped[dt.date | None] = mapped_column(Date)
    state: Mapped[str] = mapped_column(String(32), default=TaskState.OPEN)
    done_on: Mapped[dt.date | None] = mapped_column(Date)
    # From this day on the task is closed (done or cancelled) on every later date: the
    # effective day of its last recorded state change when that change closes it. As-of
    # queries skip tasks closed by their date without reading their events.
    closed_on: Mapped[dt.date | None] = mapped_column(Date, index=True)
    cancel_reason: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Folded content, number and summary (see textnorm.fold) for accent-insensitive search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # The recurring duty this task is one period of ("2025-03", "2025-Q1" …), if any.
    series_id: Mapped[int | None] = mapped_column(ForeignKey("series.id"), index=True)
    period: Mapped[str | None] = mapped_column(String(16))
    # Set while the import that created it is still being written (app.models.unfinished).
    import_job_id: Mapped[int | None] = mapped_column(ForeignKey("import_jobs.id"))
    # Two levels (``app.offices``): the task of the office above that this office took in
    # (a province task given to this commune), and the task of this office that this one is
    # a part of (a division's share of a task taken in).
    upper_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    parent_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)
    # The task of an ended office this one continues (``app.offices.handover``): the ended
    # office's task is closed as handed over from the day this one holds.
    handed_from_task_id: Mapped[int | None] = mapped_column(ForeignKey("tasks.id"), index=True)

    __mapper_args__ = {"version_id_col": version}

    document: Mapped[Document] = relationship(back_populates="tasks")
    lead_department: Mapped[Department] = relationship()
    cooperating_departments: Mapped[list[Department]] = relationship(
        secondary=task_cooperators, order_by="Department.display_order"
    )

    @property
    def code(self) -> str:
        """The task's stable code (Mã nhiệm vụ), written in every export and the template:
        a spreadsheet row carrying it updates this task, whatever else changed."""
        return task_code(self.id)

    @property
    def cooperator_ids(self) -> list[int]:
        return sorted(d.id for d in self.cooperating_departments)

    @property
    def state_label(self) -> str:
        return TaskState(self.state).label

    def refresh_search_text(self) -> None:
        self.search_text = search_text_of(self.content, self.note, self.document)

    def __repr__(self) -> str:
        return f"<Task {self.id} {self.state}>"


@event.listens_for(Session, "before_flush")
def _keep_search_text(session, _context, _instances) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Task):
            obj.refresh_search_text()
        elif isinstance(obj, Document) and obj in session.dirty:
            for task in obj.tasks:
                task.refresh_search_text()


def search_text_of(content: str, note: str, document: Document | None) -> str:
    """A task's folded content, note, document number and summary (``Task.search_text``)."""
    parts = [content, note]
    if document is not None:
        parts += [document.number, document.summary]
    return fold(" ".join(p for p in parts if p))


CODE_PREFIX = "NV-"
_CODE = re.compile(r"^\s*(?:nv)?\s*[-.]?\s*0*(\d{1,12})\s*$", re.IGNORECASE)


def task_code(task_id: int) -> str:
    return f"{CODE_PREFIX}{task_id:05d}"


def task_id_from_code(text: str | None) -> int | None:
    """``NV-00012`` (or ``nv12``, ``12``) → 12; None when it is not a task code."""
    match = _CODE.match(str(text or ""))
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None
