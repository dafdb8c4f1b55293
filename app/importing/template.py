"""The empty import template an office fills in (or copies its old spreadsheet into)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from app.importing.importer import DEPARTMENT_COLUMNS, DEPARTMENT_SHEET, TASK_COLUMNS, TASK_SHEET
from app.models import Department
from app.printing import FONT, new_workbook, prepare_print
from app.reports.spreadsheet import write_cell

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
HEADER_FONT = Font(name=FONT, bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")


def _header(ws, headers: Iterable[str], widths: Iterable[int], rows: int) -> None:
    """The header row, laid out for print like every workbook the product writes (the header
    stays in row 1: this is the sheet the import reads back)."""
    headers = list(headers)
    for index, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = write_cell(ws, 1, index, title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = width
    prepare_print(ws, 1, len(headers), rows)


def write_template(target: str | Path | BinaryIO, departments: Iterable[Department] = ()) -> None:
    workbook = new_workbook()
    tasks = workbook.active
    tasks.title = TASK_SHEET
    _header(tasks, TASK_COLUMNS.values(), TASK_WIDTHS.values(), 1000)
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
    departments = list(departments)
    _header(units, DEPARTMENT_COLUMNS.values(), (50, 18, 10, 32), len(departments) + 1)
    for row, department in enumerate(departments, start=2):
        values = [department.name, department.short_name, department.display_order]
        for col, value in enumerate([*values, department.email], start=1):
            write_cell(units, row, col, value)  # a unit called "=2+3" stays text

    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for row, line in enumerate(HELP_LINES, start=1):
        write_cell(guide, row, 1, line).alignment = Alignment(wrap_text=True)
    guide["A1"].font = HEADER_FONT
    workbook.save(target)
