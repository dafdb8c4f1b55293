"""Organisation changes: a unit's names over time, its mergers, splits and dissolution,
and the tasks handed over to its successors.

A change is recorded once with its effective date and the decision that made it; the units
it ends get ``Department.ended_on``, the names a rename replaced stay in ``DepartmentName``
with the last day they were in force, and every open task handed over has a ``TaskTransfer``
(the as-of queries read the lead of a task on a day from them) beside an event in its history.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped
from app.models.people import Department, User


class ChangeKind(enum.StrEnum):
    RENAME = "rename"
    MERGE = "merge"
    SPLIT = "split"
    DISSOLVE = "dissolve"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self]


CHANGE_LABELS = {
    ChangeKind.RENAME: N_("Đổi tên"),
    ChangeKind.MERGE: N_("Hợp nhất, sáp nhập"),
    ChangeKind.SPLIT: N_("Chia tách"),
    ChangeKind.DISSOLVE: N_("Giải thể"),
}


class UnitChange(OfficeScoped, db.Model):
    """One organisation change, in force from ``effective_on``."""

    __tablename__ = "unit_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    effective_on: Mapped[dt.date] = mapped_column(Date, index=True)
    # The decision that made it: number and date, free text ("Quyết định số 12/QĐ-UBND …").
    decision: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    entered_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # A rename's names; for the other kinds the parts say which units went where.
    old_name: Mapped[str | None] = mapped_column(String(255))
    new_name: Mapped[str | None] = mapped_column(String(255))
    # What the change altered, before and after (units, tasks, people, recurring duties, the
    # events it wrote, the units it created): what undoing it restores. None for a change
    # entered before undo existed or loaded from an archive: it cannot be undone.
    undo: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    entered_by: Mapped[User | None] = relationship()
    parts: Mapped[list[UnitChangePart]] = relationship(
        back_populates="change", order_by="UnitChangePart.id", cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return ChangeKind(self.kind).label

    def units(self, role: str) -> list[Department]:
        return [p.department for p in self.parts if p.role == role]


class UnitChangePart(db.Model):
    """A unit a change ended (``from``) or that received its work (``to``)."""

    __tablename__ = "unit_change_parts"

    id: Mapped[int] = mapped_column(primary_key=True)
    change_id: Mapped[int] = mapped_column(
        ForeignKey("unit_changes.id", ondelete="CASCADE"), index=True
    )
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    role: Mapped[str] = mapped_column(String(8))  # "from" or "to"

    change: Mapped[UnitChange] = relationship(back_populates="parts")
    department: Mapped[Department] = relationship()


class DepartmentName(db.Model):
    """A name a unit bore up to and including ``until`` (the day before a rename)."""

    __tablename__ = "department_names"

    id: Mapped[int] = mapped_column(primary_key=True)
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"), index=True)
    name: Mapped[str] = mapped_column(String(255), index=True)
    until: Mapped[dt.date] = mapped_column(Date)
    change_id: Mapped[int | None] = mapped_column(ForeignKey("unit_changes.id"))


class TaskTransfer(db.Model):
    """An open task handed from one lead unit to another by a change, from ``effective_on``.

    The lead of a task on day D: the receiving unit of its last transfer in effect by D; before
    its first transfer, the unit that transfer took it from; with none, ``Task.lead_department``.
    """

    __tablename__ = "task_transfers"
    __table_args__ = (Index("ix_task_transfers_task", "task_id", "id", "effective_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("tasks.id", ondelete="CASCADE"))
    effective_on: Mapped[dt.date] = mapped_column(Date)
    from_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    to_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    change_id: Mapped[int | None] = mapped_column(ForeignKey("unit_changes.id"), index=True)
