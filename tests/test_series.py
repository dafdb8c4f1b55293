"""Recurring tasks: each period's task created once, when due, existing from its creation day;
stopping a series or cancelling one period leaves the others as they are."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.core.timeutil import local_today
from app.models import Task
from app.models.documents import TaskState
from app.recurring.series import create_due_tasks, create_series, stop_series, upcoming
from app.reports.summary import build_summary
from app.tasks import workflow

D = dt.date


@pytest.fixture
def monthly(session, factory, world):
    document = factory.document(D(2025, 1, 10))
    series = create_series(
        session, document, content="Báo cáo tình hình thu ngân sách tháng",
        lead=world.tnmt, cooperators=[world.qldt], phrase="hằng tháng, trước ngày 20",
        starts_on=D(2025, 1, 10),
    )  # fmt: skip
    session.commit()
    return series


def periods(session, series) -> list[tuple[str, dt.date]]:
    return [
        (t.period, t.deadline)
        for t in session.scalars(select(Task).where(Task.series_id == series.id).order_by(Task.id))
    ]


def test_each_period_is_created_when_it_begins_exactly_once(session, monthly):
    assert create_due_tasks(session, D(2025, 1, 31)) == 1
    assert periods(session, monthly) == [("2025-01", D(2025, 1, 20))]
    assert create_due_tasks(session, D(2025, 1, 31)) == 0  # run again: nothing new
    assert create_due_tasks(session, D(2025, 3, 1)) == 2
    assert periods(session, monthly)[1:] == [
        ("2025-02", D(2025, 2, 20)),
        ("2025-03", D(2025, 3, 20)),
    ]
    task = session.scalar(select(Task).where(Task.period == "2025-02"))
    assert [d.name for d in task.cooperating_departments] == ["Phòng Quản lý đô thị thành phố"]


def test_a_period_exists_for_reports_from_the_day_it_was_created(session, monthly, world):
    before = build_summary(session, D(2025, 2, 25))
    created = create_due_tasks(session, D(2025, 2, 26))  # January's and February's, late
    assert created == 2
    after = build_summary(session, D(2025, 2, 25))
    assert (after.late_total, after.pending_total) == (before.late_total, before.pending_total)
    later = build_summary(session, D(2025, 2, 26))
    assert later.late_total == before.late_total + 2  # both past their deadline that day


def test_a_second_scheduler_meets_the_unique_key(session, monthly, monkeypatch):
    """A second scheduler that has not seen the first one's task tries to insert it again:
    the unique key refuses the copy and nothing else breaks."""
    from app.recurring import series as series_module

    assert create_due_tasks(session, D(2025, 1, 15)) == 1  # the first scheduler
    monkeypatch.setattr(series_module, "series_tasks_of", lambda series: [])  # a stale view
    assert create_due_tasks(session, D(2025, 1, 15)) == 0
    count = session.scalar(select(func.count(Task.id)).where(Task.series_id == monthly.id))
    assert count == 1


def test_stopping_a_series_and_cancelling_a_period(session, monthly, world):
    create_due_tasks(session, D(2025, 2, 5))
    january = session.scalar(select(Task).where(Task.period == "2025-01"))
    workflow.cancel_task(session, january, world.office, "Không còn phù hợp", D(2025, 2, 5))
    session.commit()
    february = session.scalar(select(Task).where(Task.period == "2025-02"))
    assert february.state == TaskState.OPEN  # the other periods are untouched
    stop_series(session, monthly, D(2025, 2, 6))
    session.commit()
    assert create_due_tasks(session, D(2025, 6, 1)) == 0
    assert len(periods(session, monthly)) == 2
    from app.core.deadlines import WorkCalendar

    assert upcoming(monthly, D(2025, 6, 1), 3, WorkCalendar()) == []


def test_limits_and_lead_time(session, factory, world):
    document = factory.document(D(2025, 1, 2))
    quarterly = create_series(
        session, document, content="Báo cáo quý", lead=world.qldt,
        phrase="hằng quý, trước ngày 15 của tháng cuối quý", starts_on=D(2025, 1, 2),
        max_count=2, lead_working_days=45,
    )  # fmt: skip
    session.commit()
    # 45 working days before 17/3/2025 is before the quarter began: created on 2/1 already
    assert create_due_tasks(session, D(2025, 1, 2)) == 1
    assert create_due_tasks(session, D(2026, 1, 1)) == 1  # then the limit of two
    assert [p for p, _ in periods(session, quarterly)] == ["2025-Q1", "2025-Q2"]


def test_today_the_demo_has_two_series_with_their_periods(session):
    """Today's recurring duties are the province's; the city office's stopped when it ended
    on 01/07/2025, with the periods it had created by then."""
    from app.core.office_scope import all_offices, use_office
    from app.dev.demo import PROVINCE_CODE, REFORM_DATE, city_office_id, seed_demo
    from app.models import Office, Series

    seed_demo(session, local_today(), "pbkdf2:sha256:1000")
    session.commit()
    with all_offices():
        province = session.scalar(select(Office).where(Office.code == PROVINCE_CODE))
    with use_office(province.id):
        series = session.scalars(select(Series)).all()
        assert len(series) == 2 and {s.phrase for s in series} >= {"hằng tháng, trước ngày 20"}
        for one in series:
            assert one.active and periods(session, one), one.phrase
    with use_office(city_office_id()):
        series = session.scalars(select(Series)).all()
        assert len(series) == 2
        for one in series:
            assert (one.active, one.stopped_on) == (False, REFORM_DATE), one.phrase
            made = periods(session, one)
            assert made and all(period.startswith("2025-") for period, _ in made), made
            assert not {"2025-07", "2025-Q3"} & {period for period, _ in made}, made


def test_the_document_form_creates_a_recurring_duty(client, session, world):
    from app.models import Document, Series
    from conftest import login

    login(client, world.office)
    today = local_today()
    form = {
        "number": "77/KH-UBND", "issuer": world.tnmt_task.document.issuer_id,
        "issued_on": f"{today:%d/%m/%Y}", "kind": "Kế hoạch",
        "tasks-0-content": "Báo cáo tiến độ giải ngân vốn đầu tư công",
        "tasks-0-lead": world.qldt.id, "tasks-0-deadline_kind": "date",
        "tasks-0-recurrence": "hằng tháng, trước ngày 31",
        "tasks-0-recurrence_count": "12", "tasks-0-recurrence_lead": "3",
    }  # fmt: skip
    bad = client.post("/van-ban/moi", data={**form, "tasks-0-recurrence": "thỉnh thoảng"})
    assert bad.status_code == 400 and "Không hiểu định kỳ “thỉnh thoảng”" in bad.get_data(
        as_text=True
    )
    saved = client.post("/van-ban/moi", data=form)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    document = session.scalar(select(Document).where(Document.number == "77/KH-UBND"))
    series = session.scalar(select(Series).where(Series.document_id == document.id))
    assert (
        series.phrase == "hằng tháng, trước ngày 31" and series.lead_department_id == world.qldt.id
    )
    tasks = periods(session, series)
    assert [p for p, _ in tasks] == [f"{today:%Y-%m}"]  # this month's period at once
    task = session.scalar(select(Task).where(Task.series_id == series.id))
    page = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    assert 'id="task-series"' in page and "Các kỳ tới" in page
    edit = client.get(f"/van-ban/{document.id}").get_data(as_text=True)
    assert f'data-series="{series.id}"' in edit
    stop = client.post(f"/dinh-ky/{series.id}/dung")
    assert stop.status_code == 302
    session.refresh(series)
    assert not series.active and series.stopped_on == today
    assert len(periods(session, series)) == 1  # the period already made stays


def test_the_live_preview_of_a_phrase(client, world):
    from conftest import login

    login(client, world.office)
    good = client.get("/dinh-ky/xem-truoc", query_string={"phrase": "thứ Sáu hằng tuần"})
    body = good.get_json()
    assert good.status_code == 200 and len(body["deadlines"]) == 4
    days = [dt.date.fromisoformat(d) for d in body["deadlines"]]
    assert days == sorted(days) and days[0] >= local_today()
    assert sum(d.weekday() == 4 for d in days) >= 3  # Fridays, but for a holiday moved on
    assert body["rule"] == "hằng tuần, thứ Sáu"
    bad = client.get("/dinh-ky/xem-truoc", query_string={"phrase": "x" * 300})
    assert bad.status_code == 400 and "Không hiểu định kỳ" in bad.get_json()["error"]


def test_calendar_feeds_show_the_upcoming_periods(client, session, world):
    from icalendar import Calendar

    from conftest import login

    document = world.tnmt_task.document
    series = create_series(
        session, document, content="Báo cáo tuần về an toàn giao thông", lead=world.tnmt,
        phrase="thứ Sáu hằng tuần", starts_on=local_today(),
    )  # fmt: skip
    session.commit()
    login(client, world.tnmt_head)
    client.post(
        "/tai-khoan", data={"action": "department-calendar", "department_id": world.tnmt.id}
    )
    session.refresh(world.tnmt)
    events = Calendar.from_ical(client.get(f"/lich/{world.tnmt.calendar_token}.ics").data)
    uids = [str(e["uid"]) for e in events.walk("VEVENT")]
    upcoming_uids = [u for u in uids if u.startswith(f"series-{series.id}-")]
    assert len(upcoming_uids) == 3  # the next three Fridays, not created yet
    summaries = [str(e["summary"]) for e in events.walk("VEVENT")]
    assert any(s.startswith("[Hạn, định kỳ] Báo cáo tuần") for s in summaries)


def test_the_import_reads_the_dinh_ky_column(session, world):
    """A row with "Định kỳ" becomes a recurring duty; a phrase it cannot read is a located
    error; importing the same file again adds nothing."""
    import io

    from openpyxl import Workbook

    from app.importing import ImportFailed, import_tasks
    from app.importing.columns import TASK_COLUMNS
    from app.models import Series

    def sheet(phrase: str) -> io.BytesIO:
        wb = Workbook()
        ws = wb.active
        ws.title = "Nhiệm vụ"
        ws.append(list(TASK_COLUMNS.values()))
        ws.append([None, "9/KH-UBND", "02/01/2025", "UBND thành phố Lạng Sơn", "Kế hoạch", "",
                   "Báo cáo tiến độ giải phóng mặt bằng", world.tnmt.name, "", None,
                   "Chưa thực hiện", None, "", phrase])  # fmt: skip
        out = io.BytesIO()
        wb.save(out)
        out.seek(0)
        return out

    with pytest.raises(ImportFailed) as failure:
        import_tasks(session, sheet("mỗi khi cần"), "bang.xlsx", today=D(2025, 1, 2))
    assert "dòng 2" in str(failure.value) and "cột “Định kỳ”" in str(failure.value)
    session.rollback()
    result = import_tasks(session, sheet("hằng quý, trước ngày 15 của tháng cuối quý"),
                          "bang.xlsx", today=D(2025, 1, 2))  # fmt: skip
    session.commit()
    assert result.created_series == 1 and result.created_tasks == 0
    series = session.scalar(select(Series))
    assert series.phrase.startswith("hằng quý") and series.starts_on == D(2025, 1, 2)
    again = import_tasks(session, sheet("hằng quý, trước ngày 15 của tháng cuối quý"),
                         "bang.xlsx", today=D(2025, 1, 3))  # fmt: skip
    session.commit()
    assert again.created_series == 0 and session.scalar(select(func.count(Series.id))) == 1
    assert create_due_tasks(session, D(2025, 1, 3)) == 1  # the scheduler makes Q1's task


def test_two_schedulers_and_a_kill_create_each_period_once(session, factory, world, database_url):
    """Two scheduler processes at once, then one killed mid-run and restarted: every period's
    task exists exactly once."""
    import signal

    from test_reminders import _flask

    document = factory.document(local_today() - dt.timedelta(days=400))
    series = create_series(
        session, document, content="Báo cáo tuần", lead=world.tnmt,
        phrase="thứ Sáu hằng tuần", starts_on=local_today() - dt.timedelta(days=300),
    )  # fmt: skip
    session.commit()
    now = dt.datetime.combine(local_today(), dt.time(6, 0)).isoformat()
    killed = _flask(["reminders", "send-due", "--now", now], database_url, 1)
    import time

    time.sleep(1.0)
    killed.send_signal(signal.SIGKILL)  # somewhere in the middle (or already done)
    killed.communicate(timeout=30)
    racers = [_flask(["reminders", "send-due", "--now", now], database_url, 1) for _ in range(2)]
    outputs = [p.communicate(timeout=180)[0] for p in racers]
    assert all(p.returncode == 0 for p in racers), outputs
    session.expire_all()
    made = [p for p, _ in periods(session, series)]
    assert len(made) == len(set(made)) >= 40  # about 43 weeks, each once


def test_changing_a_series_affects_only_the_periods_not_created(client, session, monthly, world):
    from conftest import login

    create_due_tasks(session, D(2025, 1, 31))
    login(client, world.office)
    refused = client.post(f"/dinh-ky/{monthly.id}/sua", data={"phrase": "mỗi khi cần"},
                          follow_redirects=True)  # fmt: skip
    assert "Không hiểu định kỳ “mỗi khi cần”" in refused.get_data(as_text=True)
    client.post(
        f"/dinh-ky/{monthly.id}/sua",
        data={"phrase": "hằng tháng, trước ngày 10", "content": "Báo cáo thu ngân sách (mới)"},
    )
    create_due_tasks(session, D(2025, 2, 5))
    made = session.scalars(select(Task).where(Task.series_id == monthly.id).order_by(Task.id))
    assert [(t.period, t.deadline, t.content) for t in made] == [
        ("2025-01", D(2025, 1, 20), "Báo cáo tình hình thu ngân sách tháng"),
        ("2025-02", D(2025, 2, 10), "Báo cáo thu ngân sách (mới)"),
    ]


def test_the_series_form_posted_back_unchanged_changes_nothing(client, session, monthly, world):
    from browser_form import form_data
    from conftest import login

    login(client, world.office)
    page = client.get(f"/van-ban/{monthly.document_id}").get_data(as_text=True)
    before = (monthly.phrase, dict(monthly.rule), monthly.content, monthly.active)
    url = f"/dinh-ky/{monthly.id}/sua"
    assert client.post(url, data=form_data(page, url)).status_code == 302
    session.refresh(monthly)
    assert (monthly.phrase, dict(monthly.rule), monthly.content, monthly.active) == before
