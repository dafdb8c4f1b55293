"""Two people act on the same task at the same instant: two real requests, each in its own
thread with its own database connection, both past their checks before either writes. One wins;
the other gets the conflict message (a web page or a JSON 409) and nothing of it is saved; never
a server error. On SQLite and PostgreSQL."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import event, func, select

from app.core.timeutil import local_today
from app.extensions import db
from app.models import ApiToken, Event, Extension, ProgressReport, Task
from app.models.documents import TaskState
from app.tasks import workflow
from conftest import PASSWORD

CONFLICT = "người khác cập nhật"
RACED = (Task, Event, ProgressReport, Extension)  # what a task's actions write


class Race:
    """Holds every racing request at its first flush until both have arrived."""

    def __init__(self) -> None:
        self.barrier = threading.Barrier(2, timeout=15)
        self.local = threading.local()

    def before_flush(self, session, _context, _instances) -> None:
        first = getattr(self.local, "racing", False) and not getattr(self.local, "waited", False)
        if first and any(isinstance(o, RACED) for o in [*session.new, *session.dirty]):
            self.local.waited = True
            self.barrier.wait()

    def run(self, *requests):
        """Run the request callables at once; their results in order."""
        results: list = [None] * len(requests)

        def worker(index, call):
            self.local.racing, self.local.waited = True, False
            try:
                results[index] = call()
            except BaseException as error:  # noqa: BLE001  (reported by the assertion below)
                results[index] = (0, repr(error))
                self.barrier.abort()
            finally:
                self.local.racing = False

        threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(requests)]
        event.listen(db.session, "before_flush", self.before_flush)
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(60)
        finally:
            event.remove(db.session, "before_flush", self.before_flush)
        return results


def _sign_in(client, username: str) -> None:
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]


def _in_own_thread(call) -> None:
    """Requests in the test's thread share its application context (and flask-login's user
    of the last request); each sign-in runs in a thread of its own, as a browser's would."""
    errors = []

    def run():
        try:
            call()
        except BaseException as error:  # noqa: BLE001
            errors.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(30)
    if errors:
        raise errors[0]


def _versioned(task: Task, prefix: str = "") -> dict:
    from app.tasks.history import last_event_id

    last = last_event_id(db.session, task)
    return {f"{prefix}version": task.version, f"{prefix}last_event": last}


def _web(client, url, data):
    """POST as a browser does, then read the page it is sent to: (status, page text)."""

    def call():
        response = client.post(url, data=data, headers={"Referer": f"http://localhost{url}"})
        if response.status_code in (302, 303):
            page = client.get(response.headers["Location"])
            return response.status_code, page.get_data(as_text=True)
        return response.status_code, response.get_data(as_text=True)

    return call


def _api(client, token, url, body):
    def call():
        response = client.post(url, json=body, headers={"Authorization": f"Bearer {token}"})
        return response.status_code, str(response.get_json())

    return call


def actions(app, world, task, session, factory):
    """Every action on a task, as (who, request) ready to race."""
    from app.models.people import Role

    second_office = factory.user("vanphong2", Role.OFFICE)
    session.commit()
    office, office2, head = app.test_client(), app.test_client(), app.test_client()
    for client, user in ((office, world.office), (office2, second_office), (head, world.tnmt_head)):
        name = user.username
        _in_own_thread(lambda c=client, n=name: _sign_in(c, n))
    token_row, token = ApiToken.issue(world.office, "race")
    session.add(token_row)
    session.commit()
    base = f"/nhiem-vu/{task.id}"
    today = local_today()
    edit = {
        **_versioned(task),
        "content": "Nội dung đã sửa",
        "lead": task.lead_department_id,
        "deadline_kind": "date",
        "deadline": f"{today:%d/%m/%Y}",
        "note": "",
    }
    return {
        "edit": _web(office2, f"{base}/sua", edit),
        "progress": _web(head, f"{base}/tien-do", {**_versioned(task), "content": "Đã họp"}),
        "completion": _web(
            head, f"{base}/de-nghi-hoan-thanh", {**_versioned(task), "comment": "Xong"}
        ),
        "extension": _web(
            head,
            f"{base}/gia-han",
            {
                **_versioned(task),
                "new_deadline": f"{today.replace(year=today.year + 1):%d/%m/%Y}",
                "reason": "Chờ ý kiến",
            },
        ),  # fmt: skip
        "confirm": _web(
            office, f"{base}/xac-nhan", {**_versioned(task), "done_on": f"{today:%d/%m/%Y}"}
        ),
        "cancel": _web(
            office, f"{base}/huy", {**_versioned(task, "cancel-"), "cancel-reason": "Không cần"}
        ),
        "send_back": _web(
            office, f"{base}/tra-lai", {**_versioned(task, "back-"), "back-reason": "Thiếu"}
        ),
        "api_confirm": _api(
            office, token, f"/api/v1/tasks/{task.id}/confirmation", {"done_on": today.isoformat()}
        ),
        "api_cancel": _api(
            office, token, f"/api/v1/tasks/{task.id}/cancellation", {"reason": "Không cần"}
        ),
    }


