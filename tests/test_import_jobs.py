"""Imports as background jobs: committed in batches with a journal, undone as a whole when a
batch fails or the process dies, one at a time; the command line takes the same path."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from sqlalchemy import event, func, select
from test_import import HEADERS, ROWS, workbook_bytes

from app.importing import importer
from app.importing.jobs import IMPORT, claim, execute, queue, recover_stale, run_next
from app.importing.journal import Journal
from app.models import Department, Document, Event, ImportJob, Issuer, Task
from app.models.jobs import JobStatus


def many_rows(count: int) -> list[list]:
    rows = []
    for n in range(count):
        row = list(ROWS[n % len(ROWS)])
        row[0] = f"{n + 100}/TB-UBND"  # a document per row
        row[5] = f"Nhiệm vụ số {n} của bảng"
        rows.append(row)
    return rows


def counts(session):
    return tuple(
        session.scalar(select(func.count()).select_from(model))
        for model in (Department, Issuer, Document, Task, Event)
    )


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(importer, "BATCH_ROWS", 10)


def _job(session, data: bytes) -> ImportJob:
    job = queue(session, None, IMPORT, "bang.xlsx", "test")
    session.commit()
    assert claim(session, job.id) is not None
    return job


def test_a_large_import_commits_in_batches_with_its_journal(session, small_batches):
    data = workbook_bytes(many_rows(45)).getvalue()
    job = _job(session, data)
    commits = []

    def count(_session) -> None:
        commits.append(1)

    event.listen(session(), "after_commit", count)
    try:
        done = execute(session, job, data, today=dt.date(2025, 3, 1))
    finally:
        event.remove(session(), "after_commit", count)
    assert done.status == JobStatus.DONE, (done.error, done.result)
    assert len(commits) >= 45 // 10  # other writers get the database between batches
    assert session.scalar(select(func.count(Task.id))) == 45
    assert done.journal is None and done.result["created_tasks"] == 45


def test_a_failure_in_a_later_batch_undoes_every_batch(session, factory, small_batches,
                                                      monkeypatch):  # fmt: skip
    before = counts(session)
    original = importer._apply_row
    applied = []

    def failing(*args, **kwargs):
        applied.append(1)
        if len(applied) == 33:  # three batches are already committed
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "_apply_row", failing)
    data = workbook_bytes(many_rows(45)).getvalue()
    job = _job(session, data)
    done = execute(session, job, data, today=dt.date(2025, 3, 1))
    assert done.status == JobStatus.FAILED and "không có gì được ghi" in done.error
    assert counts(session) == before  # the three committed batches are gone too


def test_an_import_that_changes_existing_tasks_is_put_back(session, world, small_batches,
                                                          monkeypatch):  # fmt: skip
    """Rows that update existing tasks (by their code) are restored when a later batch fails."""
    task = world.tnmt_task
    kept = (task.content, task.deadline, task.version)
    row = [task.code, task.document.number, task.document.issued_on, task.document.issuer.name,
           "", "", "Nội dung đã sửa qua bảng tính", world.tnmt.name, "",
           task.deadline + dt.timedelta(days=30), "Đang thực hiện", None, ""]  # fmt: skip
    rows = [row, *(["", *other] for other in many_rows(30))]
    original = importer._apply_row
    applied = []

    def failing(*args, **kwargs):
        applied.append(1)
        if len(applied) == 25:
            raise RuntimeError("lost connection")
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "_apply_row", failing)
    data = workbook_bytes(rows, units=None, headers=["Mã nhiệm vụ", *HEADERS]).getvalue()
    job = _job(session, data)
    done = execute(session, job, data)
    # It failed where it was made to, after two batches (the change among them) were committed.
    assert done.status == JobStatus.FAILED and "RuntimeError" in done.error, done.result
    assert len(applied) == 25
    session.expire_all()
    restored = session.get(Task, task.id)
    assert (restored.content, restored.deadline) == kept[:2]
    assert session.scalar(select(func.count(Event.id)).where(Event.task_id == task.id)) == 1


def test_a_job_whose_process_died_is_undone_at_once(session, small_batches, monkeypatch):
    before = counts(session)
    original = importer._apply_row
    applied = []

    def dying(*args, **kwargs):
        applied.append(1)
        if len(applied) == 25:
            raise KeyboardInterrupt  # the process is killed between two batches
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, "_apply_row", dying)
    data = workbook_bytes(many_rows(40)).getvalue()
    job = _job(session, data)
    with pytest.raises(KeyboardInterrupt):
        execute(session, job, data, today=dt.date(2025, 3, 1))
    session.rollback()
    assert counts(session) != before  # two batches were committed when it died
    stuck = session.get(ImportJob, job.id)
    assert stuck.status == JobStatus.RUNNING and stuck.journal
    assert session.scalar(select(func.count(Task.id))) == before[3]  # out of sight meanwhile
    # Its heartbeat is fresh, but nobody holds its lock: it is recovered at the first look.
    assert recover_stale(session) == 1
    assert counts(session) == before
    failed = session.get(ImportJob, job.id)
    assert failed.status == JobStatus.FAILED and "gián đoạn" in failed.error


def test_two_imports_never_run_at_once(app, session, tmp_path):
    first = queue(session, None, IMPORT, "a.xlsx", "a")
    second = queue(session, None, IMPORT, "b.xlsx", "b")
    session.commit()
    assert claim(session).id == first.id
    assert claim(session) is None and claim(session, second.id) is None  # one is running
    path = tmp_path / "bang.xlsx"
    path.write_bytes(workbook_bytes().getvalue())
    result = app.test_cli_runner().invoke(args=["import-tasks", str(path)])
    assert result.exit_code != 0 and "một lần nhập khác đang chạy" in result.output
    assert session.get(ImportJob, second.id).status == JobStatus.QUEUED
    assert run_next(app) is None  # still none while the first runs


def test_the_command_line_reports_progress(app, session, tmp_path):
    path = tmp_path / "bang.xlsx"
    path.write_bytes(workbook_bytes(many_rows(30)).getvalue())
    result = app.test_cli_runner().invoke(args=["import-tasks", str(path)])
    assert result.exit_code == 0, result.output
    assert "Đã đọc 30/30 dòng" in result.output and "Nhiệm vụ mới: 30" in result.output
    job = session.scalar(select(ImportJob))
    assert job.status == JobStatus.DONE and job.done == job.total == 30


def test_a_preview_writes_nothing_but_its_progress(app, session, client, world):
    from test_web_workflow import upload_and_run

    from conftest import login

    before = counts(session)
    login(client, world.office)
    page = upload_and_run(app, client, workbook_bytes(many_rows(12)).getvalue())
    assert 'id="import-preview"' in page.get_data(as_text=True)
    assert counts(session) == before
    job = session.scalar(select(ImportJob).order_by(ImportJob.id.desc()))
    assert job.total == 12 and job.status == JobStatus.DONE


def test_rows_written_in_batches_get_their_codes_and_their_history_in_order(session, small_batches):
    """New tasks are flushed once per batch: every row's code is still the task it made, and a
    completed row's history is "imported" then "done", in that order."""
    rows = many_rows(25)
    for row in rows[::3]:
        row[9], row[10] = "Đã hoàn thành", dt.date(2025, 2, 20)
    result = importer.import_tasks(session, workbook_bytes(rows), "bang.xlsx",
                                   today=dt.date(2025, 3, 1))  # fmt: skip
    session.commit()
    codes = {o.content: o.code for o in result.outcomes}
    assert len(set(codes.values())) == 25
    for task in session.scalars(select(Task).where(Task.content.like("Nhiệm vụ số %"))):
        assert codes[task.content] == task.code
        kinds = [
            e.kind
            for e in session.scalars(
                select(Event).where(Event.task_id == task.id).order_by(Event.id)
            )  # fmt: skip
        ]
        assert kinds[0] == "imported"
        assert kinds[1:] == (["state"] if task.state == "done" else [])


