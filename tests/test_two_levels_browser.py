"""Two levels in a real headless Chromium against the real server, with a real SMTP server.

The province's office enters a document (with its PDF) giving a task to the People's Committee
of Tân Đoàn; Tân Đoàn's office finds it under "Nhiệm vụ cấp trên giao", takes it in for its
Phòng Kinh tế and splits it in two; the division's head reports progress on their part; the
commune's office asks the province to confirm completion; the province's office is mailed,
finds the request in its queue, reads the commune's work on its task and confirms; the
commune's task is done and its lead division's head is mailed. Screenshots of the intake and
the province's section at 1366 and 360 px. Skipped as the other browser tests.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from page_audit import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, served
from test_browser import ARTIFACTS, _browser_or_skip, sign_in, start_smtp
from upper_levels import Levels

from app.core.deadlines import WorkCalendar
from app.core.office_scope import use_office
from app.core.timeutil import local_today
from app.extensions import db
from app.reminders.decide import decide_kind
from app.reminders.delivery import send_pending
from app.reminders.schedule import load_schedules
from app.scheduler.runner import local_now
from conftest import Factory, make_app

CONTENT = "Triển khai dịch vụ công trực tuyến toàn trình tại bộ phận một cửa xã"


@pytest.fixture
def live(sqlite_template, tmp_path):
    path = tmp_path / "levels.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", ATTACHMENT_DIR=str(tmp_path / "files"))
    with app.app_context():
        levels = Levels(db.session, Factory(db.session))
        ids = dict(levels.ids, province=levels.province_id, tan_doan=levels.tan_doan_id)
        db.session.remove()
    with served(app) as base:
        yield base, ids, app
    with app.app_context():
        db.engine.dispose()


def remind(app, office_id: int, kind: str) -> int:
    """The scheduler's decision for one kind in one office, now, then delivery."""
    with app.app_context(), use_office(office_id):
        schedule = next(s for s in load_schedules(db.session) if s.kind == kind)
        created = decide_kind(db.session, schedule, local_today(), WorkCalendar(), local_now())
        db.session.commit()
        send_pending(db.session)
        db.session.commit()
        db.session.remove()
    return created


def recipients(messages) -> list[str]:
    return [a.addr_spec for m in messages for a in m["To"].addresses]


def fill_date(page, selector: str, day: dt.date) -> None:
    page.fill(selector, f"{day:%d/%m/%Y}")
    page.press(selector, "Tab")


def province_gives_the_task(page, base, ids, pdf, deadline) -> None:
    sign_in(page, base, "tinh.vanphong")
    page.goto(base + "/van-ban/moi")
    page.fill("#number", "210/TB-UBND")
    page.select_option("#issuer", str(ids["issuer"]))
    fill_date(page, "#issued_on", local_today() - dt.timedelta(days=2))
    page.fill("#summary", "Kết luận về cải cách hành chính cấp xã")
    page.set_input_files("#pdf", str(pdf))
    page.fill("#tasks-0-content", CONTENT)
    page.select_option("#tasks-0-lead", str(ids["tan_doan_unit"]))
    fill_date(page, "#tasks-0-deadline", deadline)
    page.click("#save-document")
    assert "Đã lưu văn bản 210/TB-UBND với 1 nhiệm vụ." in page.inner_text(".alert-success")


