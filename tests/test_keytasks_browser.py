"""The key task forms in real Chromium: what a browser shows is what is stored, and saving a
form unchanged changes nothing (the decimal comma of a threshold, the grade list's lines, a
group's task codes); recording a grade from the group's page at phone width."""

from __future__ import annotations

import datetime as dt

from page_audit import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, axe_violations
from sqlalchemy import select
from test_browser import _browser_or_skip
from test_edit_round_trip import database_rows, difference
from test_two_factor import browser_password_step, live  # noqa: F401  (the fixture)

from app.extensions import db
from app.keytasks.groups import GroupValues, save_group, set_tasks
from app.models import Evaluation, Issuer, Task


def _group(app) -> int:
    with app.app_context():
        issuer = db.session.scalar(select(Issuer))
        year = dt.date.today().year
        values = GroupValues("Nhóm đất đai", issuer.id, dt.date(year, 1, 1), dt.date(year, 12, 31))
        group = save_group(db.session, values)
        set_tasks(db.session, group, list(db.session.scalars(select(Task.id))))
        db.session.commit()
        group_id = group.id
        db.session.remove()
    return group_id


def _rows(app) -> dict:
    with app.app_context():
        rows = database_rows(db.session)
        db.session.remove()
    rows.pop("login_failures", None)
    rows.pop("user_sessions", None)
    return rows


def test_forms_saved_unchanged_in_chromium_change_nothing(live):  # noqa: F811
    sync_playwright = _browser_or_skip()
    base, app = live
    group_id = _group(app)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(**DESKTOP).new_page()
        browser_password_step(page, base, "admin")
        page.wait_for_url(base + "/")
        page.goto(base + "/quan-tri/danh-gia")
        assert page.input_value("#group-rows-0-min_on_time") == "90,0"  # shown, not blanked
        for form in ("#grades-form", "#rules-group", "#rules-unit"):
            before = _rows(app)
            page.goto(base + "/quan-tri/danh-gia")
            page.click(f"{form} button[type=submit]")
            page.wait_for_load_state()
            assert "Đã lưu" in page.inner_text("body"), form
            assert difference(before, _rows(app)) == {}, form
        before = _rows(app)
        page.goto(base + f"/nhom-nhiem-vu/{group_id}/sua")
        page.click("#group-form button[type=submit]")
        page.wait_for_url(base + f"/nhom-nhiem-vu/{group_id}")
        assert difference(before, _rows(app)) == {}
        browser.close()


def test_recording_a_grade_on_a_phone(live):  # noqa: F811
    sync_playwright = _browser_or_skip()
    base, app = live
    group_id = _group(app)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(bypass_csp=True, **PHONE).new_page()
        browser_password_step(page, base, "vanphong")
        page.wait_for_url(base + "/")
        page.goto(base + f"/nhom-nhiem-vu/{group_id}")
        width = page.viewport_size["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        assert axe_violations(page) == []
        page.select_option("#grade", "Hoàn thành tốt nhiệm vụ")
        page.fill("#decided_by", "Ban Thường vụ Thành ủy")
        page.click("#evaluation-form button[type=submit]")
        page.wait_for_load_state()
        assert "Đã ghi đánh giá" in page.inner_text("body")
        browser.close()
    with app.app_context():
        row = db.session.scalar(select(Evaluation))
        assert (row.grade, row.decided_by) == ("Hoàn thành tốt nhiệm vụ", "Ban Thường vụ Thành ủy")
        db.session.remove()
