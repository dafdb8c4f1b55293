"""WCAG 2.1 A/AA on every page for every role, at desktop and phone widths, in real Chromium.

axe-core (tests/vendor/axe-core, from the npm registry) is injected into each page of the demo
data; at phone width every tap target must be 44×44 CSS pixels and nothing may scroll
sideways. The pages covered are written to test-artifacts/accessibility-pages-<width>.txt, and every
HTML page of the application must be among them (a new page is audited or the test fails).
Skipped without Chromium unless REQUIRE_BROWSER=1, as the other browser tests.
"""

from __future__ import annotations

import gzip
import re
import shutil
import time

import pytest
from edxml_builder import Spec, build
from page_audit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DESKTOP,
    PHONE,
    WARD,
    WARD_ROLES,
    audit,
    axe_violations,
    cut_off,
    overflow,
    pages_by_role,
    served,
    sign_in,
    small_targets,
    wide_boxes,
)
from sqlalchemy import select
from test_browser import ARTIFACTS, _browser_or_skip
from test_import import ROWS, workbook_bytes
from upper_levels import add_a_ward
from werkzeug.routing import RequestRedirect

from app.core.deadlines import WorkCalendar
from app.core.office_scope import all_offices, use_office
from app.core.timeutil import local_today
from app.dev.demo import city_office_id, seed_demo
from app.edxml.intake import receive
from app.extensions import db
from app.importing.jobs import PREVIEW, claim, execute, queue
from app.models import Office, User
from app.reminders.decide import decide_kind
from app.reminders.schedule import load_schedules
from app.scheduler.runner import local_now
from conftest import FAST_HASH, make_app

DEMO_PASSWORD = "demo1234"
# Not pages: files, JSON, feeds, redirects and fragments (the trend fragment is audited inside
# the dashboard, which loads it).
NOT_PAGES = {
    "static",
    "main.healthz",
    "main.favicon",
    "auth.set_language",
    "feeds.calendar",
    "tasks.attachment",
    "tasks.export",
    "tasks.export_csv",
    "tasks.compute_deadline",
    "recurring.series_preview",
    "reports.table",
    "reports.comparison",
    "reports.statistics_file",
    "reports.province_file",
    # The province's table across its communes: the demo has no office below another (a 404
    # there); audited with axe at 1366 and 360 px by test_province_table.py's Chromium test.
    "reports.province",
    "keytasks.section_file",
    "documents.import_template",
    # Reached only half signed in (a right password, two-factor on): audited with axe at 360 px
    # by test_two_factor.py's Chromium test.
    "auth.second_step",
    # Redirects to and from the identity service, no page of their own (the sign-in page
    # with its refusal is audited at 360 px by test_oidc.py's Chromium test).
    "auth.oidc_start",
    "auth.oidc_return",
    "edxml.entry_file",  # an attachment of a received package, a download
    "offices.given_file",  # a file of a task the office above gave, a download
}


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory, sqlite_template):
    path = tmp_path_factory.mktemp("a11y") / "demo.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        seed_demo(db.session, local_today(), FAST_HASH)
        db.session.commit()
        # The weekly digests of a ward, decided (not sent): the reminder log has mails to open
        # (the city office ended on 01/07/2025: nothing of it is open today).
        with all_offices():
            ward = db.session.scalar(select(Office.id).where(Office.code == WARD))
        with use_office(ward):
            schedule = next(s for s in load_schedules(db.session) if s.kind == "digest")
            decide_kind(db.session, schedule, local_today(), WorkCalendar(), local_now())
            db.session.commit()
        pages = pages_by_role(db.session)
        with use_office(city_office_id()):  # the city clerk's import and e-office queue
            # A checked spreadsheet waiting to be imported: the background import's page.
            office = db.session.scalar(select(User).where(User.username == "vanphong"))
            data = workbook_bytes(ROWS).getvalue()
            job = queue(db.session, office, PREVIEW, "bang.xlsx", "a11y")
            db.session.commit()
            claim(db.session, job.id)
            execute(db.session, job, data)
            pages["vanphong"].append(f"/nhap-du-lieu/viec/{job.id}")
            # A package from the e-office waiting in the queue: its page and the take-in form.
            entry = receive(db.session, build(Spec()), "upload", office).entry
            db.session.commit()
            pages["vanphong"] += [
                "/van-ban-den",
                f"/van-ban-den/{entry.id}",
                f"/van-ban-den/{entry.id}/tiep-nhan",
            ]
        # Two levels: a ward's office under the city's, its intake, a task taken in and split,
        # and the city's task page reading the ward's work (the last: a second office).
        with use_office(city_office_id()):
            ward_pages = add_a_ward(db.session, local_today(), DEMO_PASSWORD, FAST_HASH)
        for role, urls in ward_pages.items():
            pages[role] = pages.get(role, []) + urls
        db.session.remove()
    with served(app) as base:
        yield base, pages, app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def browser():
    sync_playwright = _browser_or_skip()
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


