"""Sessions that end, sign-in throttling, security headers, files that are what they say, and
the smaller leaks: each a rule an attacker or a lost laptop would test."""

from __future__ import annotations

import datetime as dt
import io
import re
from email.utils import parsedate_to_datetime

import pytest
from sqlalchemy import func, select

from app.auth.throttle import ACCOUNT_LIMIT, ADDRESS_LIMIT
from app.core.timeutil import local_today
from app.models import AccessDenial, Document, Issuer, LoginFailure
from conftest import PASSWORD, login

PAGES = [
    "/",
    "/nhiem-vu",
    "/nhiem-vu/qua-han",
    "/van-ban/moi",
    "/nhap-du-lieu",
    "/bao-cao",
    "/cho-van-phong-xu-ly",
    "/tai-khoan",
    "/quan-tri/nguoi-dung",
    "/quan-tri/cai-dat",
]


def cookies(client) -> dict[str, str]:
    return {
        name: client.get_cookie(name).value
        for name in ("session", "remember_token")
        if client.get_cookie(name) is not None
    }


def fresh():
    """The tests' app context lives across requests, and Flask-Login keeps the request's user
    in it: forget it, as a new request in a real server does, before another client asks."""
    from flask import g

    g.pop("_login_user", None)


def sign_in(client, user, remember=False, password=PASSWORD):
    data = {"username": user.username, "password": password}
    if remember:
        data["remember"] = "y"
    fresh()
    return client.post("/dang-nhap", data=data)


def signed_in(client) -> bool:
    fresh()
    return client.get("/").status_code == 200


# -- sessions end ----------------------------------------------------------------------------


def test_sign_out_ends_this_browsers_session_and_every_copy_of_its_cookies(app, world):
    pc, phone, thief = app.test_client(), app.test_client(), app.test_client()
    assert sign_in(pc, world.office, remember=True).status_code == 302
    assert sign_in(phone, world.office, remember=True).status_code == 302
    assert signed_in(pc) and signed_in(phone)  # one person, two devices
    copied = cookies(phone)
    thief.set_cookie("session", copied["session"])
    assert signed_in(thief)  # a copied cookie works while the session lasts …
    fresh()
    phone.post("/dang-xuat")
    assert not signed_in(thief) and not signed_in(phone)  # … and not after its sign-out
    stolen = app.test_client()
    stolen.set_cookie("remember_token", copied["remember_token"])
    assert not signed_in(stolen)  # nor does the remember-me cookie
    assert signed_in(pc)  # the person's other browser stays signed in (the account page
    # lists it and signs out everywhere: tests/test_own_account.py)
    assert sign_in(phone, world.office, remember=True).status_code == 302
    assert cookies(phone)["remember_token"] != copied["remember_token"]  # a new one after it


def test_a_password_change_and_deactivation_end_sessions(app, client, world, session):
    other = app.test_client()
    assert sign_in(other, world.tnmt_head).status_code == 302 and signed_in(other)
    fresh()
    login(client, world.admin)
    url = f"/quan-tri/nguoi-dung/{world.tnmt_head.id}"
    data = {
        "username": world.tnmt_head.username,
        "full_name": world.tnmt_head.full_name,
        "role": "department_head",
        "department": world.tnmt.id,
        "is_active": "y",
        "password": "den-vang-o-ngo-bay",
    }
    assert client.post(url, data=data).status_code == 302
    assert not signed_in(other)
    assert sign_in(other, world.tnmt_head, password="den-vang-o-ngo-bay").status_code == 302
    fresh()
    login(client, world.admin)
    assert client.post(url, data={**data, "password": "", "is_active": ""}).status_code == 302
    assert not signed_in(other)


def test_remember_cookie_flags(app, world):
    client = app.test_client()
    response = sign_in(client, world.office, remember=True)
    header = next(h for h in response.headers.getlist("Set-Cookie") if "remember_token" in h)
    assert "SameSite=Lax" in header and "HttpOnly" in header
    expires = parsedate_to_datetime(re.search(r"Expires=([^;]+)", header).group(1))
    lasts = expires - dt.datetime.now(dt.UTC)
    assert dt.timedelta(days=29) < lasts <= dt.timedelta(days=30)  # remember-me: 30 days


# -- throttling --------------------------------------------------------------------------------


def test_wrong_passwords_lock_the_account_until_an_admin_unlocks(app, client, world, session):
    for _ in range(ACCOUNT_LIMIT):
        response = sign_in(client, world.office, password="sai-mat-khau")
        assert response.status_code == 200
    locked = sign_in(client, world.office)  # the right password, too soon
    assert locked.status_code == 429
    assert "tạm khóa" in locked.get_data(as_text=True)
    assert not signed_in(client)
    assert session.scalar(
        select(AccessDenial).where(AccessDenial.reason.like("sign-in throttled: vanphong%"))
    )
    admin = app.test_client()
    login(admin, world.admin)
    page = admin.get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert 'data-unlock="vanphong"' in page
    assert admin.post(f"/quan-tri/nguoi-dung/{world.office.id}/mo-khoa").status_code == 302
    assert sign_in(client, world.office).status_code == 302


