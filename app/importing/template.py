"""The empty import template an office fills in (or copies its old spreadsheet into)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from app.importing.importer import DEPARTMENT_COLUMNS, DEPARTMENT_SHEET, TASK_COLUMNS, TASK_SHEET
from app.models import Department

TASK_WIDTHS = {
    "number": 16,
    "issued_on": 14,
    "issuer": 20,
    "kind": 18,
    "summary": 40,
    "content": 60,
    "lead": 32,
    "cooperators": 32,
    "deadline": 18,
    "state": 18,
    "done_on": 16,
    "note": 30,
}
STATES = ["Chưa thực hiện", "Đang thực hiện", "Chờ xác nhận", "Đã hoàn thành", "Hủy"]
HELP_LINES = [
    "HƯỚNG DẪN NHẬP DỮ LIỆU",
    "",
    "Trang “Nhiệm vụ”: mỗi dòng là một nhiệm vụ. Các dòng cùng Số ký hiệu và Ngày ban hành "
    "thuộc cùng một văn bản.",
    "Ngày ban hành, Ngày hoàn thành: dạng dd/mm/yyyy (ví dụ 16/12/2024) hoặc ô kiểu ngày.",
    "Thời hạn: một ngày dd/mm/yyyy; “N ngày làm việc” (tính từ ngày sau ngày ban hành, trừ "
    "thứ Bảy, Chủ nhật, ngày lễ, Tết); để trống nếu là nhiệm vụ thường xuyên.",
    "Thời hạn rơi vào ngày nghỉ được chuyển sang ngày làm việc tiếp theo (Điều 148 Bộ luật "
    "Dân sự 2015).",
    "Đơn vị chủ trì, Đơn vị phối hợp: tên hoặc tên viết tắt trong trang “Đơn vị” hoặc đã có "
    "trong hệ thống; nhiều đơn vị phối hợp cách nhau bởi dấu chấm phẩy (;).",
    "Tình trạng: " + ", ".join(STATES) + ". Nhiệm vụ “Đã hoàn thành” phải có Ngày hoàn thành.",
    "Trang “Đơn vị” (không bắt buộc): các đơn vị được tạo mới hoặc cập nhật trước, theo Thứ tự.",
    "Nếu có lỗi, hệ thống báo trang, dòng, cột và không nhập dòng nào. Nhập lại cùng tệp "
    "không tạo bản ghi trùng.",
]
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws, headers: Iterable[str], widths: Iterable[int]) -> None:
    ws.append(list(headers))
    for index, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=index)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def write_template(target: str | Path | BinaryIO, departments: Iterable[Department] = ()) -> None:
    workbook = Workbook()
    tasks = workbook.active
    tasks.title = TASK_SHEET
    _header(tasks, TASK_COLUMNS.values(), TASK_WIDTHS.values())
    keys = list(TASK_COLUMNS)
    for key in ("issued_on", "done_on"):
        letter = tasks.cell(row=1, column=keys.index(key) + 1).column_letter
        for row in range(2, 1001):
            tasks[f"{letter}{row}"].number_format = "DD/MM/YYYY"
    state_letter = tasks.cell(row=1, column=keys.index("state") + 1).column_letter
    states = DataValidation(type="list", formula1='"' + ",".join(STATES) + '"', allow_blank=True)
    states.add(f"{state_letter}2:{state_letter}1000")
    tasks.add_data_validation(states)

    units = workbook.create_sheet(DEPARTMENT_SHEET)
    _header(units, DEPARTMENT_COLUMNS.values(), (50, 18, 10, 32))
    for department in departments:
        units.append(
            [department.name, department.short_name, department.display_order, department.email]
        )

    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for line in HELP_LINES:
        guide.append([line])
    guide["A1"].font = HEADER_FONT
    workbook.save(target)
