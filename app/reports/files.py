"""The detailed table as XLSX (openpyxl), DOCX (python-docx) and CSV files.

Both printed forms follow ``app.printing``: the office's heading block, the title with the
"Kèm theo Báo cáo số …" line, A4 landscape, widths from the text, page numbers.
"""

from __future__ import annotations

import csv
import io

from openpyxl.styles import Alignment, Font, NamedStyle

from app.printing.cells import as_text, csv_safe
from app.printing.columns import (
    CATEGORY,
    CONTENT,
    ISSUED_ON,
    LEAD,
    NUMBER,
    ORDINAL,
    Column,
    column_texts,
    titles,
)
from app.printing.docx import docx_cell, docx_heading, docx_row, docx_table, new_docx
from app.printing.letterhead import Letterhead
from app.printing.measure import A4_LANDSCAPE_TEXT_CM, FONT, TABLE_PT, column_widths
from app.printing.xlsx import (
    new_workbook,
    prepare_print,
    set_widths_and_heights,
    sheet_heading,
    table_header,
    thin_box,
    write_cell,
)
from app.reports.detail import PRINTED_TABLE, SHEET_TABLE, SHEET_TABLE_PRINTED, DetailTable

BORDER = thin_box()


def render(fmt: str, content, head: Letterhead, to_csv, to_xlsx, to_docx) -> bytes:
    """A table as the file chosen: CSV in UTF-8, or the printed XLSX or DOCX with ``head``."""
    if fmt == "csv":
        return to_csv(content).encode("utf-8")
    return (to_xlsx if fmt == "xlsx" else to_docx)(content, head)


def table_filename(table: DetailTable, extension: str) -> str:
    scope = f"-{table.department.short_name or table.department.id}" if table.department else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in scope)
    return f"bieu-chi-tiet-{table.as_of:%Y%m%d}{safe}.{extension}"


def _texts(rows: list[list]) -> list[list[str]]:
    return [[as_text(value) for value in row] for row in rows]


def _numbered(table: DetailTable, values) -> list[list]:
    out = []
    for section in table.sections:
        number = 0
        for group in section.groups:
            for item in group.rows:
                number += 1
                out.append(values(item, number))
    return out


def _body_style() -> NamedStyle:
    return NamedStyle(
        name="Biểu chi tiết",
        font=Font(name=FONT, size=TABLE_PT),
        border=BORDER,
        alignment=Alignment(wrap_text=True, vertical="top"),
    )