def test_the_wait_grows_and_ends(session, world):
    from app.auth.throttle import record_failure, sign_in_lock

    now = dt.datetime(2026, 11, 28, 8, 0)
    for minute in range(ACCOUNT_LIMIT):
        record_failure(session, "vanphong", "10.0.0.1", now + dt.timedelta(minutes=minute))
    last = now + dt.timedelta(minutes=ACCOUNT_LIMIT - 1)
    lock = sign_in_lock(session, "VanPhong", "10.0.0.9", last)
    assert lock.by_account and lock.until == last + dt.timedelta(minutes=15)
    assert sign_in_lock(session, "vanphong", "10.0.0.9", lock.until) is None
    record_failure(session, "vanphong", "10.0.0.1", lock.until)
    again = sign_in_lock(session, "vanphong", "10.0.0.9", lock.until)
    assert again.until == lock.until + dt.timedelta(minutes=30)  # doubled


def test_one_address_trying_many_accounts_is_locked(client, world, session):
    for number in range(ADDRESS_LIMIT):
        client.post("/dang-nhap", data={"username": f"khong-co-{number}", "password": "x"})
    assert session.scalar(select(func.count(LoginFailure.id))) == ADDRESS_LIMIT
    assert sign_in(client, world.leader).status_code == 429


def _knows_device(app, user):
    """A browser that has signed in as ``user`` once (and signed out): a known device."""
    browser = app.test_client()
    assert sign_in(browser, user).status_code == 302
    assert browser.get_cookie("thiet_bi", path="/dang-nhap") is not None
    fresh()
    browser.post("/dang-xuat")
    return browser


def test_others_wrong_passwords_never_lock_a_person_out_of_their_own_browser(app, world, session):
    own = _knows_device(app, world.office)
    guesser = app.test_client()
    for _ in range(ACCOUNT_LIMIT + 3):
        sign_in(guesser, world.office, password="doan-mo")
    assert sign_in(guesser, world.office).status_code == 429  # an unknown client waits
    assert sign_in(app.test_client(), world.office).status_code == 429
    assert sign_in(own, world.office).status_code == 302  # the person's own browser does not
    # ... and signing in there does not give the guesser a fresh set of tries
    assert sign_in(guesser, world.office).status_code == 429


def test_made_up_names_from_an_office_address_stop_only_unknown_browsers(app, world, session):
    own = _knows_device(app, world.admin)
    attacker = app.test_client()
    for number in range(ADDRESS_LIMIT):
        attacker.post("/dang-nhap", data={"username": f"bia-{number}", "password": "x"})
    newcomer = app.test_client()
    assert sign_in(newcomer, world.admin).status_code == 429
    assert sign_in(own, world.admin).status_code == 302  # admin gets in from their browser
    page = own.get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert 'data-unlock-address="127.0.0.1"' in page
    lifted = own.post("/quan-tri/nguoi-dung/mo-khoa-dia-chi", data={"address": "127.0.0.1"})
    assert lifted.status_code == 302
    assert session.scalar(select(func.count(LoginFailure.id))) == 0
    assert sign_in(newcomer, world.leader).status_code == 302


def test_a_known_device_counts_its_own_wrong_passwords(app, world, session):
    own = _knows_device(app, world.office)
    for _ in range(ACCOUNT_LIMIT):
        assert sign_in(own, world.office, password="go-nham").status_code == 200
    assert sign_in(own, world.office).status_code == 429  # this device guessed: it waits
    assert sign_in(app.test_client(), world.office).status_code == 302  # nobody else does
    denial = session.scalar(
        select(AccessDenial).where(AccessDenial.reason.like("sign-in throttled: vanphong%"))
    )
    assert "from device " in denial.reason


def test_a_device_cookie_is_one_accounts_and_cannot_be_forged(app, world, session):
    own = _knows_device(app, world.office)
    guesser = app.test_client()
    for _ in range(ACCOUNT_LIMIT):
        sign_in(guesser, world.leader, password="doan-mo")
    assert sign_in(own, world.leader).status_code == 429  # known for vanphong, not lanhdao
    forged = app.test_client()
    value = own.get_cookie("thiet_bi", path="/dang-nhap").value
    forged.set_cookie(
        "thiet_bi", value[:-2] + ("AA" if value[-2:] != "AA" else "BB"), path="/dang-nhap"
    )
    for _ in range(ACCOUNT_LIMIT):
        sign_in(guesser, world.office, password="doan-mo")
    assert sign_in(forged, world.office).status_code == 429


