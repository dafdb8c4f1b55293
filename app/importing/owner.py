"""Whether the process running an import job is still alive.

The process that runs a job holds a lock for it for as long as it runs: a PostgreSQL advisory
lock on a connection of its own, or an exclusive ``flock`` on a file next to the uploads for
SQLite (one machine). The operating system or the database lets go of the lock the moment the
process dies, whatever killed it; so a running job whose lock can be taken has lost its
process, and is recovered at once (by the scheduler's next poll, two seconds after it
starts), not after its heartbeat has grown old.
"""

from __future__ import annotations

import fcntl
from pathlib import Path

from flask import current_app
from sqlalchemy import text

from app.extensions import db

LOCK_CLASS = 7_311_322  # the first half of the advisory lock's key; the job's id is the second


class JobOwner:
    """The lock of one job; ``take`` is non-blocking (False when another process has it)."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self._connection = None
        self._file = None

    def take(self) -> bool:
        engine = db.engine
        if engine.dialect.name == "postgresql":
            self._connection = engine.connect()
            got = self._connection.execute(
                text("SELECT pg_try_advisory_lock(:c, :j)"), {"c": LOCK_CLASS, "j": self.job_id}
            ).scalar()
            self._connection.commit()
            if not got:
                self._close()
            return bool(got)
        database = engine.url.database  # next to the database, like the scheduler's lock
        folder = Path(database).parent if database else Path(current_app.instance_path)
        self._file = open(folder / f"import-job-{self.job_id}.lock", "w")  # noqa: SIM115
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._close()
            return False
        return True

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.execute(
                    text("SELECT pg_advisory_unlock(:c, :j)"), {"c": LOCK_CLASS, "j": self.job_id}
                )
                self._connection.commit()
            except Exception:  # noqa: BLE001  (a cut connection has let go of it already)
                pass
        if self._file is not None:
            Path(self._file.name).unlink(missing_ok=True)  # its job is over: checked no more
            fcntl.flock(self._file, fcntl.LOCK_UN)
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


_held: dict[int, JobOwner] = {}  # the locks of the jobs this process runs, by job id


def hold(owner: JobOwner) -> None:
    """Keep ``owner`` taken until ``let_go`` (the job ended) or the process ends."""
    let_go(owner.job_id)  # a lock of the same id left from another database (tests)
    _held[owner.job_id] = owner


def holds(job_id: int) -> bool:
    return job_id in _held


def let_go(job_id: int) -> None:
    owner = _held.pop(job_id, None)
    if owner is not None:
        owner.release()


def let_go_of_all() -> None:
    """Release every job lock this process holds (a test's end; a process ending does it)."""
    for job_id in list(_held):
        let_go(job_id)


def process_is_gone(job_id: int) -> bool:
    """Whether nobody holds the job's lock (its process died): checked by taking it."""
    owner = JobOwner(job_id)
    if not owner.take():
        return False
    owner.release()
    return True
