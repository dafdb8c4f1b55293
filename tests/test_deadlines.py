"""Working days on real Vietnamese holiday dates (Tết 2025, Tết 2026, National Day)."""

import datetime as dt

import pytest

from app.core.deadlines import WorkCalendar, load_calendar, resolve_deadline
from app.models import CalendarDay

D = dt.date


@pytest.fixture
def cal() -> WorkCalendar:
    return WorkCalendar()


def test_counting_starts_the_day_after_issue(cal):
    # Monday 2/12/2024 + 1 working day is Tuesday, not Monday itself (Art. 147).
    assert cal.add_working_days(D(2024, 12, 2), 1) == D(2024, 12, 3)
    # Friday + 1 skips the weekend.
    assert cal.add_working_days(D(2024, 12, 6), 1) == D(2024, 12, 9)


def test_tet_2025_is_skipped(cal):
    # Tết Ất Tỵ: 27/1–31/1/2025 off, then the weekend of 1–2/2.
    for day in (D(2025, 1, 27), D(2025, 1, 29), D(2025, 1, 31)):
        assert not cal.is_working_day(day)
    assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)
    assert cal.add_working_days(D(2025, 1, 22), 5) == D(2025, 2, 5)


def test_tet_2026_is_skipped(cal):
    # Tết Bính Ngọ: 16/2–20/2/2026 off, mùng 1 on Tuesday 17/2.
    assert not cal.is_working_day(D(2026, 2, 17))
    assert cal.add_working_days(D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert cal.add_working_days(D(2026, 2, 12), 3) == D(2026, 2, 24)


def test_deadline_on_a_day_off_moves_to_next_working_day(cal):
    # Art. 148: a deadline on mùng 1 Tết 2026 falls due the Monday after Tết.
    assert cal.next_working_day(D(2026, 2, 17)) == D(2026, 2, 23)
    assert cal.next_working_day(D(2026, 2, 23)) == D(2026, 2, 23)
    # Saturday 30/8/2025 before the two National Day holidays 1–2/9/2025.
    assert cal.next_working_day(D(2025, 8, 30)) == D(2025, 9, 3)


def test_national_day(cal):
    assert not cal.is_working_day(D(2024, 9, 2)) and not cal.is_working_day(D(2024, 9, 3))
    assert cal.add_working_days(D(2024, 8, 30), 1) == D(2024, 9, 4)
    assert not cal.is_working_day(D(2025, 9, 1)) and not cal.is_working_day(D(2025, 9, 2))
    assert cal.add_working_days(D(2025, 8, 29), 1) == D(2025, 9, 3)


def test_announced_swap_of_2025(cal):
    # 2/5/2025 (Friday) off, made up on Saturday 26/4/2025.
    assert not cal.is_working_day(D(2025, 5, 2))
    assert cal.is_working_day(D(2025, 4, 26))
    assert cal.add_working_days(D(2025, 4, 25), 1) == D(2025, 4, 26)
    assert cal.add_working_days(D(2025, 4, 29), 1) == D(2025, 5, 5)


def test_table_overrides_the_package(cal, session):
    session.add_all(
        [
            CalendarDay(day=D(2025, 2, 3), is_working_day=False, note="nghỉ bù"),
            CalendarDay(day=D(2025, 2, 8), is_working_day=True, note="làm bù"),
        ]
    )
    session.flush()
    calendar = load_calendar(session)
    assert calendar.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 4)
    assert calendar.is_working_day(D(2025, 2, 8))
    assert calendar.add_working_days(D(2025, 2, 7), 1) == D(2025, 2, 8)
    # The package alone still gives the ordinary answer.
    assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)


def test_resolve_deadline_kinds(cal):
    assert resolve_deadline(cal, "none", D(2025, 1, 2)) is None
    assert resolve_deadline(cal, "working_days", D(2026, 2, 13), working_days=2) == D(2026, 2, 24)
    assert resolve_deadline(cal, "date", D(2026, 2, 1), on=D(2026, 2, 21)) == D(2026, 2, 23)
    with pytest.raises(ValueError):
        resolve_deadline(cal, "working_days", D(2026, 2, 13))
