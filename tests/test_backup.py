"""Backup and restore drill: a backup taken while people keep saving is a consistent snapshot;
restored into an empty installation it gives back every row and attachment, checked table by
table; a restore never writes over data. On SQLite and PostgreSQL."""

from __future__ import annotations

import io
import threading
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select

from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.models import Event, ProgressReport
from app.models.history import EventKind
from conftest import make_app, needs


def _writer(database_url: str, task_id: int, department_id: int, stop: threading.Event, saved):
    """Someone reporting progress over and over: a report and its event in one transaction."""
    engine = sa.create_engine(
        database_url, connect_args={"timeout": 30} if "sqlite" in database_url else {}
    )
    reports, events = ProgressReport.__table__, Event.__table__
    while not stop.is_set():
        with engine.begin() as connection:
            report_id = connection.execute(
                reports.insert().values(
                    task_id=task_id,
                    department_id=department_id,
                    reported_on=local_today(),
                    content="Báo cáo trong lúc sao lưu",
                    created_at=utcnow(),
                    office_id=1,
                )  # fmt: skip
            ).inserted_primary_key[0]
            connection.execute(
                events.insert().values(
                    task_id=task_id,
                    kind=EventKind.PROGRESS,
                    effective_on=local_today(),
                    after={"progress_report_id": report_id},
                    comment="",
                    created_at=utcnow(),
                    office_id=1,
                )  # fmt: skip
            )
        saved.append(report_id)
    engine.dispose()


@pytest.fixture
def restore_target(database_url, tmp_path):
    """An empty installation to restore into: a new database, a new attachments folder."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(
        database_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield database_url.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_restore_drill_backup_while_writing_then_restore_and_compare(
    app, session, world, database_url, tmp_path, restore_target
):
    if database_url.startswith("postgresql"):
        needs("pg_dump", "REQUIRE_PG_DUMP")
    from werkzeug.datastructures import FileStorage

    from app.core.attachments import save_upload

    session.add(save_upload(FileStorage(io.BytesIO(b"%PDF-1.4 bien ban"), filename="bb.pdf"), None,
                            task_id=world.tnmt_task.id))  # fmt: skip
    session.commit()
    stop, saved = threading.Event(), []
    writer = threading.Thread(
        target=_writer,
        args=(database_url, world.tnmt_task.id, world.tnmt.id, stop, saved),
    )
    writer.start()
    try:
        while len(saved) < 20:  # the writer is busy before and during the backup
            threading.Event().wait(0.01)
        archive = tmp_path / "sao-luu.tar.gz"
        before = len(saved)
        result = app.test_cli_runner().invoke(args=["backup", str(archive)])
        during = len(saved)
    finally:
        stop.set()
        writer.join(30)
    assert result.exit_code == 0, result.output
    assert during > before  # people kept saving while the backup ran
    import json
    import tarfile

    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
    tables = manifest["tables"]
    # a consistent snapshot: every report has its event, none half-copied
    progress_events = tables["events"]["rows"] - (
        session.scalar(select(func.count(Event.id)).where(Event.kind != EventKind.PROGRESS))
    )
    assert tables["progress_reports"]["rows"] == progress_events > 0
    assert len(manifest["attachments"]) == 1

    target = make_app(restore_target, ATTACHMENT_DIR=str(tmp_path / "restored-files"))
    with target.app_context():
        if restore_target.startswith("postgresql"):
            from flask_migrate import upgrade

            upgrade()  # an installation made the usual way: empty tables
        restored = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert restored.exit_code == 0, restored.output
        assert "khớp với bản sao lưu" in restored.output
        assert (
            db.session.scalar(select(func.count(ProgressReport.id)))
            == (tables["progress_reports"]["rows"])
        )
        again = target.test_cli_runner().invoke(args=["restore", str(archive)])
        assert again.exit_code != 0 and "đã có dữ liệu" in again.output  # never over data
        db.session.remove()
        db.engine.dispose()
    assert (tmp_path / "restored-files").is_dir()
    assert any(
        p.read_bytes().startswith(b"%PDF")
        for p in (tmp_path / "restored-files").rglob("*")
        if p.is_file()
    )


def test_a_damaged_restore_is_reported(app, session, world, tmp_path, database_url, restore_target):
    """The checks are live: an archive whose table lost a row fails them, naming the table."""
    if database_url.startswith("postgresql"):
        pytest.skip("the same check; SQLite is enough to show it fails")
    import json
    import tarfile

    archive = tmp_path / "sao-luu.tar.gz"
    assert app.test_cli_runner().invoke(args=["backup", str(archive)]).exit_code == 0
    with tarfile.open(archive) as opened:
        manifest = json.loads(opened.extractfile("manifest.json").read())
        snapshot = opened.extractfile("database.sqlite3").read()
    manifest["tables"]["tasks"]["rows"] += 1  # as if a row were lost on the way
    tampered = tmp_path / "hong.tar.gz"
    with tarfile.open(tampered, "w:gz") as out:
        for name, data in (("manifest.json", json.dumps(manifest).encode()),
                           ("database.sqlite3", snapshot)):  # fmt: skip
            info = tarfile.TarInfo(name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    target = make_app(restore_target, ATTACHMENT_DIR=str(tmp_path / "files2"))
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["restore", str(tampered)])
        db.session.remove()
        db.engine.dispose()
    assert result.exit_code == 1 and "bảng tasks" in result.output
