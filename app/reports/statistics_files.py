"""The statistics table by unit as CSV, XLSX and DOCX, in the office documents' conventions."""

from __future__ import annotations

import csv
import io

from openpyxl.styles import Alignment, Font

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
from app.reports.statistics import COLUMNS, Statistics, UnitStatistics

# The unit's name, then the figures, whole (the titles are ``COLUMNS``, beside the row's values).
KEYS = ("unit", "total", "done", "done_on_time", "done_late", "done_no_deadline", "not_done")
KEYS += ("in_time", "overdue", "completion_rate", "overdue_rate", "proposal", "grade")
TEXTS = ("unit", "proposal", "grade")
TABLE = tuple(
    Column(key, title, whole=key not in TEXTS) for key, title in zip(KEYS, COLUMNS, strict=True)
)


def stats_filename(stats: Statistics, extension: str) -> str:
    return (
        f"thong-ke-{stats.period_from:%Y%m%d}-{stats.period_to:%Y%m%d}"
        f"-den-{stats.as_of:%Y%m%d}.{extension}"
    )


def _rows(stats: Statistics) -> list[UnitStatistics]:
    return [*stats.rows, stats.total]


def to_csv(stats: Statistics) -> str:
    """UTF-8 text (no byte-order mark) starting with the header row, exactly ``COLUMNS``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in _rows(stats):
        writer.writerow([csv_safe(v) for v in row.values()])
    return out.getvalue()


UNIT_CM = 8.0  # the unit's name
GRADE_CM = 2.2  # each of the two grades; the ten figures share the rest of the A4 landscape line


def _widths() -> list[float]:
    share = (A4_LANDSCAPE_TEXT_CM - UNIT_CM - 2 * GRADE_CM) / (len(TABLE) - 3)
    return [UNIT_CM] + [share] * (len(TABLE) - 3) + [GRADE_CM, GRADE_CM]


def _columns(stats: Statistics) -> list[ColumnText]:
    return column_texts(TABLE, [[as_text(v) for v in r.values()] for r in _rows(stats)])


def to_xlsx(stats: Statistics, head: Letterhead | None = None) -> bytes:
    wb = new_workbook()
    ws = wb.active
    ws.title = "Thống kê"
    count = len(TABLE)
    header = sheet_heading(ws, head or Letterhead(), stats.title, [stats.subtitle], count)
    table_header(ws, header, TABLE, filled=True, boxed=True)
    texts: dict[int, list[str]] = {}
    row_number = header
    for row in _rows(stats):
        row_number += 1
        values = row.values()
        bold = row.department is None
        for col, value in enumerate(values, start=1):
            # shares as text: "91,7" with the decimal comma on any machine's locale
            cell = write_cell(ws, row_number, col, value)
            cell.font = Font(name=FONT, size=TABLE_PT, bold=bold)
            cell.border = thin_box()
            cell.alignment = Alignment(
                horizontal="left" if col in (1, count - 1, count) else "right",
                vertical="top",
                wrap_text=True,
            )
        texts[row_number] = [as_text(v) for v in values]
    set_widths_and_heights(ws, _columns(stats), header, texts, widths=_widths())
    prepare_print(ws, header, count, row_number)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(stats: Statistics, head: Letterhead | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(landscape=True)
    docx_heading(document, head or Letterhead(), stats.title, [stats.subtitle])
    columns = _columns(stats)
    widths = _widths()
    grid = docx_table(document, columns, widths)
    for row in _rows(stats):
        cells = docx_row(grid, widths).cells
        for col, value in enumerate(row.values()):
            align = (
                None if col in (0, len(TABLE) - 2, len(TABLE) - 1) else WD_ALIGN_PARAGRAPH.CENTER
            )
            docx_cell(cells[col], as_text(value), bold=row.department is None, align=align)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
