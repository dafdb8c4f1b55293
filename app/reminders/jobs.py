"""The reminders' job on the scheduler's tick: decide the mails now due (committed with the
tick), then deliver what is pending."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from app.core.timeutil import LOCAL_TZ
from app.ops.jobs import Job
from app.reminders.decide import decide_due
from app.reminders.delivery import send_pending

log = logging.getLogger("app.scheduler")


def deliver(session: Session, now: dt.datetime, decided: dict) -> dict:
    """After the tick's commit: send what is pending as of ``now`` (local time)."""
    utc_now = now.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)
    sent = send_pending(session, utc_now)
    if decided or any(sent.values()):
        log.info("decided %s, delivery %s", decided, sent)
    return {"decided": decided, "sent": sent}


JOBS = (Job("reminders", run=decide_due, then=deliver),)
