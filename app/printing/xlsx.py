"""Workbooks laid out for print: the default font, the heading block and title, A4 landscape
one page wide, column widths and row heights from the text (a spreadsheet does not grow rows by
itself when printed), and cells written so that none can ever run as a formula.

openpyxl is loaded by the functions that write a workbook, not with this module: a CSV export
or a page that only names these functions does not load it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from app.printing.columns import Column
from app.printing.letterhead import Letterhead
from app.printing.measure import (
    A4_LANDSCAPE_TEXT_CM,
    CELL_PADDING_CM,
    FONT,
    LINE_HEIGHT,
    TABLE_PT,
    WIDEST,
    ColumnText,
    column_widths,
    text_width_cm,
    wrapped_lines,
)

if TYPE_CHECKING:
    from openpyxl.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

# A spreadsheet column of width w is w "0"s of the default 11 pt font (7 px each) and 5 px of
# padding wide, at 96 px to the inch.
XLSX_PX_CM = 2.54 / 96
HEADER_BLUE = "DDEBF7"  # the header row's fill


class StagedRows:
    """The first rows of a write-only sheet, written like a normal sheet's (``cell``,
    ``merge_cells``: what ``sheet_heading`` and ``write_cell`` use), then appended in order by
    ``flush``. Everything else is the sheet's own."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self._cells: dict[tuple[int, int], object] = {}

    def __getattr__(self, name: str):
        return getattr(self._ws, name)

    def cell(self, row: int, column: int):
        from openpyxl.cell import WriteOnlyCell

        if (row, column) not in self._cells:
            self._cells[row, column] = WriteOnlyCell(self._ws)
        return self._cells[row, column]

    def merge_cells(self, ref: str) -> None:
        self._ws.merged_cells.add(ref)

    def flush(self, last_row: int) -> None:
        for row in range(1, last_row + 1):
            width = max((c for r, c in self._cells if r == row), default=0)
            self._ws.append([self._cells.get((row, c)) for c in range(1, width + 1)])


