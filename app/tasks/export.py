"""The current task list as an XLSX file."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from app.models import Task
from app.reports.spreadsheet import write_cell
from app.tasks.queries import days_late, task_category

COLUMNS = [
    ("STT", 6),
    ("Số ký hiệu", 16),
    ("Ngày ban hành", 13),
    ("Cơ quan ban hành", 20),
    ("Trích yếu", 36),
    ("Nội dung nhiệm vụ", 60),
    ("Đơn vị chủ trì", 30),
    ("Đơn vị phối hợp", 30),
    ("Thời hạn", 12),
    ("Tình trạng", 16),
    ("Phân loại", 24),
    ("Số ngày quá hạn", 10),
    ("Ghi chú", 30),
]


def tasks_workbook(tasks: list[Task], today: dt.date) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    for col, (title, width) in enumerate(COLUMNS, start=1):
        cell = write_cell(ws, 1, col, title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(col)].width = width
    for index, task in enumerate(tasks, start=1):
        values = [
            index,
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
        for col, value in enumerate(values, start=1):
            write_cell(ws, index + 1, col, value).alignment = Alignment(
                wrap_text=True, vertical="top"
            )
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{len(tasks) + 1}"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
