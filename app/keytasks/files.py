"""The key-task section as files for the monthly report: the sentence, then a table of the
groups (figures as of the date, the proposal and the grade in effect), as DOCX, XLSX and CSV."""

from __future__ import annotations

import csv
import io

from openpyxl.styles import Alignment, Font

from app.keytasks.grades import load_grades, load_rules, propose
from app.keytasks.sentence import KeyTaskSection
from app.printing.cells import as_text, csv_safe
from app.printing.columns import Column, column_texts
from app.printing.docx import docx_cell, docx_heading, docx_row, docx_run, docx_table, new_docx
from app.printing.letterhead import Letterhead
from app.printing.measure import A4_LANDSCAPE_TEXT_CM, FONT, TABLE_PT
from app.printing.xlsx import (
    new_workbook,
    prepare_print,
    set_widths_and_heights,
    sheet_heading,
    table_header,
    thin_box,
    write_cell,
)
from app.reports.statistics import percent_text

TITLE = "CÔNG TÁC TRIỂN KHAI THỰC HIỆN NHIỆM VỤ TRỌNG TÂM"
TABLE = (
    Column("ordinal", "STT", whole=True),
    Column("name", "Nhóm nhiệm vụ trọng tâm"),
    Column("issuer", "Cơ quan giao", whole=True),
    Column("total", "Số nhiệm vụ", whole=True),
    Column("done", "Đã hoàn thành", whole=True),
    Column("done_on_time", "Hoàn thành đúng hạn", whole=True),
    Column("overdue", "Quá hạn", whole=True),
    Column("done_share", "Tỷ lệ hoàn thành (%)", whole=True),
    Column("proposal", "Đề xuất đánh giá"),
    Column("grade", "Đánh giá"),
)
WIDTHS = [1.2, 8.3, 2.6, 1.8, 1.9, 2.1, 1.6, 2.2, 2.8, 2.8]
assert abs(sum(WIDTHS) - A4_LANDSCAPE_TEXT_CM) < 0.01


def section_rows(session, section: KeyTaskSection) -> list[list]:
    grades, rules = load_grades(session), load_rules(session, "group")
    rows = []
    for number, line in enumerate(section.lines, start=1):
        figures = line.progress.figures
        rows.append(
            [
                number,
                line.group.name,
                line.group.issuer.short_name or line.group.issuer.name,
                figures.total,
                figures.done,
                figures.done_on_time + figures.done_no_deadline,
                figures.overdue,
                percent_text(figures.done_share),
                propose(figures, rules, grades),
                line.evaluation.grade if line.evaluation else "Đang triển khai thực hiện",
            ]
        )
    return rows


def subtitle(section: KeyTaskSection) -> str:
    return f"(Số liệu tính đến ngày {section.as_of:%d/%m/%Y})"


def to_csv(content: tuple[KeyTaskSection, list[list]]) -> str:
    section, rows = content
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.title for c in TABLE])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
    return out.getvalue()


def to_xlsx(content: tuple[KeyTaskSection, list[list]], head: Letterhead | None = None) -> bytes:
    section, rows = content
    wb = new_workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ trọng tâm"
    count = len(TABLE)
    header = sheet_heading(ws, head or Letterhead(), TITLE, [subtitle(section)], count)
    # the sentence above the table, across its width
    ws.merge_cells(start_row=header, start_column=1, end_row=header, end_column=count)
    cell = write_cell(ws, header, 1, section.text)
    cell.font = Font(name=FONT, size=13)
    cell.alignment = Alignment(wrap_text=True, vertical="top", horizontal="justify")
    ws.row_dimensions[header].height = 16 * (1 + len(section.text) // 150)
    header += 2
    table_header(ws, header, TABLE, filled=True, boxed=True)
    texts: dict[int, list[str]] = {}
    row_number = header
    for row in rows:
        row_number += 1
        for col, value in enumerate(row, start=1):
            cell = write_cell(ws, row_number, col, value)
            cell.font = Font(name=FONT, size=TABLE_PT)
            cell.border = thin_box()
            left = TABLE[col - 1].key in ("name", "issuer", "proposal", "grade")
            cell.alignment = Alignment(
                horizontal="left" if left else "right", vertical="top", wrap_text=True
            )
        texts[row_number] = [as_text(v) for v in row]
    columns = column_texts(TABLE, [[as_text(v) for v in r] for r in rows])
    set_widths_and_heights(ws, columns, header, texts, widths=WIDTHS)
    prepare_print(ws, header, count, row_number)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_docx(content: tuple[KeyTaskSection, list[list]], head: Letterhead | None = None) -> bytes:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section, rows = content
    document = new_docx(landscape=True)
    docx_heading(document, head or Letterhead(), TITLE, [subtitle(section)])
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    docx_run(paragraph, section.text)
    document.add_paragraph()
    columns = column_texts(TABLE, [[as_text(v) for v in r] for r in rows])
    grid = docx_table(document, columns, WIDTHS)
    for row in rows:
        cells = docx_row(grid, WIDTHS).cells
        for col, value in enumerate(row):
            left = TABLE[col].key in ("name", "issuer", "proposal", "grade")
            docx_cell(cells[col], as_text(value), align=None if left else WD_ALIGN_PARAGRAPH.CENTER)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
