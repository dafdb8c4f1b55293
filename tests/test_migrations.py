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

    # The demo as of the day before the reform: one office (from 01/07/2025 on the demo has
    # several, which the schema before the offices migration cannot hold).
    seed_demo(session, dt.date(2025, 6, 30), "pbkdf2:sha256:1000")
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
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect

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
    # Nothing was dropped. Counted in SQL, not through the model: on SQLite the downgrades
    # above the refusing one (the offices one among them) stay done, and the model's columns
    # are the head's.
    assert session.scalar(sa.text("SELECT count(*) FROM reminders")) == 1
    session.remove()
    downgrade(revision="92d9def55cc2", x_arg=["force=yes"])
    assert "reminders" not in inspect(session.get_bind()).get_table_names()
    session.remove()
    upgrade()  # and back to the head, for the fixture's teardown


def test_documents_sharing_a_number_in_a_year_stop_the_upgrade_and_nothing_changes(
    app, session, world
):
    """One issuer's number once a year: the upgrade that makes it the unique key lists the
    documents that would clash and changes nothing; once they are corrected it goes through."""
    import datetime as dt

    import pytest
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from app.models import Document

    issuer_id = world.tnmt_task.document.issuer_id
    session.remove()
    downgrade(revision="fd7847385c17")  # the key was the issuer, the number and the date
    names = ("number", "kind", "issuer_id", "issued_on", "summary", "signer", "created_at")
    documents = sa.table("documents", *(sa.column(name) for name in names))
    for number, day in (
        ("45/TB-UBND", dt.date(2026, 3, 2)),
        ("45/TB-UBND", dt.date(2026, 5, 4)),
        ("45/TB-UBND", dt.date(2025, 5, 4)),  # another year: another document
    ):
        session.execute(
            documents.insert().values(
                number=number,
                kind="",
                issuer_id=issuer_id,
                issued_on=day,
                summary="",
                signer="",
                created_at=dt.datetime(2026, 5, 4, 8),
            )  # fmt: skip
        )
    session.commit()
    session.remove()
    with pytest.raises(SystemExit) as refused:
        upgrade()
    message = str(refused.value)
    assert "có 1 số như vậy" in message and "số 45/TB-UBND" in message
    assert "ngày 02/03/2026" in message and "ngày 04/05/2026" in message
    assert "04/05/2025" not in message
    session.remove()
    columns = {c["name"] for c in sa.inspect(session.get_bind()).get_columns("documents")}
    assert "issued_year" not in columns  # nothing was changed
    session.execute(
        documents.update()
        .where(documents.c.issued_on == dt.date(2026, 5, 4))
        .values(number="46/TB-UBND")
    )
    session.commit()
    session.remove()
    upgrade()
    years = {(d.number, d.issued_on): d.issued_year for d in session.scalars(sa.select(Document))}
    assert years[("45/TB-UBND", dt.date(2026, 3, 2))] == 2026
    assert years[("45/TB-UBND", dt.date(2025, 5, 4))] == 2025
    assert all(day.year == year for (_number, day), year in years.items())
