"""Statistics by unit for a period: the rule on hand-built tasks, the files, the CLI, the page,
the API and the monthly trend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from app.models.documents import TaskState
from app.models.people import Role
from app.reports.statistics import (
    Outcome,
    PeriodError,
    build_statistics,
    build_trend,
    month_ends,
    percent,
    percent_text,
)
from app.tasks import workflow
from app.tasks.changes import change_deadline, change_state

D = dt.date
FROM, TO, AS_OF = D(2024, 11, 1), D(2024, 11, 30), D(2024, 12, 16)


class Period:
    """Unit A with a task of every outcome and edge; unit B with tasks without deadlines."""

    def __init__(self, session, factory) -> None:
        self.a = factory.department("Phòng A", 1, "A")
        self.b = factory.department("Phòng B", 2, "B")
        self.c = factory.department("Phòng C", 3, "C")  # tasks only outside the period
        user = factory.user("a.truong", Role.DEPARTMENT_HEAD, self.a)

        def done(task, on):
            change_state(session, task, TaskState.DONE, effective_on=on)

        t = {}
        # done on the deadline day, issued on the period's first day: on time
        t["on_deadline_day"] = factory.task(self.a, FROM, D(2024, 11, 20))
        done(t["on_deadline_day"], D(2024, 11, 20))
        # done three days after its deadline: late
        t["late"] = factory.task(self.a, D(2024, 11, 10), D(2024, 11, 15))
        done(t["late"], D(2024, 11, 18))
        # extension approved before completion, done within it: on time
        t["extended"] = factory.task(self.a, D(2024, 11, 10), D(2024, 11, 15))
        change_deadline(
            session, t["extended"], D(2024, 11, 30), effective_on=D(2024, 11, 14),
            deadline_kind="date",
        )  # fmt: skip
        done(t["extended"], D(2024, 11, 25))
        # issued on the period's last day, no deadline, done: done without a deadline
        t["no_deadline_done"] = factory.task(self.a, TO, None)
        done(t["no_deadline_done"], D(2024, 12, 5))
        # open, deadline after D: in time; deadline before D: overdue
        t["in_time"] = factory.task(self.a, D(2024, 11, 5), D(2024, 12, 20))
        t["overdue"] = factory.task(self.a, D(2024, 11, 5), D(2024, 12, 10))
        # deadline exactly D: still in time
        t["due_on_d"] = factory.task(self.a, D(2024, 11, 5), AS_OF)
        # open, no deadline: in time
        t["standing"] = factory.task(self.a, D(2024, 11, 5), None)
        # done after D: as of D it is overdue
        t["done_after"] = factory.task(self.a, D(2024, 11, 5), D(2024, 11, 20))
        done(t["done_after"], D(2024, 12, 20))
        # cancelled before D: not counted; cancelled after D: counted as it stood
        t["cancelled"] = factory.task(self.a, D(2024, 11, 5), D(2024, 11, 20))
        change_state(session, t["cancelled"], TaskState.CANCELLED, effective_on=D(2024, 12, 1))
        t["cancelled_after"] = factory.task(self.a, D(2024, 11, 5), D(2024, 12, 31))
        change_state(
            session, t["cancelled_after"], TaskState.CANCELLED, effective_on=D(2024, 12, 20)
        )
        # outside the period
        factory.task(self.c, D(2024, 10, 31), D(2024, 11, 20))
        factory.task(self.c, D(2024, 12, 1), D(2024, 12, 5))
        # unit B: three tasks without deadline, two done
        for day in (D(2024, 11, 3), D(2024, 11, 4)):
            done(factory.task(self.b, D(2024, 11, 2), None), day)
        factory.task(self.b, D(2024, 11, 2), None)
        # a progress report in the 30 days to D (1 Dec) and one before them (1 Nov)
        workflow.report_progress(session, t["in_time"], user, "Đang làm", D(2024, 12, 1))
        workflow.report_progress(session, t["overdue"], user, "Đã họp", D(2024, 11, 16))
        session.commit()
        self.tasks = t


@pytest.fixture
def period(session, factory):
    return Period(session, factory)


def test_every_outcome_and_edge_of_the_rule(session, period):
    stats = build_statistics(session, FROM, TO, AS_OF)
    a, b = stats.rows
    assert [a.department.name, b.department.name] == ["Phòng A", "Phòng B"]  # no C: outside
    assert dict(a.counts) == {
        Outcome.DONE_ON_TIME: 2,  # on the deadline day; within an extension approved before
        Outcome.DONE_LATE: 1,
        Outcome.DONE_NO_DEADLINE: 1,
        Outcome.IN_TIME: 4,  # deadline after D, on D, none, cancelled only after D
        Outcome.OVERDUE: 2,  # deadline before D, done only after D
    }
    assert (a.total, a.done, a.not_done, a.with_deadline) == (10, 4, 6, 8)
    assert a.completion_rate == Decimal("40.0") and a.overdue_rate == Decimal("37.5")
    assert b.values() == ["Phòng B", 3, 2, 0, 0, 2, 1, 1, 0, "66,7", "", "", ""]
    assert stats.total.values() == ["Tổng cộng", 13, 6, 2, 1, 3, 7, 5, 2, "46,2", "37,5", "", ""]
    t = period.tasks
    assert stats.task_ids(period.a.id, [Outcome.OVERDUE]) == sorted(
        [t["overdue"].id, t["done_after"].id]
    )
    assert t["cancelled"].id not in stats.task_outcomes
    # update rate: of A's six open tasks, one had a report in the 30 days to D
    assert a.open_tasks == 6 and a.updated_tasks == 1 and a.update_rate == Decimal("16.7")


def test_as_of_defaults_to_the_end_of_the_period(session, period):
    stats = build_statistics(session, FROM, TO)
    assert stats.as_of == TO
    a = stats.rows[0]
    # on 30/11: no_deadline_done not yet done; "overdue" (10/12) still in time; done_after
    # and cancelled (cancelled only on 1/12) past their deadline of 20/11
    assert a.counts[Outcome.DONE_NO_DEADLINE] == 0 and a.counts[Outcome.OVERDUE] == 2
    assert stats.task_ids(period.a.id, [Outcome.OVERDUE]) == sorted(
        [period.tasks["done_after"].id, period.tasks["cancelled"].id]
    )


def test_a_period_that_cannot_be_counted_is_refused(session):
    with pytest.raises(PeriodError, match="trước hoặc bằng"):
        build_statistics(session, TO, FROM)
    with pytest.raises(PeriodError, match="không được trước"):
        build_statistics(session, FROM, TO, D(2024, 10, 1))
    with pytest.raises(PeriodError, match="10 năm"):
        build_statistics(session, D(2000, 1, 1), D(2024, 1, 1))


def test_shares_are_rounded_half_up_with_a_comma():
    assert percent_text(percent(11, 12)) == "91,7"
    assert percent_text(percent(1, 8)) == "12,5"
    assert percent_text(percent(1, 3)) == "33,3"
    assert percent_text(percent(3, 3)) == "100,0"
    assert percent_text(percent(0, 0)) == ""


def test_month_ends():
    assert month_ends(D(2025, 3, 15), 4) == [
        D(2024, 12, 31), D(2025, 1, 31), D(2025, 2, 28), D(2025, 3, 15)
    ]  # fmt: skip
    assert month_ends(D(2024, 2, 29), 1) == [D(2024, 2, 29)]
    assert len(month_ends(D(2026, 11, 30), 12)) == 12


def test_trend_counts_each_month_end_as_of_then(session, period):
    trend = build_trend(session, D(2024, 12, 31), months=3)
    assert [p.as_of for p in trend.points] == [D(2024, 10, 31), D(2024, 11, 30), D(2024, 12, 31)]
    october, november, december = trend.points
    # 31/10: only C's task issued that day, deadline 20/11: chưa
    assert (october.late, october.pending) == (0, 1)
    # 30/11: the deadline 20/11 of C's first task, A's done_after and cancelled has passed
    assert november.by_unit[period.c.id] == (1, 0)
    assert november.by_unit[period.a.id] == (2, 6)
    assert [d.name for d in trend.departments] == ["Phòng A", "Phòng B", "Phòng C"]
    assert december.late == sum(v[0] for v in december.by_unit.values())


def test_period_bounds():
    from app.reports.statistics import period_bounds

    assert period_bounds("month", 2024, 2) == (D(2024, 2, 1), D(2024, 2, 29))
    assert period_bounds("quarter", 2024, 4) == (D(2024, 10, 1), D(2024, 12, 31))
    assert period_bounds("half", 2025, 1) == (D(2025, 1, 1), D(2025, 6, 30))
    assert period_bounds("year", 2025) == (D(2025, 1, 1), D(2025, 12, 31))
    with pytest.raises(PeriodError):
        period_bounds("quarter", 2025, 5)


def test_trend_agrees_with_the_as_of_rule_on_every_date(session, period, factory):
    """The one-statement trend gives what ``open_counts`` gives date by date, even for events
    recorded out of order (a completion entered later with an earlier date; a reopening)."""
    from app.core.classification import open_counts, open_counts_on

    t = period.tasks
    # recorded after the completion, effective before it: the completion still wins after 18/11
    change_state(session, t["late"], TaskState.IN_PROGRESS, effective_on=D(2024, 11, 12))
    # done, then reopened a month later, then an extension effective in between
    change_state(session, t["in_time"], TaskState.DONE, effective_on=D(2024, 12, 2))
    change_state(session, t["in_time"], TaskState.IN_PROGRESS, effective_on=D(2025, 1, 3))
    change_deadline(
        session, t["standing"], D(2024, 12, 1), effective_on=D(2024, 11, 20), deadline_kind="date"
    )
    session.commit()
    days = [D(2024, 10, 31), D(2024, 11, 12), D(2024, 11, 30), D(2024, 12, 2), D(2024, 12, 31),
            D(2025, 1, 3), D(2025, 1, 31)]  # fmt: skip
    together = open_counts_on(session, days)
    for day in days:
        alone = {k: v for k, v in open_counts(session, day).items() if v}
        assert {k: v for k, v in together[day].items() if v} == alone, day
    assert any(together[D(2025, 1, 31)].values())


def test_trend_agrees_with_the_as_of_rule_on_generated_history(app, session):
    """``open_counts_on`` (one pass over the events) gives what ``open_counts`` gives day by
    day on generated tasks given random later changes: backdated completions, reopenings,
    cancellations, hand-overs, deadline changes (some removed) and lead units moved back and
    forth, recorded out of date order; for every unit and for one unit (``ever_led_by``)."""
    import random

    from sqlalchemy import select

    from app.core.classification import open_counts, open_counts_on
    from app.core.units_as_of import ever_led_by
    from app.dev.generate import generate
    from app.models import Department, Task, TaskTransfer

    today = D(2026, 11, 27)
    generate(session, tasks=300, departments=5, years=2, today=today, seed=5)
    session.commit()
    rng = random.Random(3)
    units = session.scalars(select(Department.id).order_by(Department.id)).all()
    tasks = session.scalars(select(Task).order_by(Task.id)).all()
    start = today - dt.timedelta(days=700)

    def some_day():
        return start + dt.timedelta(days=rng.randrange(700))

    states = (
        TaskState.IN_PROGRESS, TaskState.OPEN, TaskState.AWAITING_CONFIRMATION, TaskState.DONE,
        TaskState.CANCELLED, TaskState.HANDED_OVER,
    )  # fmt: skip
    for task in rng.sample(tasks, 120):
        for _ in range(rng.randint(1, 4)):
            change = rng.random()
            if change < 0.45:
                change_state(session, task, rng.choice(states), effective_on=some_day())
            elif change < 0.75:
                deadline = None if rng.random() < 0.2 else some_day()
                change_deadline(session, task, deadline, effective_on=some_day())
            else:
                moved_to = rng.choice([u for u in units if u != task.lead_department_id])
                session.add(
                    TaskTransfer(
                        task_id=task.id,
                        effective_on=some_day(),
                        from_department_id=task.lead_department_id,
                        to_department_id=moved_to,
                    )
                )
                task.lead_department_id = moved_to
            session.flush()
    session.commit()
    days = sorted({*month_ends(today, 24), *(some_day() for _ in range(8)), today})
    for where in ([], [ever_led_by(units[0])]):
        together = open_counts_on(session, days, where)
        for day in days:
            alone = {k: v for k, v in open_counts(session, day, where).items() if v}
            assert {k: v for k, v in together[day].items() if v} == alone, day
        assert sum(together[today].values()) > 10


HEADER = (
    "Đơn vị,Tổng số,Đã hoàn thành,Hoàn thành đúng hạn,Hoàn thành quá hạn,"
    "Hoàn thành không có hạn,Chưa hoàn thành,Trong hạn,Quá hạn,Tỷ lệ hoàn thành (%),"
    "Tỷ lệ quá hạn (%),Đề xuất đánh giá,Đánh giá"
)
KEYS = ["total", "done", "done_on_time", "done_late", "done_no_deadline", "not_done",
        "in_time", "overdue", "completion_rate", "overdue_rate", "proposal", "grade"]  # fmt: skip
PAGE = "/thong-ke?period=custom&from=01/01/2024&to=31/12/2024&as_of=16/12/2024"


@pytest.fixture
def demo(session):
    from app.core.office_scope import use_office
    from app.dev.demo import city_office_id, seed_demo
    from conftest import FAST_HASH, PASSWORD

    with use_office(city_office_id()):  # the demo has several offices: the city's data
        users = seed_demo(session, D(2026, 11, 27), FAST_HASH)
        for user in users.values():
            user.set_password(PASSWORD, FAST_HASH)
        session.commit()
        yield users


def page_rows(html: str) -> dict[str, list[str]]:
    """The statistics table as the page shows it: unit -> the numbers, in CSV order."""
    import re

    rows = {}
    for name, body in re.findall(r'<tr[^>]*data-department="([^"]+)"[^>]*>(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'data-column="(\w+)">(.*?)</td>', body, re.S))
        rows[name] = [re.sub(r"<[^>]+>", "", cells[k]).strip() for k in KEYS]
    return rows


def test_cli_csv_matches_the_page_the_download_and_the_api(app, client, demo, tmp_path, session):
    import csv

    from app.models import ApiToken
    from conftest import login

    out = tmp_path / "stats.csv"
    args = ["report", "stats", "--from", "2024-01-01", "--to", "2024-12-31",
            "--as-of", "2024-12-16", "--format", "csv", "-o", str(out)]  # fmt: skip
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.splitlines()[0] == HEADER
    rows = list(csv.reader(text.splitlines()[1:]))
    assert rows[-1][0] == "Tổng cộng" and int(rows[-1][1]) == sum(int(r[1]) for r in rows[:-1])
    assert "Phòng Tài nguyên và Môi trường" in [r[0] for r in rows]

    login(client, demo["vanphong"])
    shown = page_rows(client.get(PAGE).get_data(as_text=True))
    assert {name: values for name, values in shown.items() if name != "total"} == {
        r[0]: r[1:] for r in rows[:-1]
    }
    assert shown["total"] == rows[-1][1:]
    download = client.get(PAGE.replace("/thong-ke?", "/thong-ke.csv?"))
    assert download.get_data(as_text=True) == text

    token, secret = ApiToken.issue(demo["vanphong"], "t")
    session.add(token)
    session.commit()
    body = client.get(
        "/api/v1/stats?from=2024-01-01&to=2024-12-31&as_of=2024-12-16",
        headers={"Authorization": f"Bearer {secret}"},
    ).get_json()
    from_api = {
        r["department"]["name"]: [
            str(r[k])
            if not k.endswith("rate")
            else percent_text(None if r[k] is None else Decimal(str(r[k])))
            for k in KEYS
        ]
        for r in body["rows"]
    }
    assert from_api == {r[0]: r[1:] for r in rows[:-1]}
    assert body["total"]["department"] is None and body["total"]["total"] == int(rows[-1][1])


def test_a_department_sees_its_row_and_the_totals_only(client, demo):
    from conftest import login

    login(client, demo["tnmt.truong"])
    html = client.get(PAGE).get_data(as_text=True)
    shown = page_rows(html)
    assert set(shown) == {"Phòng Tài nguyên và Môi trường", "total"}
    office = demo["vanphong"]
    assert int(shown["total"][0]) > int(shown["Phòng Tài nguyên và Môi trường"][0])
    # its own numbers link to its tasks; another unit's tasks are refused
    own = demo["tnmt.truong"].department_id
    base = PAGE.replace("/thong-ke?", "/thong-ke/nhiem-vu?")
    assert client.get(f"{base}&group=total&department={own}").status_code == 200
    other = next(u.department_id for u in demo.values() if u.department_id not in (None, own))
    assert client.get(f"{base}&group=total&department={other}").status_code == 403
    assert client.get(f"{base}&group=total").status_code == 403
    assert office.department_id is None


def test_each_number_links_to_exactly_its_tasks(client, demo):
    import re

    from conftest import login

    login(client, demo["vanphong"])
    html = client.get(PAGE).get_data(as_text=True)
    links = re.findall(r'href="(/thong-ke/nhiem-vu\?[^"]+)">(\d+)</a>', html)
    assert len(links) > 20
    for link, number in links[:40]:
        page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
        listed = re.findall(r'<tr data-task="(\d+)">', page)
        assert len(listed) == min(int(number), 100), link
        assert f": {number} " in page


def test_ranking_by_a_column(client, demo):
    import re

    from conftest import login

    login(client, demo["vanphong"])
    html = client.get(PAGE + "&sort=completion_rate&desc=1").get_data(as_text=True)
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    shares = [
        float(v.replace(",", "."))
        for v in re.findall(r'data-column="completion_rate">([\d,]+)</td>', body)
    ]
    assert len(shares) > 3 and shares == sorted(shares, reverse=True)
    assert 'aria-sort="descending"' in html


@pytest.mark.parametrize(
    "query",
    ["period=custom&from=31/12/2024&to=01/01/2024", "period=month&month=13", "period=decade",
     "period=year&year=99999", "period=custom&from=01/01/2024", "as_of=xx"],
)  # fmt: skip
def test_a_wrong_period_is_a_clear_400(client, demo, query):
    from conftest import login

    login(client, demo["vanphong"])
    response = client.get(f"/thong-ke?{query}")
    assert response.status_code == 400
    assert 'id="stats-error"' in response.get_data(as_text=True)
    assert client.get(f"/thong-ke.csv?{query}").status_code == 400


def test_trend_in_the_api_and_on_the_dashboard(app, client, demo, session):
    from app.models import ApiToken
    from conftest import login

    token, secret = ApiToken.issue(demo["vanphong"], "t")
    session.add(token)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    body = client.get("/api/v1/trend?to=2024-12-31", headers=headers).get_json()
    assert len(body["points"]) == 12 and body["points"][-1]["as_of"] == "2024-12-31"
    expected = build_trend(session, D(2024, 12, 31))
    assert [(p["late"], p["pending"]) for p in body["points"]] == [
        (p.late, p.pending) for p in expected.points
    ]
    assert client.get("/api/v1/trend?months=99", headers=headers).status_code == 400
    login(client, demo["vanphong"])
    fragment = client.get("/tong-quan/xu-huong?fragment=1").get_data(as_text=True)
    assert 'id="trend-table"' in fragment and "<html" not in fragment
    assert 'id="trend-table"' in client.get("/tong-quan/xu-huong").get_data(as_text=True)
    assert 'data-trend-src="/tong-quan/xu-huong?fragment=1"' in client.get("/").get_data(
        as_text=True
    )


def test_the_period_is_named_as_written(client, demo):
    from conftest import login

    login(client, demo["vanphong"])
    html = client.get("/thong-ke?period=quarter&year=2024&quarter=4").get_data(as_text=True)
    assert "Quý IV năm 2024." in html  # the roman numeral stays upper case
    assert "Tháng 12/2024." in client.get("/thong-ke?period=month&year=2024&month=12").get_data(
        as_text=True
    )