def test_a_row_like_an_earlier_row_of_the_same_batch_names_that_rows_code(session):
    first = list(ROWS[0])
    second = list(first)
    second[5] = first[5] + " năm 2024"
    result = importer.preview_import(session, workbook_bytes([first, second]), "bang.xlsx")
    new, suspect = result.outcomes
    assert new.action == "new" and suspect.action == "suspect"
    assert suspect.similar_code == new.code and new.code.startswith("NV-")


def test_an_unchanged_import_keeps_no_journal_of_its_rows(session, small_batches):
    """The journal is stored with every batch: rows that change nothing add nothing to it."""
    data = workbook_bytes(many_rows(25)).getvalue()
    importer.import_tasks(session, io.BytesIO(data), "bang.xlsx", today=dt.date(2025, 3, 1))
    session.commit()
    journal = Journal()
    again = importer.import_tasks(session, io.BytesIO(data), "bang.xlsx",
                                  today=dt.date(2025, 3, 1), journal=journal)  # fmt: skip
    assert again.unchanged_tasks == 25
    assert journal.to_json()["before"] == {}


def test_a_result_is_stored_as_asdict_would_store_it_and_read_back():
    import dataclasses

    from app.importing.jobs import result_from_json, result_to_json
    from app.importing.results import ImportResult, Outcome

    result = ImportResult(
        created_departments=["Phòng A"], created_issuers=["UBND tỉnh"], created_tasks=1,
        unchanged_tasks=1, notes=["dòng 3: …"], handed_over=2,
        outcomes=[Outcome(2, "new", "NV-00001", "Rà soát"),
                  Outcome(3, "suspect", "", "Rà soát lại", "NV-00001", "Rà soát")],
    )  # fmt: skip
    stored = result_to_json(result)
    assert stored == dataclasses.asdict(result)
    assert stored["outcomes"][0] is not result.outcomes[0].__dict__
    assert result_from_json(stored) == result
