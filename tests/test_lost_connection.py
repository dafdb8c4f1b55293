"""A database connection cut under a request answers "try again" (503 with Retry-After, a
Vietnamese page or JSON under /api, one line in the log), never 500 nor an empty body; cut
after the answer is made (the ROLLBACK of the session's end), the answer still goes out
(issue 28, item 10). PostgreSQL only: the backend of the request is ended for real with
``pg_terminate_backend``; SQLite has no connection to lose."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from sqlalchemy import create_engine, event, func, select, text

from app.extensions import db
from app.models import ApiToken, IdempotencyKey, ProgressReport
from app.web.idempotency import FIELD, HEADER
from conftest import PASSWORD


@pytest.fixture
def killer(database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no connection to lose")
    engine = create_engine(database_url)

    def kill(pid: int) -> None:
        """End the backend and wait until it is gone (the signal is not instant)."""
        with engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
            for _ in range(200):
                gone = other.execute(
                    text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid"), {"pid": pid}
                ).scalar()
                if not gone:
                    return
                other.commit()  # pg_stat_activity is read once per transaction: read it anew
                time.sleep(0.01)
            raise AssertionError(f"backend {pid} still there")

    yield kill
    engine.dispose()


def _pid(connection) -> int:
    return connection.connection.dbapi_connection.info.backend_pid


def _cut_at(kill, marker: str, times: int = 1):
    """A cursor hook ending the request's backend just before a statement containing
    ``marker`` runs, ``times`` times."""
    cuts = {"left": times, "done": 0}

    def hook(conn, _cursor, statement, *_args):
        if cuts["left"] and marker in statement:
            cuts["left"] -= 1
            cuts["done"] += 1
            kill(_pid(conn))

    return hook, cuts


def _in_thread(call):
    """The request in a thread of its own: its own application context and session, ended
    as a web worker ends them (the teardown included)."""
    out, errors = [], []

    def run():
        try:
            out.append(call())
        except BaseException as error:  # noqa: BLE001  (re-raised below)
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(60)
    if errors:
        raise errors[0]
    return out[0]


def _signed_in(app, user):
    client = app.test_client()
    data = {"username": user.username, "password": PASSWORD}
    assert _in_thread(lambda: client.post("/dang-nhap", data=data)).status_code == 302
    return client


def _one_line(caplog) -> None:
    """A warning of one line each, no traceback, and no error logged."""
    lost = [r for r in caplog.records if "connection lost" in r.getMessage()]
    assert lost and all(r.levelno == logging.WARNING and not r.exc_info for r in lost)
    assert all("\n" not in r.getMessage() for r in lost)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_form_post_cut_mid_request_is_503_and_its_repeat_is_applied_once(
    app, world, session, killer, caplog
):
    task_id = world.tnmt_task.id
    client = _signed_in(app, world.tnmt_head)
    page = _in_thread(lambda: client.get(f"/nhiem-vu/{task_id}").get_data(as_text=True))
    from browser_form import form_data

    url = f"/nhiem-vu/{task_id}/tien-do"
    data = form_data(page, url).to_dict(flat=True) | {"content": "Đã kiểm tra hiện trường"}
    hook, cuts = _cut_at(killer, "INSERT INTO progress_reports")
    headers = {"Referer": f"http://localhost/nhiem-vu/{task_id}"}
    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        with caplog.at_level(logging.WARNING):
            cut = _in_thread(lambda: client.post(url, data=data, headers=headers))
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
    assert cuts["done"] == 1
    assert cut.status_code == 503 and cut.headers["Retry-After"] == "5"
    assert "Vui lòng thử lại" in cut.get_data(as_text=True)  # not sent back to a fresh form
    _one_line(caplog)
    assert session.scalar(select(func.count(ProgressReport.id))) == 0
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 0  # rolled back with it
    again = _in_thread(lambda: client.post(url, data=data, headers=headers))  # same key
    assert again.status_code == 302
    lost = _in_thread(lambda: client.post(url, data=data, headers=headers))  # answer lost
    assert lost.status_code == 302 and lost.headers["Idempotent-Replayed"] == "true"
    session.expire_all()
    assert session.scalar(select(func.count(ProgressReport.id))) == 1


def test_an_api_write_cut_at_its_commit_is_503_json_and_saves_nothing(
    app, world, session, killer, caplog
):
    row, secret = ApiToken.issue(world.tnmt_head, "cut")
    session.add(row)
    session.commit()
    client = app.test_client()
    cuts = {"done": 0}

    def cut_commit(conn):
        if not cuts["done"]:
            cuts["done"] = 1
            killer(_pid(conn))

    url = f"/api/v1/tasks/{world.tnmt_task.id}/progress"
    headers = {"Authorization": f"Bearer {secret}", HEADER: "k-commit"}
    event.listen(db.engine, "commit", cut_commit)
    try:
        with caplog.at_level(logging.WARNING):
            cut = _in_thread(lambda: client.post(url, json={"content": "Đã họp"}, headers=headers))
    finally:
        event.remove(db.engine, "commit", cut_commit)
    assert cuts["done"] and cut.status_code == 503 and cut.headers["Retry-After"] == "5"
    assert "thử lại" in cut.get_json()["error"]["message"]
    _one_line(caplog)
    assert session.scalar(select(func.count(ProgressReport.id))) == 0
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 0
    again = _in_thread(lambda: client.post(url, json={"content": "Đã họp"}, headers=headers))
    assert again.status_code == 201


def test_a_page_whose_read_is_cut_twice_is_503_not_500(app, world, killer, caplog):
    """Cut once, a page is read again on a fresh connection; cut again, "try again"."""
    client = _signed_in(app, world.office)
    hook, cuts = _cut_at(killer, "FROM tasks", times=2)
    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        with caplog.at_level(logging.WARNING):
            response = _in_thread(lambda: client.get("/nhiem-vu"))
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
    assert cuts["done"] == 2
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "Vui lòng thử lại" in response.get_data(as_text=True)
    _one_line(caplog)


def test_a_cut_at_the_end_of_the_request_does_not_lose_the_answer(app, world, killer, caplog):
    """The page is made, then the connection dies before the session's ROLLBACK at teardown
    (AdminShutdown): the page still goes out, whole."""
    content = world.tnmt_task.content[:30]
    state = {"armed": False}

    @app.after_request
    def cut_before_teardown(response):
        if state["armed"] and db.session.registry.has() and db.session.registry().in_transaction():
            state["armed"] = False
            killer(_pid(db.session.connection()))
        return response

    client = _signed_in(app, world.office)
    state["armed"] = True
    with caplog.at_level(logging.WARNING):
        response = _in_thread(lambda: client.get("/nhiem-vu"))
    assert not state["armed"]
    assert response.status_code == 200
    assert content in response.get_data(as_text=True)
    _one_line(caplog)
    # the next request of the same worker gets a sound connection
    assert _in_thread(lambda: client.get("/nhiem-vu")).status_code == 200


def test_a_form_post_cut_after_its_commit_keeps_its_answer_for_the_repeat(
    app, world, session, killer
):
    """Saved, then cut before the key's answer is written: the answer is lost on the way, the
    change is not; the repeat is told so (409), nothing is saved twice."""
    task_id = world.tnmt_task.id
    client = _signed_in(app, world.tnmt_head)
    page = _in_thread(lambda: client.get(f"/nhiem-vu/{task_id}").get_data(as_text=True))
    from browser_form import form_data

    url = f"/nhiem-vu/{task_id}/tien-do"
    data = form_data(page, url).to_dict(flat=True) | {"content": "Đã kiểm tra"}
    hook, cuts = _cut_at(killer, "UPDATE idempotency_keys")
    event.listen(db.engine, "before_cursor_execute", hook)
    try:
        first = _in_thread(lambda: client.post(url, data=data))
    finally:
        event.remove(db.engine, "before_cursor_execute", hook)
    assert cuts["done"] == 1 and first.status_code == 302  # the answer made still goes out
    again = _in_thread(lambda: client.post(url, data=data))
    assert again.status_code == 409 and data[FIELD]
    assert session.scalar(select(func.count(ProgressReport.id))) == 1
