"""An import whose process is killed half-way (issue 28, item 9): what it wrote is out of
everyone's sight until it is done or undone, the undo starts as soon as a scheduler looks
(not when a heartbeat has grown old), and it never takes back a change somebody saved
meanwhile."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_import import HEADERS, ROWS, workbook_bytes
from test_import_jobs import many_rows

from app.extensions import db
from app.importing.jobs import IMPORT, queue, recover_stale
from app.importing.owner import JobOwner
from app.models import Document, ImportJob, Task
from app.models.jobs import JobStatus
from app.reports.summary import build_summary
from app.tasks.changes import edit_task
from conftest import login

# Run in a process of its own, which kills itself with SIGKILL in the third batch of ten rows:
# nothing of it gets to clean up, as when the kernel or an operator kills the scheduler.
DYING_IMPORT = textwrap.dedent(
    """
    import datetime as dt, os, signal, sys
    from conftest import make_app
    from app.extensions import db
    from app.importing import importer
    from app.importing.jobs import claim, execute

    importer.BATCH_ROWS = 10
    original, applied = importer._apply_row, []

    def dying(*args, **kwargs):
        applied.append(1)
        if len(applied) == 25:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)

    importer._apply_row = dying
    url, job_id, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    with make_app(url).app_context():
        job = claim(db.session, job_id)
        assert job is not None
        done = execute(db.session, job, open(path, "rb").read(), today=dt.date(2025, 3, 1))
        print("not killed:", done.status, done.error, done.result, file=sys.stderr)
    """
)


def _row_changing(task: Task, content: str) -> list:
    return [task.code, task.document.number, task.document.issued_on,
            task.document.issuer.name, "", "", content, task.lead_department.name, "",
            task.deadline, "Đang thực hiện", None, ""]  # fmt: skip


def _kill_an_import_half_way(app, session, tmp_path, rows) -> int:
    job = queue(session, None, IMPORT, "bang.xlsx", "bang.xlsx")
    session.commit()
    path = tmp_path / "bang.xlsx"
    data = workbook_bytes(rows, units=None, headers=["Mã nhiệm vụ", *HEADERS])
    path.write_bytes(data.getvalue())
    tests = os.path.dirname(__file__)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([tests, os.path.dirname(tests)])}
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    done = subprocess.run(
        [sys.executable, "-c", DYING_IMPORT, url, str(job.id), str(path)],
        env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == -signal.SIGKILL, done.stderr
    session.expire_all()
    assert session.get(ImportJob, job.id).status == JobStatus.RUNNING  # as the kill left it
    return job.id


def _all_tasks(session) -> int:
    query = select(func.count(Task.id)).execution_options(include_unfinished=True)
    return session.scalar(query)


def test_a_killed_import_is_out_of_sight_then_undone_without_touching_a_saved_edit(
    app, session, world, client, tmp_path
):
    edited, restored = world.tnmt_task, world.qldt_task
    original = (restored.content, restored.deadline)
    as_of = dt.date.today()
    summary_before = build_summary(session, as_of)
    tasks_before, documents_before = (
        session.scalar(select(func.count(Task.id))),
        session.scalar(select(func.count(Document.id))),
    )
    rows = [_row_changing(edited, "Nội dung do bảng tính sửa"),
            _row_changing(restored, "Nội dung do bảng tính sửa (2)"),
            *(["", *row] for row in many_rows(40))]  # fmt: skip
    job_id = _kill_an_import_half_way(app, session, tmp_path, rows)

    # Two batches (20 rows) were committed when it died; nobody sees them.
    assert _all_tasks(session) > tasks_before
    assert session.scalar(select(func.count(Task.id))) == tasks_before
    assert session.scalar(select(func.count(Document.id))) == documents_before
    assert build_summary(session, as_of) == summary_before
    hidden = session.scalars(
        select(Task).where(Task.import_job_id == job_id).execution_options(include_unfinished=True)
    ).all()
    assert len(hidden) >= 10
    login(client, world.office)
    listing = client.get("/nhiem-vu/?q=của+bảng").get_data(as_text=True)
    assert "của bảng" not in listing
    assert client.get(f"/nhiem-vu/{hidden[0].id}").status_code == 404

    # Meanwhile somebody saves a change to a task the import had changed (and is told so).
    with Session(bind=db.engine) as other:
        task = other.get(Task, edited.id)
        assert task.content == "Nội dung do bảng tính sửa"  # the import's change is visible
        edit_task(other, task, effective_on=as_of, content="Nội dung do chuyên viên sửa")
        other.commit()

    # The scheduler looks once (its heartbeat is still fresh): the job is recovered at once.
    assert recover_stale(session) == 1
    session.expire_all()
    job = session.get(ImportJob, job_id)
    assert job.status == JobStatus.FAILED and "1 dòng đã được người dùng sửa" in job.error
    assert session.get(Task, edited.id).content == "Nội dung do chuyên viên sửa"
    back = session.get(Task, restored.id)
    assert (back.content, back.deadline) == original
    assert _all_tasks(session) == tasks_before
    assert build_summary(session, as_of) == summary_before


def test_a_job_whose_process_still_runs_is_never_recovered(app, session):
    job = queue(session, None, IMPORT, "bang.xlsx", "bang.xlsx")
    job.status, job.heartbeat_at = JobStatus.RUNNING, dt.datetime(2020, 1, 1)  # old heartbeat
    session.commit()
    owner = JobOwner(job.id)  # held as the running process holds it
    assert owner.take()
    try:
        assert recover_stale(session) == 0
        assert session.get(ImportJob, job.id).status == JobStatus.RUNNING
    finally:
        owner.release()
    assert recover_stale(session) == 1  # once it lets go (dies), at once


def test_rows_of_a_finished_import_are_everybodys(app, session, world, tmp_path):
    from app.importing.jobs import claim, execute

    job = queue(session, None, IMPORT, "bang.xlsx", "bang.xlsx")
    session.commit()
    data = workbook_bytes(ROWS).getvalue()
    assert claim(session, job.id) is not None
    done = execute(session, job, data, today=dt.date(2025, 3, 1))
    assert done.status == JobStatus.DONE, done.error
    assert session.scalar(select(func.count(Task.id)).where(Task.import_job_id.is_not(None))) == 0
    query = select(func.count(Task.id)).execution_options(include_unfinished=True)
    assert session.scalar(select(func.count(Task.id))) == session.scalar(query) > 3


def test_the_rule_is_added_once_per_query_not_once_per_load(session, world):
    """The rule propagates from a query to the loads of its objects' relationships and columns;
    added again at each of those loads, it piled up (a page of many loads grew slower and
    larger with every request of a long-lived session)."""
    from sqlalchemy import event
    from sqlalchemy.orm import LoaderCriteriaOption, Session

    seen = []

    def count(state) -> None:
        options = [o for o in state.statement._with_options if isinstance(o, LoaderCriteriaOption)]
        seen.append(len(options))

    event.listen(Session, "do_orm_execute", count)
    try:
        for _ in range(20):
            session.expire_all()
            task = session.get(Task, world.tnmt_task.id)
            _ = task.document.issuer.name, [d.name for d in task.cooperating_departments]
            _ = task.lead_department.name
    finally:
        event.remove(Session, "do_orm_execute", count)
    assert seen and max(seen) <= 2, seen[-5:]
