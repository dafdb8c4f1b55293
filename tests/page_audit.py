"""What an accessibility audit looks at, shared by the test and ``bench/accessibility.py``.

Every page a role can open (built from the demo data), axe-core injected into the real page,
the tap targets smaller than 44×44 CSS pixels on a phone and the page's sideways overflow.
axe-core comes from the npm registry (``tests/vendor/axe-core``, version in its header) and is
injected from disk: nothing is fetched while the test runs.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# As root, headless, with nothing reaching out of the machine (its network is closed).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
# WCAG 2.0 and 2.1, levels A and AA: the rules the issue asks for.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
DESKTOP = {"viewport": {"width": 1366, "height": 900}}
# The narrowest phone the issue names (360 px); what fits there fits at 390 px.
PHONE = {
    "viewport": {"width": 360, "height": 780},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
SMALL_SCREEN = 360
TAP = 44  # CSS pixels, WCAG 2.5.5's size and the issue's target below the md breakpoint

ROLES = ["admin", "vanphong", "lanhdao", "tnmt.truong", "tnmt.cv"]
# The demo's city office ended on 01/07/2025 and handed its open tasks over: a ward's clerk and
# division head open the pages of tasks still open today (a task taken over from the city), the
# province's administrator (of the installation) the page ending an office.
WARD = "TAMTHANH"
WARD_ROLES = ["tamthanh.vanphong", "tamthanh.kinhte", "tamthanh.admin"]
INSTALLATION_ADMIN = "tinh.admin"


@dataclass
class Finding:
    url: str
    role: str
    width: int
    violations: list[dict] = field(default_factory=list)
    small_targets: list[str] = field(default_factory=list)
    overflow: int = 0
    wide: list[str] = field(default_factory=list)
    cut_off: list[str] = field(default_factory=list)


def pages_by_role(session) -> dict[str, list[str]]:
    """The pages each demo role opens: every GET page of the application, with real ids."""
    from app.core.office_scope import all_offices, use_office
    from app.dev.demo import city_office_id
    from app.models import Office

    with use_office(city_office_id()):
        pages = _city_pages(session)
    with all_offices():
        ward = session.scalar(select(Office.id).where(Office.code == WARD))
    with use_office(ward):
        pages.update(_ward_pages(session))
    pages[INSTALLATION_ADMIN] = ["/quan-tri/co-quan/ket-thuc"]
    return pages


def _ward_pages(session) -> dict[str, list[str]]:
    """A ward's clerk and division head on a task the ward took over from the city."""
    from app.models import Reminder, Task, User
    from app.models.documents import TaskState

    head = session.scalar(select(User).where(User.username == WARD_ROLES[1]))
    task = session.scalar(
        select(Task)
        .where(
            Task.lead_department_id == head.department_id,
            Task.handed_from_task_id.is_not(None),
            Task.state.in_([TaskState.OPEN, TaskState.IN_PROGRESS]),
        )
        .order_by(Task.id)
    )
    seen = ["/", "/nhiem-vu", f"/nhiem-vu/{task.id}"]
    return {
        WARD_ROLES[0]: [
            *seen, f"/nhiem-vu/{task.id}/sua", f"/van-ban/{task.document_id}", "/bao-cao",
            "/cho-van-phong-xu-ly",
        ],
        WARD_ROLES[1]: [*seen, "/don-vi-cua-toi"],
        WARD_ROLES[2]: ["/quan-tri/nhac-viec"] + [
            f"/quan-tri/nhac-viec/{r}"
            for r in session.scalars(select(Reminder.id).order_by(Reminder.id).limit(1))
        ],
    }  # fmt: skip


