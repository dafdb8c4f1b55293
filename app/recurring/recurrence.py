"""Recurring duties as documents write them: the rule, its deadlines, and the phrase reader.

"định kỳ hằng tháng báo cáo trước ngày 20", "hằng quý, trước ngày 15 của tháng cuối quý",
"6 tháng, trước ngày 15/6 và 15/12", "hằng năm trước ngày 15/12", "thứ Sáu hằng tuần",
"trong 5 ngày làm việc đầu mỗi tháng". A rule gives one deadline per period: a day that falls
on a day off moves to the next working day (the rule of every other deadline); a day 29–31 in a
shorter month is the month's last day. A phrase the reader cannot read is refused, naming it,
never guessed.

This module is the ground for recurring tasks (issue #15): the series table, the instances the
scheduler creates and the screens come next.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from app.core.deadlines import WorkCalendar
from app.core.textnorm import fold_same_length

WEEKLY, MONTHLY, QUARTERLY, HALF_YEARLY, YEARLY, WORKING_DAYS = (
    "weekly", "monthly", "quarterly", "half_yearly", "yearly", "working_days"
)  # fmt: skip
PERIODS = ("week", "month", "quarter", "year")
WEEKDAYS = {"hai": 0, "2": 0, "ba": 1, "3": 1, "tu": 2, "4": 2, "nam": 3, "5": 3, "sau": 4,
            "6": 4, "bay": 5, "7": 5}  # fmt: skip
WEEKDAY_NAMES = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
MAX_WORKING_DAYS_IN_PERIOD = 60


class PhraseError(ValueError):
    """A phrase that is not a rule this product reads; the message names it."""


@dataclass(frozen=True)
class Rule:
    kind: str
    weekday: int | None = None  # weekly: 0 Monday … 6 Sunday
    day: int | None = None  # monthly, quarterly: the day of the month
    month_in_quarter: int = 3  # quarterly: 1 first, 2 second, 3 last month of the quarter
    dates: tuple[tuple[int, int], ...] = ()  # half-yearly (two), yearly (one): (day, month)
    days: int | None = None  # working_days: N working days after the period starts
    period: str = "month"  # working_days: week, month, quarter or year

    def describe(self) -> str:
        if self.kind == WEEKLY:
            return f"hằng tuần, {WEEKDAY_NAMES[self.weekday]}"
        if self.kind == MONTHLY:
            return f"hằng tháng, ngày {self.day}"
        if self.kind == QUARTERLY:
            which = {1: "tháng đầu", 2: "tháng thứ hai", 3: "tháng cuối"}[self.month_in_quarter]
            return f"hằng quý, ngày {self.day} {which} quý"
        if self.kind in (HALF_YEARLY, YEARLY):
            days = " và ".join(f"{d}/{m}" for d, m in self.dates)
            return f"{'6 tháng' if self.kind == HALF_YEARLY else 'hằng năm'}, ngày {days}"
        names = {"week": "tuần", "month": "tháng", "quarter": "quý", "year": "năm"}
        return f"{self.days} ngày làm việc đầu mỗi {names[self.period]}"


@dataclass(frozen=True)
class Occurrence:
    period: str  # "2025-W03", "2025-01", "2025-Q1", "2025-H1", "2025"
    starts_on: dt.date  # the first day of the period
    deadline: dt.date


def _day_in_month(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _periods(rule: Rule, start: dt.date):
    """(key, first day, nominal deadline) of each period, from the one containing ``start``."""
    if rule.kind == WEEKLY or (rule.kind == WORKING_DAYS and rule.period == "week"):
        monday = start - dt.timedelta(days=start.weekday())
        while True:
            year, week, _ = monday.isocalendar()
            nominal = monday + dt.timedelta(days=rule.weekday or 0)
            yield f"{year}-W{week:02d}", monday, nominal
            monday += dt.timedelta(days=7)
    if rule.kind in (MONTHLY,) or (rule.kind == WORKING_DAYS and rule.period == "month"):
        year, month = start.year, start.month
        while True:
            first = dt.date(year, month, 1)
            yield f"{year}-{month:02d}", first, _day_in_month(year, month, rule.day or 1)
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if rule.kind == QUARTERLY or (rule.kind == WORKING_DAYS and rule.period == "quarter"):
        year, quarter = start.year, (start.month - 1) // 3 + 1
        while True:
            first = dt.date(year, 3 * quarter - 2, 1)
            month = 3 * quarter - 3 + rule.month_in_quarter
            yield f"{year}-Q{quarter}", first, _day_in_month(year, month, rule.day or 1)
            year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    if rule.kind == HALF_YEARLY:
        year, half = start.year, 1 if start.month <= 6 else 2
        while True:
            day, month = rule.dates[half - 1]
            first = dt.date(year, 1 if half == 1 else 7, 1)
            yield f"{year}-H{half}", first, _day_in_month(year, month, day)
            year, half = (year + 1, 1) if half == 2 else (year, 2)
    if rule.kind == YEARLY or (rule.kind == WORKING_DAYS and rule.period == "year"):
        year = start.year
        while True:
            day, month = rule.dates[0] if rule.dates else (1, 1)
            yield str(year), dt.date(year, 1, 1), _day_in_month(year, month, day)
            year += 1


def occurrences(
    rule: Rule, start: dt.date, count: int, work: WorkCalendar, until: dt.date | None = None
) -> list[Occurrence]:
    """The next ``count`` deadlines on or after ``start`` (and not after ``until``)."""
    out: list[Occurrence] = []
    for key, first, nominal in _periods(rule, start):
        if rule.kind == WORKING_DAYS:
            deadline = work.add_working_days(first - dt.timedelta(days=1), rule.days)
        else:
            deadline = work.next_working_day(nominal)
        if until is not None and nominal > until:
            break
        if deadline >= start:
            out.append(Occurrence(key, first, deadline))
        if len(out) >= count or first.year > start.year + 100:
            break
    return out


# --- the phrase reader --------------------------------------------------------------------

_DAY = r"(?:ngay|truoc|cham nhat|han chot)\s+(?:ngay\s+)?(\d{1,2})"
_DATE = r"(\d{1,2})\s*/\s*(\d{1,2})"
EVERY = {
    "week": r"(?:hang|moi)\s+tuan",
    "month": r"(?:hang|moi)\s+thang",
    "quarter": r"(?:hang|moi)\s+quy|quy\s*(?:mot lan|1 lan)",
    "half": r"(?:6|sau)\s+thang(?:\s+(?:mot lan|1 lan|dau nam va cuoi nam))?|nua nam"
    r"|hang nam 2 lan",
    "year": r"(?:hang|moi)\s+nam|nam mot lan",
}


def _fold(text: str) -> str:
    folded = fold_same_length(text)
    folded = re.sub(r"[,.;:()]", " ", folded)
    return re.sub(r"\s+", " ", folded).strip()


def _day(value: str, phrase: str, top: int = 31) -> int:
    day = int(value)
    if not 1 <= day <= top:
        raise PhraseError(f"“{phrase}”: ngày {day} không có trong tháng.")
    return day


def _date(day: str, month: str, phrase: str) -> tuple[int, int]:
    d, m = int(day), int(month)
    if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(2024, m)[1]:
        raise PhraseError(f"“{phrase}”: {day}/{month} không phải một ngày trong năm.")
    return d, m


def parse_phrase(phrase: str) -> Rule:
    """The rule a phrase states; ``PhraseError`` naming the phrase when it states none."""
    text = _fold(phrase or "")
    if not text:
        raise PhraseError("Chưa ghi định kỳ.")
    text = re.sub(r"^dinh ky\s+", "", text)
    # N working days after the start of each period
    match = re.search(
        r"(\d{1,2}) ngay lam viec (?:dau(?: tien)?(?: cua)?|ke tu dau|sau khi bat dau)\s*"
        r"(?:moi|hang|cua moi|cua)?\s*(tuan|thang|quy|nam)",
        text,
    )
    if match:
        days = int(match.group(1))
        if not 1 <= days <= MAX_WORKING_DAYS_IN_PERIOD:
            raise PhraseError(f"“{phrase}”: số ngày làm việc phải từ 1 đến 60.")
        period = {"tuan": "week", "thang": "month", "quy": "quarter", "nam": "year"}[match.group(2)]
        return Rule(WORKING_DAYS, days=days, period=period)
    if re.search(EVERY["week"], text):
        match = re.search(r"thu\s+(hai|ba|tu|nam|sau|bay|[2-7])\b|(chu nhat)", text)
        if not match:
            raise PhraseError(f"“{phrase}”: hằng tuần vào thứ mấy?")
        return Rule(WEEKLY, weekday=6 if match.group(2) else WEEKDAYS[match.group(1)])
    if re.search(EVERY["half"], text):
        dates = re.findall(_DATE, text)
        if len(dates) != 2:
            raise PhraseError(f"“{phrase}”: 6 tháng một lần cần hai ngày, ví dụ 15/6 và 15/12.")
        first, second = (_date(d, m, phrase) for d, m in dates)
        if not (first[1] <= 6 < second[1]):
            raise PhraseError(f"“{phrase}”: một ngày trong 6 tháng đầu, một ngày 6 tháng cuối.")
        return Rule(HALF_YEARLY, dates=(first, second))
    if re.search(EVERY["quarter"], text):
        match = re.search(_DAY + r"\b", re.sub(EVERY["quarter"], " ", text))
        if not match:
            raise PhraseError(f"“{phrase}”: hằng quý vào ngày nào?")
        which = 3
        if re.search(r"thang dau(?: tien)?(?: cua)? quy", text):
            which = 1
        elif re.search(r"thang (?:thu hai|thu 2|giua)(?: cua)? quy", text):
            which = 2
        return Rule(QUARTERLY, day=_day(match.group(1), phrase), month_in_quarter=which)
    if re.search(EVERY["year"], text):
        dates = re.findall(_DATE, text)
        if len(dates) != 1:
            raise PhraseError(f"“{phrase}”: hằng năm vào ngày nào (ví dụ 15/12)?")
        return Rule(YEARLY, dates=(_date(*dates[0], phrase),))
    if re.search(EVERY["month"], text):
        rest = re.sub(EVERY["month"], " ", text)
        if re.search(r"ngay cuoi (?:cung )?(?:cua )?thang|cuoi thang", rest):
            return Rule(MONTHLY, day=31)
        match = re.search(_DAY + r"\b", rest)
        if not match:
            raise PhraseError(f"“{phrase}”: hằng tháng vào ngày nào?")
        return Rule(MONTHLY, day=_day(match.group(1), phrase))
    raise PhraseError(
        f"Không hiểu định kỳ “{phrase}”: hãy viết như “hằng tháng, trước ngày 20”, “hằng quý, "
        "trước ngày 15 của tháng cuối quý”, “6 tháng, trước ngày 15/6 và 15/12”, “hằng năm "
        "trước ngày 15/12”, “thứ Sáu hằng tuần” hoặc “5 ngày làm việc đầu mỗi tháng”."
    )