def to_xlsx(table: DetailTable, head: Letterhead | None = None, with_code: bool = False) -> bytes:
    """The workbook; ``with_code``: with the task code column, to correct and import again."""
    wb = new_workbook()
    body_style = _body_style()
    wb.add_named_style(body_style)
    ws = wb.active
    ws.title = "Biểu chi tiết"
    head = head or Letterhead()
    sheet = SHEET_TABLE if with_code else SHEET_TABLE_PRINTED
    count = len(sheet)
    header = sheet_heading(ws, head, table.title, [table.subtitle], count)
    table_header(ws, header, sheet, filled=True, boxed=True)
    row = header + 1
    texts: dict[int, list[str]] = {}
    centred = {i for i, column in enumerate(sheet, start=1) if column.centred}
    for section in table.sections:
        for col in range(1, count + 1):
            ws.cell(row=row, column=col).border = BORDER
        # numbered as in the DOCX: bold, centred under STT
        label = write_cell(ws, row, 1, section.number)
        label.font = Font(name=FONT, bold=True, size=TABLE_PT)
        label.alignment = Alignment(horizontal="center", vertical="top")
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=count)
        write_cell(ws, row, 2, section.heading.upper()).font = Font(
            name=FONT, bold=True, size=TABLE_PT
        )
        row += 1
        number = 0
        for group in section.groups:
            for col in range(1, count + 1):
                ws.cell(row=row, column=col).border = BORDER
            ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=count)
            write_cell(ws, row, 2, group.heading).font = Font(
                name=FONT, bold=True, italic=True, size=TABLE_PT
            )
            row += 1
            for item in group.rows:
                number += 1
                values = item.sheet_values(number, sheet)
                for col, value in enumerate(values, start=1):
                    ws.cell(row=row, column=col).style = body_style.name  # cheaper than per-cell
                    cell = write_cell(ws, row, col, value)
                    if col in centred:
                        cell.alignment = Alignment(
                            horizontal="center", vertical="top", wrap_text=True
                        )
                texts[row] = [as_text(v) for v in values]
                row += 1
    columns = column_texts(sheet, _texts(_numbered(table, lambda r, n: r.sheet_values(n, sheet))))
    set_widths_and_heights(ws, columns, header, texts)
    prepare_print(ws, header, count, row - 1)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(table: DetailTable, head: Letterhead | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = new_docx(landscape=True)
    head = head or Letterhead()
    docx_heading(document, head, table.title, [table.subtitle])
    columns = column_texts(PRINTED_TABLE, _texts(_numbered(table, lambda r, n: r.values(n))))
    widths = column_widths(columns, A4_LANDSCAPE_TEXT_CM)
    grid = docx_table(document, columns, widths)
    centred = {i for i, column in enumerate(PRINTED_TABLE) if column.centred}
    for section in table.sections:
        cells = docx_row(grid, widths).cells
        docx_cell(cells[0], section.number, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        merged = cells[1].merge(cells[-1])
        docx_cell(merged, section.heading.upper(), bold=True)
        _keep_with_next(merged)
        number = 0
        for group in section.groups:
            cells = docx_row(grid, widths).cells
            merged = cells[1].merge(cells[-1])
            docx_cell(merged, group.heading, bold=True, italic=True)
            _keep_with_next(merged)
            for item in group.rows:
                number += 1
                cells = docx_row(grid, widths).cells
                for col, value in enumerate(item.values(number)):
                    align = WD_ALIGN_PARAGRAPH.CENTER if col in centred else None
                    docx_cell(cells[col], as_text(value), align=align)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _keep_with_next(cell) -> None:
    """A section or group heading stays on the page of its first row."""
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.keep_with_next = True


def to_csv(table: DetailTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([CATEGORY.title, *titles(SHEET_TABLE)])
    for section in table.sections:
        rows = [item for group in section.groups for item in group.rows]
        for number, item in enumerate(rows, start=1):
            values = [section.category.label, *item.sheet_values(number)]
            writer.writerow([csv_safe(v) for v in values])
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the Vietnamese correctly


CHANGE = Column("change", "Thay đổi", whole=True)
COMPARISON_TABLE = (ORDINAL, LEAD, CHANGE, NUMBER, ISSUED_ON, CONTENT)
COMPARISON_COLUMNS = titles(COMPARISON_TABLE)
COMPARISON_KINDS = [
    ("newly_late", "Mới chậm"),
    ("resolved", "Đã giải quyết"),
    ("new", "Nhiệm vụ mới"),
]


def comparison_xlsx(changes, since, as_of, head: Letterhead | None = None) -> bytes:
    """What changed between two report dates, one row per task and change, per unit."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "So sánh"
    count = len(COMPARISON_TABLE)
    header = sheet_heading(
        ws,
        head or Letterhead(),
        "THAY ĐỔI TÌNH HÌNH THỰC HIỆN CÁC VĂN BẢN CHỈ ĐẠO, THÔNG BÁO KẾT LUẬN",
        [f"(Từ ngày {since:%d/%m/%Y} đến ngày {as_of:%d/%m/%Y})"],
        count,
    )
    table_header(ws, header, COMPARISON_TABLE, boxed=True)
    rows = []
    for change in changes:
        for key, label in COMPARISON_KINDS:
            for task in getattr(change, key):
                document = task.document
                values = [change.department.name, label, document.number, document.issued_on]
                rows.append([len(rows) + 1, *values, task.content])
    body = Font(name=FONT, size=TABLE_PT)
    top = Alignment(wrap_text=True, vertical="top")
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            cell = write_cell(ws, header + offset, col, value)
            cell.font, cell.alignment, cell.border = body, top, BORDER
    texts = _texts(rows)
    by_row = {header + i: cells for i, cells in enumerate(texts, start=1)}
    set_widths_and_heights(ws, column_texts(COMPARISON_TABLE, texts), header, by_row)
    prepare_print(ws, header, count, header + len(rows))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