def _city_pages(session) -> dict[str, list[str]]:
    """The city office's roles: its tasks today are done, cancelled or handed over (their pages
    stand for a task's); its reports and history are all there."""
    from app.auth.tokens import INVITE, issue
    from app.core.timeutil import utcnow
    from app.models import Department, Issuer, KeyTaskGroup, Reminder, Task, UnitChange, User
    from app.models.documents import TaskState
    from app.models.people import Role
    from app.reminders.record import unsubscribe_token

    def task_in(*states, lead=None):
        query = select(Task.id).where(Task.state.in_(states)).order_by(Task.id)
        if lead is not None:
            query = query.where(Task.lead_department_id == lead)
        return session.scalar(query)

    head_user = session.scalar(select(User.id).where(User.role == Role.DEPARTMENT_HEAD))
    tnmt = session.scalar(select(Department.id).where(Department.short_name == "TN&MT"))
    own_open = task_in(TaskState.OPEN, TaskState.IN_PROGRESS, TaskState.HANDED_OVER, lead=tnmt)
    own_waiting = task_in(TaskState.AWAITING_CONFIRMATION, TaskState.HANDED_OVER)
    done = task_in(TaskState.DONE)
    document = session.scalar(select(Task.document_id).where(Task.id == own_open))
    today = dt.date.today()
    group = session.scalar(select(KeyTaskGroup.id).order_by(KeyTaskGroup.id))
    unit_grades = f"/danh-gia-don-vi?department={tnmt}&from=01/01/2024&to=31/12/2024"
    everyone = [
        "/",
        "/tong-quan/xu-huong",
        "/nhiem-vu",
        "/nhiem-vu?page=2&category=late",
        "/nhiem-vu/qua-han",
        f"/nhiem-vu/{own_open}",
        f"/nhiem-vu/{done}",
        "/thong-ke",
        f"/thong-ke/nhiem-vu?department={tnmt}&group=not_done",
        "/tai-khoan",
        "/tai-khoan/doi-mat-khau",
        "/tai-khoan/api",
        "/tai-khoan/xac-thuc-hai-buoc",
        "/nhom-nhiem-vu",
        f"/nhom-nhiem-vu/{group}?as_of=16/12/2024",
    ]
    office = everyone + [
        "/bao-cao",
        f"/bao-cao?as_of={today:%d/%m/%Y}&department={tnmt}",
        "/cho-van-phong-xu-ly",
        f"/nhiem-vu/{own_waiting}",
        "/van-ban/moi",
        f"/van-ban/{document}",
        f"/nhiem-vu/{own_open}/sua",
        "/nhap-du-lieu",
        "/nhom-nhiem-vu/moi",
        f"/nhom-nhiem-vu/{group}/sua",
        unit_grades,
    ]
    admin = office + [
        "/quan-tri/nguoi-dung",
        "/quan-tri/nguoi-dung/moi",
        f"/quan-tri/nguoi-dung/{head_user}",
        "/quan-tri/don-vi",
        "/quan-tri/don-vi/moi",
        f"/quan-tri/don-vi/{tnmt}",
        "/quan-tri/don-vi?truoc-day=1",
        "/quan-tri/to-chuc",
        "/quan-tri/co-quan-ban-hanh",
        "/quan-tri/co-quan-ban-hanh/moi",
        f"/quan-tri/co-quan-ban-hanh/{session.scalar(select(Issuer.id))}",
        "/quan-tri/cai-dat",
        "/quan-tri/ngay-lam-viec",
        "/quan-tri/nhac-viec",
        "/quan-tri/nhac-viec/lich",
        "/quan-tri/nhac-viec/xem-truoc",
        "/quan-tri/tu-choi-truy-cap",
        "/quan-tri/danh-gia",
        "/quan-tri/co-quan-theo-doi",
        "/quan-tri/co-quan-theo-doi/moi",
        "/quan-tri/co-quan-theo-doi/1",
    ]
    reminder = session.scalar(select(Reminder.id).order_by(Reminder.id))
    if reminder:
        admin.append(f"/quan-tri/nhac-viec/{reminder}")
    change = session.scalar(select(UnitChange.id).order_by(UnitChange.id.desc()))
    if change:  # the demo's merger: the page asking to confirm its undo
        admin.append(f"/quan-tri/to-chuc/{change}/hoan-tac")
    department = everyone + ["/don-vi-cua-toi", unit_grades]
    own_waiting = task_in(TaskState.AWAITING_CONFIRMATION, lead=tnmt)
    if own_waiting:
        department.append(f"/nhiem-vu/{own_waiting}")
    head = session.scalar(select(User.id).where(User.username == "tnmt.truong"))
    link = issue(session, session.get(User, head), INVITE, utcnow())  # a mailed link's page
    session.commit()
    return {
        "": [
            "/dang-nhap",
            f"/nhac-viec/huy-dang-ky/{unsubscribe_token(head, 'digest')}",
            "/quen-mat-khau",
            f"/dat-mat-khau/{link}",
        ],
        "admin": admin,
        "vanphong": office,
        "lanhdao": everyone + ["/bao-cao"],
        "tnmt.truong": department,
        "tnmt.cv": department,
    }


@contextmanager
def served(app):
    """The application on a free loopback port, in a thread: its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def sign_in(page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(base + "/dang-nhap")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.1 A/AA violations on the page as it is now."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                                resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary)}));
        }""",
        AXE_TAGS,
    )
    return result


