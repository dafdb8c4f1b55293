"""Two-factor sign-in (issue 29, item 5): enrolment with a code computed from the secret the page
shows, the second step of signing in, wrong and replayed codes, recovery codes, switching off,
the admin's requirement for the admin and the office, the admin's reset. On both databases."""

from __future__ import annotations

import datetime as dt
import html
import logging
import os
import re
import shutil
from pathlib import Path

import pyotp
import pytest
from page_audit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    axe_violations,
    served,
    small_targets,
)
from sqlalchemy import select
from test_browser import _browser_or_skip

from app.auth import two_factor
from app.auth.throttle import ACCOUNT_LIMIT
from app.core.settings import save_settings
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.models import ApiToken, LoginFailure, RecoveryCode, User
from conftest import PASSWORD, Factory, World, login, make_app

PAGE = "/tai-khoan/xac-thuc-hai-buoc"
STEP = "/dang-nhap/ma-xac-thuc"


def fresh():
    """Forget the request's user between requests, as a new request in a real server does."""
    from flask import g

    g.pop("_login_user", None)


def text(response) -> str:
    return response.get_data(as_text=True)


def enrol(client) -> tuple[str, list[str]]:
    """Enrol through the page: read the secret it shows, confirm with a code from it. The
    secret and the recovery codes shown once."""
    fresh()
    page = text(client.get(PAGE))
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    uri = html.unescape(re.search(r'id="two-factor-uri">([^<]+)<', page).group(1))
    assert pyotp.parse_uri(uri).secret == secret
    assert "<svg" in page and 'class="qr-code"' in page  # the QR code, inline
    fresh()
    response = client.post(PAGE, data={"enrol-code": code_at(secret)})
    assert response.status_code == 200, text(response)
    assert response.headers["Cache-Control"] == "no-store"
    codes = re.findall(r"<code[^>]*>([a-z2-9]{5}-[a-z2-9]{5})</code>", text(response))
    assert len(codes) == 10
    return secret, codes


def password_step(client, username: str, password: str = PASSWORD, **extra):
    fresh()
    return client.post("/dang-nhap", data={"username": username, "password": password, **extra})


def code_step(client, code: str):
    fresh()
    return client.post(STEP, data={"code": code})


def signed_in(client) -> bool:
    fresh()
    return client.get("/tai-khoan").status_code == 200


def sign_out(client) -> None:
    fresh()
    client.post("/dang-xuat")


def use_next_step(user: User) -> None:
    """Pretend the codes just used are of an earlier time step (a test cannot wait 30 s)."""
    db.session.refresh(user)
    user.totp_last_step = two_factor.time_step(utcnow()) - 2
    db.session.commit()


def code_at(secret: str, offset_steps: int = 0) -> str:
    """The code an authenticator app shows now (or ``offset_steps`` steps away)."""
    now = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=30 * offset_steps)
    return pyotp.TOTP(secret).at(now)


def test_enrolment_shows_a_secret_and_switches_on_only_with_a_right_code(app, client, world):
    login(client, world.tnmt_head)
    fresh()
    page = text(client.get(PAGE))
    secret = re.search(r'id="two-factor-secret">([A-Z2-7 ]+)<', page).group(1).replace(" ", "")
    fresh()
    assert secret.replace(" ", "") in text(client.get(PAGE)).replace(" ", "")  # kept on reload
    uri = pyotp.parse_uri(html.unescape(re.search(r'id="two-factor-uri">([^<]+)<', page)[1]))
    assert uri.issuer == "Theo dõi văn bản chỉ đạo" and uri.name == "tnmt.truong"
    wrong = f"{(int(code_at(secret)) + 1) % 1_000_000:06d}"
    fresh()
    response = client.post(PAGE, data={"enrol-code": wrong})
    assert "Mã không đúng" in text(response)
    db.session.refresh(world.tnmt_head)
    assert not world.tnmt_head.two_factor_on
    fresh()
    response = client.post(PAGE, data={"enrol-code": code_at(secret)})
    codes = re.findall(r"<code[^>]*>([a-z2-9]{5}-[a-z2-9]{5})</code>", text(response))
    assert len(set(codes)) == 10
    db.session.refresh(world.tnmt_head)
    assert world.tnmt_head.two_factor_on and world.tnmt_head.totp_secret == secret
    stored = db.session.scalars(select(RecoveryCode.code_hash)).all()
    assert len(stored) == 10 and not any(code.replace("-", "") in stored for code in codes)
    fresh()
    assert "Còn 10 mã dự phòng" in text(client.get(PAGE))


