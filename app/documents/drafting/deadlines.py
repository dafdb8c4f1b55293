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
    ("event", r"(?:trong(?: vong| thoi han)?\s+\d{1,3}\s+ngay(?: lam viec)?\s+)?"
              r"ke tu (?:ngay |khi )?(?!ky\b|ban hanh)"
              r"(?:nhan|co|duoc|hoan thanh|ket thuc)[^,.;]{0,60}"
              r"|truoc (?:ky hop|hoi nghi|phien hop|khi)[^,.;]{0,60}"),
    ("date", rf"tu ngay\s+{D}\s*/\s*{M}(?:\s*/\s*{Y})?\s+den (?:het )?ngay\s+{D}\s*/\s*{M}"
             rf"(?:\s*/\s*{Y})?"),
    ("date", rf"(?:thoi gian hoan thanh|thoi han(?: hoan thanh)?)\s*:?\s*"
             rf"(?:truoc\s+)?(?:ngay\s*)?{SLASH_DATE}"),
    ("date", rf"(?:truoc|cham nhat|han cuoi|xong truoc)(?: la)?\s+(?:ngay\s+)?{D}\s*/\s*{M}"
             rf"(?:\s*/\s*{Y})?"),
    ("date", rf"(?:truoc|cham nhat)\s+ngay\s+{D}\s+thang\s+{M}(?:\s+nam\s+{Y})?"),
    ("month", rf"trong thang\s+{M}(?:\s*/\s*|\s+nam\s+){Y}"),
    ("month", rf"trong thang\s+{M}\b"),
    ("half", r"6 thang (dau|cuoi) nam\s*(\d{4})?"),
    ("quarter", r"(?:trong|truoc het)\s+quy\s+(iv|iii|ii|i|[1-4])\b(?:\s*/\s*|\s+nam\s+)?"
                r"(\d{4})?"),
    ("this_quarter", r"trong quy nay|trong quy\b"),
    ("year", r"trong nam\s+(\d{4})"),
    ("this_year", r"trong nam nay|trong nam\b"),
    ("working_days", r"(?:trong(?: vong| thoi han)?|sau)\s+(\d{1,3})\s+ngay lam viec"
                     r"(?:\s+ke tu ngay (?:ky|ban hanh))?"),
    ("days", r"(?:trong(?: vong| thoi han)?)\s+(\d{1,3})\s+ngay\b(?! lam viec)"),
    ("this_week", r"ngay trong tuan|trong tuan nay"),
    ("standing", r"thuong xuyen|hang ngay|lien tuc"),
]  # fmt: skip
# a table's "Thời gian hoàn thành" cell may hold a bare date
# or the phrase after "Thời gian thực hiện:"
CELL_PATTERNS = [
    ("date", rf"^\s*(?:ngay\s+)?{D}\s*/\s*{M}(?:\s*/\s*{Y})?"),
    ("month", rf"^\s*thang\s+{M}\s*/\s*{Y}"),
    ("quarter", r"^\s*quy\s+(iv|iii|ii|i|[1-4])\b(?:\s*/\s*|\s+nam\s+)?(\d{4})?"),
]
LABEL = re.compile(r"(?:thoi gian (?:hoan thanh|thuc hien)|thoi han(?: hoan thanh)?)\s*:\s*")
DEADLINE_RES = [(kind, re.compile(pattern)) for kind, pattern in DEADLINE_PATTERNS]
CELL_RES = [(kind, re.compile(pattern)) for kind, pattern in CELL_PATTERNS]


@dataclass
class Deadline:
    kind: str  # date, working_days, none, event (from an event of unknown date), recurring
    on: dt.date | None
    working_days: int | None
    text: str  # the phrase read, as written
    start: int
    end: int


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _dated(g, issued_on: dt.date | None, year0: int) -> dt.date:
    """A day and month, with the year written or else the document's (the next year's when
    that day would come before the document)."""
    day, month = int(g[-3]), int(g[-2])
    if g[-1]:
        return dt.date(int(g[-1]), month, day)
    on = dt.date(year0, month, day)
    if issued_on is not None and on < issued_on:
        on = dt.date(year0 + 1, month, day)
    return on