def new_workbook(write_only: bool = False):
    """A workbook whose default font is Times New Roman 11 pt.

    The default font sets the unit of column widths (its "0"); left as Calibri, a machine
    without Calibri (LibreOffice on a server, many Linux desktops) measures columns in another
    font, finds the sheet wider than computed and shrinks the print.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    workbook = Workbook(write_only=write_only)
    font = Font(name=FONT, size=11, family=1)
    workbook._fonts = IndexedList([font])  # font 0: what cells without a font of their own use
    workbook._named_styles["Normal"].font = font
    return workbook


def sheet_heading(ws, head: Letterhead, title: str, sublines: Sequence[str], columns: int) -> int:
    """Write the heading block, the title and the lines under it; returns the next free row.

    The heading block spans about a third of the columns at the left; the title and its lines
    span every column, so they print on the first page once the sheet fits one page wide.
    """
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    last = get_column_letter(columns)
    block = get_column_letter(max(2, columns // 3))
    row = 1
    for index, line in enumerate(head.lines):
        ws.merge_cells(f"A{row}:{block}{row}")
        cell = write_cell(ws, row, 1, line)
        cell.font = Font(name=FONT, size=12, bold=index == len(head.lines) - 1)
        cell.alignment = Alignment(horizontal="center")
        row += 1
    if head.lines:
        # the short rule under the office's name
        middle = max(1, columns // 6)
        ws.cell(row=row - 1, column=middle).border = Border(bottom=Side(style="thin"))
        row += 1
    lines = [(title, Font(name=FONT, size=14, bold=True))]
    if head.attached_to:
        lines.append((head.attached_to, Font(name=FONT, size=12, italic=True)))
    lines += [(text, Font(name=FONT, size=12, italic=True)) for text in sublines]
    for text, font in lines:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = write_cell(ws, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        row += 1
    return row + 1


@functools.cache
def thin_box():
    """A thin black border on every side of a cell (made once: openpyxl is loaded then)."""
    from openpyxl.styles import Border, Side

    thin = Side(style="thin", color="000000")
    return Border(left=thin, right=thin, top=thin, bottom=thin)


def table_header(
    ws, row: int, table: Sequence[Column], filled: bool = False, boxed: bool = False
) -> None:
    """The table's titles in ``row``: bold, centred and wrapped; filled light blue and boxed
    for the tables that are."""
    from openpyxl.styles import Alignment, Font, PatternFill

    font = Font(name=FONT, bold=True, size=TABLE_PT)
    alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for index, column in enumerate(table, start=1):
        cell = write_cell(ws, row, index, column.title)
        cell.font, cell.alignment = font, alignment
        if filled:
            cell.fill = PatternFill("solid", fgColor=HEADER_BLUE)
        if boxed:
            cell.border = thin_box()


def prepare_print(ws, header_row: int, columns: int, last_row: int) -> None:
    """A4 landscape, one page wide (switched on), the header row on every page, page numbers,
    the header frozen and filters on it."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.worksheet import Worksheet

    last = get_column_letter(columns)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last}{max(last_row, header_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # (not on a write-only sheet)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, footer=0.3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10


def set_widths_and_heights(
    ws,
    columns: Sequence[ColumnText],
    header_row: int,
    rows: dict[int, Sequence[str]],
    total_cm: float = A4_LANDSCAPE_TEXT_CM,
    size_pt: float = TABLE_PT,
    widths: Sequence[float] | None = None,
) -> list[float]:
    """Column widths from the text (or as given, in cm), and each row's height from its
    tallest wrapped cell."""
    from openpyxl.utils import get_column_letter

    widths = list(widths) if widths else column_widths(columns, total_cm, size_pt)
    for index, width in enumerate(widths, start=1):
        units = (width / XLSX_PX_CM - 5) / 7
        ws.column_dimensions[get_column_letter(index)].width = round(max(units, 1), 2)
    # Times New Roman's line is 1.107 of its size (ascent and descent); 1.2 left the rows
    # of a long table a line taller than their text.
    line = size_pt * LINE_HEIGHT
    header_lines = max(
        wrapped_lines(c.header, w - CELL_PADDING_CM, size_pt)
        for c, w in zip(columns, widths, strict=True)
    )
    ws.row_dimensions[header_row].height = header_lines * line + 4
    # A text of at most this many characters fits on one line whatever its letters (each is at
    # most WIDEST wide): most cells of a table, which are then not measured word by word.
    widest = text_width_cm(WIDEST, size_pt)
    boxes = [w - CELL_PADDING_CM for w in widths]
    sure = [max(int(box / widest), 0) for box in boxes]
    # A text's lines in its column, worked out once: a unit's, a state's or a document's
    # summary recurs down a long table.
    known: list[dict[str, int]] = [{} for _ in boxes]
    for row, cells in rows.items():
        lines = 1
        for t, w, n, seen in zip(cells, boxes, sure, known, strict=True):
            if len(t) <= n and "\n" not in t:
                continue  # one line, whatever its letters (an empty cell too)
            found = seen.get(t)
            if found is None:
                seen[t] = found = wrapped_lines(t, w, size_pt)
            if found > lines:
                lines = found
        ws.row_dimensions[row].height = lines * line + 4
    # The words measured are this sheet's: kept, they would pin the memory the sheet took.
    text_width_cm.cache_clear()
    return widths


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


def _fixed_style_cell(ws, style: str, number_format: str | None = None):
    """A write-only cell in the named ``style`` whose style id is looked up once: openpyxl
    looks it up in the workbook's list of styles for every cell it writes (a tenth of a long
    sheet's time)."""
    from openpyxl.cell.cell import Cell

    class FixedStyleCell(Cell):
        __slots__ = ("style_id",)  # a plain attribute in place of Cell's looking-up property

    cell = FixedStyleCell(ws)
    cell.style = style
    if number_format:
        cell.number_format = number_format
    cell.style_id = Cell.style_id.fget(cell)
    return cell


def append_rows(ws, rows, style: str) -> None:
    """Append ``rows`` to a write-only sheet: every cell in the named ``style`` (a date also
    dd/mm/yyyy), text always text, as ``set_value`` writes them.

    openpyxl writes each cell of an appended row as soon as it is handed over, so one cell
    object for text and numbers and one for dates serve every row (its write-only sheet's
    ``_values_to_row`` is replaced for this sheet only). Handing it a new styled cell for each
    value, as its documentation shows, costs more than writing the file: each cell is first
    tried as a value, refused with a formatted message, then taken as a cell."""
    plain, date = _fixed_style_cell(ws, style), _fixed_style_cell(ws, style, "DD/MM/YYYY")

    def cells(values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if isinstance(value, str):  # as set_value writes it, without the call
                cell = plain
                cell.value = value
                cell.data_type = "s"
            elif isinstance(value, dt.date):
                cell = date  # its format set once, not for every date
                cell.value = value
            else:
                cell = plain
                cell.value = value
            cell.row, cell.column = row_idx, col_idx
            yield cell

    ws._values_to_row = cells
    for values in rows:
        ws.append(values)