def test_the_issuer_is_the_office_s_name(app, client, world):
    save_settings(db.session, office_name="Văn phòng HĐND và UBND")
    db.session.commit()
    login(client, world.office)
    fresh()
    page = text(client.get(PAGE))
    uri = pyotp.parse_uri(html.unescape(re.search(r'id="two-factor-uri">([^<]+)<', page)[1]))
    assert uri.issuer == "Văn phòng HĐND và UBND"


def test_sign_in_asks_the_code_and_the_device_cookie_does_not_skip_it(app, client, world):
    login(client, world.tnmt_head)
    secret, _codes = enrol(client)
    sign_out(client)
    assert client.get_cookie("thiet_bi", path="/dang-nhap") is not None  # a known device
    response = password_step(client, "tnmt.truong", remember="y")
    assert response.status_code == 302 and response.headers["Location"] == STEP
    assert not signed_in(client)  # half signed in is not signed in
    fresh()
    assert "Mã xác thực" in text(client.get(STEP))
    use_next_step(world.tnmt_head)
    response = code_step(client, code_at(secret))
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert signed_in(client)
    assert client.get_cookie("remember_token") is not None  # "remember me" kept to the end


def test_a_wrong_code_is_refused_and_counts_in_the_throttle(app, client, world):
    login(client, world.office)
    secret, _codes = enrol(client)
    sign_out(client)
    right = code_at(secret)
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in _near(secret))
    for attempt in range(ACCOUNT_LIMIT):
        password_step(client, "vanphong")
        response = code_step(client, wrong)
        assert "Mã không đúng" in text(response), attempt
        assert not signed_in(client)
    assert db.session.scalar(select(LoginFailure.id).limit(1)) is not None
    password_step(client, "vanphong")  # the lock stops the password step …
    fresh()
    response = client.post(STEP, data={"code": right})  # … and the second step
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
    response = password_step(client, "vanphong")
    assert response.status_code == 429 and "tạm khóa" in text(response)
    assert not signed_in(client)


def _near(secret: str) -> set[str]:
    return {code_at(secret, offset) for offset in range(-2, 3)}


def test_the_lock_holds_at_the_second_step_too(app, client, world):
    login(client, world.office)
    secret, _codes = enrol(client)
    other = app.test_client()  # a browser the account never signed in from
    password_step(other, "vanphong")  # half signed in, then failures pile up meanwhile
    now = utcnow()
    for _ in range(ACCOUNT_LIMIT):
        db.session.add(LoginFailure(username="vanphong", address="127.0.0.1", created_at=now))
    db.session.commit()
    use_next_step(world.office)
    response = code_step(other, code_at(secret))
    assert response.status_code == 429 and "tạm khóa" in text(response)
    assert not signed_in(other)


def test_a_code_used_once_is_refused_again(app, client, world):
    login(client, world.office)
    secret, _codes = enrol(client)
    db.session.refresh(world.office)
    used = pyotp.TOTP(secret).generate_otp(world.office.totp_last_step)  # the enrolment's code
    sign_out(client)
    password_step(client, "vanphong")
    response = code_step(client, used)
    assert "đã được dùng" in text(response)
    assert not signed_in(client)
    use_next_step(world.office)
    code = code_at(secret)
    assert code_step(client, code).status_code == 302
    sign_out(client)
    password_step(client, "vanphong")
    assert "đã được dùng" in text(code_step(client, code))  # the same code, a second time
    assert not signed_in(client)


