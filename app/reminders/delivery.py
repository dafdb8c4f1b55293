"""Delivering decided reminders: SMTP, or .eml files when no SMTP server is configured.

Each reminder is claimed (pending → sending) in its own committed transaction before the
SMTP conversation, then marked sent, so two senders never deliver the same row. A failure
is retried with a growing delay spread over about eight hours (an SMTP server down for an
afternoon loses nothing); after the last try the reminder is marked failed, and an admin can
send the failed ones again (``retry_failed``: the admin's page or ``flask reminders
retry-failed``). Only the scheduler process delivers; web requests only queue.
"""

from __future__ import annotations

import datetime as dt
import logging
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

from app.core.timeutil import utcnow
from app.models import Reminder
from app.models.reminders import ReminderStatus
from app.ops.config_check import sender_problem
from app.reminders.compose import one_line

log = logging.getLogger("app.scheduler")

# The wait after the 1st, 2nd, … failed try: 1 + 5 + 15 + 30 + 60 + 120 + 240 minutes, so the
# last of the eight tries comes about 7.8 hours after the first.
RETRY_DELAYS = [dt.timedelta(minutes=m) for m in (1, 5, 15, 30, 60, 120, 240)]
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
STALE_CLAIM = dt.timedelta(minutes=15)
SMTP_TIMEOUT_SECONDS = 20  # a server that accepts and never answers cannot hold a sender


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


class _Outgoing:
    """Where a pass of ``send_pending`` delivers: the outbox folder without ``SMTP_HOST``, else
    one SMTP connection (with STARTTLS and login once), opened for the first message and kept
    for the next ones. After an error it is closed, and the next message opens a new one; a
    kept connection the server has dropped meanwhile (idle, or its limit of messages per
    connection) is reopened once for the same message."""

    def __init__(self) -> None:
        self.config = current_app.config
        self.smtp: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        config = self.config
        port = int(config.get("SMTP_PORT") or 25)
        timeout = float(config.get("SMTP_TIMEOUT") or SMTP_TIMEOUT_SECONDS)
        smtp = smtplib.SMTP(config["SMTP_HOST"], port, timeout=timeout)
        try:
            if str(config.get("SMTP_STARTTLS", "")).lower() in ("1", "true", "yes"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
        except BaseException:
            smtp.close()
            raise
        return smtp

    def deliver(self, message: Message, reminder: Reminder) -> str:
        if not self.config.get("SMTP_HOST"):
            name = f"{reminder.id:06d}-{reminder.kind}-{reminder.period}.eml".replace(":", "-")
            (outbox_dir() / name).write_bytes(bytes(message))
            return "file"
        while True:
            kept = self.smtp is not None
            if not kept:
                self.smtp = self._open()
            try:
                self.smtp.send_message(message)
                return "smtp"
            except smtplib.SMTPServerDisconnected:
                self.close()
                if not kept:
                    raise  # a new connection that drops: the server's trouble
            except BaseException:
                self.close()
                raise

    def close(self) -> None:
        smtp, self.smtp = self.smtp, None
        if smtp is None:
            return
        try:
            smtp.quit()
        except (smtplib.SMTPException, OSError):
            smtp.close()


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
    """Deliver what is due; returns counts of sent, retried and failed reminders, and of those
    left waiting because the sender is refused (``sender_problem``: an SMTP server is set but
    MAIL_FROM is an address at localhost outside development; logged with the reason)."""
    now = now or utcnow()
    config = current_app.config
    sender = config.get("MAIL_FROM") or ""
    sender_name = config.get("MAIL_FROM_NAME") or ""
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
    refused = sender_problem(config) if config.get("SMTP_HOST") else None
    if refused:
        if ids:  # left pending: they go out once MAIL_FROM is corrected
            log.error("%s reminders not sent: MAIL_FROM: %s", len(ids), refused)
        return {**counts, "refused": len(ids)}
    outgoing = _Outgoing()
    try:
        for reminder_id in ids:
            _send_one(session, reminder_id, now, outgoing, sender, sender_name, counts)
    finally:
        outgoing.close()
    return counts


def _send_one(session, reminder_id, now, outgoing: _Outgoing, sender, sender_name, counts) -> None:
    """Claim one reminder, deliver it and record how it went (committed)."""
    if not _claim(session, reminder_id, now):
        return  # another sender has it
    reminder = session.get(Reminder, reminder_id)
    try:
        message = build_message(reminder, sender, sender_name)
        reminder.transport = outgoing.deliver(message, reminder)
    except (smtplib.SMTPException, OSError) as error:
        reminder.last_error = f"{type(error).__name__}: {error}"[:2000]
        if reminder.attempts >= MAX_ATTEMPTS:
            reminder.status = ReminderStatus.FAILED
            counts["failed"] += 1
        else:
            reminder.status = ReminderStatus.PENDING
            reminder.next_attempt_at = now + RETRY_DELAYS[reminder.attempts - 1]
            counts["retry"] += 1
    else:
        reminder.status = ReminderStatus.SENT
        reminder.sent_at = utcnow()
        reminder.last_error = ""
        counts["sent"] += 1
    session.commit()


def retry_failed(session: Session, ids: list[int] | None = None) -> int:
    """Put failed reminders (all, or those of ``ids``) back in the queue for the sender, as
    if new; returns how many. The caller commits."""
    query = (
        update(Reminder)
        .where(Reminder.status == ReminderStatus.FAILED)
        .values(status=ReminderStatus.PENDING, attempts=0, next_attempt_at=None, claimed_at=None)
    )
    if ids is not None:
        query = query.where(Reminder.id.in_(ids))
    return session.execute(query).rowcount


MAIL_TROUBLE_WINDOW = dt.timedelta(hours=24)


def mail_trouble(session: Session, now: dt.datetime | None = None) -> dict | None:
    """What the admin should know about mail that is not getting through: reminders failed for
    good, and reminders waiting for another try after an error; None when all is well."""
    from sqlalchemy import func

    now = now or utcnow()
    failed = session.scalar(
        select(func.count(Reminder.id)).where(Reminder.status == ReminderStatus.FAILED)
    )
    retrying = session.scalar(
        select(func.count(Reminder.id)).where(
            Reminder.status == ReminderStatus.PENDING,
            Reminder.attempts > 0,
            Reminder.created_at >= now - MAIL_TROUBLE_WINDOW,
        )
    )
    if not failed and not retrying:
        return None
    last = session.scalar(
        select(Reminder.last_error)
        .where(Reminder.last_error != "", Reminder.status != ReminderStatus.SENT)
        .order_by(Reminder.id.desc())
        .limit(1)
    )
    return {"failed": failed or 0, "retrying": retrying or 0, "last_error": (last or "")[:300]}
