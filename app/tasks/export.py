"""The current task list as an XLSX or a CSV file, with the same columns."""

from __future__ import annotations

import csv
import datetime as dt
import io

from app.models import Task
from app.printing import (
    FONT,
    TABLE_PT,
    ColumnText,
    Letterhead,
    as_text,
    new_workbook,
    prepare_print,
    set_widths_and_heights,
    sheet_heading,
)
from app.reports.spreadsheet import csv_safe, write_cell
from app.tasks.queries import days_late, task_category

COLUMNS = [
    "STT",
    "Mã nhiệm vụ",
    "Số ký hiệu",
    "Ngày ban hành",
    "Cơ quan ban hành",
    "Trích yếu",
    "Nội dung nhiệm vụ",
    "Đơn vị chủ trì",
    "Đơn vị phối hợp",
    "Thời hạn",
    "Tình trạng",
    "Phân loại",
    "Số ngày quá hạn",
    "Ghi chú",
]
WHOLE = {"STT", "Mã nhiệm vụ", "Số ký hiệu", "Ngày ban hành", "Thời hạn", "Số ngày quá hạn"}
TITLE = "DANH SÁCH NHIỆM VỤ"


def row_values(task: Task, index: int, today: dt.date) -> list:
    """One task's row, in the order of ``COLUMNS``."""
    return [
        index,
        task.code,
        task.document.number,
        task.document.issued_on,
        task.document.issuer.name,
        task.document.summary,
        task.content,
        task.lead_department.name,
        "; ".join(d.name for d in task.cooperating_departments),
        task.deadline if task.deadline else "Thường xuyên",
        task.state_label,
        task_category(task, today).label,
        days_late(task, today) or None,
        task.note,
    ]


def tasks_csv(tasks: list[Task], today: dt.date) -> bytes:
    """The list as CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese): for other
    programs; no cell can run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for index, task in enumerate(tasks, start=1):
        writer.writerow([csv_safe(value) for value in row_values(task, index, today)])
    return out.getvalue().encode("utf-8-sig")


def tasks_workbook(tasks: list[Task], today: dt.date, head: Letterhead | None = None) -> bytes:
    """The list as a workbook laid out for print like every file the product writes."""
    from openpyxl.styles import Alignment, Font  # loaded with the first workbook written

    wb = new_workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    header = sheet_heading(
        ws, head or Letterhead(), TITLE, [f"(Xuất ngày {today:%d/%m/%Y})"], len(COLUMNS)
    )
    for col, title in enumerate(COLUMNS, start=1):
        cell = write_cell(ws, header, col, title)
        cell.font = Font(name=FONT, bold=True, size=TABLE_PT)
        cell.alignment = Alignment(horizontal="center", wrap_text=True, vertical="center")
    body = Font(name=FONT, size=TABLE_PT)
    top = Alignment(wrap_text=True, vertical="top")
    rows = []
    for index, task in enumerate(tasks, start=1):
        values = row_values(task, index, today)
        for col, value in enumerate(values, start=1):
            cell = write_cell(ws, header + index, col, value)
            cell.font, cell.alignment = body, top
        rows.append(values)
    columns = [
        ColumnText(title, [as_text(r[i]) for r in rows], whole=title in WHOLE)
        for i, title in enumerate(COLUMNS)
    ]
    texts = {header + i: [as_text(v) for v in r] for i, r in enumerate(rows, start=1)}
    set_widths_and_heights(ws, columns, header, texts)
    prepare_print(ws, header, len(COLUMNS), header + len(tasks))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
