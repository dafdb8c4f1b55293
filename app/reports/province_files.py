"""The province's table across its communes as CSV, XLSX and DOCX, laid out as the statistics
table is (``statistics_files``)."""

from __future__ import annotations

import csv
import io

from openpyxl.styles import Alignment, Font

from app.offices.province_table import COLUMNS, CommuneRow, ProvinceTable
from app.printing.cells import as_text, csv_safe
from app.printing.columns import Column, column_texts
from app.printing.docx import docx_cell, docx_heading, docx_row, docx_table, new_docx
from app.printing.letterhead import Letterhead
from app.printing.measure import A4_LANDSCAPE_TEXT_CM, FONT, TABLE_PT, ColumnText
from app.printing.xlsx import (
    new_workbook,
    prepare_print,
    set_widths_and_heights,
    sheet_heading,
    table_header,
    thin_box,
    write_cell,
)

KEYS = ("unit", "total", "done", "done_on_time", "done_late", "done_no_deadline", "not_done")
KEYS += ("in_time", "overdue", "completion_rate", "overdue_rate", "own_open", "own_overdue")
TABLE = tuple(
    Column(key, title, whole=key != "unit") for key, title in zip(KEYS, COLUMNS, strict=True)
)
UNIT_CM = 6.0  # the commune's name; the twelve figures share the rest of the A4 landscape line


def _rows(table: ProvinceTable) -> list[CommuneRow]:
    return [*table.rows, table.total]


def to_csv(table: ProvinceTable) -> str:
    """UTF-8 text (no byte-order mark) starting with the header row, exactly ``COLUMNS``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _rows(table):
        writer.writerow([csv_safe(v) for v in row.values()])
    return out.getvalue()


def _widths() -> list[float]:
    share = (A4_LANDSCAPE_TEXT_CM - UNIT_CM) / (len(TABLE) - 1)
    return [UNIT_CM] + [share] * (len(TABLE) - 1)


def _columns(table: ProvinceTable) -> list[ColumnText]:
    return column_texts(TABLE, [[as_text(v) for v in r.values()] for r in _rows(table)])


def to_xlsx(table: ProvinceTable, head: Letterhead | None = None) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Toàn tỉnh"
    header = sheet_heading(ws, head or Letterhead(), table.title, [table.subtitle], len(TABLE))
    table_header(ws, header, TABLE, filled=True, boxed=True)
    texts: dict[int, list[str]] = {}
    row_number = header
    for row in _rows(table):
        row_number += 1
        values = row.values()
        for col, value in enumerate(values, start=1):
            # shares as text: "91,7" with the decimal comma on any machine's locale
            cell = write_cell(ws, row_number, col, value)
            cell.font = Font(name=FONT, size=TABLE_PT, bold=row.office is None)
            cell.border = thin_box()
            cell.alignment = Alignment(
                horizontal="left" if col == 1 else "right", vertical="top", wrap_text=True
            )
        texts[row_number] = [as_text(v) for v in values]
    set_widths_and_heights(ws, _columns(table), header, texts, widths=_widths())
    prepare_print(ws, header, len(TABLE), row_number)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(table: ProvinceTable, head: Letterhead | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(landscape=True)
    docx_heading(document, head or Letterhead(), table.title, [table.subtitle])
    widths = _widths()
    grid = docx_table(document, _columns(table), widths)
    for row in _rows(table):
        cells = docx_row(grid, widths).cells
        for col, value in enumerate(row.values()):
            align = None if col == 0 else WD_ALIGN_PARAGRAPH.CENTER
            docx_cell(cells[col], as_text(value), bold=row.office is None, align=align)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