def shoot(browser, base, username: str, path: str, name: str) -> None:
    """The page at 1366 and at 360 px: screenshots, nothing scrolling sideways on the phone."""
    for size, options in (("1366", DESKTOP), ("360", PHONE)):
        context = browser.new_context(**options, locale="vi-VN")
        page = context.new_page()
        sign_in(page, base, username)
        page.goto(base + path)
        width = options["viewport"]["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (path, size)
        page.screenshot(path=str(ARTIFACTS / f"{name}-{size}.png"), full_page=True)
        context.close()


def commune_takes_it_in_and_splits(page, base, ids, deadline) -> str:
    """Tân Đoàn's office: the intake, the PDF, the take-in, two parts; the task's address."""
    sign_in(page, base, "td.vanphong")
    assert page.inner_text("#upper-intake-count").strip() == "2"
    page.click("#nav-upper-intake")
    card = page.locator("[data-upper-task]", has_text=CONTENT)
    assert "210/TB-UBND" in card.inner_text() and "UBND tỉnh Lạng Sơn" in card.inner_text()
    assert "Kết luận về cải cách hành chính cấp xã" in card.inner_text()
    link = card.locator("a[data-file]")
    assert link.inner_text() == "210-TB-UBND.pdf"
    got = page.request.get(base + link.get_attribute("href"))
    assert got.status == 200 and got.body().startswith(b"%PDF")
    card.locator("select").select_option(label="Phòng Kinh tế")
    card.locator("button[data-take-in]").click()
    assert "Đã tiếp nhận nhiệm vụ" in page.inner_text(".alert-success")
    assert page.inner_text("#task-content").strip() == CONTENT
    assert "210-TB-UBND.pdf" in page.inner_text("main")  # the copy, on the commune's document
    task_url = page.url
    page.click("#split-link")
    page.fill("#content", "Rà soát thủ tục, cấu hình dịch vụ công")
    page.select_option("#lead", label="Phòng Kinh tế")
    fill_date(page, "#deadline", deadline + dt.timedelta(days=1))
    page.click("#add-sub-task")
    assert "không được sau thời hạn của nhiệm vụ" in page.inner_text("#error-summary")
    fill_date(page, "#deadline", deadline - dt.timedelta(days=10))
    page.click("#add-sub-task")
    assert "Đã giao phần việc" in page.inner_text(".alert-success")
    page.fill("#content", "Tuyên truyền, hướng dẫn người dân nộp hồ sơ trực tuyến")
    page.select_option("#lead", label="Phòng Văn hóa – Xã hội")
    fill_date(page, "#deadline", deadline)
    page.click("#add-sub-task")
    assert page.locator("#sub-tasks tbody tr[data-sub-task]").count() == 2
    return task_url


def test_province_task_to_commune_intake_parts_progress_request_and_confirmation(live, tmp_path):
    sync_playwright = _browser_or_skip()
    base, ids, app = live
    ARTIFACTS.mkdir(exist_ok=True)
    deadline = local_today() + dt.timedelta(days=40)
    pdf = tmp_path / "210-TB-UBND.pdf"
    pdf.write_bytes(b"%PDF-1.4\n% ket luan cai cach hanh chinh\n")
    smtp = start_smtp(app)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_context(**DESKTOP, locale="en-US").new_page()
        blocked = []
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )

        province_gives_the_task(page, base, ids, pdf, deadline)
        shoot(browser, base, "td.vanphong", "/nhiem-vu-cap-tren-giao", "upper-intake")
        task_url = commune_takes_it_in_and_splits(page, base, ids, deadline)

        # The division's head reports on their part, as on any task.
        sign_in(page, base, "td.kt.truong")
        page.goto(base + "/don-vi-cua-toi")
        page.click("#my-tasks >> text=Rà soát thủ tục, cấu hình dịch vụ công")
        assert "Phần việc của nhiệm vụ" in page.inner_text("main")  # linked to the task taken in
        page.fill("textarea[name=content]", "Đã cấu hình 42 thủ tục mức toàn trình.")
        page.click("button[value=progress]")
        assert "Đã gửi báo cáo tiến độ." in page.inner_text(".alert-success")

        # The commune's office asks the province to confirm completion.
        sign_in(page, base, "td.vanphong")
        page.goto(task_url)
        assert page.locator("#office-actions").count() == 0  # the province decides
        page.fill("textarea[name=comment]", "Đã vận hành 42 dịch vụ công toàn trình")
        page.click("button:has-text('Đề nghị hoàn thành')")
        assert page.inner_text("#state").strip() == "Chờ xác nhận"
        assert page.locator("#queue-count").count() == 0  # not the commune office's queue

        assert remind(app, ids["tan_doan"], "office_requests") == 0
        assert remind(app, ids["province"], "office_requests") == 1
        assert recipients(smtp.messages) == ["tinh.vanphong@example.vn"]
        told = smtp.messages[0].get_body(("plain",)).get_content()
        assert CONTENT in told and "Đã vận hành 42 dịch vụ công toàn trình" in told

        # The province: its queue, the commune's work on its task, the confirmation.
        sign_in(page, base, "tinh.vanphong")
        assert page.inner_text("#queue-count").strip() == "1"
        page.click("#nav-queue")
        page.click(f"#queue [data-task] >> text={CONTENT}")
        section = page.inner_text("#lower-work")
        assert "Văn phòng HĐND và UBND xã Tân Đoàn" in section
        assert page.inner_text("#lower-state").strip() == "Chờ xác nhận"
        assert "Đã cấu hình 42 thủ tục mức toàn trình." in section
        assert page.locator("#lower-parts tbody tr").count() == 2
        assert page.locator("#lower-work a").count() == 0  # read only: no way into the commune
        province_task = page.url
        shoot(browser, base, "tinh.vanphong", province_task.removeprefix(base), "lower-work")
        page.click("#confirm-done")
        assert page.inner_text("#state").strip() == "Đã hoàn thành"

        assert remind(app, ids["province"], "decisions") == 0  # nobody heads Tân Đoàn's unit
        assert remind(app, ids["tan_doan"], "decisions") == 1
        assert recipients(smtp.messages[1:]) == ["td.kt.truong@example.vn"]
        assert "Xác nhận hoàn thành" in smtp.messages[1].get_body(("plain",)).get_content()

        # The commune's task is done, said to come from the province.
        sign_in(page, base, "td.vanphong")
        page.goto(task_url)
        assert page.inner_text("#state").strip() == "Đã hoàn thành"
        assert "Văn phòng UBND tỉnh (Tinh.Vanphong)" in page.inner_text("#timeline")
        page.screenshot(path=str(ARTIFACTS / "upper-task-done.png"), full_page=True)
        assert blocked == []
        browser.close()
    smtp.controller.stop()