SMALL_TARGETS_JS = """(tap) => {
  const out = [];
  const seen = new Set();
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary, '
    + '[role=button], [tabindex]:not([tabindex="-1"])';
  for (const el of document.querySelectorAll(selector)) {
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (el.closest('.ts-hidden-accessible, .visually-hidden, .flatpickr-calendar')) continue;
    // The text box inside a chip field: the whole field (.ts-control) is what is tapped.
    const chips = el.tagName === 'INPUT' && el.closest('.ts-control');
    if (chips) box = chips.getBoundingClientRect();
    // A checkbox or radio counts with its label: the label is what the finger taps.
    if (el.matches('input[type=checkbox], input[type=radio]')) {
      const wrap = el.closest('.form-check') || el.closest('label');
      if (wrap) box = wrap.getBoundingClientRect();
    }
    // A link inside running text is exempt (WCAG 2.5.5 "inline").
    if (el.tagName === 'A' && getComputedStyle(el).display === 'inline'
        && el.parentElement && /^(P|LI|SPAN|SMALL|TD|DD)$/.test(el.parentElement.tagName)
        && el.parentElement.textContent.trim().length > el.textContent.trim().length + 20) continue;
    if (box.width + 0.5 < tap || box.height + 0.5 < tap) {
      const name = (el.getAttribute('aria-label') || el.textContent || el.name || el.id || '')
        .trim().replace(/\\s+/g, ' ').slice(0, 40);
      const key = el.tagName + name + Math.round(box.top);
      if (seen.has(key)) continue;
      seen.add(key);
      const size = `${Math.round(box.width)}×${Math.round(box.height)}`;
      out.push(`${el.tagName.toLowerCase()} "${name}" ${size}`);
    }
  }
  return out;
}"""


CUT_OFF_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('a[href], button, input:not([type=hidden]), select')) {
    const box = el.getBoundingClientRect();
    if (box.width === 0) continue;
    if (el.closest('.ts-hidden-accessible, .visually-hidden, .skip-link, .table-responsive,'
                   + ' .flatpickr-calendar, .collapse:not(.show), .ts-control')) continue;
    if (box.right > document.documentElement.clientWidth + 1 || box.left < -1) {
      const name = (el.textContent || el.name || el.id || el.className || '').trim();
      out.push(`${el.tagName.toLowerCase()} "${name.slice(0, 40)}"`);
    }
  }
  return out;
}"""


def cut_off(page) -> list[str]:
    """Controls that lie beyond the screen's edge (a menu wider than its bar)."""
    return page.evaluate(CUT_OFF_JS)


def small_targets(page) -> list[str]:
    return page.evaluate(SMALL_TARGETS_JS, TAP)


# Wide numeric tables that scroll inside their own box on purpose (the unit's name stays in
# view): statistics by unit and the 12-month trend.
SCROLLING_TABLES = ("statistics", "trend-table")

WIDE_BOXES_JS = """(allowed) => {
  const out = [];
  for (const el of document.querySelectorAll('.table-responsive, main *')) {
    const style = getComputedStyle(el);
    if (!/(auto|scroll)/.test(style.overflowX)) continue;
    if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth === 0) continue;
    const table = el.querySelector('table');
    if (table && allowed.includes(table.id)) continue;
    out.push(`${el.tagName.toLowerCase()}${table && table.id ? '#' + table.id : ''}`
             + ` ${el.scrollWidth}/${el.clientWidth}`);
  }
  return out;
}"""


def wide_boxes(page) -> list[str]:
    """Boxes on the page that scroll sideways (a table wider than the screen)."""
    return page.evaluate(WIDE_BOXES_JS, list(SCROLLING_TABLES))


def overflow(page) -> int:
    """How many CSS pixels the page scrolls sideways (0 when it fits the screen).

    Measured against the page's own width (``clientWidth``), not ``window.innerWidth``: on a
    phone a page wider than the screen widens the layout viewport with it, so innerWidth grew
    to the 603 px of a ``select`` of units and the report page passed while it scrolled.
    """
    return page.evaluate(
        "() => Math.max(0, document.documentElement.scrollWidth"
        " - document.documentElement.clientWidth)"
    )


def audit(browser, base: str, pages: dict[str, list[str]], password: str, *, phone: bool):
    """Open every page for its role at one width; the findings of each."""
    context = browser.new_context(locale="vi-VN", bypass_csp=True, **(PHONE if phone else DESKTOP))
    page = context.new_page()
    findings = []
    for role, urls in pages.items():
        if role:
            sign_in(page, base, role, password)
        else:
            context.clear_cookies()
        for url in urls:
            response = page.goto(base + url)
            assert response is not None and response.status == 200, (role, url)
            # The dashboard's trend arrives after the page: audit it once it is drawn.
            page.wait_for_function("() => !document.querySelector('[aria-busy=true]')")
            # The pointer stays where the last click left it: move it off any control so a
            # hover transition is not measured halfway.
            page.mouse.move(page.viewport_size["width"] - 1, page.viewport_size["height"] - 1)
            finding = Finding(url, role or "(chưa đăng nhập)", page.viewport_size["width"])
            finding.violations = axe_violations(page)
            finding.cut_off = cut_off(page)
            finding.overflow = overflow(page)
            if phone:
                finding.small_targets = small_targets(page)
                finding.wide = wide_boxes(page)
            findings.append(finding)
    context.close()
    return findings
