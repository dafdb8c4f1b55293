"""The web layer's job on the scheduler's tick: the one-time keys of writes older than a day
are forgotten (a repeat comes within minutes, not days)."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from app.ops.jobs import Job
from app.web.idempotency import forget_old_keys

log = logging.getLogger("app.scheduler")


def forget_keys(session: Session, _now: dt.datetime) -> int:
    forgotten = forget_old_keys(session)
    if forgotten:
        log.info("forgot %s one-time keys of writes", forgotten)
    return forgotten


JOBS = (Job("idempotency", run=forget_keys),)