def _on(kind: str, g, issued_on: dt.date | None, work: WorkCalendar):
    """(kind, day, working days) of one phrase read."""
    year0 = issued_on.year if issued_on else dt.date.today().year
    if kind == "date":
        return "date", _dated(g if len(g) > 2 else (*g, None), issued_on, year0), None
    if kind == "month":
        year = int(g[1]) if len(g) > 1 and g[1] else year0
        return "date", _month_end(year, int(g[0])), None
    if kind == "half":
        year = int(g[1]) if g[1] else year0
        return "date", _month_end(year, 6 if g[0] == "dau" else 12), None
    if kind in ("quarter", "this_quarter"):
        if kind == "quarter":
            quarter, year = ROMAN[g[0]], int(g[1]) if g[1] else year0
        else:
            base = issued_on or dt.date.today()
            quarter, year = (base.month - 1) // 3 + 1, base.year
        return "date", _month_end(year, quarter * 3), None
    if kind in ("year", "this_year"):
        return "date", dt.date(int(g[0]) if kind == "year" else year0, 12, 31), None
    if kind == "working_days":
        days = int(g[0])
        return "working_days", work.add_working_days(issued_on, days) if issued_on else None, days
    if kind == "days":
        return "date", issued_on + dt.timedelta(days=int(g[0])) if issued_on else None, None
    if kind == "this_week":
        base = issued_on or dt.date.today()
        return (
            "date",
            base + dt.timedelta(days=4 - base.weekday()) if base.weekday() < 5 else base,
            None,
        )
    return ("event" if kind == "event" else "none"), None, None


RECURRING = re.compile(
    r"\bdinh ky\b[^.;]{0,70}|(?:truoc ngay \d{1,2}\s+)?\b(?:hang|moi)\s+(?:tuan|thang|quy|nam)\b"
    r"[^.;]{0,50}"
)


def _recurring(sentence: str, folded: str) -> Deadline | None:
    """ "định kỳ trước ngày 20 hằng tháng": a recurring duty, read by the series' own reader."""
    from app.recurring.recurrence import PhraseError, parse_phrase

    match = RECURRING.search(folded)
    if match is None:
        return None
    start = match.start()
    ends = [m.end() for m in re.finditer(r"\S+", folded[start : match.end()])]
    rules = []
    for end in ends:  # the shortest phrase stating the rule the longest one states
        try:
            rules.append((parse_phrase(sentence[start : start + end]), start + end))
        except PhraseError:
            continue
    if not rules:
        return None
    end = next(at for rule, at in rules if rule == rules[-1][0])
    return Deadline("recurring", None, None, sentence[start:end].strip(" ,"), start, end)


def read_deadline(
    sentence: str, issued_on: dt.date | None, work: WorkCalendar, cell: bool = False
) -> Deadline | None:
    """The first deadline phrase of a sentence; ``cell``: a table's deadline column, where a
    bare date is a deadline too."""
    folded = fold_same_length(sentence)
    recurring = None if cell else _recurring(sentence, folded)
    if recurring is not None:
        return recurring
    label = None if cell else LABEL.search(folded)
    if label:  # "Thời gian thực hiện: Quý I/2025": what follows the label read as a table's cell
        found = read_deadline(sentence[label.end() :], issued_on, work, cell=True)
        if found is not None:
            end = label.end() + found.end
            text = sentence[label.start() : end].strip()
            return Deadline(found.kind, found.on, found.working_days, text, label.start(), end)
    for kind, pattern in (CELL_RES if cell else []) + DEADLINE_RES:
        match = pattern.search(folded)
        if not match:
            continue
        g = match.groups()
        if kind == "date" and len(g) == 6:  # from … to …: the last day
            g = g[3:] if g[5] or not g[2] else (*g[3:5], g[2])
        try:
            kind_read, on, days = _on(kind, g, issued_on, work)
        except ValueError:
            continue  # 31/02: not a date, try the next phrase
        text = sentence[match.start() : match.end()].strip()
        return Deadline(kind_read, on, days, text, match.start(), match.end())
    return None
