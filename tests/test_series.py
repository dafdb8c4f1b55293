"""Recurring tasks: each period's task created once, when due, existing from its creation day;
stopping a series or cancelling one period leaves the others as they are."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from app.models import Task
from app.models.documents import TaskState
from app.reports.summary import build_summary
from app.series import create_due_tasks, create_series, stop_series, upcoming
from app.tasks import workflow
from app.timeutil import local_today

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
    from app import series as series_module

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
    from app.deadlines import WorkCalendar

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
    from app.demo import seed_demo
    from app.models import Series

    seed_demo(session, local_today(), "pbkdf2:sha256:1000")
    session.commit()
    series = session.scalars(select(Series)).all()
    assert len(series) == 2 and {s.phrase for s in series} >= {"hằng tháng, trước ngày 20"}
    for one in series:
        assert periods(session, one), one.phrase