def test_every_lock_can_be_lifted_from_the_command_line(app, world, session):
    runner = app.test_cli_runner()
    guesser = app.test_client()
    for number in range(ADDRESS_LIMIT):
        guesser.post("/dang-nhap", data={"username": f"bia-{number}", "password": "x"})
    assert sign_in(app.test_client(), world.leader).status_code == 429
    result = runner.invoke(args=["users", "unlock", "--address", "127.0.0.1"])
    assert result.exit_code == 0, result.output
    assert f"({ADDRESS_LIMIT} lần sai được xóa)" in result.output
    assert sign_in(app.test_client(), world.leader).status_code == 302
    assert runner.invoke(args=["users", "unlock"]).exit_code == 2


def test_an_unknown_name_costs_the_same_hash_work(client, world, monkeypatch):
    import werkzeug.security

    import app.models.people as people

    calls = []
    real = werkzeug.security.check_password_hash

    def counting(hash_value, password):
        calls.append(hash_value.split("$")[0])
        return real(hash_value, password)

    monkeypatch.setattr(werkzeug.security, "check_password_hash", counting)
    monkeypatch.setattr(people, "check_password_hash", counting)
    client.post("/dang-nhap", data={"username": "vanphong", "password": "sai"})
    client.post("/dang-nhap", data={"username": "khong-ai-ca", "password": "sai"})
    assert len(calls) == 2  # one password hash checked either way


# -- headers and scripts -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["admin", "office", "tnmt_head"])
def test_every_page_has_the_headers_and_no_inline_script(client, world, role):
    login(client, getattr(world, role))
    for url in [*PAGES, f"/nhiem-vu/{world.tnmt_task.id}", "/static/app.css"]:
        response = client.get(url)
        if response.status_code != 200:
            continue
        headers = response.headers
        policy = headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        html = response.get_data(as_text=True)
        for tag in re.findall(r"<script\b[^>]*>", html):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
        response.close()


def test_hsts_only_under_https(database_url, tmp_path):
    from conftest import make_app

    secure = make_app(database_url, BASE_URL="https://theodoi.example.vn")
    with secure.test_client().get("/dang-nhap") as response:
        assert "max-age" in response.headers["Strict-Transport-Security"]
    plain = make_app(database_url, BASE_URL="http://127.0.0.1:5000")
    with plain.test_client().get("/dang-nhap") as response:
        assert "Strict-Transport-Security" not in response.headers
    close(secure, plain)


def close(*apps) -> None:
    """Close the connections of apps made inside a test (the fixture closes its own)."""
    from app.extensions import db

    for other in apps:
        with other.app_context():
            db.engine.dispose()


