"""The whole job in a real headless Chromium (Debian's package), against the real server.

Skipped when /usr/bin/chromium (or Playwright) is missing, unless REQUIRE_BROWSER=1 (CI sets
it, after installing Chromium), so a missing browser can never pass silently there.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
from pathlib import Path

import page_audit
import pytest
from page_audit import CHROMIUM, CHROMIUM_ARGS, served

from app.core.timeutil import local_today
from app.extensions import db
from conftest import PASSWORD, Factory, World, make_app

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def _browser_or_skip():
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing, sync_playwright = "playwright is not installed", None
    if missing is None and not os.path.exists(CHROMIUM):
        missing = f"no Chromium at {CHROMIUM}"
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required but {missing}")
        pytest.skip(missing)
    return sync_playwright


@pytest.fixture
def live(sqlite_template, tmp_path):
    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}", ATTACHMENT_DIR=str(tmp_path / "files"))
    with app.app_context():
        world = World(db.session, Factory(db.session), local_today())
        ids = {
            "tnmt": world.tnmt.id,
            "qldt": world.qldt.id,
            "issuer": world.tnmt_task.document.issuer_id,
            "document": world.tnmt_task.document_id,
        }
        db.session.remove()
    with served(app) as base:
        yield base, ids, app
    with app.app_context():
        db.engine.dispose()


def sign_in(page, base, username):
    page_audit.sign_in(page, base, username, PASSWORD)


def late_count(page, base) -> int:
    page.goto(base + "/")
    return int(page.inner_text('[data-stat="late"] .display-6').strip())


def start_smtp(app):
    """A real SMTP server on loopback for the live application's reminders."""
    import socket

    from aiosmtpd.controller import Controller

    from conftest import SmtpRecorder

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = SmtpRecorder()
    recorder.controller = Controller(recorder, hostname="127.0.0.1", port=port)
    recorder.controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="nhacviec@tracker.test")
    return recorder


def run_reminders(app, kind: str) -> int:
    """The scheduler's decision for one kind, now, then delivery: as ``flask scheduler run``."""
    from app.core.deadlines import WorkCalendar
    from app.reminders.decide import decide_kind
    from app.reminders.delivery import send_pending
    from app.reminders.schedule import load_schedules
    from app.scheduler.runner import local_now

    with app.app_context():
        schedule = next(s for s in load_schedules(db.session) if s.kind == kind)
        created = decide_kind(db.session, schedule, local_today(), WorkCalendar(), local_now())
        db.session.commit()
        send_pending(db.session)
        db.session.remove()
    return created


