from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped


class Series(OfficeScoped, db.Model):
    """A recurring duty of a document ("hằng tháng, trước ngày 20"): each period becomes a
    task of its own (``Task.series_id``, ``Task.period``), created ahead of time."""

    __tablename__ = "series"

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    content: Mapped[str] = mapped_column(Text)
    lead_department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    cooperator_ids: Mapped[list[int] | None] = mapped_column(JSON)
    phrase: Mapped[str] = mapped_column(String(255))  # as written, e.g. "hằng quý, trước ngày 15"
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)  # recurrence.Rule's fields
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    max_count: Mapped[int | None]
    # None: each period's task is created when the period begins; N: at the latest N working
    # days before its deadline (whichever comes first)
    lead_working_days: Mapped[int | None]
    active: Mapped[bool] = mapped_column(default=True)
    stopped_on: Mapped[dt.date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    document = relationship("Document")
    lead_department = relationship("Department")
