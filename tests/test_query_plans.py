"""SQLite's plans: the office's pages do not reach tasks or events through nothing but the
office's column of an index, nor through an index of the office alone or the take-in key of
tasks taken from the office above (unless the statement asks for such a task). Each holds every
row of an office (of the only office, in most installations), so the statement reads all of
them: the menu's count of tasks waiting for the office, the list's kind choices and a page's
50 tasks loaded by id each read every task or document of the office.

Without statistics SQLite chose those indexes (a list of ids looked no more selective than the
office); the product gathers them (``app.ops.planner_statistics``) from the scheduler's first
pass, after an import and after the demo data: the pages are checked with the statistics the
scheduler leaves, and each of those moments is checked to leave them."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from app.core.timeutil import local_today
from app.extensions import db
from app.scheduler.runner import tick_by_office
from conftest import login

TABLES = ("tasks", "documents", "events")
STATISTICS = "SELECT count(*) FROM sqlite_master m JOIN sqlite_stat1 s ON s.tbl = m.name"
INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)")
OFFICE_PREFIX_ONLY = re.compile(
    r"SEARCH (?:tasks|events)\b.* USING (?:COVERING )?INDEX \w+ \(office_id=\?\)$"
)
ASKS_FOR_TAKEN_IN = re.compile(r"upper_task_id (?:=|IN)", re.IGNORECASE)


def whole_office_indexes(connection) -> dict[str, tuple[str, ...]]:
    """Each index of TABLES whose columns are the office alone or the office and the task
    taken in, by name (SQLite's own names for keys included)."""
    found = {}
    for table in TABLES:
        for row in connection.exec_driver_sql(f"PRAGMA index_list({table})").all():
            name = row[1]
            columns = tuple(
                info[2] for info in connection.exec_driver_sql(f"PRAGMA index_info({name})")
            )
            if columns in (("office_id",), ("office_id", "upper_task_id")):
                found[name] = columns
    return found


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    "url, who", [("/nhiem-vu", "office"), ("/nhiem-vu/qua-han", "office"), ("/", "office"),
                 ("/don-vi-cua-toi", "tnmt_head")],
)  # fmt: skip
def test_office_pages_do_not_read_the_whole_office(client, session, factory, world, url, who):
    today = local_today()
    for n in range(120):  # enough rows for the statistics to tell the indexes apart
        factory.task((world.tnmt, world.qldt, world.vhtt)[n % 3], today - dt.timedelta(days=40),
                     today + dt.timedelta(days=n % 9 - 4), content=f"Nhiệm vụ {n}")  # fmt: skip
    session.commit()
    tick_by_office(dt.datetime.combine(today, dt.time(8, 0)))  # gathers the statistics
    login(client, getattr(world, who))
    assert client.get(url).status_code == 200  # warm-up
    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            statements.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(url).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert statements
    wrong = []
    with db.engine.connect() as connection:
        suspects = whole_office_indexes(connection)
        assert suspects  # the office's own indexes and the take-in key are there to avoid
        for statement, parameters in statements:
            plan = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            for line in (row[3] for row in plan):
                if OFFICE_PREFIX_ONLY.search(line):  # any index, only its office column used
                    wrong.append((line, " ".join(statement.split())[-300:]))
                    continue
                match = INDEX.search(line)
                if not match or match.group(1) not in suspects:
                    continue
                if suspects[match.group(1)][-1] == "upper_task_id" and ASKS_FOR_TAKEN_IN.search(
                    statement
                ):
                    continue
                wrong.append((line, " ".join(statement.split())[:300]))
    assert not wrong, wrong


def _statistics_of(table: str) -> int:
    with db.engine.connect() as connection:
        if not connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        ).first():
            return 0
        return connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_stat1 WHERE tbl = ?", (table,)
        ).scalar()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_the_scheduler_and_an_import_gather_sqlites_statistics(
    app, session, factory, world, monkeypatch
):
    from test_import import workbook_bytes

    from app.importing.jobs import IMPORT, claim, execute, queue
    from app.ops import planner_statistics

    factory.task(world.tnmt, local_today(), None, content="Một nhiệm vụ")
    session.commit()
    assert _statistics_of("tasks") == 0  # a database as an upgrade leaves it
    tick_by_office(dt.datetime(2026, 12, 7, 8, 0))
    assert _statistics_of("tasks") > 0  # the scheduler's first pass
    db.engine.dispose()  # (SQLite reads the statistics when a connection opens)
    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    tick_by_office(dt.datetime(2026, 12, 7, 8, 1))
    assert _statistics_of("tasks") == 0  # not again within the day
    monkeypatch.setattr(planner_statistics, "_last", {})
    tick_by_office(dt.datetime(2026, 12, 8, 8, 0))
    assert _statistics_of("tasks") > 0  # the next day (here: a process that did not yet)

    with db.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM sqlite_stat1")
    data = workbook_bytes().getvalue()
    job = queue(session, None, IMPORT, "bang.xlsx", "test")
    session.commit()
    assert claim(session, job.id) is not None
    assert execute(session, job, data, today=dt.date(2025, 3, 1)).status == "done"
    assert _statistics_of("tasks") > 0  # after an import


def test_the_demo_gathers_sqlites_statistics(tmp_path):
    from flask_migrate import upgrade

    from conftest import make_app

    app = make_app(f"sqlite:///{tmp_path / 'demo.db'}")
    with app.app_context():
        upgrade()
        assert _statistics_of("tasks") == 0
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        assert result.exit_code == 0, result.output
        assert _statistics_of("tasks") > 0
        db.engine.dispose()
