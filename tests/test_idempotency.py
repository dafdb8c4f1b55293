"""A write sent twice because its first answer was lost is applied once (issue 28, item 10):
every POST form carries a one-time key, the API takes an ``Idempotency-Key`` header; a repeat
gets the first answer again."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import event, func, select
from test_api import api  # noqa: F401  (the fixture validating every answer)
from test_concurrency import _in_own_thread

from app.core.timeutil import utcnow
from app.extensions import db
from app.models import ApiToken, Event, IdempotencyKey, ProgressReport
from app.web.idempotency import FIELD, HEADER
from browser_form import FormReader, form_data
from conftest import PASSWORD, login


def _reports(session) -> int:
    session.expire_all()
    return session.scalar(select(func.count(ProgressReport.id)))


def _progress_form(client, task) -> dict:
    """The progress form as the task page renders it, with a report typed in."""
    page = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    data = form_data(page, f"/nhiem-vu/{task.id}/tien-do").to_dict(flat=True)
    data["content"] = "Đã kiểm tra hiện trường, lập biên bản"
    return data


@pytest.fixture
def tokens(world, session):
    made = {}
    for role in ("tnmt_head", "qldt_head"):
        row, secret = ApiToken.issue(getattr(world, role), role)
        session.add(row)
        made[role] = {"Authorization": f"Bearer {secret}"}
    session.commit()
    return made


def test_a_progress_form_posted_twice_is_saved_once(client, world, session):
    task = world.tnmt_task
    login(client, world.tnmt_head)
    data = _progress_form(client, task)
    assert len(data[FIELD]) >= 20  # the page's one-time key
    url = f"/nhiem-vu/{task.id}/tien-do"
    events = select(func.count(Event.id)).where(Event.task_id == task.id)
    first = client.post(url, data=data, content_type="multipart/form-data")
    after_first = session.scalar(events)
    again = client.post(url, data=data, content_type="multipart/form-data")  # answer lost
    assert first.status_code == again.status_code == 302
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _reports(session) == 1
    assert session.scalar(events) == after_first  # no event of a second report either
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "đã được thực hiện ở lần gửi trước" in page


def test_a_form_without_a_key_still_works(client, world, session):
    """A page opened before the keys existed (in a tab) posts without one: saved as before."""
    task = world.tnmt_task
    login(client, world.tnmt_head)
    data = _progress_form(client, task)
    del data[FIELD]
    response = client.post(f"/nhiem-vu/{task.id}/tien-do", data=data)
    assert response.status_code == 302 and "Idempotent-Replayed" not in response.headers
    assert _reports(session) == 1
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 0


def test_the_same_form_key_with_other_content_is_refused_with_a_message(client, world, session):
    task = world.tnmt_task
    login(client, world.tnmt_head)
    data = _progress_form(client, task)
    url = f"/nhiem-vu/{task.id}/tien-do"
    assert client.post(url, data=data).status_code == 302
    changed = {**data, "content": "Nội dung khác"}
    referer = {"Referer": f"http://localhost/nhiem-vu/{task.id}"}
    refused = client.post(url, data=changed, headers=referer)
    assert refused.status_code == 303  # back to the task page, with the message on top
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "nội dung khác lần đó" in page
    alone = client.post(url, data=changed)  # no page to go back to: the message on its own
    assert alone.status_code == 422 and "nội dung khác lần đó" in alone.get_data(as_text=True)
    assert _reports(session) == 1


def test_an_api_write_sent_twice_with_its_key_is_applied_once(client, world, session, tokens):
    task = world.tnmt_task
    url = f"/api/v1/tasks/{task.id}/progress"
    headers = {**tokens["tnmt_head"], HEADER: "a3f1c2d4-0b5e-4c1a-9e7f-2d6b8a0c1e3f"}
    first = client.post(url, json={"content": "Đã họp"}, headers=headers)
    again = client.post(url, json={"content": "Đã họp"}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert _reports(session) == 1
    record = session.scalar(select(IdempotencyKey))  # written with the change, answered
    assert (record.status, record.method, record.path) == (201, "POST", url)


def test_the_same_api_key_with_another_body_is_422(client, world, session, tokens):
    task = world.tnmt_task
    url = f"/api/v1/tasks/{task.id}/progress"
    headers = {**tokens["tnmt_head"], HEADER: "key-1"}
    assert client.post(url, json={"content": "Đã họp"}, headers=headers).status_code == 201
    other = client.post(url, json={"content": "Đã họp lần hai"}, headers=headers)
    assert other.status_code == 422
    assert "nội dung khác lần đó" in other.get_json()["error"]["message"]
    other_task = client.post(
        f"/api/v1/tasks/{world.qldt_task.id}/progress", json={"content": "Đã họp"}, headers=headers
    )
    assert other_task.status_code == 422  # the same key for another path is another request
    assert _reports(session) == 1


def test_a_key_of_one_user_is_not_replayed_for_another(client, world, session, tokens):
    task = world.tnmt_task  # led by TNMT, QLĐT cooperates: both may report
    url = f"/api/v1/tasks/{task.id}/progress"
    body = {"content": "Đã phối hợp kiểm tra"}
    mine = client.post(url, json=body, headers={**tokens["tnmt_head"], HEADER: "same"})
    theirs = client.post(url, json=body, headers={**tokens["qldt_head"], HEADER: "same"})
    assert mine.status_code == theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.get_json()["id"] != mine.get_json()["id"]
    assert _reports(session) == 2


@pytest.mark.parametrize("key", ["", "x" * 129, "có dấu", "two words", "tab\there"])
def test_a_malformed_key_is_400_in_vietnamese(client, world, session, tokens, key):
    url = f"/api/v1/tasks/{world.tnmt_task.id}/progress"
    response = client.post(url, json={"content": "x"}, headers={**tokens["tnmt_head"], HEADER: key})
    assert response.status_code == 400
    assert "Idempotency-Key" in response.get_json()["error"]["message"]
    assert _reports(session) == 0


def test_a_repeat_while_the_first_is_being_answered_is_409(client, world, session, tokens):
    """The first request committed and has not made its answer yet (or lost it)."""
    task = world.tnmt_task
    url = f"/api/v1/tasks/{task.id}/progress"
    headers = {**tokens["tnmt_head"], HEADER: "in-flight"}
    assert client.post(url, json={"content": "Đã họp"}, headers=headers).status_code == 201
    session.execute(db.update(IdempotencyKey).values(status=None, body=None))
    session.commit()
    again = client.post(url, json={"content": "Đã họp"}, headers=headers)
    assert again.status_code == 409 and "đang được xử lý" in again.get_json()["error"]["message"]
    assert _reports(session) == 1


def test_two_requests_with_one_key_at_the_same_time_apply_once(app, world, session):
    """Both pass the look-up before either commits (held together just before their commits):
    the key's unique record refuses the second, rolled back whole. The page made once (a new
    API token shown once) is not kept: the repeat is sent back to the page it came from."""
    client = app.test_client()
    _in_own_thread(
        lambda: client.post("/dang-nhap", data={"username": "tnmt.truong", "password": PASSWORD})
    )
    page = []
    _in_own_thread(lambda: page.append(client.get("/tai-khoan").get_data(as_text=True)))
    reader = FormReader()
    reader.feed(page[0])
    (form,) = [f for f in reader.forms if ("action", "create-token") in f.fields]
    data = dict(form.fields)
    barrier, local = threading.Barrier(2, timeout=15), threading.local()

    def together(session_) -> None:
        if getattr(local, "racing", False) and any(isinstance(o, ApiToken) for o in session_.new):
            local.racing = False
            barrier.wait()

    results = []

    def call():
        local.racing = True
        response = client.post(
            "/tai-khoan", data=data, headers={"Referer": "http://localhost/tai-khoan"}
        )
        results.append((response.status_code, response.headers.get("Location")))

    session_class = type(db.session.registry())
    event.listen(session_class, "before_commit", together, insert=True)
    try:
        threads = [threading.Thread(target=call) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    finally:
        event.remove(session_class, "before_commit", together)
    statuses = sorted(status for status, _ in results)
    # the second: sent back (303) or told the first is still being answered (409); SQLite's one
    # writer may refuse it as busy first (503)
    assert statuses[0] == 200 and statuses[1] in (303, 409, 503), results
    session.expire_all()
    assert session.scalar(select(func.count(ApiToken.id))) == 1
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 1


def test_a_rolled_back_change_leaves_no_key(client, world, session):
    """The record is written with the change: a change refused at its commit (someone saved
    the task first) leaves none, and the same form sent again is applied."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite holds one writer: the other write would wait for this one")
    task = world.tnmt_task
    login(client, world.tnmt_head)
    data = _progress_form(client, task)
    url = f"/nhiem-vu/{task.id}/tien-do"
    stale = {"done": False}

    def someone_else_first(conn, _cursor, statement, *_args):
        if not stale["done"] and statement.startswith("UPDATE tasks"):
            stale["done"] = True
            with db.engine.connect() as other:
                other.execute(db.text("UPDATE tasks SET version = version + 1 WHERE id = :id"),
                              {"id": task.id})  # fmt: skip
                other.commit()

    event.listen(db.engine, "before_cursor_execute", someone_else_first)
    try:
        refused = client.post(url, data=data)
    finally:
        event.remove(db.engine, "before_cursor_execute", someone_else_first)
    assert stale["done"] and refused.status_code in (302, 303, 409)
    assert _reports(session) == 0
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 0
    data = _progress_form(client, task) | {FIELD: data[FIELD]}  # the page again, same key
    assert client.post(url, data=data).status_code == 302
    assert _reports(session) == 1


