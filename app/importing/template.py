"""The empty import template an office fills in (or copies its old spreadsheet into)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import BinaryIO

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from app.importing.columns import (
    DEPARTMENT_COLUMNS,
    DEPARTMENT_SHEET,
    DEPARTMENT_TABLE,
    DONE_ON,
    ISSUER_SHEET,
    ISSUER_TABLE,
    KEY_GROUPS,
    KIND,
    KIND_BY_SYMBOL,
    LISTS_SHEET,
    RECURRENCE,
    TASK_SHEET,
    TASK_TABLE,
)
from app.models import Department, Issuer
from app.printing.columns import (
    CODE,
    COOPERATORS,
    DEADLINE,
    ISSUED_ON,
    ISSUER,
    LEAD,
    NUMBER,
    STATE,
    Column,
)
from app.printing.measure import FONT
from app.printing.xlsx import HEADER_BLUE, new_workbook, prepare_print, write_cell

STATES = ["Chưa thực hiện", "Đang thực hiện", "Chờ xác nhận", "Đã hoàn thành", "Hủy"]
HELP_LINES = [
    "HƯỚNG DẪN NHẬP DỮ LIỆU",
    "",
    f"{CODE.title} (NV-00012): để trống khi nhập nhiệm vụ mới; bảng xuất từ hệ thống đã ghi sẵn "
    "mã. Dòng có mã cập nhật đúng nhiệm vụ đó (kể cả khi sửa nội dung), nên sửa bảng tính rồi "
    "nhập lại không tạo nhiệm vụ trùng. Dòng không mã mà nội dung gần giống một nhiệm vụ đã có "
    "của cùng văn bản và đơn vị chủ trì sẽ được hỏi lại, không tự tạo mới.",
    f"Trang “{TASK_SHEET}”: mỗi dòng là một nhiệm vụ. Các dòng cùng {NUMBER.title} và "
    f"{ISSUED_ON.title} thuộc cùng một văn bản.",
    f"{ISSUED_ON.title}, {DONE_ON.title}: dạng dd/mm/yyyy (ví dụ 16/12/2024) hoặc ô kiểu ngày.",
    f"{DEADLINE.title}: một ngày dd/mm/yyyy; “N ngày làm việc” (tính từ ngày sau ngày ban hành, "
    "trừ thứ Bảy, Chủ nhật, ngày lễ, Tết); để trống nếu là nhiệm vụ thường xuyên.",
    "Thời hạn rơi vào ngày nghỉ được chuyển sang ngày làm việc tiếp theo (Điều 148 Bộ luật "
    "Dân sự 2015).",
    f"{LEAD.title}, {COOPERATORS.title}: tên hoặc tên viết tắt trong trang “{DEPARTMENT_SHEET}” "
    "hoặc đã có trong hệ thống; nhiều đơn vị phối hợp cách nhau bởi dấu chấm phẩy (;).",
    f"{STATE.title}: {', '.join(STATES)}. Nhiệm vụ “Đã hoàn thành” phải có {DONE_ON.title}.",
    f"{RECURRENCE.title} (không bắt buộc): với nhiệm vụ lặp lại, ghi như văn bản ghi, ví dụ "
    "“hằng tháng, trước ngày 20”, “hằng quý, trước ngày 15 của tháng cuối quý”, “6 tháng, trước "
    "ngày 15/6 và 15/12”, “hằng năm trước ngày 15/12”, “thứ Sáu hằng tuần”, “5 ngày làm việc đầu "
    "mỗi tháng”; mỗi kỳ là một nhiệm vụ riêng, được tạo khi kỳ bắt đầu; cột "
    f"{DEADLINE.title} để trống.",
    f"{KEY_GROUPS.title} (không bắt buộc): tên các nhóm nhiệm vụ trọng tâm đã có trong hệ thống "
    "(trang Nhiệm vụ trọng tâm) mà nhiệm vụ thuộc về, nhiều nhóm cách nhau bởi dấu chấm phẩy (;).",
    f"Trang “{DEPARTMENT_SHEET}” (không bắt buộc): các đơn vị được tạo mới hoặc cập nhật trước, "
    f"theo {DEPARTMENT_COLUMNS['display_order']}.",
    f"{ISSUER.title}: tên hoặc tên viết tắt trong trang “{ISSUER_SHEET}”; cách viết tắt "
    "thường dùng được hiểu (UBND TP Lạng Sơn là UBND thành phố Lạng Sơn). Trang này (không "
    "bắt buộc) thêm cơ quan mới hoặc tên viết tắt trước khi nhập nhiệm vụ; cơ quan chưa có chỉ "
    "được tạo khi tên không khớp cơ quan nào, và kết quả nhập liệt kê các cơ quan mới.",
    f"Các cột {LEAD.title}, {ISSUER.title}, {KIND.title}, {STATE.title} có danh sách chọn.",
    "Nếu có lỗi, hệ thống báo trang, dòng, cột và không nhập dòng nào. Nhập lại cùng tệp "
    "không tạo bản ghi trùng.",
]
HEADER_FONT = Font(name=FONT, bold=True)
HEADER_FILL = PatternFill("solid", fgColor=HEADER_BLUE)


def _header(ws, table: Sequence[Column], rows: int) -> None:
    """The header row, laid out for print like every workbook the product writes (the header
    stays in row 1: this is the sheet the import reads back)."""
    for index, column in enumerate(table, start=1):
        cell = write_cell(ws, 1, index, column.title)
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = column.chars
    prepare_print(ws, 1, len(table), rows)


def _choices(ws, letter: str, source: str, stop: bool) -> None:
    """A drop-down on a column of the task sheet, from a list elsewhere in the workbook."""
    validation = DataValidation(type="list", formula1=source, allow_blank=True)
    if not stop:  # a value not in the list is allowed after a warning (a new unit, issuer)
        validation.errorStyle = "warning"
        validation.error = "Giá trị này chưa có trong danh sách; vẫn dùng được nếu đúng."
    validation.add(f"{letter}2:{letter}1000")
    ws.add_data_validation(validation)


def _list_sheet(workbook, title: str, table: Sequence[Column], rows, count: int):
    sheet = workbook.create_sheet(title)
    _header(sheet, table, count + 1)
    for row, values in enumerate(rows, start=2):
        for col, value in enumerate(values, start=1):
            write_cell(sheet, row, col, value)  # a name written "=2+3" stays text
    return sheet


def write_template(
    target: str | Path | BinaryIO,
    departments: Iterable[Department] = (),
    issuers: Iterable[Issuer] = (),
    kinds: Iterable[str] = (),
) -> None:
    workbook = new_workbook()
    tasks = workbook.active
    tasks.title = TASK_SHEET
    _header(tasks, TASK_TABLE, 1000)
    keys = [column.key for column in TASK_TABLE]

    def letter(key: str) -> str:
        return tasks.cell(row=1, column=keys.index(key) + 1).column_letter

    for key in (ISSUED_ON.key, DONE_ON.key):
        for row in range(2, 1001):
            tasks[f"{letter(key)}{row}"].number_format = "DD/MM/YYYY"

    departments = list(departments)
    _list_sheet(
        workbook,
        DEPARTMENT_SHEET,
        DEPARTMENT_TABLE,
        [[d.name, d.short_name, d.display_order, d.email, d.organ_id or ""] for d in departments],
        len(departments),
    )
    issuers = list(issuers)
    _list_sheet(
        workbook,
        ISSUER_SHEET,
        ISSUER_TABLE,
        [[i.name, i.short_name, i.organ_id or ""] for i in issuers],
        len(issuers),
    )
    kinds = sorted({k.strip() for k in kinds if k and k.strip()} | set(KIND_BY_SYMBOL.values()))
    lists = workbook.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    for row, value in enumerate(kinds, start=1):
        write_cell(lists, row, 1, value)
    for row, value in enumerate(STATES, start=1):
        write_cell(lists, row, 2, value)

    last_unit, last_issuer = max(len(departments), 1) + 1, max(len(issuers), 1) + 1
    _choices(tasks, letter(LEAD.key), f"'{DEPARTMENT_SHEET}'!$A$2:$A${last_unit}", stop=False)
    _choices(tasks, letter(ISSUER.key), f"'{ISSUER_SHEET}'!$A$2:$A${last_issuer}", stop=False)
    _choices(tasks, letter(KIND.key), f"'{LISTS_SHEET}'!$A$1:$A${len(kinds)}", stop=False)
    _choices(tasks, letter(STATE.key), f"'{LISTS_SHEET}'!$B$1:$B${len(STATES)}", stop=True)

    guide = workbook.create_sheet("Hướng dẫn")
    guide.column_dimensions["A"].width = 120
    for row, line in enumerate(HELP_LINES, start=1):
        write_cell(guide, row, 1, line).alignment = Alignment(wrap_text=True)
    guide["A1"].font = HEADER_FONT
    workbook.save(target)


def write_current_template(session, target: str | Path | BinaryIO) -> None:
    """The template with the current units, issuers and document kinds in its lists."""
    from sqlalchemy import select

    from app.models import Document

    write_template(
        target,
        session.scalars(select(Department).order_by(Department.display_order)),
        session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name)),
        session.scalars(select(Document.kind).distinct()),
    )
