"""Bounds on what a request may carry: ids the database can hold, pages that exist, dates a
document can have. Everything here answers None for what is out of bounds, and the caller
turns that into a clear 4xx (never a 500 from the database or an overflow)."""

from __future__ import annotations

import datetime as dt

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger, the product's ids are this
MAX_PAGE = 100_000
DEADLINE_YEARS = 20  # a deadline lies between the issue date and this many years after it


def positive_int(text, high: int = MAX_ID) -> int | None:
    """``"12"`` → 12; None for anything but plain ASCII digits from 1 to ``high``
    (``"²"`` passes ``str.isdigit`` but not ``int``)."""
    text = str(text if text is not None else "").strip()
    if not text or len(text) > 12 or not text.isascii() or not text.isdigit():
        return None
    value = int(text)
    return value if 1 <= value <= high else None


def latest_deadline(issued_on: dt.date) -> dt.date:
    try:
        return issued_on.replace(year=issued_on.year + DEADLINE_YEARS)
    except ValueError:  # 29 February
        return issued_on.replace(year=issued_on.year + DEADLINE_YEARS, day=28)


def deadline_problem(deadline: dt.date | None, issued_on: dt.date | None) -> str | None:
    """Why a deadline cannot be (before the issue date, or decades after it); None if fine."""
    if deadline is None or issued_on is None:
        return None
    if deadline < issued_on:
        return f"Thời hạn không được trước ngày ban hành ({issued_on:%d/%m/%Y})."
    if deadline > latest_deadline(issued_on):
        return f"Thời hạn không được quá {DEADLINE_YEARS} năm sau ngày ban hành."
    return None


class IdConverter(IntegerConverter):
    """``<int:…>`` in a route: an id the database can hold, else the route does not match
    (404) instead of an overflow deep in the database driver."""

    def __init__(self, map, *args, **kwargs) -> None:  # noqa: A002  (werkzeug's name)
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
