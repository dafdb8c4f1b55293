from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ImportJob(OfficeScoped, db.Model):
    """An import from the web page, run by the scheduler process: a preview (``kind`` preview:
    what would change, nothing kept) or the import itself, with how far it has got."""

    __tablename__ = "import_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # preview, import
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))  # the upload in instance/imports
    choices: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    phase: Mapped[str] = mapped_column(String(16), default="")  # read, check, write
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # counts and rows, or problems
    journal: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # what a batch wrote so far
    error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
