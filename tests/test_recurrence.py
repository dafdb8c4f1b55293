"""Recurring duties: phrases read as documents write them (or refused, naming the phrase), and
their deadlines on the working-day calendar (Tết, National Day, month ends)."""

from __future__ import annotations

import datetime as dt

import pytest

from app.core.deadlines import WorkCalendar
from app.recurring.recurrence import (
    HALF_YEARLY,
    MONTHLY,
    QUARTERLY,
    WEEKLY,
    WORKING_DAYS,
    YEARLY,
    PhraseError,
    Rule,
    occurrences,
    parse_phrase,
)

D = dt.date
READ = [
    ("hằng tháng, trước ngày 20", Rule(MONTHLY, day=20)),
    ("hàng tháng trước ngày 20", Rule(MONTHLY, day=20)),
    ("định kỳ hằng tháng báo cáo UBND thành phố trước ngày 20", Rule(MONTHLY, day=20)),
    ("Hằng tháng, chậm nhất ngày 25", Rule(MONTHLY, day=25)),
    ("trước ngày 5 hằng tháng", Rule(MONTHLY, day=5)),
    ("ngày 15 hàng tháng", Rule(MONTHLY, day=15)),
    ("mỗi tháng trước ngày 10", Rule(MONTHLY, day=10)),
    ("hằng tháng vào ngày cuối tháng", Rule(MONTHLY, day=31)),
    ("hằng tháng, trước ngày 31", Rule(MONTHLY, day=31)),
    ("hằng quý, trước ngày 15 của tháng cuối quý", Rule(QUARTERLY, day=15, month_in_quarter=3)),
    ("hằng quý trước ngày 15 tháng đầu quý", Rule(QUARTERLY, day=15, month_in_quarter=1)),
    ("hàng quý, trước ngày 10 tháng thứ hai của quý", Rule(QUARTERLY, day=10, month_in_quarter=2)),
    ("định kỳ hằng quý trước ngày 20", Rule(QUARTERLY, day=20, month_in_quarter=3)),
    ("mỗi quý, chậm nhất ngày 18 tháng cuối quý", Rule(QUARTERLY, day=18, month_in_quarter=3)),
    ("6 tháng, trước ngày 15/6 và 15/12", Rule(HALF_YEARLY, dates=((15, 6), (15, 12)))),
    ("định kỳ 6 tháng trước ngày 15/6 và ngày 15/12", Rule(HALF_YEARLY, dates=((15, 6), (15, 12)))),
    ("sáu tháng một lần: trước 20/6 và 20/12", Rule(HALF_YEARLY, dates=((20, 6), (20, 12)))),
    ("hằng năm 2 lần, trước ngày 30/6 và 31/12", Rule(HALF_YEARLY, dates=((30, 6), (31, 12)))),
    ("hằng năm trước ngày 15/12", Rule(YEARLY, dates=((15, 12),))),
    ("hàng năm, chậm nhất ngày 31/12", Rule(YEARLY, dates=((31, 12),))),
    ("mỗi năm trước ngày 20/1", Rule(YEARLY, dates=((20, 1),))),
    ("hằng tuần vào thứ Sáu", Rule(WEEKLY, weekday=4)),
    ("thứ Sáu hằng tuần", Rule(WEEKLY, weekday=4)),
    ("hàng tuần, thứ Hai", Rule(WEEKLY, weekday=0)),
    ("thứ 6 hằng tuần", Rule(WEEKLY, weekday=4)),
    ("mỗi tuần vào thứ Năm", Rule(WEEKLY, weekday=3)),
    ("hằng tuần vào Chủ nhật", Rule(WEEKLY, weekday=6)),
    ("trong 5 ngày làm việc đầu mỗi tháng", Rule(WORKING_DAYS, days=5, period="month")),
    ("5 ngày làm việc kể từ đầu mỗi quý", Rule(WORKING_DAYS, days=5, period="quarter")),
    ("trong 3 ngày làm việc đầu tiên của tháng", Rule(WORKING_DAYS, days=3, period="month")),
    ("10 ngày làm việc đầu mỗi năm", Rule(WORKING_DAYS, days=10, period="year")),
]
REFUSED = [
    "thỉnh thoảng",
    "hằng tháng",
    "hằng tuần",
    "ngày 35 hằng tháng",
    "hằng quý trước ngày 40",
    "6 tháng trước ngày 15/6",
    "6 tháng, trước ngày 15/12 và 15/6",
    "hằng năm trước ngày 31/2",
    "hằng năm",
    "",
    "mỗi khi có yêu cầu",
    "trong 90 ngày làm việc đầu mỗi năm",
]


