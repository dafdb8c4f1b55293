"""Writing reminders: one row per e-mail under a unique key, so nothing is decided twice; what
was already told; the signed link to unsubscribe from an optional kind.

Functions flush and use savepoints; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from flask import current_app
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Reminder
from app.reminders.audience import Recipient
from app.reminders.compose import Mail
from app.reminders.kind import Kind

HISTORY_DAYS = 120  # how far back "already reminded about this task" is looked up


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="reminder-unsubscribe")


def unsubscribe_token(user_id: int, kind: str) -> str:
    return _serializer().dumps([user_id, kind])


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    try:
        user_id, kind = _serializer().loads(token)
    except (BadData, TypeError, ValueError):  # forged, truncated or malformed
        return None
    return int(user_id), str(kind)


def unsubscribe_url(recipient: Recipient, kind: Kind) -> str | None:
    # A deputy's mail is the head's: refusing it is the head's choice.
    if recipient.user_id is None or not kind.optional or recipient.on_behalf:
        return None
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return f"{base}/nhac-viec/huy-dang-ky/{unsubscribe_token(recipient.user_id, kind.value)}"


def insert_once(
    session: Session,
    kind: str,
    recipient: Recipient,
    scope: str,
    period: str,
    mail: Mail,
    department_id: int | None = None,
    task_ids: list | None = None,
) -> bool:
    """Write the reminder unless one with the same key exists; True when written."""
    key = (
        Reminder.kind == kind,
        Reminder.recipient_email == recipient.email,
        Reminder.scope == scope,
        Reminder.period == period,
    )
    if session.scalar(select(Reminder.id).where(*key)) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(
                Reminder(
                    kind=kind,
                    recipient_email=recipient.email,
                    recipient_name=recipient.name,
                    user_id=recipient.user_id,
                    department_id=department_id,
                    scope=scope,
                    period=period,
                    subject=mail.subject,
                    body_text=mail.text,
                    body_html=mail.html,
                    task_ids=task_ids or mail.task_keys,
                )
            )
    except IntegrityError:  # another scheduler wrote it first
        return False
    return True


def already_reminded(session: Session, kind: str, today: dt.date) -> dict[str, set[str]]:
    """Task keys already sent to each recipient for ``kind`` (a task is named once)."""
    since = dt.datetime.combine(today - dt.timedelta(days=HISTORY_DAYS), dt.time())
    seen: dict[str, set[str]] = defaultdict(set)
    for email, keys in session.execute(
        select(Reminder.recipient_email, Reminder.task_ids).where(
            Reminder.kind == kind, Reminder.created_at >= since
        )
    ):
        seen[email].update(str(k) for k in keys or [])
    return seen
