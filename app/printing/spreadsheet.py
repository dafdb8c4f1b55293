"""Writing cells that can never run as formulas, whatever a user typed."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.printing.layout import as_text

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


def append_rows(ws, rows, style: str) -> None:
    """Append ``rows`` to a write-only sheet: every cell in the named ``style`` (a date also
    dd/mm/yyyy), text always text, as ``set_value`` writes them.

    openpyxl writes each cell of an appended row as soon as it is handed over, so one cell
    object for text and numbers and one for dates serve every row (its write-only sheet's
    ``_values_to_row`` is replaced for this sheet only). Handing it a new styled cell for each
    value, as its documentation shows, costs more than writing the file: each cell is first
    tried as a value, refused with a formatted message, then taken as a cell."""
    from openpyxl.cell import WriteOnlyCell

    plain, date = WriteOnlyCell(ws), WriteOnlyCell(ws)
    plain.style = date.style = style
    date.number_format = "DD/MM/YYYY"

    def cells(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if isinstance(value, dt.date):
                cell = date  # its format set once, not for every date
                cell.value = value
            else:
                cell = set_value(plain, value)
            cell.row, cell.column = row_idx, col_idx
            yield cell

    ws._values_to_row = cells
    for values in rows:
        ws.append(values)


def csv_safe(value: Any) -> str:
    """A CSV field as printed (``as_text``) that a spreadsheet will not evaluate: risky text
    gets a leading quote."""
    text = as_text(value)
    return "'" + text if text[:1] in _RISKY_FIRST else text