def endpoints_of(app, urls) -> set[str]:
    adapter = app.url_map.bind("localhost")
    found = set()
    for url in urls:
        try:
            endpoint, _ = adapter.match(url.split("?")[0], method="GET")
        except RequestRedirect:
            continue
        found.add(endpoint)
    return found


def test_every_html_page_is_in_the_audit(demo_site):
    base, pages, app = demo_site
    covered = endpoints_of(app, [u for urls in pages.values() for u in urls])
    every = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.endpoint.startswith("api.")
    }
    assert every - NOT_PAGES - covered == set()


@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_no_wcag_violation_on_any_page_for_any_role(demo_site, browser, width):
    base, pages, app = demo_site
    phone = width == "phone"
    findings = audit(browser, base, pages, DEMO_PASSWORD, phone=phone)
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / f"accessibility-pages-{width}.txt", "w", encoding="utf-8") as out:
        viewport = (PHONE if phone else DESKTOP)["viewport"]
        out.write(f"# {width} {viewport['width']}×{viewport['height']}, {len(findings)} pages\n")
        out.writelines(f"{f.role}\t{f.url}\n" for f in findings)
    assert len(findings) == sum(len(urls) for urls in pages.values()) > 80
    problems = [
        (f.role, f.url, kind, items)
        for f in findings
        for kind, items in (
            ("axe", [f"{v['id']}: {v['nodes'][:3]}" for v in f.violations]),
            ("tap targets under 44 px", f.small_targets),
            ("page scrolls sideways", [f"{f.overflow} px"] if f.overflow else []),
            ("box scrolls sideways", f.wide),
            ("beyond the screen's edge", f.cut_off),
        )
        if items
    ]
    assert not problems, "\n".join(f"[{r}] {u} {k}: {i}" for r, u, k, i in problems)


def test_the_audit_finds_each_kind_of_fault(demo_site, browser):
    """The audit above is not blind: a contrast broken on purpose (the top menu's old
    #cb9999), a small button, an unlabelled field and a wide table are each reported."""
    base, pages, app = demo_site
    context = browser.new_context(bypass_csp=True, **PHONE)
    page = context.new_page()
    sign_in(page, base, "vanphong", DEMO_PASSWORD)
    page.goto(base + "/nhiem-vu")
    assert axe_violations(page) == [] and small_targets(page) == [] and wide_boxes(page) == []
    page.add_style_tag(content=".app-navbar .navbar-brand { color: #cb9999 !important; }")
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('afterbegin',
          '<button style="width:20px;height:20px;padding:0" id="tiny">x</button>'
          + '<input id="nameless">'
          + '<div class="table-responsive" id="wide"><table><tr><td style="min-width:900px">'
          + 'rộng</td></tr></table></div>'
          + '<a href="#" id="far" style="position:relative;left:2000px">xa</a>');
      }"""
    )
    rules = {v["id"] for v in axe_violations(page)}
    assert {"color-contrast", "label"} <= rules
    assert any('"x" 20×20' in t for t in small_targets(page))
    assert any("900" in w or "/" in w for w in wide_boxes(page))
    assert any('"xa"' in c for c in cut_off(page))
    context.close()


def test_the_audit_measures_the_page_own_width_on_a_phone(demo_site, browser):
    """A phone widens its layout viewport to a page wider than the screen: measured against
    window.innerWidth a 603 px ``select`` of units went unseen; the page's own width sees it.
    (Selects are now held to their box, so a plain 603 px box stands for it.)"""
    base, pages, app = demo_site
    context = browser.new_context(bypass_csp=True, **PHONE)
    page = context.new_page()
    sign_in(page, base, "vanphong", DEMO_PASSWORD)
    page.goto(base + "/nhiem-vu")
    assert overflow(page) == 0
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
          '<div style="width:603px">Phòng Tài nguyên và Môi trường</div>')"""
    )
    assert overflow(page) >= 603 - 360
    context.close()