def test_office_department_office_round_trip(live):
    sync_playwright = _browser_or_skip()
    base, ids, app = live
    ARTIFACTS.mkdir(exist_ok=True)
    today = local_today()
    content = "Rà soát hiện trạng đất tài nguyên ven sông Kỳ Cùng tại phường Tam Thanh"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        # An English-language browser: native date inputs would show mm/dd/yyyy there.
        context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-US")
        page = context.new_page()
        blocked = []  # anything the Content-Security-Policy refused on any page
        page.on(
            "console",
            lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None,
        )

        sign_in(page, base, "vanphong")
        before = late_count(page, base)
        page.goto(base + "/van-ban/moi")
        page.fill("#number", "2024/TB-UBND")
        page.select_option("#issuer", str(ids["issuer"]))
        # Dates are typed as the office writes them, in an English browser too.
        page.fill("#issued_on", f"{today - dt.timedelta(days=30):%d/%m/%Y}")
        page.press("#issued_on", "Tab")
        assert page.input_value("#issued_on") == f"{today - dt.timedelta(days=30):%d/%m/%Y}"
        page.fill("#summary", "Kết luận của Chủ tịch UBND thành phố")
        page.fill("#tasks-0-content", content)
        page.select_option("#tasks-0-lead", str(ids["tnmt"]))
        page.fill("#tasks-0-deadline", f"{today - dt.timedelta(days=5):%d/%m/%Y}")
        page.press("#tasks-0-deadline", "Enter")  # Enter in a date field does not submit
        assert page.url.endswith("/van-ban/moi")
        # Cooperating units: chips chosen by typing, shown, removable.
        page.click("#tasks-0-cooperators-ts-control")
        page.keyboard.type("quan ly do thi")  # found without the marks, đ typed as d
        page.wait_for_selector(".ts-dropdown .option.active:has-text('Quản lý đô thị')")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        chips = page.locator(".task-row").first.locator(".ts-control .item")
        assert chips.count() == 1 and "Quản lý đô thị" in chips.first.inner_text()
        page.click("#add-task")
        page.click("#add-task")
        assert page.locator(".task-row").count() == 3
        page.locator(".task-row").nth(2).locator(".remove-task").click()
        assert page.locator(".task-row").count() == 2
        page.fill("#tasks-1-content", "Chỉnh trang vỉa hè tuyến đường Bà Triệu")
        page.select_option("#tasks-1-lead", str(ids["qldt"]))
        page.select_option("#tasks-1-deadline_kind", "working_days")
        page.fill("#tasks-1-working_days", "40")  # about two months: not yet due
        page.locator("#tasks-1-working_days").dispatch_event("change")
        preview = page.locator(".deadline-preview").nth(1)
        for _ in range(100):  # polled from here: the page's policy allows no evaluated script
            if "/" in preview.inner_text():
                break
            page.wait_for_timeout(50)
        assert "/" in preview.inner_text()
        page.click("#save-document")
        assert "Đã lưu văn bản 2024/TB-UBND với 2 nhiệm vụ." in page.inner_text(".alert-success")
        assert page.input_value("#issued_on") == f"{today - dt.timedelta(days=30):%d/%m/%Y}"
        saved = page.locator(".task-row").first.locator(".ts-control .item")
        assert saved.count() == 1 and "Quản lý đô thị" in saved.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "document-page.png"), full_page=True)
        assert page.locator("#task-rows .task-row").count() == 2  # no empty third row
        page.click("#add-task")  # an empty row, with the recurring duty's box
        added = page.locator("#task-rows .task-row").nth(2)
        assert added.locator("textarea").get_attribute("name") == "tasks-2-content"
        assert added.locator(".recurrence-box").count() == 1
        assert added.locator("textarea").input_value() == ""
        assert late_count(page, base) == before + 1
        page.goto(base + "/nhiem-vu/qua-han")
        assert content in page.inner_text("#task-list")

        sign_in(page, base, "tnmt.truong")
        page.goto(base + "/don-vi-cua-toi")
        mine = page.inner_text("#my-tasks")
        assert content in mine and "Bà Triệu" not in mine
        page.click(f"text={content}")
        page.fill("textarea[name=content]", "Đã khảo sát hiện trường, đang lập báo cáo.")
        page.click("button[value=progress]")
        assert "Đã gửi báo cáo tiến độ." in page.inner_text(".alert-success")
        page.fill("textarea[name=comment]", "Đã ban hành báo cáo số 15/BC-TNMT")
        page.click("text=Đề nghị hoàn thành")
        assert page.inner_text("#state").strip() == "Chờ xác nhận"
        task_url = page.url

        # The office is told of the request (one batched mail) and finds it in its queue.
        smtp = start_smtp(app)
        assert run_reminders(app, "office_requests") == 1
        told = [m for m in smtp.messages if m["To"].addresses[0].addr_spec == "vanphong@example.vn"]
        assert len(told) == 1 and content in told[0].get_body(("plain",)).get_content()

        sign_in(page, base, "vanphong")
        assert page.inner_text("#queue-count").strip() == "1"
        assert page.inner_text('[data-stat="office_queue"] .display-6').strip() == "1"
        page.click("#nav-queue")
        assert content in page.inner_text("#queue")
        page.screenshot(path=str(ARTIFACTS / "office-queue.png"), full_page=True)
        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        mobile = phone.new_page()
        sign_in(mobile, base, "vanphong")
        for path, shot in (
            ("/cho-van-phong-xu-ly", "office-queue-phone.png"),
            (f"/van-ban/{ids['document']}", "document-page-phone.png"),
        ):
            mobile.goto(base + path)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, path
            mobile.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        page.click(f"#queue [data-task] >> text={content}")
        assert page.url == task_url
        page.click("#confirm-done")
        assert page.inner_text("#state").strip() == "Đã hoàn thành"
        timeline = page.inner_text("#timeline")
        assert "Đã khảo sát hiện trường" in timeline and "Xác nhận hoàn thành" in timeline
        page.screenshot(path=str(ARTIFACTS / "task-page.png"), full_page=True)

        assert page.locator("#queue-count").count() == 0  # nothing waits any more
        # The lead department's head is told of the decision; the member is not.
        assert run_reminders(app, "decisions") == 1
        decided = [m for m in smtp.messages if "Kết quả xử lý" in str(m["Subject"])]
        assert [m["To"].addresses[0].addr_spec for m in decided] == ["tnmt.truong@example.vn"]
        assert "Xác nhận hoàn thành" in decided[0].get_body(("plain",)).get_content()
        smtp.controller.stop()

        page.goto(base + "/nhiem-vu/qua-han")
        assert content not in page.inner_text("#task-list")
        assert late_count(page, base) == before
        page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
        assert page.evaluate("Chart.getChart(document.getElementById('chart')) !== undefined")

        page.goto(base + "/nhiem-vu")
        page.fill("#q", "tai nguyen ven song ky cung")
        page.click("#search-button")
        assert re.search(r"[?&]q=tai\+nguyen", page.url)
        # The list opens on open tasks; the search says so, and "Tất cả" widens it in a click.
        assert content not in page.inner_text("#task-list")
        assert "Chỉ tìm trong nhiệm vụ chưa hoàn thành" in page.inner_text("#search-scope")
        page.click("#scope-all")
        assert re.search(r"[?&]q=tai\+nguyen", page.url)
        assert content in page.inner_text("#task-list")
        assert page.inner_text("#total").strip() == "1"

        sign_in(page, base, "admin")
        page.goto(base + "/quan-tri/nguoi-dung")
        name = page.locator("#user-bar .user-name").bounding_box()
        logout = page.locator("#user-bar button[type=submit]").bounding_box()
        assert abs((name["y"] + name["height"] / 2) - (logout["y"] + logout["height"] / 2)) < 8
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366

        phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")
        mobile = phone.new_page()
        sign_in(mobile, base, "vanphong")
        for path, shot in (
            ("/cho-van-phong-xu-ly", "office-queue-phone.png"),
            (f"/van-ban/{ids['document']}", "document-page-phone.png"),
        ):
            mobile.goto(base + path)
            assert mobile.evaluate("document.documentElement.scrollWidth") <= 390, path
            mobile.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        sign_in(mobile, base, "tnmt.truong")
        mobile.goto(base + "/don-vi-cua-toi")
        assert mobile.evaluate("document.documentElement.scrollWidth") <= 390
        mobile.screenshot(path=str(ARTIFACTS / "my-department-phone.png"), full_page=True)
        assert blocked == []
        browser.close()


