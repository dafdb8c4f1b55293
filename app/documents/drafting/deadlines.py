"""A task's deadline as a document writes it: a date, a month, a quarter, a year, a number of
(working) days, or standing."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from app.core.deadlines import WorkCalendar
from app.core.textnorm import fold_same_length

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
D, M, Y = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
SLASH_DATE = rf"{D}\s*/\s*{M}\s*/\s*{Y}"
DEADLINE_PATTERNS = [
    ("date", rf"(?:thoi gian hoan thanh|thoi han(?: hoan thanh)?)\s*:?\s*"
             rf"(?:truoc ngay\s*)?{SLASH_DATE}"),
    ("date", rf"(?:truoc|cham nhat|han cuoi|xong truoc)(?: la)?\s+(?:ngay\s+)?{D}\s*/\s*{M}"
             rf"(?:\s*/\s*{Y})?"),
    ("date", rf"(?:truoc|cham nhat)\s+ngay\s+{D}\s+thang\s+{M}(?:\s+nam\s+{Y})?"),
    ("month", rf"trong thang\s+{M}(?:\s*/\s*|\s+nam\s+){Y}"),
    ("month", rf"trong thang\s+{M}\b"),
    ("quarter", r"(?:trong|truoc het)\s+quy\s+(iv|iii|ii|i|[1-4])\b(?:\s*/\s*|\s+nam\s+)?(\d{4})?"),
    ("this_quarter", r"trong quy nay|trong quy\b"),
    ("year", r"trong nam\s+(\d{4})"),
    ("this_year", r"trong nam nay|trong nam\b"),
    ("working_days", r"(?:trong(?: vong| thoi han)?|sau)\s+(\d{1,3})\s+ngay lam viec"
                     r"(?:\s+ke tu ngay (?:ky|ban hanh))?"),
    ("days", r"(?:trong(?: vong| thoi han)?)\s+(\d{1,3})\s+ngay\b(?! lam viec)"),
    ("standing", r"thuong xuyen|hang ngay|lien tuc"),
]  # fmt: skip
DEADLINE_RES = [(kind, re.compile(pattern)) for kind, pattern in DEADLINE_PATTERNS]


@dataclass
class Deadline:
    kind: str  # date, working_days, none
    on: dt.date | None
    working_days: int | None
    text: str  # the phrase read, as written
    start: int
    end: int


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def read_deadline(sentence: str, issued_on: dt.date | None, work: WorkCalendar) -> Deadline | None:
    folded = fold_same_length(sentence)
    year0 = issued_on.year if issued_on else dt.date.today().year
    for kind, pattern in DEADLINE_RES:
        match = pattern.search(folded)
        if not match:
            continue
        g = match.groups()
        text = sentence[match.start() : match.end()]
        try:
            if kind == "date":
                day, month = int(g[0]), int(g[1])
                year = int(g[2]) if len(g) > 2 and g[2] else year0
                on = dt.date(year, month, day)
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind == "month":
                year = int(g[1]) if len(g) > 1 and g[1] else year0
                on = _month_end(year, int(g[0]))
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind in ("quarter", "this_quarter"):
                if kind == "quarter":
                    quarter, year = ROMAN[g[0]], int(g[1]) if g[1] else year0
                else:
                    base = issued_on or dt.date.today()
                    quarter, year = (base.month - 1) // 3 + 1, base.year
                on = _month_end(year, quarter * 3)
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind in ("year", "this_year"):
                year = int(g[0]) if kind == "year" else year0
                return Deadline(
                    "date", dt.date(year, 12, 31), None, text, match.start(), match.end()
                )
            if kind == "working_days":
                days = int(g[0])
                on = work.add_working_days(issued_on, days) if issued_on else None
                return Deadline("working_days", on, days, text, match.start(), match.end())
            if kind == "days":
                on = issued_on + dt.timedelta(days=int(g[0])) if issued_on else None
                return Deadline("date", on, None, text, match.start(), match.end())
            return Deadline("none", None, None, text, match.start(), match.end())
        except ValueError:
            continue  # 31/02: not a date, try the next phrase
    return None
