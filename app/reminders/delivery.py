"""Delivering decided reminders: SMTP, or .eml files when no SMTP server is configured.

Each reminder is claimed (pending → sending) in its own committed transaction before the
SMTP conversation, then marked sent, so two senders never deliver the same row. A failure
is retried with a growing delay; after the last try the reminder is marked failed.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import ssl
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session

from app.models import Reminder
from app.models.reminders import ReminderStatus
from app.reminders.compose import one_line
from app.timeutil import utcnow

MAX_ATTEMPTS = 5
BASE_DELAY = dt.timedelta(minutes=1)
STALE_CLAIM = dt.timedelta(minutes=15)


# Bodies in quoted-printable: readable in an .eml file and in a mail log, unlike base64.
BODY_CHARSET = Charset("utf-8")
BODY_CHARSET.body_encoding = QP


def encoded_header(text: str) -> Header:
    """A header value in UTF-8 encoded words, split where the encoding allows.

    The ``email`` package's default policy folds a long non-ASCII header between two encoded
    words at a space and loses that space ("1 sắp đếnhạn"); ``Header`` keeps spaces inside
    the encoded words, so every reader decodes exactly the text that was meant.
    """
    return Header(one_line(text), "utf-8")


def build_message(reminder: Reminder, sender: str, sender_name: str) -> Message:
    message = MIMEMultipart("alternative")
    message["Subject"] = encoded_header(reminder.subject)
    message["From"] = formataddr((one_line(sender_name), sender), charset="utf-8")
    message["To"] = formataddr(
        (one_line(reminder.recipient_name), reminder.recipient_email), charset="utf-8"
    )
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(idstring=f"reminder-{reminder.id}", domain="tracker")
    message["X-Reminder-Key"] = one_line(f"{reminder.kind}/{reminder.scope}/{reminder.period}")
    message.attach(MIMEText(reminder.body_text, "plain", BODY_CHARSET))
    message.attach(MIMEText(reminder.body_html, "html", BODY_CHARSET))
    return message


def outbox_dir() -> Path:
    configured = current_app.config.get("OUTBOX_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "outbox"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _deliver(message: Message, reminder: Reminder) -> str:
    config = current_app.config
    host = config.get("SMTP_HOST")
    if not host:
        name = f"{reminder.id:06d}-{reminder.kind}-{reminder.period}.eml".replace(":", "-")
        (outbox_dir() / name).write_bytes(bytes(message))
        return "file"
    port = int(config.get("SMTP_PORT") or 25)
    with smtplib.SMTP(host, port, timeout=30) as smtp:
        if str(config.get("SMTP_STARTTLS", "")).lower() in ("1", "true", "yes"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("SMTP_USER"):
            smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        smtp.send_message(message)
    return "smtp"


def _claim(session: Session, reminder_id: int, now: dt.datetime) -> bool:
    result = session.execute(
        update(Reminder)
        .where(
            Reminder.id == reminder_id,
            or_(
                Reminder.status == ReminderStatus.PENDING,
                (Reminder.status == ReminderStatus.SENDING)
                & (Reminder.claimed_at < now - STALE_CLAIM),
            ),
        )
        .values(status=ReminderStatus.SENDING, claimed_at=now, attempts=Reminder.attempts + 1)
    )
    session.commit()
    return result.rowcount == 1


def send_pending(session: Session, now: dt.datetime | None = None, limit: int = 500) -> dict:
    """Deliver what is due; returns counts of sent, retried and failed reminders."""
    now = now or utcnow()
    config = current_app.config
    sender = config.get("MAIL_FROM") or "nhacviec@localhost"
    sender_name = config.get("MAIL_FROM_NAME") or "Hệ thống theo dõi văn bản chỉ đạo"
    ids = session.scalars(
        select(Reminder.id)
        .where(
            or_(
                Reminder.status == ReminderStatus.PENDING,
                (Reminder.status == ReminderStatus.SENDING)
                & (Reminder.claimed_at < now - STALE_CLAIM),
            ),
            or_(Reminder.next_attempt_at.is_(None), Reminder.next_attempt_at <= now),
        )
        .order_by(Reminder.id)
        .limit(limit)
    ).all()
    session.commit()
    counts = {"sent": 0, "retry": 0, "failed": 0}
    for reminder_id in ids:
        if not _claim(session, reminder_id, now):
            continue  # another sender has it
        reminder = session.get(Reminder, reminder_id)
        try:
            reminder.transport = _deliver(build_message(reminder, sender, sender_name), reminder)
        except (smtplib.SMTPException, OSError) as error:
            reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
            if reminder.attempts >= MAX_ATTEMPTS:
                reminder.status = ReminderStatus.FAILED
                counts["failed"] += 1
            else:
                reminder.status = ReminderStatus.PENDING
                reminder.next_attempt_at = now + BASE_DELAY * (2 ** (reminder.attempts - 1))
                counts["retry"] += 1
        else:
            reminder.status = ReminderStatus.SENT
            reminder.sent_at = utcnow()
            reminder.last_error = ""
            counts["sent"] += 1
        session.commit()
    return counts