def test_read_a_pdf_on_the_document_page_then_save_after_editing_one(live, tmp_path):
    """The office attaches the document's PDF, presses "Đọc văn bản", corrects one proposed
    task and saves: the document, its tasks and the PDF are stored."""
    import subprocess

    from docx import Document as WordDocument
    from sqlalchemy import select

    from app.models import Attachment, Document

    if not shutil.which("soffice"):
        if os.environ.get("REQUIRE_OFFICE"):
            pytest.fail("REQUIRE_OFFICE is set but LibreOffice is missing")
        pytest.skip("LibreOffice is not installed")
    sync_playwright = _browser_or_skip()
    base, ids, app = live
    word = WordDocument()
    for line in [
        "UBND THÀNH PHỐ LẠNG SƠN", "Số: 905/TB-UBND", "Lạng Sơn, ngày 10 tháng 11 năm 2026",
        "THÔNG BÁO", "Kết luận về công tác chỉnh trang đô thị", "",
        "1. Giao Phòng Quản lý đô thị thành phố chủ trì, phối hợp với Phòng Tài nguyên và Môi "
        "trường kiểm tra các điểm tập kết rác thải, báo cáo trước ngày 30/11/2026.",
        "2. Giao Phòng Văn hóa – Thông tin thành phố tuyên truyền nếp sống văn minh đô thị, thực "
        "hiện thường xuyên.",
        "Nơi nhận:", "- Như trên;",
    ]:  # fmt: skip
        word.add_paragraph(line)
    source = tmp_path / "905-TB-UBND.docx"
    word.save(source)
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pdf = tmp_path / "905-TB-UBND.pdf"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, "vanphong")
        page.goto(base + "/van-ban/moi")
        page.set_input_files("#read-form input[type=file]", str(pdf))
        page.click("#read-button")
        page.wait_for_selector("[data-proposal]")
        assert page.locator("[data-proposal]").count() == 2
        assert page.input_value("#number") == "905/TB-UBND"
        first = page.locator("textarea[name='tasks-0-content']")
        assert "điểm tập kết rác thải" in first.input_value()
        first.fill("Kiểm tra, xử lý các điểm tập kết rác thải tự phát")  # the office corrects
        page.screenshot(path=str(ARTIFACTS / "document-read.png"), full_page=True)
        page.click("#save-document")
        page.wait_for_url(re.compile(r".*/van-ban/\d+$"))
        browser.close()
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "905/TB-UBND"))
        assert document is not None and len(document.tasks) == 2
        contents = sorted(t.content for t in document.tasks)
        assert contents[0] == "Kiểm tra, xử lý các điểm tập kết rác thải tự phát"
        qldt = next(t for t in document.tasks if t.lead_department_id == ids["qldt"])
        assert [d.id for d in qldt.cooperating_departments] == [ids["tnmt"]]
        assert str(qldt.deadline) == "2026-11-30"
        files = db.session.scalars(select(Attachment).where(Attachment.document_id == document.id))
        assert [f.filename for f in files] == ["905-TB-UBND.pdf"]
        db.session.remove()


