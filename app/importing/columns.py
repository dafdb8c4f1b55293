"""The import's vocabulary: sheet and column names, the words for states and kinds."""

from __future__ import annotations

import re

from app.models.documents import TaskState

TASK_SHEET = "Nhiệm vụ"
DEPARTMENT_SHEET = "Đơn vị"
ISSUER_SHEET = "Cơ quan ban hành"
ISSUER_COLUMNS = {"name": "Tên cơ quan", "short_name": "Tên viết tắt"}
LISTS_SHEET = "Danh mục"  # the template's hidden lists behind its drop-downs

TASK_COLUMNS = {
    "code": "Mã nhiệm vụ",
    "number": "Số ký hiệu",
    "issued_on": "Ngày ban hành",
    "issuer": "Cơ quan ban hành",
    "kind": "Loại văn bản",
    "summary": "Trích yếu",
    "content": "Nội dung nhiệm vụ",
    "lead": "Đơn vị chủ trì",
    "cooperators": "Đơn vị phối hợp",
    "deadline": "Thời hạn",
    "state": "Tình trạng",
    "done_on": "Ngày hoàn thành",
    "note": "Ghi chú",
    "recurrence": "Định kỳ",  # optional: "hằng tháng, trước ngày 20" makes the row a series
}
TASK_REQUIRED = ("number", "issued_on", "issuer", "content", "lead", "deadline", "state")

DEPARTMENT_COLUMNS = {
    "name": "Tên đơn vị",
    "short_name": "Tên viết tắt",
    "display_order": "Thứ tự",
    "email": "Email",
}

STATE_WORDS = {
    "chua thuc hien": TaskState.OPEN,
    "chua": TaskState.OPEN,
    "dang thuc hien": TaskState.IN_PROGRESS,
    "cho xac nhan": TaskState.AWAITING_CONFIRMATION,
    "da hoan thanh": TaskState.DONE,
    "hoan thanh": TaskState.DONE,
    "huy": TaskState.CANCELLED,
    "da huy": TaskState.CANCELLED,
}
KIND_BY_SYMBOL = {
    "TB": "Thông báo kết luận",
    "CT": "Chỉ thị",
    "KL": "Kết luận",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
}
_WORKING_DAYS = re.compile(r"^(\d{1,3})\s*ngay(\s+lam\s+viec)?$")
_DATE_TEXT = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")
_STANDING = {"thuong xuyen", "khong thoi han", "khong"}
SIMILAR_RATIO = 0.75  # word-level likeness from which two task texts are "a few words apart"
UPDATE, NEW = "update", "new"  # what the office chose for a row like an existing task
