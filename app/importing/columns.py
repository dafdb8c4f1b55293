"""The import's vocabulary: sheet and column names, the words for states and kinds."""

from __future__ import annotations

import re

from app.models.documents import TaskState
from app.printing.columns import (
    CODE,
    CONTENT,
    COOPERATORS,
    DEADLINE,
    ISSUED_ON,
    ISSUER,
    LEAD,
    NOTE,
    NUMBER,
    STATE,
    SUMMARY,
    Column,
    titles_by_key,
)

TASK_SHEET = "Nhiệm vụ"
DEPARTMENT_SHEET = "Đơn vị"
ISSUER_SHEET = "Cơ quan ban hành"
ISSUER_TABLE = (
    Column("name", "Tên cơ quan", chars=50),
    Column("short_name", "Tên viết tắt", chars=20),
    Column("organ_id", "Mã định danh", chars=18),
)
LISTS_SHEET = "Danh mục"  # the template's hidden lists behind its drop-downs

# The task sheet. A task's columns are those the task list and the detailed table export (one
# declaration each, in app.printing.columns): an exported workbook's header row is one the
# import reads. ``chars``: the column's width in the template.
KIND = Column("kind", "Loại văn bản", chars=18)
DONE_ON = Column("done_on", "Ngày hoàn thành", chars=16)
# optional: "hằng tháng, trước ngày 20" makes the row a series
RECURRENCE = Column("recurrence", "Định kỳ", chars=30)
# optional: the key task groups the task belongs to (app.importing.key_groups)
KEY_GROUPS = Column("key_groups", "Nhóm nhiệm vụ trọng tâm", chars=30)
TASK_TABLE = (
    CODE.but(chars=12),
    NUMBER.but(chars=16),
    ISSUED_ON.but(chars=14),
    ISSUER.but(chars=20),
    KIND,
    SUMMARY.but(chars=40),
    CONTENT.but(chars=60),
    LEAD.but(chars=32),
    COOPERATORS.but(chars=32),
    DEADLINE.but(chars=18),
    STATE.but(chars=18),
    DONE_ON,
    NOTE.but(chars=30),
    RECURRENCE,
    KEY_GROUPS,
)
TASK_REQUIRED = ("number", "issued_on", "issuer", "content", "lead", "deadline", "state")

DEPARTMENT_TABLE = (
    Column("name", "Tên đơn vị", chars=50),
    Column("short_name", "Tên viết tắt", chars=18),
    Column("display_order", "Thứ tự", chars=10),
    Column("email", "Email", chars=32),
    Column("organ_id", "Mã định danh", chars=18),
)

# Each sheet's titles by key: the headers the reader matches (as ``app.core.textnorm.fold``
# folds them) and the columns its messages name.
TASK_COLUMNS = titles_by_key(TASK_TABLE)
DEPARTMENT_COLUMNS = titles_by_key(DEPARTMENT_TABLE)
ISSUER_COLUMNS = titles_by_key(ISSUER_TABLE)

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