def test_an_earlier_code_after_a_later_one_is_refused(app, session, world):
    user = world.office
    user.totp_secret = pyotp.random_base32()
    now = utcnow()
    later = pyotp.TOTP(user.totp_secret).generate_otp(two_factor.time_step(now) + 1)
    earlier = pyotp.TOTP(user.totp_secret).generate_otp(two_factor.time_step(now))
    assert two_factor.accept_totp(session, user, later, now)
    assert not two_factor.accept_totp(session, user, earlier, now)
    assert not two_factor.accept_totp(session, user, later, now)


def test_a_recovery_code_works_once(app, client, world):
    login(client, world.office)
    secret, codes = enrol(client)
    sign_out(client)
    password_step(client, "vanphong")
    response = code_step(client, codes[3].upper().replace("-", " "))  # as typed from paper
    assert response.status_code == 302
    fresh()
    assert "còn 9 mã" in text(client.get("/"))
    assert signed_in(client)
    sign_out(client)
    password_step(client, "vanphong")
    assert "đã được dùng" in text(code_step(client, codes[3]))
    assert not signed_in(client)


def test_new_recovery_codes_replace_the_old_and_ask_a_code(app, client, world):
    login(client, world.office)
    secret, old = enrol(client)
    fresh()
    response = client.post(f"{PAGE}/ma-du-phong", data={"codes-code": "000000"})
    assert "Mã không đúng" in text(response) and 'id="recovery-codes"' not in text(response)
    use_next_step(world.office)
    fresh()
    response = client.post(f"{PAGE}/ma-du-phong", data={"codes-code": code_at(secret)})
    new = re.findall(r"<code[^>]*>([a-z2-9]{5}-[a-z2-9]{5})</code>", text(response))
    assert len(new) == 10 and not set(new) & set(old)
    sign_out(client)
    password_step(client, "vanphong")
    assert "Mã không đúng" in text(code_step(client, old[0]))
    assert code_step(client, new[0]).status_code == 302


def test_switching_off_asks_the_password_and_a_code(app, client, world):
    login(client, world.office)
    secret, codes = enrol(client)
    use_next_step(world.office)
    fresh()
    response = client.post(
        f"{PAGE}/tat", data={"off-password": "not it", "off-code": code_at(secret)}
    )
    assert "Mật khẩu hiện tại không đúng" in text(response)
    fresh()
    response = client.post(f"{PAGE}/tat", data={"off-password": PASSWORD, "off-code": "123"})
    assert "Mã không đúng" in text(response)
    db.session.refresh(world.office)
    assert world.office.two_factor_on
    fresh()
    response = client.post(f"{PAGE}/tat", data={"off-password": PASSWORD, "off-code": codes[0]})
    assert response.status_code == 302
    db.session.refresh(world.office)
    assert not world.office.two_factor_on and world.office.totp_secret is None
    assert db.session.scalar(select(RecoveryCode.id)) is None
    sign_out(client)
    response = password_step(client, "vanphong")
    assert response.headers["Location"] == "/"  # the password alone signs in again


def test_the_half_signed_in_state_expires_after_five_minutes(app, client, world):
    login(client, world.office)
    secret, _codes = enrol(client)
    sign_out(client)
    password_step(client, "vanphong")
    with client.session_transaction() as state:
        half = state["signing_in"]
        half["since"] -= 5 * 60 + 1
        state["signing_in"] = half
    use_next_step(world.office)
    response = code_step(client, code_at(secret))
    assert response.status_code == 302 and response.headers["Location"] == "/dang-nhap"
    assert not signed_in(client)


def test_without_the_password_step_the_code_page_signs_nobody_in(app, client, world):
    login(client, world.office)
    secret, _codes = enrol(client)
    sign_out(client)
    use_next_step(world.office)
    response = code_step(client, code_at(secret))
    assert response.headers["Location"] == "/dang-nhap"
    assert not signed_in(client)


