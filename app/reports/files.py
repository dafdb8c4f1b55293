"""The detailed table as XLSX (openpyxl), DOCX (python-docx) and CSV files."""

from __future__ import annotations

import csv
import io

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from app.reports.detail import COLUMNS, DetailTable
from app.reports.spreadsheet import csv_safe, write_cell

XLSX_WIDTHS = [6, 15, 12, 20, 32, 50, 26, 26, 18, 10, 40, 20]
DOCX_WIDTHS_CM = [1.2, 2.0, 2.5, 2.0, 2.4, 4.2, 2.3, 2.3, 2.5, 1.3, 2.9, 1.6]  # 27.2 cm
FONT = "Times New Roman"
THIN = Side(style="thin", color="000000")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
DATE_FORMAT = "DD/MM/YYYY"


def table_filename(table: DetailTable, extension: str) -> str:
    scope = f"-{table.department.short_name or table.department.id}" if table.department else ""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in scope)
    return f"bieu-chi-tiet-{table.as_of:%Y%m%d}{safe}.{extension}"


def _body_style() -> NamedStyle:
    return NamedStyle(
        name="Biểu chi tiết",
        font=Font(name=FONT),
        border=BORDER,
        alignment=Alignment(wrap_text=True, vertical="top"),
    )


def to_xlsx(table: DetailTable) -> bytes:
    wb = Workbook()
    body_style = _body_style()
    wb.add_named_style(body_style)
    ws = wb.active
    ws.title = "Biểu chi tiết"
    last = get_column_letter(len(COLUMNS))
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    write_cell(ws, 1, 1, table.title).font = Font(name=FONT, bold=True, size=14)
    write_cell(ws, 2, 1, table.subtitle).font = Font(name=FONT, italic=True, size=12)
    for cell in (ws["A1"], ws["A2"]):
        cell.alignment = Alignment(horizontal="center")
    header = 4
    for col, (title, width) in enumerate(zip(COLUMNS, XLSX_WIDTHS, strict=True), start=1):
        cell = write_cell(ws, header, col, title)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    row = header + 1
    for section in table.sections:
        write_cell(ws, row, 1, section.number).font = Font(name=FONT, bold=True)
        ws.merge_cells(f"B{row}:{last}{row}")
        write_cell(ws, row, 2, section.heading.upper()).font = Font(name=FONT, bold=True)
        row += 1
        number = 0
        for group in section.groups:
            ws.merge_cells(f"B{row}:{last}{row}")
            write_cell(ws, row, 2, group.heading).font = Font(name=FONT, bold=True, italic=True)
            row += 1
            for item in group.rows:
                number += 1
                for col, value in enumerate(item.values(number), start=1):
                    cell = write_cell(ws, row, col, value)
                    cell.style = body_style.name  # a named style: far cheaper than per-cell
                    if col == 3:
                        cell.number_format = DATE_FORMAT
                row += 1
    ws.freeze_panes = f"A{header + 1}"
    ws.auto_filter.ref = f"A{header}:{last}{max(row - 1, header)}"
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.print_title_rows = f"{header}:{header}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    return run


def _page_number_footer(section) -> None:
    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _run(paragraph, "", 12)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    properties.append(flag)


def _cell(
    cell, text: str, size: float = 12, bold: bool = False, italic: bool = False, align=None
) -> None:
    paragraph = cell.paragraphs[0]
    if align is not None:
        paragraph.alignment = align
    _run(paragraph, text, size, bold, italic)


def to_docx(table: DetailTable) -> bytes:
    document = DocxDocument()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    section.left_margin = section.right_margin = Cm(1.2)
    section.top_margin = section.bottom_margin = Cm(1.5)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    _page_number_footer(section)
    for text, size, bold, italic in (
        (table.title, 14, True, False),
        (table.subtitle, 13, False, True),
    ):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, text, size, bold, italic)
    grid = document.add_table(rows=1, cols=len(COLUMNS))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, DOCX_WIDTHS_CM, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice and Word lay out from
    for cell, title in zip(grid.rows[0].cells, COLUMNS, strict=True):
        _cell(cell, title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _repeat_header(grid.rows[0])
    for section_data in table.sections:
        cells = grid.add_row().cells
        _cell(cells[0], section_data.number, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        merged = cells[1].merge(cells[-1])
        _cell(merged, section_data.heading.upper(), bold=True)
        number = 0
        for group in section_data.groups:
            cells = grid.add_row().cells
            merged = cells[1].merge(cells[-1])
            _cell(merged, group.heading, bold=True, italic=True)
            for item in group.rows:
                number += 1
                values = item.values(number)
                cells = grid.add_row().cells
                for col, value in enumerate(values):
                    if hasattr(value, "strftime"):
                        value = value.strftime("%d/%m/%Y")
                    _cell(
                        cells[col],
                        "" if value is None else str(value),
                        align=WD_ALIGN_PARAGRAPH.CENTER if col in (0, 2, 9) else None,
                    )
    for row in grid.rows:
        if len({id(c._tc) for c in row.cells}) == len(COLUMNS):  # rows without merged cells
            for cell, width in zip(row.cells, DOCX_WIDTHS_CM, strict=True):
                cell.width = Cm(width)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def to_csv(table: DetailTable) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Phân loại", *COLUMNS])
    for section in table.sections:
        rows = [item for group in section.groups for item in group.rows]
        for number, item in enumerate(rows, start=1):
            writer.writerow([csv_safe(v) for v in [section.category.label, *item.values(number)]])
    return "\ufeff" + out.getvalue()  # BOM: Excel then reads the Vietnamese correctly