def test_refused_form_summary_focus_labels_and_keyboard(demo_site, browser):
    base, pages, app = demo_site
    context = browser.new_context(locale="en-US", **PHONE)
    page = context.new_page()
    sign_in(page, base, "vanphong", DEMO_PASSWORD)

    # The skip link is the first Tab stop and leads to the content.
    page.goto(base + "/nhiem-vu")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    assert page.get_attribute(".app-navbar a[aria-current=page]", "href") == "/nhiem-vu"

    # A document saved empty: the browser's own bubble ("Please fill out this field.", in the
    # browser's English) does not appear; the server's Vietnamese summary does, with the focus.
    page.goto(base + "/van-ban/moi")
    page.fill("#tasks-0-content", "Rà soát, báo cáo kết quả")  # a task with no lead unit
    page.click("#save-document")
    page.wait_for_selector("#error-summary")
    assert page.evaluate("document.activeElement.id") == "error-summary"
    summary = page.inner_text("#error-summary")
    assert "Chưa lưu được" in summary and "Please" not in summary
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "document-refused-phone.png"))
    links = page.locator("#error-summary a")
    assert links.count() >= 2
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")[1:]
        field = page.locator(f"[id='{target}']")
        assert field.get_attribute("aria-invalid") == "true", target
        message = field.get_attribute("aria-describedby").split()[-1]
        assert page.locator(f"[id='{message}']").inner_text().strip(), target
    lead = page.locator("#error-summary a[href='#tasks-0-lead']")
    lead.click()
    assert page.evaluate("document.activeElement.id") == "tasks-0-lead"

    # Enter in the confirmation's date field does not confirm (on a task open today: the city
    # office handed its own over on 01/07/2025, a ward's clerk confirms).
    clerk = WARD_ROLES[0]
    sign_in(page, base, clerk, DEMO_PASSWORD)
    task = next(u for u in pages[clerk] if u.startswith("/nhiem-vu/") and u[10:].isdigit())
    page.goto(base + task)
    state = page.inner_text("#state")
    page.fill("#done_on", f"{local_today():%d/%m/%Y}")
    page.press("#done_on", "Enter")
    time.sleep(0.3)
    assert page.url == base + task and page.inner_text("#state") == state
    context.close()


def test_phone_screenshots_of_the_main_pages(demo_site, browser):
    """The pages the issue names, at 390 px, for people to look at (test-artifacts/)."""
    base, pages, app = demo_site
    context = browser.new_context(
        locale="vi-VN", **(PHONE | {"viewport": {"width": 390, "height": 844}})
    )
    page = context.new_page()
    ARTIFACTS.mkdir(exist_ok=True)
    clerk = WARD_ROLES[0]  # an office with open tasks today (the city's ended on 01/07/2025)
    sign_in(page, base, clerk, DEMO_PASSWORD)
    task = next(u for u in pages[clerk] if u.startswith("/nhiem-vu/") and u[10:].isdigit())
    document = next(u for u in pages[clerk] if u.startswith("/van-ban/") and u[9:].isdigit())
    for url, name in (
        ("/nhiem-vu", "task-list-390.png"),
        (task, "task-page-390.png"),
        (document, "document-page-390.png"),
    ):
        page.goto(base + url)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        page.screenshot(path=str(ARTIFACTS / name), full_page=True)
    # The task list is one card per task: the content comes first, the row is the card.
    page.goto(base + "/nhiem-vu")
    first = page.locator("#task-list tbody tr").first
    box = first.bounding_box()
    assert box["width"] <= 390 - 16
    cells = first.locator("td:visible")
    assert cells.first.locator("a").count() == 1  # the content's link opens the card
    assert first.locator("td[data-label]:visible").count() == 2  # deadline, status
    context.close()