def test_keys_are_forgotten_after_a_day(app, world, session):
    from app.scheduler.runner import tick

    def record(key: str, age: dt.timedelta) -> IdempotencyKey:
        return IdempotencyKey(
            user_id=world.office.id,
            key=key,
            method="POST",
            path="/x",
            body_hash="0" * 64,
            status=302,
            created_at=utcnow() - age,
        )

    session.add_all([record("old", dt.timedelta(hours=25)), record("new", dt.timedelta(hours=1))])
    session.commit()
    assert tick()["idempotency"] == 1
    session.expire_all()
    assert session.scalars(select(IdempotencyKey.key)).all() == ["new"]


# Every POST form of every page each demo role opens carries the key.
@pytest.fixture(scope="module")
def demo_pages(tmp_path_factory, sqlite_template):
    import shutil

    from page_audit import pages_by_role

    from app.core.timeutil import local_today
    from app.dev.demo import seed_demo
    from conftest import FAST_HASH, make_app

    path = tmp_path_factory.mktemp("keys") / "demo.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        seed_demo(db.session, local_today(), FAST_HASH)
        db.session.commit()
        pages = pages_by_role(db.session)
        db.session.remove()
    yield app, pages
    with app.app_context():
        db.engine.dispose()


def test_every_post_form_of_every_page_carries_a_one_time_key(demo_pages):
    app, pages = demo_pages
    checked, missing, keys = 0, [], set()
    for role, urls in pages.items():
        client = app.test_client()

        def visit(client=client, role=role, urls=urls):
            nonlocal checked
            if role:
                signed = client.post("/dang-nhap", data={"username": role, "password": "demo1234"})
                assert signed.status_code == 302, role
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (role, url)
                reader = FormReader()
                reader.feed(response.get_data(as_text=True))
                for form in reader.forms:
                    if form.attrs.get("method", "get").lower() != "post":
                        continue
                    checked += 1
                    sent = [value for name, value in form.fields if name == FIELD]
                    if len(sent) != 1:
                        missing.append((role, url, form.attrs.get("action", "")))
                    keys.update(sent)

        _in_own_thread(visit)
    assert checked > 100 and missing == []
    assert len(keys) == checked  # one key a form: never the same twice


