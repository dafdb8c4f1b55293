"""The edXML job on the scheduler's tick: take in what the inbox folder holds and queue the
status packages now due (inside the tick's transaction), then, after the commit, move the
inbox's files and deliver the status packages waiting."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from app.edxml.inbox import move_done, take_inbox
from app.ops.jobs import Job

log = logging.getLogger("app.scheduler")


def run(session: Session, now: dt.datetime) -> dict:
    from app.edxml.status import queue_due

    inbox = take_inbox(session, now)
    return {"inbox": inbox, "queued": queue_due(session)}


def then(session: Session, now: dt.datetime, done: dict) -> dict:
    from app.edxml.outbox import deliver_pending

    move_done(done["inbox"])
    sent = deliver_pending(session)
    counts = {key: len(value) for key, value in done["inbox"].items()}
    if any(counts.values()) or done["queued"] or any(sent.values()):
        log.info("edxml: inbox %s, queued %s, delivery %s", counts, done["queued"], sent)
    return {"inbox": counts, "queued": done["queued"], "sent": sent}


JOBS = (Job("edxml", run=run, then=then),)
