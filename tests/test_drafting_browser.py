"""“Thêm thành nhiệm vụ” in a real headless Chromium: a sentence the reader left (its lead body
is not in the unit list) becomes a task row filled from it, and the saved document has it.
Skipped like tests/test_browser.py when Chromium or Playwright is missing."""

from __future__ import annotations

from page_audit import CHROMIUM, CHROMIUM_ARGS
from test_browser import _browser_or_skip, live, sign_in  # noqa: F401  (live is a fixture)

from app.extensions import db

TEXT = "\n".join(
    [
        "UBND THÀNH PHỐ LẠNG SƠN",
        "Số: 912/TB-UBND",
        "Lạng Sơn, ngày 12 tháng 11 năm 2026",
        "THÔNG BÁO",
        "Kết luận về công tác chỉnh trang đô thị",
        "1. Giao Phòng Quản lý đô thị thành phố chủ trì kiểm tra các điểm tập kết rác thải, báo "
        "cáo trước ngày 30/11/2026.",
        "2. Giao Sở Xây dựng chủ trì thẩm định hồ sơ cải tạo vỉa hè, hoàn thành trước ngày "
        "15/12/2026.",
        "Nơi nhận:",
        "- Như trên;",
    ]
)


def test_a_sentence_left_becomes_a_task_with_one_click_and_is_saved(live):  # noqa: F811
    from sqlalchemy import select

    from app.models import Document

    sync_playwright = _browser_or_skip()
    base, ids, app = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        sign_in(page, base, "vanphong")
        page.goto(base + "/van-ban/moi")
        page.fill("#read-form textarea", TEXT)
        page.click("#read-button")
        page.wait_for_selector("#draft-skipped")
        assert page.locator("[data-proposal]").count() == 1
        left = page.locator("[data-skipped]")
        assert left.count() == 1 and "Sở Xây dựng" in left.inner_text()
        rows = page.locator(".task-row")
        before = rows.count()
        left.locator(".add-from-sentence").click()
        assert rows.count() == before + 1
        row = rows.nth(before)
        assert "thẩm định hồ sơ cải tạo vỉa hè" in row.locator("textarea").input_value()
        assert row.locator(".deadline-date").input_value() == "2026-12-15"
        assert left.locator(".add-from-sentence").is_disabled()  # one click, one row
        row.locator("select[name$='-lead']").select_option(str(ids["tnmt"]))  # the office's unit
        page.click("#save-document")
        page.wait_for_url(lambda url: "/van-ban/moi" not in url)
        browser.close()
    with app.app_context():
        document = db.session.scalar(select(Document).where(Document.number == "912/TB-UBND"))
        assert document is not None and len(document.tasks) == 2
        added = next(t for t in document.tasks if "vỉa hè" in t.content)
        assert added.lead_department_id == ids["tnmt"]
        assert str(added.deadline) == "2026-12-15"
        db.session.remove()
