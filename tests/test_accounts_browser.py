"""The invitation and the reset in Chromium: the mail received by a real SMTP server, its link
followed in the browser, the password set there, then signing in with it; the account page's
sessions. Every page fits a 360 px phone without sideways scrolling. With ``ACCOUNT_SHOTS=DIR``
the pages are also saved as screenshots (1366 px and 360 px) for a person to look at.

Skipped when /usr/bin/chromium (or Playwright) is missing, unless REQUIRE_BROWSER=1."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import pytest
from page_audit import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, served
from test_browser import _browser_or_skip, start_smtp

from app.core.timeutil import local_today
from app.extensions import db
from conftest import PASSWORD, Factory, World, make_app

STRONG = "đèn vàng ở ngõ bảy"
SHOTS = os.environ.get("ACCOUNT_SHOTS")


@pytest.fixture
def live(sqlite_template, tmp_path):
    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", ATTACHMENT_DIR=str(tmp_path / "files"))
    with app.app_context():
        World(db.session, Factory(db.session), local_today())
        db.session.remove()
    with served(app) as base:
        app.config["BASE_URL"] = base  # the mailed links lead here
        smtp = start_smtp(app)
        yield base, app, smtp
        smtp.controller.stop()
    with app.app_context():
        db.engine.dispose()


def mail_link(smtp, count: int, base: str) -> str:
    deadline = time.monotonic() + 15
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(smtp.messages) == count
    body = smtp.messages[-1].get_body(("plain",)).get_content()
    return re.search(re.escape(base) + r"/dat-mat-khau/\S+", body).group(0)


def fits(page, name: str) -> None:
    """No sideways scrolling; a screenshot when asked for."""
    width = page.viewport_size["width"]
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)
    wide = page.evaluate(
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right"
        f" > {width}).map(e => e.tagName + '.' + e.className).slice(0, 8).join(' | ')"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, wide)


def sign_in(page, base: str, username: str, password: str) -> None:
    page.goto(base + "/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("#main button[type=submit]")
    page.wait_for_url(base + "/")


def test_an_invitation_followed_in_chromium_then_signing_in(live):
    sync_playwright = _browser_or_skip()
    base, _app, smtp = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        admin = browser.new_context(**DESKTOP).new_page()
        sign_in(admin, base, "admin", PASSWORD)
        admin.goto(base + "/quan-tri/nguoi-dung/moi")
        assert admin.is_checked("#invite")  # inviting is the default for a new account
        admin.fill("#username", "nguyen.an")
        admin.fill("#full_name", "Nguyễn Văn An")
        admin.fill("#email", "an@example.vn")
        admin.select_option("#role", "office")
        admin.click("#main button[type=submit]")
        admin.wait_for_url(base + "/quan-tri/nguoi-dung")
        assert "an@example.vn" in admin.inner_text(".alert-success >> nth=-1")
        link = mail_link(smtp, 1, base)
        assert smtp.messages[0]["To"].addresses[0].addr_spec == "an@example.vn"

        phone = browser.new_context(**PHONE).new_page()
        phone.goto(link)
        assert phone.inner_text("#account-name") == "nguyen.an"
        phone.fill("#password", "nguyenvanan")
        phone.fill("#again", "nguyenvanan")
        phone.click("#main button[type=submit]")
        summary = phone.locator("#error-summary")
        assert "dễ bị đoán" in summary.inner_text() and "nguyenvanan" in summary.inner_text()
        fits(phone, "invite-refused")
        phone.fill("#password", STRONG)
        phone.fill("#again", STRONG)
        phone.click("#main button[type=submit]")
        phone.wait_for_url(base + "/dang-nhap")
        sign_in(phone, base, "nguyen.an", STRONG)
        assert "Nguyễn Văn An" in phone.inner_text("#user-bar")
        phone.goto(link)  # once only
        assert "đã được dùng" in phone.inner_text("#link-invalid")
        browser.close()


def test_a_reset_by_mail_in_chromium_ends_the_other_session(live):
    sync_playwright = _browser_or_skip()
    base, _app, smtp = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        desk = browser.new_context(**DESKTOP).new_page()
        sign_in(desk, base, "vanphong", PASSWORD)
        phone = browser.new_context(**PHONE).new_page()
        for page in (phone, desk):
            page.goto(base + "/dang-nhap" if page is phone else base + "/quen-mat-khau")
            fits(page, "sign-in" if page is phone else "forgot-signed-in")
        phone.click("text=Quên mật khẩu?")
        phone.wait_for_url(base + "/quen-mat-khau")
        fits(phone, "forgot")
        phone.fill("#name", "vanphong")
        phone.click("#main button[type=submit]")
        assert "vừa được gửi" in phone.inner_text("#reset-sent")
        fits(phone, "forgot-sent")
        link = mail_link(smtp, 1, base)
        guest = browser.new_context(**DESKTOP).new_page()  # opening the link uses nothing up
        for path, name in ((link, "reset"), (base + "/quen-mat-khau", "forgot")):
            guest.goto(path)
            fits(guest, name)
        phone.goto(link)
        fits(phone, "reset")
        phone.fill("#password", STRONG)
        phone.fill("#again", "khác đi một chút")
        phone.click("#main button[type=submit]")
        assert "không giống nhau" in phone.inner_text("#error-summary")
        phone.fill("#password", STRONG)
        phone.fill("#again", STRONG)
        phone.click("#main button[type=submit]")
        phone.wait_for_url(base + "/dang-nhap")
        fits(phone, "reset-done")
        sign_in(phone, base, "vanphong", STRONG)
        desk.goto(base + "/tai-khoan")  # the session from before the reset has ended
        assert desk.url.startswith(base + "/dang-nhap")
        browser.close()


def test_the_account_page_in_chromium_lists_sessions_and_signs_out_elsewhere(live):
    sync_playwright = _browser_or_skip()
    base, _app, _smtp = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        desk = browser.new_context(**DESKTOP).new_page()
        phone = browser.new_context(**PHONE).new_page()
        sign_in(desk, base, "tnmt.truong", PASSWORD)
        sign_in(phone, base, "tnmt.truong", PASSWORD)
        for page in (desk, phone):
            page.goto(base + "/tai-khoan")
            assert page.locator("#session-list li").count() == 2
            fits(page, "account")
            page.goto(base + "/tai-khoan/doi-mat-khau")
            fits(page, "change-password")
        phone.fill("#current", PASSWORD)
        phone.fill("#password", "tnmt truong")
        phone.fill("#again", "tnmt truong")
        phone.click("#main button[type=submit]")
        assert "dễ bị đoán" in phone.inner_text("#error-summary")
        fits(phone, "change-password-refused")
        phone.goto(base + "/tai-khoan")
        phone.click("#sign-out-everywhere")
        phone.wait_for_url(base + "/tai-khoan#sessions")
        assert phone.locator("#session-list li").count() == 1
        desk.goto(base + "/tai-khoan")
        assert desk.url.startswith(base + "/dang-nhap")  # the other browser was signed out
        browser.close()
