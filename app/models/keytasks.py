"""Key task groups (nhóm nhiệm vụ trọng tâm) and the office's evaluations of groups and units."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.extensions import db
from app.models.documents import Issuer, Task
from app.models.offices import OfficeScoped
from app.models.people import Department, User

key_task_members = Table(
    "key_task_members",
    db.Model.metadata,
    Column(
        "group_id",
        Integer,
        ForeignKey("key_task_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("task_id", Integer, ForeignKey("tasks.id", ondelete="CASCADE"), primary_key=True),
)


class KeyTaskGroup(OfficeScoped, db.Model):
    """A group of key tasks a body gave for a year or a period; it holds tasks of any
    documents, and a task may belong to several groups."""

    __tablename__ = "key_task_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    issuer_id: Mapped[int] = mapped_column(ForeignKey("issuers.id"), index=True)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    # The day the group was given; a report as of an earlier day does not count it.
    given_on: Mapped[dt.date] = mapped_column(Date)
    display_order: Mapped[int] = mapped_column(default=0)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    issuer: Mapped[Issuer] = relationship()
    tasks: Mapped[list[Task]] = relationship(secondary=key_task_members, order_by="Task.id")

    def __repr__(self) -> str:
        return f"<KeyTaskGroup {self.id} {self.name!r}>"


class Evaluation(OfficeScoped, db.Model):
    """A grade the office recorded for a group or for a unit over a period, in effect from
    ``effective_on``; a revision is a new row naming the one it revises and the reason."""

    __tablename__ = "evaluations"

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("key_task_groups.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    period_from: Mapped[dt.date] = mapped_column(Date)
    period_to: Mapped[dt.date] = mapped_column(Date)
    effective_on: Mapped[dt.date] = mapped_column(Date)
    grade: Mapped[str] = mapped_column(String(128))
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[str] = mapped_column(String(255), default="")
    revises_id: Mapped[int | None] = mapped_column(ForeignKey("evaluations.id"))
    reason: Mapped[str] = mapped_column(Text, default="")
    # What the product proposed when the grade was recorded, and the figures it came from.
    proposal: Mapped[str] = mapped_column(String(128), default="")
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    group: Mapped[KeyTaskGroup | None] = relationship()
    department: Mapped[Department | None] = relationship()
    recorded_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Evaluation {self.id} {self.grade!r} from {self.effective_on}>"