def test_the_api_reference_draws_every_path_of_the_document(live):
    """Swagger UI, from this server only, under the Content-Security-Policy (nothing refused),
    shows every path and method of /api/v1/openapi.json."""
    sync_playwright = _browser_or_skip()
    base, ids, app = live
    with app.test_client() as client:
        spec = client.get("/api/v1/openapi.json").get_json()
    expected = sorted(
        f"{method.upper()} {path}" for path, item in spec["paths"].items() for method in item
    )
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        refused, elsewhere = [], []
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
        sign_in(page, base, "tnmt.cv")
        page.goto(base + "/tai-khoan")
        page.click("a[href='/tai-khoan/api']")
        page.wait_for_selector("#api-reference:not([aria-busy]) .opblock")
        assert page.title() == "Tài liệu API"
        shown = page.eval_on_selector_all(
            ".opblock",
            """blocks => blocks.map(b => b.querySelector('.opblock-summary-method').textContent
                + ' ' + b.querySelector('.opblock-summary-path').dataset.path)""",
        )
        assert sorted(shown) == expected
        assert page.locator(".opblock-tag", has_text="Nhiệm vụ định kỳ").count() == 1
        page.click(".opblock-summary-control >> nth=0")  # an operation opens with its answers
        page.wait_for_selector(".opblock.is-open .responses-table")
        page.screenshot(path=str(ARTIFACTS / "api-reference.png"))
        assert refused == [] and elsewhere == []


STATS_FIELDS = ("year", "month", "quarter", "half", "from", "to")


def visible_fields(page) -> set[str]:
    return {name for name in STATS_FIELDS if page.locator(f"#{name}").is_visible()}


def test_statistics_form_shows_the_chosen_periods_fields_only(live):
    """Choosing a period shows its fields alone; the hidden ones are not sent. Without
    JavaScript every field stays visible and usable."""
    sync_playwright = _browser_or_skip()
    base, _ids, _app = live
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, "vanphong")
        page.goto(base + "/thong-ke")
        assert visible_fields(page) == {"year", "month"}
        for period, fields in (
            ("quarter", {"year", "quarter"}),
            ("half", {"year", "half"}),
            ("year", {"year"}),
            ("month", {"year", "month"}),
            ("custom", {"from", "to"}),
        ):
            page.select_option("#period", period)
            assert visible_fields(page) == fields, period
            assert page.locator("#stats-form [required]").count() == len(fields), period
        page.screenshot(path=str(ARTIFACTS / "statistics-form.png"))
        year = local_today().year
        page.fill("#from", f"01/01/{year}")
        page.fill("#to", f"31/03/{year}")
        page.click("#stats-form button[type=submit]")
        page.wait_for_selector("#stats-subtitle")
        assert "period=custom" in page.url
        assert not re.search(r"[?&](year|month|quarter|half)=", page.url)
        assert visible_fields(page) == {"from", "to"}  # the page comes back as chosen
        assert page.input_value("#from") == f"01/01/{year}"

        phone = browser.new_page(viewport={"width": 360, "height": 780})
        sign_in(phone, base, "vanphong")
        phone.goto(base + "/thong-ke?period=half&half=2")
        assert visible_fields(phone) == {"year", "half"}
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        phone.screenshot(path=str(ARTIFACTS / "statistics-form-phone.png"))

        plain = browser.new_context(viewport={"width": 1366, "height": 900},
                                    java_script_enabled=False)  # fmt: skip
        bare = plain.new_page()
        sign_in(bare, base, "vanphong")
        bare.goto(base + "/thong-ke")
        assert visible_fields(bare) == set(STATS_FIELDS)
        browser.close()


