"""N+1 guard: the list, the dashboard and the digests take as many SQL statements for many
tasks as for a few. A regression that queries per row fails here."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from app.core.timeutil import local_today
from app.extensions import db
from app.models.unfinished import WRITING_LOOK
from app.reminders.decide import decide_digests
from app.tasks.changes import change_state
from conftest import login

WRITING = WRITING_LOOK.text


@contextmanager
def counting():
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        # The look before each query for an import being written (app.models.unfinished) is
        # one per query, not per task: left out of the budget (many == few still holds it).
        if statement != WRITING:
            statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def add_tasks(session, factory, world, per_department: int) -> None:
    today = local_today()
    for index in range(per_department):
        for department, other in (
            (world.tnmt, world.qldt),
            (world.qldt, world.vhtt),
            (world.vhtt, world.tnmt),
        ):
            task = factory.task(
                department,
                today - dt.timedelta(days=30),
                today + dt.timedelta(days=index % 12 - 6),
                cooperators=[other],
                content=f"Nhiệm vụ {index}",
            )
            if index % 5 == 0:
                change_state(session, task, "done", effective_on=today)
    session.commit()


def statements_for(client, session, factory, world, per_department: int, action) -> int:
    add_tasks(session, factory, world, per_department)
    session.expire_all()
    action()  # warm-up: first-use lookups are not what is counted
    with counting() as statements:
        action()
    return len(statements)


@pytest.mark.parametrize(
    "url", ["/nhiem-vu", "/nhiem-vu/qua-han", "/", "/don-vi-cua-toi", "/api/v1/tasks"]
)
def test_pages_do_not_query_per_task(client, session, factory, world, url):
    user = world.tnmt_head if url == "/don-vi-cua-toi" else world.office
    headers = {}
    if url.startswith("/api/"):
        from app.models import ApiToken

        token, secret = ApiToken.issue(user, "n+1")
        session.add(token)
        session.commit()
        headers = {"Authorization": f"Bearer {secret}"}
    else:
        login(client, user)

    def load():
        response = client.get(url, headers=headers)
        assert response.status_code == 200

    few = statements_for(client, session, factory, world, 2, load)
    many = statements_for(client, session, factory, world, 15, load)
    assert many == few, (few, many)
    assert few <= 12


def test_digests_do_not_query_per_task(app, session, factory, world):
    def decide():
        decide_digests(session, local_today(), "count")
        session.rollback()

    few = statements_for(None, session, factory, world, 2, decide)
    many = statements_for(None, session, factory, world, 15, decide)
    assert many == few, (few, many)


@pytest.mark.parametrize("sort", ["deadline", "days_late", "issued", "department"])
def test_pages_read_by_id_keep_the_lists_order(session, factory, world, sort):
    """A page is its ids sorted first, then those tasks loaded; the export reads its rows the
    same way: page after page gives the export's order, nothing missing or repeated."""
    from app.models.documents import task_id_from_code
    from app.tasks.export import export_rows
    from app.tasks.queries import TaskFilter, task_page

    today = local_today()
    for n in range(17):
        lead = (world.tnmt, world.qldt, world.vhtt)[n % 3]
        deadline = None if n % 5 == 0 else today + dt.timedelta(days=(n * 7) % 23 - 11)
        factory.task(lead, today - dt.timedelta(days=n % 4 * 9), deadline, content=f"Việc {n}")
    session.commit()
    rows = export_rows(session, world.office, TaskFilter(sort=sort), today)
    whole = [task_id_from_code(row[1]) for row in rows]
    paged = []
    for number in range(1, 6):
        flt = TaskFilter(sort=sort, page=number)
        paged += [t.id for t in task_page(session, world.office, flt, today, per_page=4).items]
    assert paged == whole and len(whole) == 20
