"""Delivering status packages: written to the outbox folder (``EDXML_OUTBOX_DIR``) and/or
posted to the e-office's endpoint (``EDXML_STATUS_URL``), retried on failure with the mail's
growing delays (app.reminders.delivery), each attempt logged beside the package and shown on
the document's page. Only the scheduler (and ``flask edxml outbox --send``) delivers."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from pathlib import Path

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.private import private_folder, write_private
from app.core.timeutil import utcnow
from app.models.edxml import StatusAttempt, StatusMessage
from app.reminders.delivery import MAX_ATTEMPTS, RETRY_DELAYS

POST_TIMEOUT_SECONDS = 20


def file_name(message: StatusMessage) -> str:
    return f"status-{message.id:06d}-{message.code}.xml"


def _to_folder(folder: str, message: StatusMessage) -> str:
    path = private_folder(Path(folder)) / file_name(message)
    partial = path.with_name("." + path.name + ".part")
    write_private(partial, message.xml.encode("utf-8"))
    partial.rename(path)  # a connector never reads half a file
    return str(path)


def _post(url: str, message: StatusMessage) -> str:
    headers = {"Content-Type": "application/xml; charset=utf-8"}
    token = current_app.config.get("EDXML_STATUS_TOKEN")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    request = urllib.request.Request(
        url, data=message.xml.encode("utf-8"), headers=headers, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=POST_TIMEOUT_SECONDS) as answer:  # noqa: S310
            return f"HTTP {answer.status}"
    except urllib.error.HTTPError as error:
        error.close()
        raise OSError(f"HTTP {error.code} {error.reason}") from None


def targets() -> list[tuple[str, str]]:
    config = current_app.config
    found = []
    if config.get("EDXML_OUTBOX_DIR"):
        found.append(("folder", config["EDXML_OUTBOX_DIR"]))
    if config.get("EDXML_STATUS_URL"):
        found.append(("url", config["EDXML_STATUS_URL"]))
    return found


def deliver(session: Session, message: StatusMessage, now: dt.datetime) -> bool:
    """One attempt at every configured target, each logged; True when all took it."""
    ok = True
    for kind, where in targets():
        try:
            detail = _to_folder(where, message) if kind == "folder" else _post(where, message)
            good = True
        except (OSError, urllib.error.URLError, ValueError) as error:
            detail, good = f"{type(error).__name__}: {error}"[:500], False
        message.log.append(StatusAttempt(at=now, target=where[:255], ok=good, detail=detail))
        ok = ok and good
    message.attempts += 1
    if ok:
        message.state, message.sent_at, message.next_attempt_at = "sent", now, None
    elif message.attempts >= MAX_ATTEMPTS:
        message.state, message.next_attempt_at = "failed", None
    else:
        message.next_attempt_at = now + RETRY_DELAYS[message.attempts - 1]
    return ok


def deliver_pending(session: Session, now: dt.datetime | None = None, limit: int = 200) -> dict:
    """Deliver what is due (committed one by one)."""
    counts = {"sent": 0, "retry": 0, "failed": 0}
    if not targets():
        return counts
    now = now or utcnow()
    due = session.scalars(
        select(StatusMessage)
        .where(
            StatusMessage.state == "pending",
            or_(StatusMessage.next_attempt_at.is_(None), StatusMessage.next_attempt_at <= now),
        )
        .order_by(StatusMessage.id)
        .limit(limit)
    ).all()
    for message in due:
        if deliver(session, message, now):
            counts["sent"] += 1
        else:
            counts["failed" if message.state == "failed" else "retry"] += 1
        session.commit()
    return counts


def status_messages(session: Session, document_id: int) -> list[StatusMessage]:
    """The status packages answering a document, in order, each with its attempts."""
    return list(
        session.scalars(
            select(StatusMessage)
            .where(StatusMessage.document_id == document_id)
            .order_by(StatusMessage.id)
        )
    )