def _organisation_data(app, ids) -> None:
    """A recurring duty and two more open tasks (one with a long text) for TNMT to hand over."""
    from app.models import Department
    from app.recurring.series import create_series

    with app.app_context():
        factory = Factory(db.session)
        factory._n = 900  # numbers the world's documents do not use
        tnmt = db.session.get(Department, ids["tnmt"])
        qldt = db.session.get(Department, ids["qldt"])
        issued = local_today() - dt.timedelta(days=60)
        factory.task(
            tnmt,
            issued,
            None,
            cooperators=[qldt],
            content=(
                "Rà soát, cập nhật quy hoạch sử dụng đất thời kỳ 2021–2030 của thành phố, "
                "lấy ý kiến các phường, xã và báo cáo UBND thành phố trước khi trình HĐND"
            ),
        )
        factory.task(qldt, issued, None, cooperators=[tnmt], content="Chỉnh trang vỉa hè")
        create_series(db.session, factory.document(issued), content="Báo cáo tình hình môi trường",
                      lead=tnmt, cooperators=[qldt], phrase="hằng tháng, trước ngày 20",
                      starts_on=issued)  # fmt: skip
        db.session.commit()
        db.session.remove()


def test_an_organisation_change_is_previewed_then_confirmed(live):
    """A merger shows what moves where, without sideways scrolling on a 360 px phone; nothing
    is saved until “Xác nhận”; then the history offers its undo."""
    sync_playwright = _browser_or_skip()
    base, ids, app = live
    _organisation_data(app, ids)
    shots = Path(os.environ.get("SHOTS_DIR") or ARTIFACTS)
    shots.mkdir(parents=True, exist_ok=True)
    day = (local_today() - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for name, context in (("desktop", page_audit.DESKTOP), ("phone", page_audit.PHONE)):
            page = browser.new_context(bypass_csp=True, **context).new_page()
            sign_in(page, base, "admin")
            page.goto(base + "/quan-tri/to-chuc")
            page.evaluate(
                "ids => document.querySelector('#hop-nhat-units').tomselect.setValue(ids)",
                [str(ids["tnmt"]), str(ids["qldt"])],
            )
            page.fill("#hop-nhat-new_name", "Phòng Đô thị và Môi trường")
            page.fill("#hop-nhat-effective_on", day)
            page.fill("#hop-nhat-decision", "Quyết định số 45/QĐ-UBND ngày 20/02/2025")
            page.locator("#hop-nhat-decision").press("Enter")
            page.wait_for_selector("text=Xem trước: Hợp nhất, sáp nhập")
            assert page_audit.overflow(page) == 0, name
            assert page_audit.axe_violations(page) == [], name
            if name == "phone":
                assert page_audit.small_targets(page) == []
            page.screenshot(path=str(shots / f"preview-{name}.png"), full_page=True)
            page.screenshot(path=str(shots / f"preview-{name}-top.png"))
            page.locator("#hop-nhat-head").scroll_into_view_if_needed()
            page.screenshot(path=str(shots / f"preview-{name}-head.png"))
            assert "Phòng Tài nguyên và Môi trường" in page.inner_text("main")
        head = page.locator("#hop-nhat-head option", has_text="Tnmt.Truong")
        page.select_option("#hop-nhat-head", head.get_attribute("value"))
        page.click("button[value=preview]")
        page.wait_for_selector("#confirm-form")
        page.locator("#hop-nhat-head").scroll_into_view_if_needed()
        page.screenshot(path=str(shots / "preview-phone-head-chosen.png"))
        page.click("button[value=confirm]")
        page.wait_for_selector("text=Đã ghi thay đổi tổ chức")
        assert page_audit.overflow(page) == 0
        page.screenshot(path=str(shots / "saved-phone.png"), full_page=True)
        page.click("text=Hoàn tác…")
        page.wait_for_selector("text=Xác nhận hoàn tác")
        assert page_audit.overflow(page) == 0
        page.screenshot(path=str(shots / "undo-phone.png"), full_page=True)
        page.click("button:has-text('Xác nhận hoàn tác')")
        page.wait_for_selector("text=Đã hoàn tác thay đổi tổ chức")
        browser.close()
