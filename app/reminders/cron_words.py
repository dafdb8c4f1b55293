"""Reminder schedules in words: day(s) of the week or a day of the month, a time, and for the
hourly kinds the last hour. The admin chooses these; the crontab expression ("30 7 * * mon")
is only how a schedule is stored.

``read`` turns an expression into a ``When`` (None when it says more than the page offers: the
page then keeps the expression as typed), ``expression`` turns a ``When`` back, and
``from_fields`` reads the page's fields for one kind.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from app.core.i18n import N_

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = {
    "mon": N_("Thứ Hai"),
    "tue": N_("Thứ Ba"),
    "wed": N_("Thứ Tư"),
    "thu": N_("Thứ Năm"),
    "fri": N_("Thứ Sáu"),
    "sat": N_("Thứ Bảy"),
    "sun": N_("Chủ nhật"),
}
WEEK, MONTH = "week", "month"


@dataclass(frozen=True)
class When:
    repeat: str  # WEEK or MONTH
    days: tuple[str, ...]  # the weekdays (WEEK), in order
    day_of_month: int | None  # MONTH
    hour: int
    minute: int
    until_hour: int | None = None  # every hour from ``hour`` to this one

    @property
    def time(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


def _days(field: str) -> tuple[str, ...] | None:
    if field == "*":
        return DAYS
    chosen: set[str] = set()
    for part in field.split(","):
        bounds = part.split("-")
        if len(bounds) > 2 or any(b not in DAYS for b in bounds):
            return None  # numbers (whose meaning differs between cron dialects), steps
        first, last = DAYS.index(bounds[0]), DAYS.index(bounds[-1])
        if last < first:
            return None
        chosen.update(DAYS[first : last + 1])
    return tuple(d for d in DAYS if d in chosen)


def read(cron: str) -> When | None:
    """The schedule ``cron`` names, when the page can show it in words."""
    fields = cron.split()
    if len(fields) != 5 or fields[3] != "*":
        return None
    minute, hours, dom, _month, dow = fields
    hour_range = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", hours)
    if not re.fullmatch(r"\d{1,2}", minute) or not hour_range:
        return None
    hour = int(hour_range[1])
    until = int(hour_range[2]) if hour_range[2] else None
    if int(minute) > 59 or hour > 23 or (until is not None and not hour < until <= 23):
        return None
    if dom == "*":
        days = _days(dow.lower())
        if not days:
            return None
        return When(WEEK, days, None, hour, int(minute), until)
    if dow != "*" or not re.fullmatch(r"\d{1,2}", dom) or not 1 <= int(dom) <= 31:
        return None
    return When(MONTH, (), int(dom), hour, int(minute), until)


def _dow(days: tuple[str, ...]) -> str:
    if len(days) == len(DAYS):
        return "*"
    indexes = [DAYS.index(d) for d in days]
    runs: list[list[int]] = []
    for index in indexes:
        if runs and index == runs[-1][-1] + 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{DAYS[run[0]]}-{DAYS[run[-1]]}")
        else:
            parts.extend(DAYS[i] for i in run)
    return ",".join(parts)


def expression(when: When) -> str:
    """The crontab expression that stores ``when``."""
    hours = f"{when.hour}-{when.until_hour}" if when.until_hour is not None else str(when.hour)
    if when.repeat == MONTH:
        return f"{when.minute} {hours} {when.day_of_month} * *"
    return f"{when.minute} {hours} * * {_dow(when.days)}"


def from_fields(fields: Mapping, kind: str) -> tuple[When | None, str | None]:
    """The schedule the page's fields for ``kind`` say, or the reason they say none.

    ``fields`` is the posted form (``getlist`` for the days). The reason is Vietnamese, marked
    with N_ for the page to translate.
    """
    time = re.fullmatch(r"(\d{1,2}):(\d{2})", (fields.get(f"time-{kind}") or "").strip())
    if not time or int(time[1]) > 23 or int(time[2]) > 59:
        return None, N_("Giờ gửi không hợp lệ (giờ:phút, ví dụ 07:30).")
    hour, minute = int(time[1]), int(time[2])
    until_text = (fields.get(f"until-{kind}") or "").strip()
    until = int(until_text) if until_text.isdigit() else None
    if until_text and (until is None or not hour < until <= 23):
        return None, N_("Giờ lặp lại cuối cùng phải sau giờ gửi đầu tiên và không quá 23 giờ.")
    if fields.get(f"repeat-{kind}") == MONTH:
        dom = (fields.get(f"dom-{kind}") or "").strip()
        if not dom.isdigit() or not 1 <= int(dom) <= 31:
            return None, N_("Ngày trong tháng phải từ 1 đến 31.")
        return When(MONTH, (), int(dom), hour, minute, until), None
    chosen = set(fields.getlist(f"day-{kind}"))
    days = tuple(d for d in DAYS if d in chosen)
    if not days:
        return None, N_("Chọn ít nhất một ngày trong tuần.")
    return When(WEEK, days, None, hour, minute, until), None


def posted_cron(fields: Mapping, kind: str, stored: str) -> tuple[str | None, str | None]:
    """The expression to store from the page's fields for ``kind`` (``stored`` kept when the
    words say the same), or the reason (N_-marked) why none.

    A stored expression the words cannot say is shown and posted as typed (``cron-<kind>``).
    """
    before = read(stored)
    if before is None:
        return (fields.get(f"cron-{kind}") or "").strip(), None
    when, problem = from_fields(fields, kind)
    if when is None:
        return None, problem
    return (stored if when == before else expression(when)), None
