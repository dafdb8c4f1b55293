"""The province's table across its communes ("toàn tỉnh"): figures worked out by hand on a small
province as of two dates, the same figures as the province's statistics for each commune's
unit, the rule in SQL against ``classify`` on generated histories, the page, its drill-down,
its files, who may see it, and the number of statements it takes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter

import pytest
from sqlalchemy import event

from app.core.as_of_counts import category_counts
from app.core.classification import classify_tasks
from app.core.office_scope import use_office
from app.core.units_as_of import lead_then
from app.extensions import db
from app.models import Office, TaskTransfer
from app.models.documents import TaskState
from app.models.offices import OfficeLevel
from app.models.people import Role
from app.offices.province_table import COLUMNS, province_rows
from app.offices.registry import create_office
from app.reports.statistics import Outcome, build_statistics
from app.tasks.changes import change_deadline, change_state
from conftest import login

D = dt.date
FIRST, SECOND = D(2025, 9, 30), D(2025, 11, 15)
GIVEN = ("total", "done", "done_on_time", "done_late", "done_no_deadline", "not_done")
GIVEN += ("in_time", "overdue")


def figures(row) -> dict:
    given = row.given
    return {
        "total": given.total,
        "done": given.done,
        "done_on_time": given.counts[Outcome.DONE_ON_TIME],
        "done_late": given.counts[Outcome.DONE_LATE],
        "done_no_deadline": given.counts[Outcome.DONE_NO_DEADLINE],
        "not_done": given.not_done,
        "in_time": given.counts[Outcome.IN_TIME],
        "overdue": given.counts[Outcome.OVERDUE],
        "own_open": row.own_open,
        "own_overdue": row.own_overdue,
    }


def expect(total, done, on_time, late, no_deadline, not_done, in_time, overdue, own, own_late):
    values = (total, done, on_time, late, no_deadline, not_done, in_time, overdue, own, own_late)
    return dict(zip((*GIVEN, "own_open", "own_overdue"), values, strict=True))


class Province:
    """The province office (office 1) with a sở and the units of three communes, each commune
    an office below it (C's from 01/10/2025); tasks the province gave each, and each commune's
    own. Another province office with a commune of its own."""

    def __init__(self, session, factory) -> None:
        self.session = session
        province = session.get(Office, 1)
        province.code, province.name = "TINH", "Văn phòng UBND tỉnh"
        province.level = OfficeLevel.PROVINCE
        self.province_id = province.id
        with use_office(province.id):
            self.so = factory.department("Sở Tài chính", 1, "STC")
            self.a = factory.department("UBND xã Tân Đoàn", 2, "TĐ")
            self.b = factory.department("UBND phường Kỳ Lừa", 3, "KL")
            self.c = factory.department("UBND xã Hữu Lũng", 4, "HL")
            self.office = factory.user("tinh.vanphong", Role.OFFICE)
            self.leader = factory.user("tinh.lanhdao", Role.LEADER)
            self.head = factory.user("tinh.stc", Role.DEPARTMENT_HEAD, self.so)
            self.given = self._given(session, factory)
            session.flush()
        self.offices = {
            key: create_office(
                session,
                f"XA-{key}",
                f"Văn phòng HĐND và UBND {unit.name[5:]}",
                "commune",
                province,
                unit,
                created,
            )  # fmt: skip
            for key, unit, created in (
                ("A", self.a, None),
                ("B", self.b, None),
                ("C", self.c, D(2025, 10, 1)),
            )
        }
        self.own = {key: self._own(factory, office, key) for key, office in self.offices.items()}
        self.commune_user = self._user(factory, self.offices["A"], "xa.a.vanphong", Role.OFFICE)
        self.other = create_office(session, "TINH-KHAC", "Văn phòng UBND tỉnh khác", "province")
        with use_office(self.other.id):
            e_unit = factory.department("UBND xã Khác", 1)
            self.other_user = factory.user("khac.vanphong", Role.OFFICE)
            session.flush()
        self.e = create_office(session, "XA-E", "Văn phòng xã Khác", "commune", self.other, e_unit)
        with use_office(self.e.id):
            unit = factory.department("Phòng Kinh tế xã E", 1)
            factory.task(unit, D(2025, 8, 1), D(2025, 9, 1), content="Việc của xã E")
            session.flush()  # the rows take the office of the moment they are written
        session.commit()

    @staticmethod
    def _user(factory, office, username, role):
        with use_office(office.id):
            return factory.user(username, role)

    def _given(self, session, factory) -> dict:
        def task(name, lead, issued, deadline):
            return factory.task(lead, issued, deadline, content=f"Tỉnh giao {name}")

        def done(item, on):
            change_state(session, item, TaskState.DONE, effective_on=on)

        a, b, c = self.a, self.b, self.c
        t = {}
        t["a1"] = task("a1", a, D(2025, 8, 1), D(2025, 9, 15))
        done(t["a1"], D(2025, 9, 10))  # on time
        t["a2"] = task("a2", a, D(2025, 8, 1), D(2025, 9, 20))
        done(t["a2"], D(2025, 10, 5))  # overdue on 30/09, done late by 15/11
        t["a3"] = task("a3", a, D(2025, 9, 1), D(2025, 10, 31))  # in time, then overdue
        t["a4"] = task("a4", a, D(2025, 10, 1), None)  # issued after 30/09; no deadline
        t["a5"] = task("a5", a, D(2025, 8, 15), D(2025, 9, 1))
        change_state(session, t["a5"], TaskState.CANCELLED, effective_on=D(2025, 9, 5))
        t["a6"] = task("a6", a, D(2025, 8, 1), D(2025, 9, 10))
        change_deadline(session, t["a6"], D(2025, 10, 10), effective_on=D(2025, 9, 5),
                        deadline_kind="date")  # fmt: skip
        done(t["a6"], D(2025, 10, 8))  # within the extension
        t["b1"] = task("b1", b, D(2025, 9, 1), D(2025, 9, 25))  # overdue on both dates
        # led by A until a hand-over to B from 01/10/2025
        t["b2"] = task("b2", b, D(2025, 8, 1), D(2025, 12, 31))
        session.add(TaskTransfer(task_id=t["b2"].id, effective_on=D(2025, 10, 1),
                                 from_department_id=a.id, to_department_id=b.id))  # fmt: skip
        t["b3"] = task("b3", b, D(2025, 8, 1), None)
        done(t["b3"], D(2025, 9, 20))  # done, no deadline
        t["c1"] = task("c1", c, D(2025, 9, 10), D(2025, 10, 20))  # overdue by 15/11
        t["s1"] = task("s1", self.so, D(2025, 8, 1), D(2025, 9, 1))  # a sở's: not in the table
        session.flush()
        return t

    def _own(self, factory, office, key) -> list:
        session = self.session
        with use_office(office.id):
            unit = factory.department(f"Phòng Văn hóa – Xã hội {key}", 1)
            rows = {
                "A": [(D(2025, 8, 10), D(2025, 9, 20), None),  # overdue on both dates
                      (D(2025, 9, 1), D(2025, 10, 15), D(2025, 10, 10)),  # open, then done
                      (D(2025, 9, 1), D(2025, 9, 10), D(2025, 9, 25))],  # done late by 30/09
                "B": [(D(2025, 10, 5), D(2025, 11, 1), None),  # issued after 30/09
                      (D(2025, 9, 1), None, None)],  # open, no deadline
                "C": [(D(2025, 10, 2), D(2025, 12, 1), None)],
            }[key]  # fmt: skip
            out = []
            for issued, deadline, done_on in rows:
                task = factory.task(unit, issued, deadline, content=f"Việc của xã {key}")
                if done_on:
                    change_state(session, task, TaskState.DONE, effective_on=done_on)
                out.append(task)
            session.flush()
            return out


@pytest.fixture
def province(session, factory) -> Province:
    return Province(session, factory)


EXPECTED = {
    FIRST: {
        "XA-A": expect(5, 1, 1, 0, 0, 4, 3, 1, 2, 1),
        "XA-B": expect(2, 1, 0, 0, 1, 1, 0, 1, 1, 0),
        "total": expect(7, 2, 1, 0, 1, 5, 3, 2, 3, 1),
    },
    SECOND: {
        "XA-A": expect(5, 3, 2, 1, 0, 2, 1, 1, 1, 1),
        "XA-B": expect(3, 1, 0, 0, 1, 2, 1, 1, 2, 1),
        "XA-C": expect(1, 0, 0, 0, 0, 1, 0, 1, 1, 0),
        "total": expect(9, 4, 2, 1, 1, 5, 2, 3, 4, 2),
    },
}
RATES = {  # (completion, overdue) as printed
    FIRST: {"XA-A": ("20,0", "20,0"), "XA-B": ("50,0", "100,0"), "total": ("28,6", "33,3")},
    SECOND: {"XA-A": ("60,0", "50,0"), "XA-B": ("33,3", "50,0"), "XA-C": ("0,0", "100,0"),
             "total": ("44,4", "57,1")},
}  # fmt: skip


def table_of(session, province, as_of):
    with use_office(province.province_id):
        return province_rows(session, session.get(Office, province.province_id), as_of)


@pytest.mark.parametrize("as_of", [FIRST, SECOND])
def test_each_commune_s_figures_as_worked_out_by_hand(session, province, as_of):
    table = table_of(session, province, as_of)
    got = {row.office.code: figures(row) for row in table.rows}
    got["total"] = figures(table.total)
    assert got == EXPECTED[as_of]
    # in the province's units' order, named as the units are
    names = [row.name for row in table.rows]
    assert names == ["UBND xã Tân Đoàn", "UBND phường Kỳ Lừa", "UBND xã Hữu Lũng"][: len(names)]
    rates = {row.office.code: tuple(row.values()[9:11]) for row in table.rows}
    rates["total"] = tuple(table.total.values()[9:11])
    assert rates == RATES[as_of]
    assert table.first_issued == D(2025, 8, 1)


@pytest.mark.parametrize("as_of", [FIRST, SECOND])
def test_a_commune_s_given_tasks_are_its_unit_s_row_in_the_province_statistics(
    session, province, as_of
):
    table = table_of(session, province, as_of)
    with use_office(province.province_id):
        stats = build_statistics(session, D(2025, 1, 1), as_of, as_of)
    by_unit = {r.department.id: r for r in stats.rows}
    for row in table.rows:
        unit_row = by_unit[row.unit.id]
        assert row.given.counts == unit_row.counts, row.name
        assert row.given.completion_rate == unit_row.completion_rate
        assert row.given.overdue_rate == unit_row.overdue_rate
        # the drill-down reads only the unit's tasks, and finds the same ones
        with use_office(province.province_id):
            own = build_statistics(session, D(2025, 1, 1), as_of, as_of, department_id=row.unit.id)
        assert [r.counts for r in own.rows if r.department.id == row.unit.id] == [unit_row.counts]
        for outcome in Outcome:
            unit_id = row.unit.id
            assert own.task_ids(unit_id, [outcome]) == stats.task_ids(unit_id, [outcome])


def test_the_rule_in_sql_is_classify_s_on_generated_histories(app, session):
    from sqlalchemy import select

    from app.dev.generate import generate
    from app.models import Task

    generate(session, tasks=800, departments=8, years=2, today=D(2026, 11, 27), seed=5)
    session.commit()

    def first(state, skip=0):
        query = select(Task).where(Task.state == state).order_by(Task.id).offset(skip).limit(1)
        return session.scalar(query)

    # Histories the generator does not write: a task done then reopened, one cancelled then
    # reopened, one done whose deadline was moved afterwards with an earlier effect, …
    done = first(TaskState.DONE)
    done_on = done.done_on
    change_state(session, done, TaskState.IN_PROGRESS, effective_on=done_on + dt.timedelta(9))
    cancelled = first(TaskState.CANCELLED)
    cancelled_on = cancelled.closed_on
    change_state(session, cancelled, TaskState.OPEN, effective_on=cancelled_on + dt.timedelta(5))
    moved = first(TaskState.DONE, skip=3)
    moved_on = moved.done_on
    change_deadline(
        session, moved, moved_on - dt.timedelta(1), effective_on=moved_on - dt.timedelta(2)
    )
    # and one done late, granted a later deadline after it was done: still done late
    late = session.scalar(
        select(Task).where(Task.state == TaskState.DONE, Task.done_on > Task.deadline).limit(1)
    )
    late_on = late.done_on
    change_deadline(
        session, late, late_on + dt.timedelta(30), effective_on=late_on + dt.timedelta(3)
    )
    session.commit()
    days = {D(2025, 3, 31), D(2026, 1, 15), D(2026, 11, 27), done_on, moved_on}
    days |= {done_on + dt.timedelta(10), cancelled_on + dt.timedelta(2)}
    days |= {late_on + dt.timedelta(5)}
    for day in sorted(days):
        python = Counter()
        for timeline, status in classify_tasks(session, day).values():
            # (a cancelled task is counted as without a deadline: none is asked of it)
            dated = status.deadline is not None and status.category != "cancelled"
            python[(timeline.lead_department_id, status.category, dated)] += 1
        assert category_counts(session, day, lead_then(day)) == dict(python), day


def statements():
    seen = []

    def count(_conn, _cursor, statement, *_args):
        if "import_jobs" not in statement:  # the look every ORM query takes (models.unfinished)
            seen.append(statement.split("\n")[0][:90])

    event.listen(db.engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(db.engine, "before_cursor_execute", count)


def test_the_table_takes_the_same_few_statements_whatever_the_number_of_communes(
    session, factory, province
):
    seen, stop = statements()
    table_of(session, province, SECOND)
    stop()
    before = len(seen)
    with use_office(province.province_id):
        more = [factory.department(f"UBND xã Mới {n}", 10 + n) for n in range(6)]
        above = session.get(Office, province.province_id)
    for n, unit in enumerate(more):
        office = create_office(session, f"XA-M{n}", f"Xã Mới {n}", "commune", above, unit)
        with use_office(office.id):
            factory.task(factory.department("Phòng Kinh tế", 1), D(2025, 9, 1), D(2025, 9, 2))
            session.flush()
        with use_office(province.province_id):
            factory.task(unit, D(2025, 9, 1), D(2025, 10, 1))
            session.flush()
    session.commit()
    seen, stop = statements()
    table = table_of(session, province, SECOND)
    stop()
    assert len(table.rows) == 9 and table.total.own_overdue == 2 + 6
    assert len(seen) == before <= 6, "\n\n".join(seen)


# --- the page, its drill-down, its files and who may see them ----------------------------


def cells(html: str, office: str) -> dict[str, str]:
    row = re.search(rf'<tr[^>]* data-office="{office}">(.*?)</tr>', html, re.S).group(1)
    found = re.findall(r'<td class="text-end" data-column="(\w+)">(.*?)</td>', row, re.S)
    return {key: re.sub(r"<[^>]+>", "", value).strip() for key, value in found}


@pytest.mark.parametrize("as_of", [FIRST, SECOND])
def test_the_page_shows_the_figures_of_the_date(client, province, as_of):
    login(client, province.office)
    response = client.get(f"/bao-cao/toan-tinh?as_of={as_of:%d/%m/%Y}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for code, expected in EXPECTED[as_of].items():
        shown = cells(html, code)
        assert {k: int(v) for k, v in shown.items() if k in expected} == expected, code
        assert (shown["completion_rate"], shown["overdue_rate"]) == RATES[as_of][code]
    assert ("XA-C" in html) == (as_of == SECOND)  # C's office exists from 01/10/2025
    assert re.findall(r'href="([^"]*)" aria-current="page"', html) == ["/bao-cao"]
    assert "Sở Tài chính" not in html and "XA-E" not in html


def test_a_given_count_opens_those_tasks_as_of_the_date(client, province):
    login(client, province.office)
    html = client.get("/bao-cao/toan-tinh?as_of=30/09/2025").get_data(as_text=True)
    row = re.search(r'<tr data-office="XA-A">(.*?)</tr>', html, re.S).group(1)
    links = dict(re.findall(r'data-column="(\w+)"><a href="([^"]+)"', row))
    assert set(links) == {"total", "done", "done_on_time", "not_done", "in_time", "overdue"}
    overdue = client.get(links["overdue"].replace("&amp;", "&")).get_data(as_text=True)
    assert "Tỉnh giao a2" in overdue and overdue.count('data-task="') == 1
    in_time = client.get(links["in_time"].replace("&amp;", "&")).get_data(as_text=True)
    # b2 was A's on 30/09 (handed to B from 01/10)
    assert all(f"Tỉnh giao {t}" in in_time for t in ("a3", "a6", "b2"))
    assert in_time.count('data-task="') == 3
    # the commune's own counts are no link; nor is the totals row
    assert 'data-column="own_open"><a' not in html
    total = re.search(r'<tr class="fw-bold" data-office="total">(.*?)</tr>', html, re.S).group(1)
    assert "<a " not in total


def test_the_report_page_links_the_table_for_a_province_only(client, province):
    login(client, province.office)
    assert 'id="province-link"' in client.get("/bao-cao").get_data(as_text=True)
    login(client, province.commune_user)
    assert 'id="province-link"' not in client.get("/bao-cao").get_data(as_text=True)


def test_who_may_see_the_table(client, province):
    login(client, province.leader)
    assert client.get("/bao-cao/toan-tinh").status_code == 200
    login(client, province.head)  # a department's user of the province
    assert client.get("/bao-cao/toan-tinh").status_code == 403
    assert client.get("/bao-cao/toan-tinh.xlsx").status_code == 403
    login(client, province.commune_user)  # nothing below a commune
    assert client.get("/bao-cao/toan-tinh").status_code == 404
    assert client.get("/bao-cao/toan-tinh.xlsx").status_code == 404
    login(client, province.other_user)  # another province: its own commune only
    html = client.get("/bao-cao/toan-tinh?as_of=15/11/2025").get_data(as_text=True)
    assert re.findall(r'<tr data-office="([^"]+)"', html) == ["XA-E"]
    assert cells(html, "XA-E")["own_overdue"] == "1"
    assert "Tân Đoàn" not in html and "Kỳ Lừa" not in html
    client.post("/dang-xuat")
    assert client.get("/bao-cao/toan-tinh").status_code == 302  # to the sign-in page


def test_the_files_hold_the_table(client, province):
    from openpyxl import load_workbook

    login(client, province.office)
    response = client.get("/bao-cao/toan-tinh.xlsx?as_of=2025-11-15")
    assert response.status_code == 200
    assert "toan-tinh-20251115.xlsx" in response.headers["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    header = rows.index(COLUMNS)
    body = rows[header + 1 :]
    assert [r[0] for r in body] == [
        "UBND xã Tân Đoàn", "UBND phường Kỳ Lừa", "UBND xã Hữu Lũng", "Tổng cộng"
    ]  # fmt: skip
    assert body[-1][1:] == [9, 4, 2, 1, 1, 5, 2, 3, "44,4", "57,1", 4, 2]
    text = client.get("/bao-cao/toan-tinh.csv?as_of=2025-09-30").get_data(as_text=True)
    lines = list(csv.reader(io.StringIO(text)))
    assert lines[0] == COLUMNS
    total = ["Tổng cộng", "7", "2", "1", "0", "1", "5", "3", "2", "28,6", "33,3", "3", "1"]
    assert lines[-1] == total
    docx = client.get("/bao-cao/toan-tinh.docx?as_of=2025-09-30")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    assert client.get("/bao-cao/toan-tinh.pdf").status_code == 404


def test_a_date_that_is_not_one_is_refused(client, province):
    login(client, province.office)
    assert client.get("/bao-cao/toan-tinh?as_of=31/02/2025").status_code == 400


# --- in Chromium: the page audited as every other page is (tests/page_audit.py) ------------


@pytest.fixture
def live(sqlite_template, tmp_path):
    import shutil

    from page_audit import served

    from conftest import PASSWORD, Factory, make_app

    path = tmp_path / "browser.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        Province(db.session, Factory(db.session))
        db.session.remove()
    with served(app) as base:
        yield base, PASSWORD
    with app.app_context():
        db.engine.dispose()


def test_the_page_in_chromium_on_a_laptop_and_a_phone(live):
    """No WCAG 2.1 A/AA violation, nothing beyond the screen's edge, 44 px targets on a phone;
    the figures' table scrolls sideways inside its box with the communes' names in view; the
    date typed in the field gives that date's table, and a count opens its tasks."""
    from page_audit import (
        CHROMIUM,
        CHROMIUM_ARGS,
        DESKTOP,
        PHONE,
        axe_violations,
        cut_off,
        overflow,
        sign_in,
        small_targets,
    )
    from test_browser import _browser_or_skip

    sync_playwright = _browser_or_skip()
    base, password = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        for size in (DESKTOP, PHONE):
            page = browser.new_context(locale="vi-VN", bypass_csp=True, **size).new_page()
            sign_in(page, base, "tinh.vanphong", password)
            page.goto(base + "/bao-cao")
            page.click("#province-link")
            page.fill("#as_of", "30/09/2025")
            page.click("#province-form button[type=submit]")
            page.wait_for_url("**as_of=30%2F09%2F2025")
            assert "30/09/2025" in page.inner_text("#province-subtitle")
            assert page.locator('#province-table tr[data-office="XA-C"]').count() == 0
            page.mouse.move(page.viewport_size["width"] - 1, page.viewport_size["height"] - 1)
            assert axe_violations(page) == []
            assert cut_off(page) == [] and overflow(page) == 0
            if size is PHONE:
                assert small_targets(page) == []
                name = page.locator('#province-table tr[data-office="XA-A"] th')
                page.locator(".table-responsive").evaluate("box => box.scrollLeft = 400")
                assert name.bounding_box()["x"] >= 0  # the name stays in view
            page.click('#province-table tr[data-office="XA-A"] td[data-column="overdue"] a')
            page.wait_for_url("**/thong-ke/nhiem-vu**")
            assert "Tỉnh giao a2" in page.inner_text("#statistics-tasks")
            page.context.close()
        browser.close()
