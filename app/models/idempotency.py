from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.timeutil import utcnow
from app.extensions import db


class IdempotencyKey(db.Model):
    """A write sent with a one-time key (a form's hidden key, the API's ``Idempotency-Key``)
    that was applied: written in the transaction of the change it guards, so a saved change
    always has its record and a rolled-back one never does. Its answer (status, body or
    redirect) is added once the answer is made: a repeat of the request gets that answer
    again instead of applying the change twice. Kept a day (the scheduler removes older ones).
    """

    __tablename__ = "idempotency_keys"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(128))
    method: Mapped[str] = mapped_column(String(8))
    path: Mapped[str] = mapped_column(String(2000))
    body_hash: Mapped[str] = mapped_column(String(64))  # SHA-256 of what was sent
    # The answer, once made (None: the request is still being answered, or its answer was lost)
    status: Mapped[int | None] = mapped_column(Integer)
    content_type: Mapped[str | None] = mapped_column(String(255))
    body: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(String(2000))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