def test_the_form_key_field_is_rendered_where_csrf_is_on(app, world):
    """With CSRF protection on (as in production), the token and the key sit side by side."""
    app.config["WTF_CSRF_ENABLED"] = True
    client = app.test_client()
    page = client.get("/dang-nhap").get_data(as_text=True)
    reader = FormReader()
    reader.feed(page)
    (form,) = [f for f in reader.forms if f.attrs.get("method") == "post"]
    names = [name for name, _ in form.fields]
    assert "csrf_token" in names and FIELD in names


def test_a_write_without_a_key_is_not_recorded_under_the_last_key(app, world, session, tokens):
    """A write with a key, then one without, by the same client: the second is applied, and
    not recorded under the first's key."""
    client = app.test_client()
    url = f"/api/v1/tasks/{world.tnmt_task.id}/progress"
    done = threading.Event()

    def calls():
        client.post(url, json={"content": "a"}, headers={**tokens["tnmt_head"], HEADER: "k1"})
        client.post(url, json={"content": "b"}, headers=tokens["tnmt_head"])
        done.set()

    _in_own_thread(calls)
    assert done.is_set() and _reports(session) == 2
    assert session.scalar(select(func.count(IdempotencyKey.id))) == 1


def test_the_api_reference_documents_the_key_on_every_write(client):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    writes = [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) >= 8
    for path, method, operation in writes:
        names = [(p["in"], p["name"]) for p in operation["parameters"]]
        assert ("header", HEADER) in names, (path, method)
        assert {"400", "409", "422", "503"} <= set(operation["responses"]), (path, method)
        assert HEADER in operation["responses"]["422"]["description"]
    reads = [op for item in spec["paths"].values() for m, op in item.items() if m == "get"]
    assert all(HEADER not in str(op.get("parameters", [])) for op in reads)


def test_the_key_answers_match_the_api_reference(api, world, session):  # noqa: F811
    """The 422 and 409 answers validate against the served description (the fixture checks
    every response)."""
    url = f"/tasks/{world.tnmt_task.id}/progress"
    token = {"Authorization": f"Bearer {api.tokens['tnmt_head']}"}
    headers = {**token, HEADER: "documented"}
    assert api(None, "POST", url, json={"content": "Đã họp"}, headers=headers).status_code == 201
    again = api(None, "POST", url, json={"content": "Đã họp"}, headers=headers)
    assert again.status_code == 201
    other = api(None, "POST", url, json={"content": "Khác"}, headers=headers)
    assert other.status_code == 422
    session.execute(db.update(IdempotencyKey).values(status=None, body=None))
    session.commit()
    assert api(None, "POST", url, json={"content": "Đã họp"}, headers=headers).status_code == 409


def test_a_refused_form_sent_again_is_refused_again_not_said_done(client, world, session):
    """A refusal is committed too (the access log): its repeat is the same 403, never the
    note that the action was done."""
    login(client, world.vhtt_head)  # not a unit of this task
    task = world.tnmt_task
    data = {"content": "Báo cáo", "version": task.version, FIELD: "refused-once"}
    url = f"/nhiem-vu/{task.id}/tien-do"
    assert client.post(url, data=data).status_code == 403
    again = client.post(url, data=data, headers={"Referer": f"http://localhost{url}"})
    assert again.status_code == 403
    page = client.get("/").get_data(as_text=True)
    assert "đã được thực hiện ở lần gửi trước" not in page
    assert _reports(session) == 0
