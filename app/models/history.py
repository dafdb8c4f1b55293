from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.extensions import db
from app.models.documents import Task
from app.models.offices import OfficeScoped
from app.models.people import Department, User


class EventKind(enum.StrEnum):
    CREATED = "created"
    IMPORTED = "imported"
    STATE = "state"
    DEADLINE = "deadline"
    EDITED = "edited"
    PROGRESS = "progress"
    EXTENSION_REQUESTED = "extension_requested"
    EXTENSION_DECIDED = "extension_decided"
    TRANSFERRED = "transferred"  # handed to another unit by an organisation change
    # Two levels (app.offices.upper_tasks): an office took in a task of the office above (on
    # its own copy), the office below took this one in (on the task given), a part of a task
    # taken in given to a unit (on the task split).
    TAKEN_IN = "taken_in"
    TAKEN_IN_BELOW = "taken_in_below"
    SUB_TASK = "sub_task"
    HANDED_OVER = "handed_over"  # the office ended: the task goes on in a successor office
    RECEIVED = "received"  # the successor's copy of a task its ended predecessor handed over


class Event(OfficeScoped, db.Model):
    """One recorded change of a task: the audit trail and the source of every as-of answer.

    ``effective_on`` is the date from which the change holds (a completion's date, an
    extension's approval date, a document's issue date for imported history).
    ``state`` is set when the event sets the task's state; ``sets_deadline`` with
    ``deadline`` when it sets the deadline (``deadline`` None: a standing task).
    """

    __tablename__ = "events"
    # A task's history in recorded order, covering the as-of lookups ("the last state or
    # deadline event of this task in effect by a day"): equality on task_id, newest id first.
    __table_args__ = (
        Index(
            "ix_events_task_history",
            "task_id",
            "id",
            "effective_on",
            "state",
            "sets_deadline",
            "deadline",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(String(32))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    state: Mapped[str | None] = mapped_column(String(32))
    sets_deadline: Mapped[bool] = mapped_column(default=False)
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    comment: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()
    task: Mapped[Task] = relationship()


class ProgressReport(OfficeScoped, db.Model):
    """Báo cáo tiến độ: what a department reports on a task."""

    __tablename__ = "progress_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reported_on: Mapped[dt.date] = mapped_column(Date)
    content: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()
    department: Mapped[Department] = relationship()
    user: Mapped[User | None] = relationship()


class ExtensionStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class Extension(OfficeScoped, db.Model):
    """Gia hạn: a request to move a deadline; the deadline moves only on approval."""

    __tablename__ = "extensions"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"), index=True)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    requested_on: Mapped[dt.date] = mapped_column(Date)
    previous_deadline: Mapped[dt.date | None] = mapped_column(Date)
    requested_deadline: Mapped[dt.date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=ExtensionStatus.PENDING, index=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_on: Mapped[dt.date | None] = mapped_column(Date)
    decision_note: Mapped[str] = mapped_column(Text, default="")
    # The deadline the office granted: the one asked for, or another it chose (None before an
    # approval, and on extensions approved before the office could choose).
    approved_deadline: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    task: Mapped[Task] = relationship()
    requested_by: Mapped[User | None] = relationship(foreign_keys=[requested_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