@pytest.mark.parametrize(("phrase", "rule"), READ, ids=[p for p, _ in READ])
def test_a_phrase_as_documents_write_it(phrase, rule):
    assert parse_phrase(phrase) == rule


@pytest.mark.parametrize("phrase", REFUSED)
def test_a_phrase_it_cannot_read_is_refused_naming_it(phrase):
    with pytest.raises(PhraseError) as refused:
        parse_phrase(phrase)
    assert (phrase in str(refused.value)) or not phrase


def deadlines(phrase: str, start: dt.date, count: int) -> list[dt.date]:
    return [o.deadline for o in occurrences(parse_phrase(phrase), start, count, WorkCalendar())]


def test_month_ends_and_days_off():
    # day 31: the month's last day; a Saturday or Sunday moves to the Monday
    assert deadlines("hằng tháng, trước ngày 31", D(2025, 1, 1), 6) == [
        D(2025, 2, 3),  # 31/1/2025 is in the Tết holiday (25/1–2/2)
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 5, 5),  # 30/4 and 1/5, 2/5 off, then a weekend
        D(2025, 6, 2),  # 31/5 is a Saturday
        D(2025, 6, 30),
    ]
    assert deadlines("hằng tháng, trước ngày 29", D(2024, 2, 1), 1) == [D(2024, 2, 29)]


def test_tet_2026_and_national_day():
    # Tết Bính Ngọ: 14/2–22/2/2026 off
    assert deadlines("hằng tháng, ngày 15", D(2026, 2, 1), 1) == [D(2026, 2, 23)]
    # National Day 2025: 1/9 and 2/9 off
    assert deadlines("ngày 1 hàng tháng", D(2025, 9, 1), 1) == [D(2025, 9, 3)]
    assert deadlines("hằng năm trước ngày 2/9", D(2026, 1, 1), 1)[0] > D(2026, 9, 2)


def test_quarters_halves_years_weeks():
    assert deadlines("hằng quý, trước ngày 15 của tháng cuối quý", D(2025, 1, 1), 4) == [
        D(2025, 3, 17),  # 15/3/2025 is a Saturday
        D(2025, 6, 16),
        D(2025, 9, 15),
        D(2025, 12, 15),
    ]
    assert deadlines("6 tháng, trước ngày 15/6 và 15/12", D(2025, 7, 1), 2) == [
        D(2025, 12, 15),
        D(2026, 6, 15),
    ]
    assert deadlines("hằng năm trước ngày 15/12", D(2025, 12, 16), 1) == [D(2026, 12, 15)]
    fridays = deadlines("thứ Sáu hằng tuần", D(2025, 1, 20), 3)
    assert fridays == [D(2025, 1, 24), D(2025, 2, 3), D(2025, 2, 7)]  # 31/1: Tết


def test_working_days_after_the_start_of_each_period():
    # the 15th working day of February 2026: ten before Tết (14–22/2), five after it
    assert deadlines("trong 15 ngày làm việc đầu mỗi tháng", D(2026, 2, 1), 1) == [D(2026, 2, 27)]
    assert deadlines("trong 5 ngày làm việc đầu mỗi tháng", D(2026, 2, 1), 1) == [D(2026, 2, 6)]
    # 1/1 (New Year) and 7/4/2025 (Hùng Kings) are days off
    assert deadlines("5 ngày làm việc kể từ đầu mỗi quý", D(2025, 1, 1), 2) == [
        D(2025, 1, 8), D(2025, 4, 8)
    ]  # fmt: skip


def test_the_command_line_previews_a_phrase(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["series", "preview", "hằng quý, trước ngày 15 của tháng cuối quý",
              "--from", "2025-01-01", "--count", "6"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.split() == [
        "17/03/2025", "16/06/2025", "15/09/2025", "15/12/2025", "16/03/2026", "15/06/2026"
    ]  # fmt: skip
    refused = runner.invoke(args=["series", "preview", "thỉnh thoảng"])
    assert refused.exit_code != 0 and "thỉnh thoảng" in refused.output