def test_static_files_are_versioned_compressed_and_cached(app, client, tmp_path):
    from flask import url_for

    with app.test_request_context():
        url = url_for("static", filename="vendor/bootstrap/bootstrap.min.css")
    path, _, query = url.partition("?")
    assert query.startswith("v=") and len(query) == 14
    response = client.get(url, headers={"Accept-Encoding": "gzip, deflate"})
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    body = gzip.decompress(response.data)
    with open(app.static_folder + "/vendor/bootstrap/bootstrap.min.css", "rb") as handle:
        assert body == handle.read()
    assert len(response.data) < len(body) / 4
    response.close()
    # Without the version (or with an old one) the browser must ask again each time.
    for stale in (path, path + "?v=000000000000"):
        response = client.get(stale)
        assert response.headers["Cache-Control"] == "no-cache"
        assert "Content-Encoding" not in response.headers  # not accepted: sent as it is
        response.close()


def test_a_changed_static_file_gets_a_new_url(app, tmp_path):
    from flask import url_for

    app.static_folder = str(tmp_path)
    (tmp_path / "site.css").write_text("body { color: #111; }\n" * 100)
    with app.test_request_context():
        first = url_for("static", filename="site.css")
    later = time.time() + 5
    (tmp_path / "site.css").write_text("body { color: #222; }\n" * 100)
    import os

    os.utime(tmp_path / "site.css", (later, later))
    with app.test_request_context():
        second = url_for("static", filename="site.css")
    assert first != second
    client = app.test_client()
    response = client.get(second, headers={"Accept-Encoding": "gzip"})
    assert gzip.decompress(response.data).startswith(b"body { color: #222; }")
    response.close()


def test_pages_and_json_are_compressed_when_accepted(client, world):
    from conftest import login

    login(client, world.office)
    client.get("/")  # the sign-in's message is shown once, here
    plain = client.get("/nhiem-vu")
    packed = client.get("/nhiem-vu", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert packed.headers["Content-Encoding"] == "gzip"
    # The same page, but for the one-time keys of its forms (new at every rendering)
    keys = re.compile(rb'name="idempotency_key" value="[^"]*"')
    assert keys.sub(b"", gzip.decompress(packed.data)) == keys.sub(b"", plain.data)
    refused = client.get("/nhiem-vu", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers
    # A download is sent as it is (a spreadsheet is a zip already).
    export = client.get("/nhiem-vu/xuat.xlsx", headers={"Accept-Encoding": "gzip"})
    assert export.status_code == 200 and "Content-Encoding" not in export.headers
    assert export.data[:2] == b"PK"


def test_the_menu_marks_the_section_of_every_page(client, world):
    """aria-current on the menu item a page belongs to, the document reader's answer included
    (a POST that shows the document form)."""
    from conftest import login

    login(client, world.office)
    task = world.tnmt_task
    pages = {
        "/": "/",
        "/tong-quan/xu-huong": "/",
        f"/nhiem-vu/{task.id}": "/nhiem-vu",
        f"/van-ban/{task.document_id}": "/van-ban/moi",
        "/thong-ke": "/thong-ke",
    }
    for url, section in pages.items():
        html = client.get(url).get_data(as_text=True)
        assert re.findall(r'href="([^"]*)" aria-current="page"', html) == [section], url
    read = client.post("/van-ban/doc-van-ban", data={"text": "Lorem ipsum dolor sit amet."})
    html = read.get_data(as_text=True)
    assert re.findall(r'href="([^"]*)" aria-current="page"', html) == ["/van-ban/moi"]
