"""Writing cells that can never run as formulas, whatever a user typed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is loaded only by the modules that write files
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def write_cell(ws: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Dates become real dates (dd/mm/yyyy); text is always text, even ``=cmd|…``."""
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        cell.value = value
        cell.data_type = "s"  # openpyxl would otherwise take a leading "=" as a formula
    else:
        cell.value = value
        if isinstance(value, dt.date):
            cell.number_format = "DD/MM/YYYY"
    return cell


def csv_safe(value: Any) -> str:
    """A CSV field that a spreadsheet will not evaluate: risky text gets a leading quote."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
