"""SQLite's plans without statistics (an installation never runs ANALYZE): the office's pages
do not reach tasks, documents or events through an index that names only the office, nor
through the take-in key of tasks taken from the office above, unless the statement asks for
such a task. Either index holds every row of an office (of the only office, in most
installations), so the statement reads all of them: the menu's count of tasks waiting for
the office and the list's kind choices each read every task or document of the office."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import event

from app.core.timeutil import local_today
from app.extensions import db
from conftest import login

TABLES = ("tasks", "documents", "events")
INDEX = re.compile(r"USING (?:COVERING )?INDEX (\w+)")
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
    for n in range(6):
        factory.task(world.tnmt, today - dt.timedelta(days=40), today + dt.timedelta(days=n - 3),
                     content=f"Nhiệm vụ {n}")  # fmt: skip
    session.commit()
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
                match = INDEX.search(line)
                if not match or match.group(1) not in suspects:
                    continue
                if suspects[match.group(1)][-1] == "upper_task_id" and ASKS_FOR_TAKEN_IN.search(
                    statement
                ):
                    continue
                wrong.append((line, " ".join(statement.split())[:300]))
    assert not wrong, wrong
