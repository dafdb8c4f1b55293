"""The recurring duties' job on the scheduler's tick: each series' task of a new period."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy.orm import Session

from app.ops.jobs import Job
from app.recurring.series import create_due_tasks

log = logging.getLogger("app.scheduler")


def create_periods(session: Session, now: dt.datetime) -> int:
    made = create_due_tasks(session, now.date())
    if made:
        log.info("created %s tasks of recurring duties", made)
    return made


JOBS = (Job("recurring", run=create_periods),)
