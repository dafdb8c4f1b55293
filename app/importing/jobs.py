"""Imports as background jobs: the web page queues them, the scheduler process runs them, one
at a time, and the page shows how far they have got and then their result.

A *preview* job works on a copy (SQLite: a snapshot of the database file; PostgreSQL: a
transaction that is rolled back) so it never holds the database's write lock. An *import*
job writes in batches of ``BATCH_ROWS`` rows, each committed with the journal of what has
been written so far; if it fails, or its process dies (``owner``: the job's lock is free),
the journal is undone, so an import stays all or nothing while other people keep saving. Until
it is done, what it wrote is out of everyone's sight (``app.models.unfinished``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import create_engine, exists, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.importing.importer import import_tasks
from app.importing.journal import Journal
from app.importing.owner import JobOwner, hold, holds, let_go, process_is_gone
from app.importing.reader import ImportFailed
from app.importing.results import ImportResult, Outcome
from app.models import SEES_UNFINISHED, Document, ImportJob, Task
from app.models.jobs import JobStatus
from app.ops.jobs import Job
from app.ops.planner_statistics import refresh_if_due
from app.web.uploads import kept_folder

log = logging.getLogger("app.imports")
PREVIEW, IMPORT = "preview", "import"
CHECKPOINT_SECONDS = 1.0  # progress is written at most this often
POLL_SECONDS = 2  # how soon the scheduler starts a queued job
PHASE_WORDS = {"read": "Đã đọc", "check": "Đã kiểm tra", "write": "Đã ghi"}


class ImportBusy(Exception):
    """Another import is running; the message is for the user."""


class Interrupted(Exception):
    """The job was recovered by another process while this one still ran: stop, keep nothing."""


def import_folder(app: Flask | None = None) -> Path:
    """Where uploaded files wait for their jobs: shared by the web servers and the scheduler."""
    return kept_folder(app or current_app, "imports")


def result_to_json(result: ImportResult) -> dict:
    """As ``dataclasses.asdict`` gives it, without its deep copy of every row's outcome (a
    tenth of an unchanged 20,000-row import)."""
    data = {f.name: getattr(result, f.name) for f in dataclasses.fields(result)}
    data["outcomes"] = [o.__dict__.copy() for o in result.outcomes]
    for name in ("created_departments", "updated_departments", "created_issuers", "notes"):
        data[name] = list(data[name])
    data["new_documents"] = [dict(d) for d in result.new_documents]
    return data


def result_from_json(data: dict) -> ImportResult:
    data = dict(data)
    outcomes = [Outcome(**o) for o in data.pop("outcomes", [])]
    return ImportResult(**data, outcomes=outcomes)


def queue(
    session: Session, user, kind: str, filename: str, stored_name: str, choices: dict | None = None
) -> ImportJob:
    job = ImportJob(
        kind=kind,
        user_id=user.id if user else None,
        filename=filename[:255],
        stored_name=stored_name,
        choices=choices or None,
    )
    session.add(job)
    session.flush()
    return job


def running(session: Session) -> ImportJob | None:
    return session.scalar(select(ImportJob).where(ImportJob.status == JobStatus.RUNNING))


def recover_stale(session: Session, now: dt.datetime | None = None) -> int:
    """Running jobs whose process died (nobody holds their lock): undo what an import had
    written, except what somebody saved since, and mark them failed."""
    now = now or utcnow()
    running_ids = session.scalars(
        select(ImportJob.id).where(ImportJob.status == JobStatus.RUNNING)
    ).all()
    session.commit()
    recovered = 0
    for job_id in running_ids:
        if holds(job_id) or not process_is_gone(job_id):
            continue
        job = session.get(ImportJob, job_id, populate_existing=True)
        if job is None or job.status != JobStatus.RUNNING:
            session.rollback()
            continue
        kept = Journal(job.journal).undo(session) if job.kind == IMPORT and job.journal else 0
        job = session.get(ImportJob, job_id)
        job.status, job.finished_at, job.journal = JobStatus.FAILED, now, None
        job.error = (
            "Việc nhập bị gián đoạn (máy chủ dừng giữa chừng); phần đã ghi đã được hoàn tác. "
            "Hãy nhập lại tệp."
        )
        if kept:
            job.error += (
                f" {kept} dòng đã được người dùng sửa trong lúc nhập nên được giữ như họ đã lưu."
            )
        session.commit()
        recovered += 1
        log.warning("import job %s was interrupted; undone (%s rows kept as saved)", job_id, kept)
    return recovered


def claim(session: Session, job_id: int | None = None) -> ImportJob | None:
    """The next queued job (or ``job_id``), now running; None when one is running already."""
    recover_stale(session)
    if job_id is None:
        job_id = session.scalar(
            select(ImportJob.id)
            .where(ImportJob.status == JobStatus.QUEUED)
            .order_by(ImportJob.id)
            .limit(1)
        )
    if job_id is None:
        return None
    owner = JobOwner(job_id)
    if not owner.take():
        return None
    other = aliased(ImportJob)
    now = utcnow()
    taken = session.execute(
        update(ImportJob)
        .where(
            ImportJob.id == job_id,
            ImportJob.status == JobStatus.QUEUED,
            ~exists(select(other.id).where(other.status == JobStatus.RUNNING)),
        )
        .values(status=JobStatus.RUNNING, started_at=now, heartbeat_at=now)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.commit()
    if taken != 1:
        owner.release()
        return None
    hold(owner)  # until the job ends (``_finish``) or the process dies
    return session.get(ImportJob, job_id)


def _finish(
    session: Session, job: ImportJob, result: ImportResult | None, problems=None, error: str = ""
) -> None:
    job.status = JobStatus.FAILED if (problems or error) else JobStatus.DONE
    job.result = (
        {"problems": problems} if problems else (result_to_json(result) if result else None)
    )
    job.error = error
    job.journal = None
    job.finished_at = job.heartbeat_at = utcnow()
    if job.status == JobStatus.DONE:  # what it wrote is everybody's from this commit on
        for model in (Task, Document):
            session.execute(
                update(model)
                .where(model.import_job_id == job.id)
                .values(import_job_id=None)
                .execution_options(synchronize_session=False)
            )
    session.commit()
    let_go(job.id)
    if job.status == JobStatus.DONE and job.kind == IMPORT:  # many rows more: plan anew
        refresh_if_due(session, now=True)


def execute(
    session: Session,
    job: ImportJob,
    data: bytes,
    echo: Callable[[str], None] | None = None,
    today: dt.date | None = None,
) -> ImportJob:
    """Run a claimed job to its end (done or failed); ``echo`` also prints the progress."""
    today = today or local_today()
    choices = {int(k): v for k, v in (job.choices or {}).get("rows", {}).items()}
    similar = (job.choices or {}).get("similar")
    job_id = job.id
    last = [0.0]

    def due(phase: str, done: int, total: int, force: bool = False) -> bool:
        """Whether to write (and print) the progress now: at most once a second."""
        if not force and time.monotonic() - last[0] < CHECKPOINT_SECONDS:
            return False
        last[0] = time.monotonic()
        if echo and total:
            echo(f"{PHASE_WORDS[phase]} {done}/{total} dòng")
        return True

    session.info[SEES_UNFINISHED] = True  # its own rows, before they are everybody's
    # The import commits once a batch and keeps its documents across batches: expiring every
    # object it holds at each commit (and reading them back) cost a fifth of a 20,000-row
    # import. The rows it reads to decide are read anew each batch (``StoredTasks``).
    own = session() if callable(session) else session  # the scoped session's own
    expire_on_commit, own.expire_on_commit = own.expire_on_commit, False
    try:
        if job.kind == PREVIEW:
            return _preview(session, job_id, data, today, choices, similar, due)
        return _import(session, job, data, today, choices, similar, due)
    finally:
        own.expire_on_commit = expire_on_commit
        session.info.pop(SEES_UNFINISHED, None)
        let_go(job_id)  # also when the process is going down (the job is then recovered)


def _import(session, job, data, today, choices, similar, due) -> ImportJob:
    job_id = job.id
    journal = Journal(job_id=job_id)
    journal.watch(session)

    def checkpoint(phase: str, done: int, total: int, force: bool = False) -> None:
        if not due(phase, done, total, force):
            return
        session.flush()  # rows still pending join the journal before it is stored with them
        values = {"phase": phase, "done": done, "heartbeat_at": utcnow(),
                  "journal": journal.to_json()}  # fmt: skip
        if total:
            values["total"] = total
        still_ours = session.execute(
            update(ImportJob)
            .where(ImportJob.id == job_id, ImportJob.status == JobStatus.RUNNING)
            .values(**values)
            .execution_options(synchronize_session=False)
        ).rowcount
        if still_ours != 1:
            raise Interrupted  # recovered meanwhile: its undo has run, nothing here is kept
        session.commit()  # the rows written so far and the journal of them, together

    try:
        result = import_tasks(
            session, io.BytesIO(data), job.filename, today, choices, similar=similar,
            journal=journal, progress=checkpoint,
            on_batch=lambda written: checkpoint("write", written, 0, force=True),
        )  # fmt: skip
        journal.stop()
        current = session.get(ImportJob, job_id)
        current.phase, current.done = "write", current.total
        _finish(session, current, result)
    except Interrupted:
        journal.stop()
        session.rollback()
        log.warning("import job %s was recovered by another process; stopped", job_id)
    except ImportFailed as failure:
        journal.stop()
        journal.undo(session)
        _finish(session, session.get(ImportJob, job_id), None, [str(p) for p in failure.problems])
    except Exception as error:
        journal.stop()
        log.exception("import job %s failed", job_id)
        journal.undo(session)
        message = f"Lỗi hệ thống khi nhập ({type(error).__name__}); không có gì được ghi."
        _finish(session, session.get(ImportJob, job_id), None, error=message)
    finally:
        journal.stop()  # also when the process is going down
    return session.get(ImportJob, job_id)


def _preview(session, job_id, data, today, choices, similar, note) -> ImportJob:
    """The preview runs on its own connection (PostgreSQL) or a snapshot (SQLite); only the
    job's progress is written to the database meanwhile."""
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory() as work:
        if url.get_backend_name() == "sqlite":
            import sqlite3

            copy = Path(work) / "preview.db"
            source = sqlite3.connect(url.database)
            try:
                source.execute("VACUUM INTO ?", (str(copy),))
            finally:
                source.close()
            engine = create_engine(f"sqlite:///{copy}")
        else:
            engine = db.engine
        work_session = Session(bind=engine, info={SEES_UNFINISHED: True})

        def progress(phase: str, done: int, total: int) -> None:
            if note(phase, done, total):
                current = session.get(ImportJob, job_id)
                current.phase, current.done, current.total = phase, done, total
                current.heartbeat_at = utcnow()
                session.commit()

        try:
            result = import_tasks(
                work_session, io.BytesIO(data), session.get(ImportJob, job_id).filename, today,
                choices, preview=True, similar=similar, progress=progress,
            )  # fmt: skip
            problems = None
        except ImportFailed as failure:
            result, problems = None, [str(p) for p in failure.problems]
        finally:
            work_session.rollback()
            work_session.close()
            if engine is not db.engine:
                engine.dispose()
    _finish(session, session.get(ImportJob, job_id), result, problems)
    return session.get(ImportJob, job_id)


def run_next(app: Flask) -> int | None:
    """Run the next queued job, if any and none is running; its id. (The scheduler's job.)"""
    job = claim(db.session)
    if job is None:
        return None
    path = import_folder(app) / job.stored_name
    try:
        data = path.read_bytes()
    except OSError:
        _finish(db.session, job, None, error="Tệp tải lên không còn; hãy tải tệp lên lại.")
        return job.id
    log.info("import job %s (%s, %s) started", job.id, job.kind, job.filename)
    done = execute(db.session, job, data)
    if done.kind == IMPORT and done.status == JobStatus.DONE:
        path.unlink(missing_ok=True)
    log.info("import job %s ended: %s", job.id, done.status)
    return job.id


# The scheduler runs the queued jobs, one at a time, while it holds its lock.
JOBS = (Job("imports", run=run_next, every=POLL_SECONDS),)