PAIRS = [
    ("edit", "progress"),
    ("completion", "edit"),
    ("confirm", "cancel"),
    ("extension", "cancel"),
    ("edit", "confirm"),
    ("send_back", "confirm"),
    ("api_confirm", "edit"),
    ("api_cancel", "progress"),
]


@pytest.mark.parametrize(("first", "second"), PAIRS)
def test_a_race_on_one_task_ends_in_one_change_and_one_conflict_message(
    app, world, session, factory, first, second
):
    task = world.tnmt_task
    if "send_back" in (first, second):
        workflow.request_completion(session, task, world.tnmt_head, local_today())
        session.commit()
    events_before = session.scalar(select(func.count(Event.id)).where(Event.task_id == task.id))
    reports_before = session.scalar(select(func.count(ProgressReport.id)))
    race = Race()
    requests = actions(app, world, task, session, factory)
    results = race.run(requests[first], requests[second])
    statuses = [status for status, _text in results]
    assert all(status < 500 for status in statuses), results
    conflicts = [CONFLICT in text for _status, text in results]
    assert conflicts.count(True) == 1, (statuses, [text[:300] for _s, text in results])
    session.expire_all()
    saved = session.get(Task, task.id)
    events = session.scalar(select(func.count(Event.id)).where(Event.task_id == task.id))
    assert events > events_before  # the winner's change is there
    loser = (first, second)[conflicts.index(True)]
    if loser == "progress":  # the losing report was not saved either
        assert session.scalar(select(func.count(ProgressReport.id))) == reports_before
    if loser in ("confirm", "api_confirm"):
        assert saved.state != TaskState.DONE
    if loser in ("cancel", "api_cancel"):
        assert saved.state != TaskState.CANCELLED


def _hold_lock(database_url: str, task_id: int):
    """Another writer holding the task (PostgreSQL: its row; SQLite: the database's write
    lock) until the returned function is called."""
    if database_url.startswith("sqlite"):
        import sqlite3

        holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")
    else:
        import psycopg

        holder = psycopg.connect(database_url.replace("postgresql+psycopg://", "postgresql://"))
        holder.execute("SELECT id FROM tasks WHERE id = %s FOR UPDATE", (task_id,))

    def release() -> None:
        holder.rollback() if not database_url.startswith("sqlite") else holder.execute("ROLLBACK")
        holder.close()

    return release


def test_a_save_that_meets_a_held_lock_is_asked_to_try_again(app, world, session, database_url):
    task_id = world.tnmt_task.id
    data = {**_versioned(world.tnmt_task), "content": "Đã họp"}
    token_row, token = ApiToken.issue(world.tnmt_head, "lock")
    session.add(token_row)
    session.commit()
    app.config["DB_LOCK_TIMEOUT_MS"] = 300
    session.close()
    db.engine.dispose()  # new connections take the shorter wait
    client = app.test_client()
    _in_own_thread(lambda: _sign_in(client, "tnmt.truong"))
    release = _hold_lock(database_url, task_id)
    answers = []
    try:
        web = f"/nhiem-vu/{task_id}/tien-do"
        _in_own_thread(lambda: answers.append(client.post(web, data=data)))
        api = f"/api/v1/tasks/{task_id}/progress"
        headers = {"Authorization": f"Bearer {token}"}
        _in_own_thread(
            lambda: answers.append(client.post(api, json={"content": "x"}, headers=headers))
        )
    finally:
        release()
    page = answers[0]
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert "Vui lòng thử lại" in page.get_data(as_text=True)
    assert answers[1].status_code == 503 and "thử lại" in answers[1].get_json()["error"]["message"]
    _in_own_thread(lambda: answers.append(client.post(f"/nhiem-vu/{task_id}/tien-do", data=data)))
    assert answers[-1].status_code == 302  # the lock gone, the same save goes through
    assert session.scalar(select(func.count(ProgressReport.id))) == 1
