"""Writing cells that can never run as formulas, whatever a user typed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.printing import as_text

if TYPE_CHECKING:  # openpyxl is loaded only by the modules that write files
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_RISKY_FIRST = frozenset(FORMULA_STARTS)


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Dates become real dates (dd/mm/yyyy); text is always text, even ``=cmd|…``."""
    return set_value(ws.cell(row=row, column=column), value)


def set_value(cell: Cell, value: Any) -> Cell:
    """``write_cell`` on a cell already in hand."""
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise take a leading "=" as a formula
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
    return cell


def csv_safe(value: Any) -> str:
    """A CSV field as printed (``as_text``) that a spreadsheet will not evaluate: risky text
    gets a leading quote."""
    text = as_text(value)
    return "'" + text if text[:1] in _RISKY_FIRST else text
