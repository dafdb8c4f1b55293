"""The scheduler process (``flask scheduler run``): one active at a time, it runs the jobs the
features declare (listed in ``app.scheduler.jobs``); each tick decides, then delivers.

APScheduler only wakes the process every minute; what is due is worked out from the
schedules and the ``scheduler_runs`` table, so a restart neither repeats nor skips a run.
One process holds the lock (a PostgreSQL advisory lock, or a lock file next to the SQLite
database); others wait as stand-bys. The unique key on reminders guards even without it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import logging
import threading
import time
from pathlib import Path

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask
from sqlalchemy import or_, select, text
from sqlalchemy.exc import DBAPIError

from app.core.office_scope import all_offices, chosen_office_id, use_office
from app.core.timeutil import LOCAL_TZ, local_now, utcnow
from app.extensions import db
from app.models import Office
from app.ops.config_check import record_heartbeat
from app.ops.jobs import Job
from app.ops.planner_statistics import refresh_if_due
from app.scheduler.jobs import POLLED_JOBS, TICK_JOBS

log = logging.getLogger("app.scheduler")
ADVISORY_KEY = 7_311_321  # any constant shared by every scheduler of this database


class SchedulerLock:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self._connection = None
        self._file = None
        self._mutex = threading.RLock()  # the tick and the import thread share the connection

    def acquire(self) -> bool:
        with self._mutex:
            return self._acquire()

    def _acquire(self) -> bool:
        engine = db.engine
        if engine.dialect.name == "postgresql":
            self._connection = engine.connect()
            got = self._connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": ADVISORY_KEY}
            ).scalar()
            self._connection.commit()
            if not got:
                self._connection.close()
                self._connection = None
            return bool(got)
        database = engine.url.database
        folder = Path(database).parent if database else Path(self.app.instance_path)
        self._file = open(folder / "scheduler.lock", "w")  # noqa: SIM115  (held while running)
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.close()
            self._file = None
            return False
        return True

    def held(self) -> bool:
        with self._mutex:
            return self._held()

    def _held(self) -> bool:
        """Whether this process still holds the lock. A PostgreSQL advisory lock belongs to its
        connection: when that connection was cut (a restart, a failover, an idle-connection
        reaper) the lock is gone and a standby may hold it now."""
        if self._file is not None:
            return True
        if self._connection is None:
            return False
        try:
            mine = self._connection.execute(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
                    "AND classid = 0 AND objid = :k AND pid = pg_backend_pid()"
                ),
                {"k": ADVISORY_KEY},
            ).scalar()
            self._connection.commit()
        except DBAPIError:
            self._forget_connection()
            return False
        if not mine:
            self._forget_connection()
        return bool(mine)

    def _forget_connection(self) -> None:
        with contextlib.suppress(Exception):
            self._connection.invalidate()
            self._connection.close()
        self._connection = None

    def release(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(DBAPIError):
                self._connection.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": ADVISORY_KEY})
            self._forget_connection()
        if self._file is not None:
            fcntl.flock(self._file, fcntl.LOCK_UN)
            self._file.close()
            self._file = None


def tick(now: dt.datetime | None = None, interval: int | None = None) -> dict:
    """One pass (``tick_by_office``): what each job gave, by job name; with several offices,
    by office code, then job name."""
    given = tick_by_office(now, interval)
    return next(iter(given.values())) if len(given) == 1 else given


def tick_by_office(now: dt.datetime | None = None, interval: int | None = None) -> dict:
    """One pass: in every working office, every tick job decides what is due (committed with
    the heartbeat), then delivers; what each gave, by office code, then job name."""
    now = now or local_now()
    offices = working_offices(now.date())
    found = {}
    for office_id, _code in offices:
        with use_office(office_id):
            found[office_id] = {job.name: job.run(db.session, now) for job in TICK_JOBS}
    record_heartbeat(db.session, utcnow(), interval)
    db.session.commit()
    refresh_if_due(db.session)
    given = {}
    for office_id, code in offices:
        with use_office(office_id):
            given[code] = {
                job.name: job.then(db.session, now, found[office_id][job.name])
                if job.then
                else found[office_id][job.name]
                for job in TICK_JOBS
            }
    return given


def working_offices(day: dt.date) -> list[tuple[int, str]]:
    """The offices the scheduler works for on ``day`` (not ended), the province's first; only
    the chosen one when a command chose one (``--office``)."""
    chosen = chosen_office_id()
    with all_offices():
        query = select(Office.id, Office.code).where(
            or_(Office.ended_on.is_(None), Office.ended_on > day)
        )
        if chosen is not None:
            query = query.where(Office.id == chosen)
        rows = db.session.execute(query.order_by(Office.parent_id.is_not(None), Office.id)).all()
    return [(office_id, code) for office_id, code in rows]


def guarded_tick(lock: SchedulerLock, interval: int | None = None) -> bool:
    """Tick only while holding the lock: checked before every run, taken again when lost and
    free; False (standing by) when another scheduler holds it now."""
    if not lock.held():
        log.warning("the scheduler lock was lost (database connection cut)")
        if not lock.acquire():
            log.info("another scheduler is active; standing by")
            return False
        log.info("the scheduler lock is held again")
    tick(interval=interval)
    return True


def _while_held(app: Flask, lock: SchedulerLock, job: Job):
    """A job on its own interval (imports queued from the web page, one at a time), run only
    while this process is active."""

    def polled() -> None:
        with app.app_context():
            try:
                for office_id, _code in working_offices(local_now().date()):
                    if lock.held():
                        with use_office(office_id):
                            job.run(app)
            finally:
                db.session.remove()

    return polled


def run(
    app: Flask,
    interval: int = 60,
    once: bool = False,
    now: dt.datetime | None = None,
    standby_wait: int = 30,
) -> bool:
    """Run until stopped (or one tick with ``once``); False when another scheduler is active
    and ``once`` was asked. A stand-by tries the lock every ``interval`` seconds, at most
    ``standby_wait``: it takes over about when the active one would have ticked next."""
    lock = SchedulerLock(app)
    while not lock.acquire():
        if once:
            log.warning("another scheduler is active; nothing done")
            return False
        log.info("another scheduler is active; standing by")
        time.sleep(min(interval, standby_wait))
    try:
        if once:
            tick(now)
            return True

        def job() -> None:
            with app.app_context():
                try:
                    guarded_tick(lock, interval)
                finally:
                    db.session.remove()

        scheduler = BlockingScheduler(timezone=LOCAL_TZ)
        scheduler.add_job(
            job,
            "interval",
            seconds=interval,
            next_run_time=dt.datetime.now(LOCAL_TZ),
            max_instances=1,
            coalesce=True,
            id="tick",
        )

        for polled in POLLED_JOBS:
            scheduler.add_job(
                _while_held(app, lock, polled),
                "interval",
                seconds=polled.every,
                max_instances=1,
                coalesce=True,
                id=polled.name,
            )
        log.info("scheduler started (tick every %ss)", interval)
        with contextlib.suppress(KeyboardInterrupt, SystemExit):
            scheduler.start()
        return True
    finally:
        lock.release()