@pytest.mark.parametrize("role", ["admin", "office"])
def test_the_admin_s_requirement_sends_to_enrolment_first(app, client, world, role):
    save_settings(db.session, two_factor_required="1")
    db.session.commit()
    user = world.admin if role == "admin" else world.office
    login(client, user)
    for path in ("/", "/nhiem-vu", "/tai-khoan", "/tai-khoan/doi-mat-khau", "/quan-tri/cai-dat"):
        fresh()
        response = client.get(path)
        assert response.status_code == 303 and response.headers["Location"] == PAGE, path
    fresh()
    response = client.post("/tai-khoan", data={"action": "calendar"})
    assert response.status_code == 303 and response.headers["Location"] == PAGE
    fresh()
    assert "two-factor-required" in text(client.get(PAGE))
    enrol(client)
    fresh()
    assert client.get("/").status_code == 200


def test_the_requirement_leaves_other_roles_and_api_tokens_alone(app, client, world):
    save_settings(db.session, two_factor_required="1")
    token, secret = ApiToken.issue(world.office, "script")
    db.session.add(token)
    db.session.commit()
    fresh()
    response = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200  # the API's tokens: no second factor
    login(client, world.tnmt_head)
    fresh()
    assert client.get("/").status_code == 200


def test_the_setting_is_off_by_default_and_saved_from_the_settings_page(app, client, world):
    login(client, world.office)
    fresh()
    assert client.get("/").status_code == 200
    login(client, world.admin)
    fresh()
    page = text(client.get("/quan-tri/cai-dat"))
    assert "Bắt buộc xác thực hai bước cho quản trị và văn phòng" in page
    box = re.search(r'<input[^>]*id="two_factor_required"[^>]*>', page).group(0)
    assert 'type="checkbox"' in box and "checked" not in box
    fresh()
    client.post("/quan-tri/cai-dat", data={"requests_by": "head", "two_factor_required": "y"})
    fresh()
    assert client.get("/").headers["Location"] == PAGE  # the admin too


def test_the_admin_resets_a_user_s_two_factor(app, client, world, caplog):
    login(client, world.office)
    enrol(client)
    login(client, world.admin)
    fresh()
    page = text(client.get("/quan-tri/nguoi-dung"))
    assert 'data-reset-two-factor="vanphong"' in page
    assert 'data-reset-two-factor="admin"' not in page
    with caplog.at_level(logging.WARNING, logger="app.auth"):
        fresh()
        response = client.post(f"/quan-tri/nguoi-dung/{world.office.id}/tat-xac-thuc-hai-buoc")
    assert response.status_code == 302
    assert "two-factor sign-in of vanphong" in caplog.text and "admin admin" in caplog.text
    db.session.refresh(world.office)
    assert not world.office.two_factor_on
    assert db.session.scalar(select(RecoveryCode.id)) is None
    sign_out(client)
    assert password_step(client, "vanphong").headers["Location"] == "/"


def test_only_the_admin_may_reset(app, client, world):
    login(client, world.office)
    enrol(client)
    login(client, world.tnmt_head)
    fresh()
    response = client.post(f"/quan-tri/nguoi-dung/{world.office.id}/tat-xac-thuc-hai-buoc")
    assert response.status_code == 403
    db.session.refresh(world.office)
    assert world.office.two_factor_on


def test_the_command_line_reset(app, world):
    world.office.totp_secret = pyotp.random_base32()
    world.office.totp_enabled_at = utcnow()
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["users", "reset-two-factor", "vanphong"])
    assert result.exit_code == 0, result.output
    db.session.refresh(world.office)
    assert not world.office.two_factor_on


SHOTS = os.environ.get("TWO_FACTOR_SHOTS")  # a folder: the pages saved at 1366 and 360 px


@pytest.fixture
def live(sqlite_template, tmp_path):
    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", ATTACHMENT_DIR=str(tmp_path / "files"))
    with app.app_context():
        World(db.session, Factory(db.session), local_today())
        save_settings(db.session, office_name="Văn phòng HĐND và UBND")
        db.session.commit()
        db.session.remove()
    with served(app) as base:
        yield base, app
    with app.app_context():
        db.engine.dispose()


