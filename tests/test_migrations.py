"""The schema is built only by migrations, and they match the models."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from app.extensions import db


def test_one_head(app):
    config = app.extensions["migrate"].migrate.get_config(app.extensions["migrate"].directory)
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_upgraded_database_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        assert compare_metadata(context, db.Model.metadata) == []
    tables = set(inspect(db.engine).get_table_names())
    assert {"tasks", "events", "documents", "departments", "calendar_days"} <= tables


def test_sqlite_pragmas(app):
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000


def test_closed_on_backfill_matches_what_the_app_records(app, session):
    """Downgrading past the closed_on migration and upgrading again rebuilds the same values."""
    import datetime as dt

    from flask_migrate import downgrade, upgrade
    from sqlalchemy import select

    from app.dev.demo import seed_demo
    from app.models import Task

    seed_demo(session, dt.date(2026, 11, 27), "pbkdf2:sha256:1000")
    session.commit()
    recorded = dict(session.execute(select(Task.id, Task.closed_on)).all())
    assert any(recorded.values()) and not all(recorded.values())
    session.remove()
    downgrade(revision="9033d173e9cd", x_arg=["force=yes"])  # past the closed_on migration
    upgrade()
    assert dict(session.execute(select(Task.id, Task.closed_on)).all()) == recorded


def test_a_downgrade_that_would_drop_data_refuses_unless_forced(app, session, world):
    """Dropping the reminder history would send every e-mail of the period again."""
    import pytest
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import func, inspect, select

    from app.models.reminders import Reminder

    session.add(
        Reminder(
            kind="digest",
            recipient_email="a@example.vn",
            scope="user:1",
            period="2026-W48",
            subject="s",
            body_text="t",
            body_html="h",
        )  # fmt: skip
    )
    session.commit()
    session.remove()
    with pytest.raises(SystemExit) as refused:
        downgrade(revision="92d9def55cc2")  # below the reminders migration
    assert "reminders" in str(refused.value) and "force=yes" in str(refused.value)
    assert session.scalar(select(func.count(Reminder.id))) == 1  # nothing was dropped
    session.remove()
    downgrade(revision="92d9def55cc2", x_arg=["force=yes"])
    assert "reminders" not in inspect(session.get_bind()).get_table_names()
    session.remove()
    upgrade()  # and back to the head, for the fixture's teardown
