"""Working days and deadlines (Civil Code 2015, Art. 147–148).

A working day is a weekday that is not one of Vietnam's public holidays (Tết by the
lunar calendar included, from the ``holidays`` package, which also knows the
government's announced swaps), corrected by the ``calendar_days`` table that an admin
keeps for the swaps announced each year.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import CalendarDay
from app.models.documents import DeadlineKind

ONE_DAY = dt.timedelta(days=1)
MAX_WORKING_DAYS = 365  # a deadline given as working days: at most about a year and a half
# Far more than any real run of days off (Tết with its weekends is nine days).
_MAX_DAYS_OFF_IN_A_ROW = 60


class WorkCalendar:
    def __init__(self, overrides: Mapping[dt.date, bool] | None = None) -> None:
        self._overrides = dict(overrides or {})
        self._holidays = holidays.Vietnam()

    def is_working_day(self, day: dt.date) -> bool:
        if day in self._overrides:
            return self._overrides[day]
        return self._holidays.is_working_day(day)

    def public_holidays(self, year: int) -> list[tuple[dt.date, str]]:
        """The public holidays (and announced days off) the package knows for ``year``."""
        return sorted(holidays.Vietnam(years=year).items())

    def next_working_day(self, day: dt.date) -> dt.date:
        """``day`` itself when it is a working day, else the first working day after it."""
        for _ in range(_MAX_DAYS_OFF_IN_A_ROW):
            if self.is_working_day(day):
                return day
            day += ONE_DAY
        raise ValueError(f"no working day within {_MAX_DAYS_OFF_IN_A_ROW} days of {day}")

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start``, counting from the day after (Art. 147)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        day = start
        for _ in range(count):
            day = self.next_working_day(day + ONE_DAY)
        return day


def load_calendar(session: Session) -> WorkCalendar:
    rows = session.execute(select(CalendarDay.day, CalendarDay.is_working_day)).all()
    return WorkCalendar({day: working for day, working in rows})


def resolve_deadline(
    calendar: WorkCalendar,
    kind: str,
    issued_on: dt.date,
    on: dt.date | None = None,
    working_days: int | None = None,
) -> dt.date | None:
    """The effective deadline of a task: a date moved off days off, none, or N working days."""
    if kind == DeadlineKind.NONE:
        return None
    if kind == DeadlineKind.WORKING_DAYS:
        if not working_days:
            raise ValueError("working_days is required")
        return calendar.add_working_days(issued_on, working_days)
    if on is None:
        raise ValueError("a date deadline needs a date")
    return calendar.next_working_day(on)


WEEKDAYS = (
    N_("Thứ Hai"),
    N_("Thứ Ba"),
    N_("Thứ Tư"),
    N_("Thứ Năm"),
    N_("Thứ Sáu"),
    N_("Thứ Bảy"),
    N_("Chủ nhật"),
)
MOVED = N_("%(day)s, %(weekday)s → tính đến %(deadline)s")
MOVED_OFF_A_HOLIDAY = N_("%(day)s, %(weekday)s, ngày nghỉ → tính đến %(deadline)s")


def written_if_moved(on: dt.date | None, deadline: dt.date | None) -> dt.date | None:
    """The date a document wrote, kept beside the deadline when the deadline is the working
    day after it (``Task.deadline_written``); None when it was a working day already."""
    if on is None or deadline is None or on == deadline:
        return None
    return on


def moved_text(written: dt.date, deadline: dt.date, translate=lambda text: text) -> str:
    """The day written, what day it is, and the working day counted: "20/12/2026, Chủ nhật →
    tính đến 21/12/2026". A weekday is named a day off too (a public holiday). ``translate``
    turns the Vietnamese words into the page's language (reports stay in Vietnamese)."""
    template = MOVED if written.weekday() >= 5 else MOVED_OFF_A_HOLIDAY
    return translate(template) % {
        "day": written.strftime("%d/%m/%Y"),
        "weekday": translate(WEEKDAYS[written.weekday()]),
        "deadline": deadline.strftime("%d/%m/%Y"),
    }
