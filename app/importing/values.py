"""A cell's value as the office writes it: its text, and a date however the sheet holds it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from app.importing.columns import _DATE_TEXT


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A real spreadsheet date, an Excel serial number or ``dd/mm/yyyy`` text; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        from openpyxl.utils.datetime import from_excel

        return from_excel(value).date()
    match = _DATE_TEXT.match(_text(value))
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None
