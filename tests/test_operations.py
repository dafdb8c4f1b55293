"""Operations: /healthz for monitoring and a configurable, shareable attachments folder."""

from __future__ import annotations

import datetime as dt

from app.core.timeutil import utcnow
from app.models.reminders import Reminder, ReminderStatus
from app.ops.config_check import record_heartbeat
from conftest import make_app


def _reminder(n: int, status: str) -> Reminder:
    return Reminder(
        kind="digest", recipient_email=f"u{n}@example.vn", scope=f"user:{n}", period="2026-W48",
        subject="s", body_text="t", body_html="h", status=status,
    )  # fmt: skip


def test_healthz_says_database_scheduler_and_mail(client, session):
    never = client.get("/healthz")
    assert never.status_code == 503 and never.get_json()["scheduler"]["last_run"] is None
    record_heartbeat(session, utcnow(), 60)
    statuses = [ReminderStatus.PENDING, ReminderStatus.FAILED, ReminderStatus.FAILED, "sent"]
    reminders = [_reminder(n, status) for n, status in enumerate(statuses)]
    session.add_all(reminders)
    session.commit()
    failing = client.get("/healthz")  # mail failed for good: someone must look
    assert failing.status_code == 503 and failing.get_json()["status"] == "error"
    assert failing.get_json()["mail"] == {"ok": False, "pending": 1, "failed": 2}
    for reminder in reminders[1:3]:
        reminder.status = ReminderStatus.PENDING  # what flask reminders retry-failed does
    session.commit()
    body = client.get("/healthz").get_json()
    assert body["status"] == "ok" and body["database"]["ok"] and body["scheduler"]["ok"]
    assert body["mail"] == {"ok": True, "pending": 3, "failed": 0}
    # two intervals without a tick: the scheduler is down
    record_heartbeat(session, utcnow() - dt.timedelta(seconds=121), 60)
    session.commit()
    late = client.get("/healthz")
    assert late.status_code == 503 and late.get_json()["scheduler"]["ok"] is False
    record_heartbeat(session, utcnow() - dt.timedelta(seconds=121), 300)  # a slower scheduler
    session.commit()
    assert client.get("/healthz").status_code == 200


def test_healthz_is_503_when_the_database_is_unreachable(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'missing' / 'folder' / 'tracker.db'}")
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body == {"status": "error", "database": {"ok": False}}  # no error text for anyone


def test_attachments_dir_from_the_environment(monkeypatch, tmp_path, sqlite_template):
    """ATTACHMENTS_DIR names one folder that two application servers share."""
    import io
    import shutil

    from app.core.attachments import storage_dir
    from app.extensions import db
    from app.models import Attachment

    shared = tmp_path / "shared-files"
    monkeypatch.setenv("ATTACHMENTS_DIR", str(shared))
    database = tmp_path / "tracker.db"
    shutil.copy(sqlite_template, database)
    first = make_app(f"sqlite:///{database}")
    second = make_app(f"sqlite:///{database}")
    with first.app_context():
        assert storage_dir() == shared
        from werkzeug.datastructures import FileStorage

        from app.core.attachments import save_upload

        upload = FileStorage(io.BytesIO(b"%PDF-1.4 minimal"), filename="quyet-dinh.pdf")
        item = save_upload(upload, None)
        db.session.add(item)
        db.session.commit()
        item_id = item.id
        db.session.remove()
    with second.app_context():
        from app.core.attachments import attachment_path

        stored = db.session.get(Attachment, item_id)
        assert attachment_path(stored).read_bytes().startswith(b"%PDF")
        assert attachment_path(stored).parent == shared
        db.session.remove()


def test_a_read_cut_by_a_dropped_connection_is_read_again(app, client, world, database_url):
    """PostgreSQL ends the connection in the middle of a page (a restart, a failover): the page
    is read once more on a fresh connection instead of answering 500."""
    import pytest
    from sqlalchemy import create_engine, event, text

    from app.extensions import db
    from conftest import login

    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no connection to lose")
    login(client, world.office)
    killer = create_engine(database_url)
    cut = {"done": False}

    def cut_once(conn, _cursor, statement, _parameters, _context, _executemany):
        if not cut["done"] and "FROM tasks" in statement:
            cut["done"] = True
            pid = conn.connection.dbapi_connection.info.backend_pid
            with killer.connect() as other:
                other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
                other.commit()

    event.listen(db.engine, "before_cursor_execute", cut_once)
    try:
        response = client.get("/nhiem-vu")
    finally:
        event.remove(db.engine, "before_cursor_execute", cut_once)
        killer.dispose()
    assert cut["done"] and response.status_code == 200
    assert world.tnmt_task.content[:30] in response.get_data(as_text=True)
