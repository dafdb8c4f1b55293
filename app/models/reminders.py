from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.office_scope import current_office_id
from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped


class ReminderKind(enum.StrEnum):
    """What ``kind`` columns store; each kind is declared in app/reminders/kinds.py."""

    DIGEST = "digest"  # weekly, per department
    BEFORE_DEADLINE = "before_deadline"
    AFTER_DEADLINE = "after_deadline"
    ESCALATION = "escalation"
    SUMMARY = "summary"  # weekly, office and leaders
    REQUESTS = "office_requests"  # new requests waiting for the office, to the office
    DECISIONS = "decisions"  # the office's decisions, to the lead department's head


class ReminderStatus(enum.StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class Reminder(OfficeScoped, db.Model):
    """One e-mail the scheduler decided to send, unique per kind, recipient, scope and period.

    The unique key is what makes a reminder go out once, whatever number of schedulers
    run or restart: deciding twice inserts nothing the second time.
    """

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("office_id", "kind", "recipient_email", "scope", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    recipient_email: Mapped[str] = mapped_column(String(255))
    recipient_name: Mapped[str] = mapped_column(String(255), default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    scope: Mapped[str] = mapped_column(String(64))  # "department:3", "user:5", "all"
    period: Mapped[str] = mapped_column(String(64))  # "2026-W48", "2026-12-01"
    subject: Mapped[str] = mapped_column(String(255))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    task_ids: Mapped[list[int] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=ReminderStatus.PENDING, index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    # None: as soon as possible; set after a failed try (naive UTC).
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    claimed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    transport: Mapped[str] = mapped_column(String(16), default="")  # smtp / file
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class ReminderSchedule(OfficeScoped, db.Model):
    """When a kind of reminder is decided: a crontab in Asia/Ho_Chi_Minh, editable by admins."""

    __tablename__ = "reminder_schedules"

    office_id: Mapped[int] = mapped_column(
        ForeignKey("offices.id"), primary_key=True, default=current_office_id
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    cron: Mapped[str] = mapped_column(String(64))
    enabled: Mapped[bool] = mapped_column(default=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    # An optional kind the admin made mandatory: no user may opt out of it. Kinds declared
    # mandatory (``optional=False`` in app/reminders/kinds.py) always are.
    mandatory: Mapped[bool] = mapped_column(default=False, server_default=false())


class SchedulerRun(OfficeScoped, db.Model):
    """A scheduled decision that has been made (kind + nominal fire time), so it is made once.

    A row with nothing created may also mark where a kind started (its first tick, or its
    schedule switched on or changed): times before it are never sent.
    """

    __tablename__ = "scheduler_runs"
    __table_args__ = (UniqueConstraint("office_id", "kind", "fire_time"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    fire_time: Mapped[dt.datetime] = mapped_column(DateTime)  # naive local time
    ran_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created: Mapped[int] = mapped_column(default=0)


class ReminderPreference(db.Model):
    """A user's choice for an optional kind (absent: the default for their role)."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    subscribed: Mapped[bool]


class ReminderDeputy(db.Model):
    """Who receives a unit head's digests instead of them while they are away: from
    ``starts_on`` to ``ends_on`` inclusive, in the office's local dates. One per head."""

    __tablename__ = "reminder_deputies"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="period"),
        CheckConstraint("deputy_id <> user_id", name="not_oneself"),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    deputy_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    user = relationship("User", foreign_keys=[user_id])
    deputy = relationship("User", foreign_keys=[deputy_id])