# -- attachments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,data",
    [
        ("bao-cao.pdf", b"<html><script>alert(1)</script></html>"),
        ("anh.png", b"%PDF-1.4 not a picture"),
        ("bang.xlsx", b"%PDF-1.4"),
        ("van-ban.doc", b"plain text"),
    ],
)
def test_a_file_must_be_what_its_name_says(client, world, session, name, data):
    login(client, world.tnmt_head)
    task = world.tnmt_task
    response = client.post(
        f"/nhiem-vu/{task.id}/tien-do",
        data={"content": "Báo cáo", "version": task.version, "files": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "không phải là tệp" in response.get_data(as_text=True)
    from app.models import Attachment, ProgressReport

    assert session.scalar(select(func.count(Attachment.id))) == 0
    assert session.scalar(select(func.count(ProgressReport.id))) == 0


# -- smaller leaks -------------------------------------------------------------------------------


def test_filters_show_a_department_only_what_it_can_see(client, world, session, factory):
    hidden = factory.issuer("Sở Nội vụ tỉnh Lạng Sơn")
    document = factory.document(local_today(), hidden)
    document.kind = "Công văn mật"
    factory.task(world.vhtt, local_today(), None, document=document, content="Việc của VHTT")
    session.commit()
    login(client, world.tnmt_head)
    html = client.get("/nhiem-vu").get_data(as_text=True)
    assert "Sở Nội vụ tỉnh Lạng Sơn" not in html and "Công văn mật" not in html
    login(client, world.office)
    html = client.get("/nhiem-vu").get_data(as_text=True)
    assert "Sở Nội vụ tỉnh Lạng Sơn" in html and "Công văn mật" in html
    assert session.scalar(select(func.count(Issuer.id))) >= 2
    assert session.scalar(select(func.count(Document.id))) >= 2


def test_only_a_head_renews_the_department_calendar(client, world, session):
    login(client, world.tnmt_member)
    data = {"action": "department-calendar", "department_id": world.tnmt.id}
    assert client.post("/tai-khoan", data=data).status_code == 403
    assert 'value="department-calendar"' not in client.get("/tai-khoan").get_data(as_text=True)
    login(client, world.tnmt_head)
    assert client.post("/tai-khoan", data=data).status_code == 302
    session.refresh(world.tnmt)
    assert world.tnmt.calendar_token


def test_the_refusal_log_is_bounded(client, world, session, monkeypatch):
    import app.web.wiring

    monkeypatch.setattr(app.web.wiring, "DENIALS_KEPT", 5)
    login(client, world.tnmt_member)
    for _ in range(12):
        assert client.get("/quan-tri/nguoi-dung").status_code == 403
    assert session.scalar(select(func.count(AccessDenial.id))) == 5


def test_deadlines_stay_within_twenty_years_of_the_issue_date(client, world, session):
    task = world.tnmt_task
    login(client, world.tnmt_head)
    far = {"version": task.version, "new_deadline": "31/12/2199", "reason": "Rất lâu"}
    response = client.post(f"/nhiem-vu/{task.id}/gia-han", data=far, follow_redirects=True)
    assert "không được quá 20 năm" in response.get_data(as_text=True)
    login(client, world.office)
    data = {
        "number": "88/TB-UBND",
        "issuer": task.document.issuer_id,
        "issued_on": "16/12/2024",
        "tasks-0-content": "Việc rất xa",
        "tasks-0-lead": world.tnmt.id,
        "tasks-0-deadline_kind": "date",
        "tasks-0-deadline": "01/01/2100",
    }
    refused = client.post("/van-ban/moi", data=data)
    assert refused.status_code == 400 and "không được quá 20 năm" in refused.get_data(as_text=True)
    early = client.post("/van-ban/moi", data={**data, "tasks-0-deadline": "01/12/2024"})
    assert "không được trước ngày ban hành" in early.get_data(as_text=True)
    assert client.get("/thoi-han?issued_on=9999-12-31&kind=working_days&days=5").status_code == 400


def test_one_click_unsubscribe_needs_no_csrf_token_but_forms_do(database_url, world):
    from app.reminders.record import unsubscribe_token
    from conftest import make_app

    if database_url.startswith("postgresql"):
        pytest.skip("the CSRF rule does not depend on the database (run on SQLite)")
    strict = make_app(database_url, WTF_CSRF_ENABLED=True)
    client = strict.test_client()
    with strict.app_context():
        token = unsubscribe_token(world.tnmt_head.id, "digest")
    with client.post(f"/nhac-viec/huy-dang-ky/{token}") as response:
        assert response.status_code == 200
    with client.post("/dang-nhap", data={"username": "vanphong", "password": PASSWORD}) as refused:
        assert refused.status_code == 400  # the sign-in form without its token
    close(strict)


@pytest.mark.parametrize("path", ["/api/v1/documents", "/api/v1/tasks", "/dang-nhap", "/khong-co"])
def test_json_nested_thousands_deep_is_a_400_anywhere_not_a_traceback(client, path, caplog):
    """A body of 5,000 nested arrays made the JSON parser raise RecursionError, which the
    request hooks let through as a 500 with a 30-line traceback, signed in or not."""
    deep = "[" * 5000 + "]" * 5000
    with caplog.at_level("ERROR"):
        response = client.post(path, data=deep, headers={"Content-Type": "application/json"})
    assert response.status_code == 400
    assert not [record for record in caplog.records if record.levelname == "ERROR"]
    if path.startswith("/api/"):
        assert response.get_json()["error"]["message"] == "Dữ liệu JSON lồng nhau quá sâu."
    else:
        assert "<!doctype html>" in response.get_data(as_text=True)  # the error page


def test_a_refusal_never_names_the_products_internals(client, world, session):
    """An API 403 said "api api.post_confirmation 12": the reason is for the admin's log; the
    answer is the plain Vietnamese refusal, on every API write and read a role may not do."""
    from app.models import ApiToken

    token, secret = ApiToken.issue(world.tnmt_member, "kiểm tra")
    session.add(token)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    task = world.vhtt_task.id  # not the member's unit's
    answers = [
        client.get(f"/api/v1/tasks/{task}", headers=headers),
        client.post(f"/api/v1/tasks/{task}/confirmation", json={"done_on": "2026-01-05"},
                    headers=headers),
        client.post(f"/api/v1/tasks/{world.tnmt_task.id}/confirmation",
                    json={"done_on": "2026-01-05"}, headers=headers),
        client.post("/api/v1/documents", json={}, headers=headers),
        client.post("/api/v1/series", json={}, headers=headers),
    ]  # fmt: skip
    for answer in answers:
        assert answer.status_code == 403, answer.get_json()
        assert answer.get_json()["error"] == {"code": 403, "message": "Không có quyền truy cập"}
    reasons = [d.reason for d in session.scalars(select(AccessDenial))]
    assert any("api." in reason or "api " in reason for reason in reasons)  # kept for the admin