def fits(page, name: str) -> None:
    """No sideways scrolling, no WCAG violation, tap targets of 44 px on a phone; a screenshot
    when asked for."""
    width = page.viewport_size["width"]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        f" > {width}).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' | ')"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, wide)
    assert axe_violations(page) == [], name
    if width < 400:
        assert small_targets(page) == [], name


def browser_password_step(page, base: str, username: str) -> None:
    page.goto(base + "/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("#main button[type=submit]")


def test_enrolment_and_signing_in_with_a_code_in_chromium(live):
    sync_playwright = _browser_or_skip()
    base, app = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        phone = browser.new_context(bypass_csp=True, **PHONE).new_page()
        desk = browser.new_context(bypass_csp=True, **DESKTOP).new_page()
        for page in (desk, phone):
            browser_password_step(page, base, "vanphong")
            page.wait_for_url(base + "/")
            page.goto(base + "/tai-khoan")
            assert page.inner_text("#two-factor-off")
            fits(page, "account")
        phone.click("#two-factor-link")
        phone.wait_for_url(base + PAGE)
        assert phone.locator("#two-factor-qr svg").bounding_box()["width"] >= 180
        phone.click("summary")  # the secret, to type by hand
        secret = phone.inner_text("#two-factor-secret").replace(" ", "")
        assert "issuer=V%C4%83n%20ph%C3%B2ng" in phone.inner_text("#two-factor-uri")
        fits(phone, "enrol")
        desk.goto(base + PAGE)
        desk.click("summary")
        fits(desk, "enrol")
        phone.fill("#enrol-code", "000000" if code_at(secret) != "000000" else "111111")
        phone.click("#switch-on")
        assert "Mã không đúng" in phone.inner_text("#main")
        fits(phone, "enrol-refused")
        phone.fill("#enrol-code", code_at(secret))
        phone.click("#switch-on")
        assert phone.locator("#recovery-codes li").count() == 10
        fits(phone, "recovery-codes")
        phone.click("#codes-saved")
        assert phone.inner_text("#two-factor-on")
        with app.app_context():
            use_next_step(db.session.scalar(select(User).where(User.username == "vanphong")))

        again = browser.new_context(bypass_csp=True, **PHONE).new_page()
        browser_password_step(again, base, "vanphong")
        again.wait_for_url(base + STEP)
        fits(again, "second-step")
        again.fill("#code", code_at(secret))
        again.click("#main button[type=submit]")
        again.wait_for_url(base + "/")
        assert "Vanphong" in again.inner_text("#user-bar")
        wide = browser.new_context(bypass_csp=True, **DESKTOP).new_page()
        browser_password_step(wide, base, "vanphong")
        wide.wait_for_url(base + STEP)
        fits(wide, "second-step")
        desk.goto(base + PAGE)
        fits(desk, "manage")
        phone.goto(base + PAGE)
        fits(phone, "manage")
        for context in (PHONE, DESKTOP):  # the admin's reset, on the users list
            admin = browser.new_context(bypass_csp=True, **context).new_page()
            browser_password_step(admin, base, "admin")
            admin.wait_for_url(base + "/")
            admin.goto(base + "/quan-tri/nguoi-dung")
            assert admin.locator("[data-reset-two-factor]").count() == 1
            fits(admin, "users")
        admin.click("[data-reset-two-factor=vanphong]")
        assert "Đã tắt xác thực hai bước của vanphong" in admin.inner_text(".alert-success")
        browser.close()


def test_the_requirement_in_chromium(live):
    sync_playwright = _browser_or_skip()
    base, app = live
    with app.app_context():
        save_settings(db.session, two_factor_required="1")
        db.session.commit()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for context in (PHONE, DESKTOP):
            page = browser.new_context(bypass_csp=True, **context).new_page()
            browser_password_step(page, base, "admin")
            page.wait_for_url(base + PAGE)
            assert page.inner_text("#two-factor-required")
            page.goto(base + "/nhiem-vu")
            assert page.url == base + PAGE
            fits(page, "required")
        browser.close()
