"""Validating the task rows and writing them, all or nothing.

The caller owns the transaction: on ``ImportFailed`` it rolls back, otherwise it commits.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.datetime import from_excel
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.deadlines import MAX_WORKING_DAYS, WorkCalendar, load_calendar, resolve_deadline
from app.importing.issuers import AmbiguousIssuer, IssuerIndex, issuer_key
from app.importing.reader import CSV_SHEET, ImportFailed, Problem, Row, extract_sheet, read_file
from app.models import Department, Document, Issuer, Task
from app.models.documents import DeadlineKind, TaskState, task_code, task_id_from_code
from app.models.history import EventKind
from app.tasks.changes import add_task, change_deadline, change_state, edit_task
from app.textnorm import fold

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


@dataclass
class Outcome:
    """What the import did (or, in a preview, would do) with one row."""

    row: int
    action: str  # new, updated, unchanged, suspect
    code: str
    content: str
    similar_code: str = ""
    similar_content: str = ""


@dataclass
class ImportResult:
    created_departments: list[str] = field(default_factory=list)
    updated_departments: list[str] = field(default_factory=list)
    created_issuers: list[str] = field(default_factory=list)
    created_documents: int = 0
    created_tasks: int = 0
    updated_tasks: int = 0
    unchanged_tasks: int = 0
    outcomes: list[Outcome] = field(default_factory=list)

    def of(self, action: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    def lines(self) -> list[str]:
        out = []
        if self.created_departments:
            out.append(
                f"Đơn vị mới: {len(self.created_departments)} "
                f"({', '.join(self.created_departments)})"
            )
        if self.updated_departments:
            out.append(f"Đơn vị cập nhật: {len(self.updated_departments)}")
        if self.created_issuers:
            out.append(f"Cơ quan ban hành mới: {', '.join(self.created_issuers)}")
        out.append(f"Văn bản mới: {self.created_documents}")
        out.append(f"Nhiệm vụ mới: {self.created_tasks}")
        out.append(f"Nhiệm vụ cập nhật: {self.updated_tasks}")
        out.append(f"Nhiệm vụ không thay đổi: {self.unchanged_tasks}")
        suspects = self.of("suspect")
        if suspects:
            out.append(f"Nghi trùng với nhiệm vụ đã có (chưa ghi): {len(suspects)}")
        return out


@dataclass
class TaskRow:
    row: Row
    number: str
    issued_on: dt.date
    issuer: str
    kind: str
    summary: str
    content: str
    lead: Department
    cooperators: list[Department]
    deadline_kind: str
    deadline: dt.date | None
    working_days: int | None
    state: str
    done_on: dt.date | None
    note: str
    issuer_found: Issuer | None = None  # the existing issuer the text names, if any
    task_id: int | None = None  # from the row's Mã nhiệm vụ: the task it updates


class DepartmentIndex:
    """Departments found by name or short name, folded."""

    def __init__(self, departments: list[Department]) -> None:
        self._by_key: dict[str, Department] = {}
        for department in departments:
            self.add(department)

    def add(self, department: Department) -> None:
        for key in (fold(department.name), fold(department.short_name)):
            if key:
                self._by_key.setdefault(key, department)

    def find(self, text: str | None) -> Department | None:
        return self._by_key.get(fold(text))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """A real spreadsheet date, an Excel serial number or ``dd/mm/yyyy`` text; else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 20000 < value < 80000:
        return from_excel(value).date()
    match = _DATE_TEXT.match(_text(value))
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    return None


def _date_problem(row: Row, column: str, value: Any) -> Problem:
    return row.problem(column, f"“{_text(value)}” không phải là ngày hợp lệ (dạng dd/mm/yyyy).")


def _import_departments(
    session: Session,
    sheet_rows,
    index: DepartmentIndex,
    result: ImportResult,
    problems: list[Problem],
) -> None:
    cols = DEPARTMENT_COLUMNS
    seen: dict[str, int] = {}
    for row in sheet_rows:
        name = _text(row.cells.get("name"))
        if not name:
            problems.append(row.problem(cols["name"], "thiếu tên đơn vị."))
            continue
        if fold(name) in seen:
            problems.append(
                row.problem(cols["name"], f"đơn vị “{name}” trùng với dòng {seen[fold(name)]}.")
            )
            continue
        seen[fold(name)] = row.number
        order_value = row.cells.get("display_order")
        order = None
        if order_value is not None:
            try:
                order = int(float(_text(order_value)))
            except ValueError:
                problems.append(
                    row.problem(cols["display_order"], f"“{_text(order_value)}” không phải là số.")
                )
                continue
        email = _text(row.cells.get("email"))
        if email and "@" not in email:
            problems.append(row.problem(cols["email"], f"“{email}” không phải là địa chỉ email."))
            continue
        short = _text(row.cells.get("short_name"))
        department = index.find(name)
        if department is None:
            department = Department(
                name=name,
                short_name=short,
                email=email,
                display_order=order if order is not None else row.number,
            )
            session.add(department)
            index.add(department)
            result.created_departments.append(name)
            continue
        changed = False
        for attr, value in (("short_name", short), ("email", email), ("display_order", order)):
            if value not in (None, "") and getattr(department, attr) != value:
                setattr(department, attr, value)
                changed = True
        if changed:
            result.updated_departments.append(department.name)
            index.add(department)


def _parse_deadline(
    row: Row, value: Any, issued_on: dt.date | None, calendar: WorkCalendar, problems: list[Problem]
):
    column = TASK_COLUMNS["deadline"]
    if value is None or fold(_text(value)) in _STANDING:
        return DeadlineKind.NONE, None, None
    folded = fold(_text(value))
    match = _WORKING_DAYS.match(folded)
    if match:
        count = int(match.group(1))
        if not 1 <= count <= MAX_WORKING_DAYS:
            problems.append(
                row.problem(column, f"số ngày làm việc phải từ 1 đến {MAX_WORKING_DAYS}.")
            )
            return None
        if issued_on is None:
            return None  # the issue date's own problem is already reported
        return (
            DeadlineKind.WORKING_DAYS,
            resolve_deadline(calendar, DeadlineKind.WORKING_DAYS, issued_on, working_days=count),
            count,
        )
    day = parse_date(value)
    if day is None:
        problems.append(
            row.problem(
                column,
                f"“{_text(value)}” không đọc được: ghi ngày "
                "dd/mm/yyyy, “N ngày làm việc”, hoặc để trống "
                "nếu là nhiệm vụ thường xuyên.",
            )
        )
        return None
    return DeadlineKind.DATE, calendar.next_working_day(day), None


def _parse_task_row(
    row: Row, departments: DepartmentIndex, calendar: WorkCalendar, problems: list[Problem]
) -> TaskRow | None:
    cols, cells = TASK_COLUMNS, row.cells
    before = len(problems)
    task_id = None
    if _text(cells.get("code")):
        task_id = task_id_from_code(_text(cells["code"]))
        if task_id is None:
            problems.append(
                row.problem(
                    cols["code"],
                    f"“{_text(cells['code'])[:40]}” không phải mã nhiệm vụ (dạng NV-00012).",
                )
            )
    for key in ("number", "issuer", "content", "lead"):
        if not _text(cells.get(key)):
            problems.append(row.problem(cols[key], "ô này không được để trống."))
    issued_on = None
    if cells.get("issued_on") is None:
        problems.append(row.problem(cols["issued_on"], "ô này không được để trống."))
    else:
        issued_on = parse_date(cells["issued_on"])
        if issued_on is None:
            problems.append(_date_problem(row, cols["issued_on"], cells["issued_on"]))
    lead = None
    if _text(cells.get("lead")):
        lead = departments.find(_text(cells["lead"]))
        if lead is None:
            problems.append(
                row.problem(
                    cols["lead"],
                    f"không có đơn vị “{_text(cells['lead'])}” trong danh sách đơn vị.",
                )
            )
    cooperators = []
    for name in re.split(r"[;\n]", _text(cells.get("cooperators"))):
        if not name.strip():
            continue
        department = departments.find(name)
        if department is None:
            problems.append(
                row.problem(
                    cols["cooperators"], f"không có đơn vị “{name.strip()}” trong danh sách đơn vị."
                )
            )
        elif department not in cooperators:
            cooperators.append(department)
    state_text = _text(cells.get("state"))
    state = STATE_WORDS.get(fold(state_text)) if state_text else TaskState.OPEN
    if state is None:
        problems.append(
            row.problem(
                cols["state"],
                f"“{state_text}” không phải là tình trạng hợp "
                "lệ (Chưa thực hiện, Đang thực hiện, Chờ xác "
                "nhận, Đã hoàn thành, Hủy).",
            )
        )
    done_on = None
    if cells.get("done_on") is not None:
        done_on = parse_date(cells["done_on"])
        if done_on is None:
            problems.append(_date_problem(row, cols["done_on"], cells["done_on"]))
        elif state not in (TaskState.DONE, TaskState.CANCELLED, None):
            problems.append(
                row.problem(
                    cols["done_on"],
                    "chỉ ghi ngày hoàn thành khi tình trạng "
                    "là “Đã hoàn thành” (hoặc ngày hủy khi "
                    "“Hủy”).",
                )
            )
        elif issued_on and done_on < issued_on:
            problems.append(row.problem(cols["done_on"], "ngày hoàn thành trước ngày ban hành."))
    elif state == TaskState.DONE:
        problems.append(
            row.problem(
                cols["done_on"], "nhiệm vụ đã hoàn thành phải có ngày hoàn thành (dd/mm/yyyy)."
            )
        )
    deadline = _parse_deadline(row, cells.get("deadline"), issued_on, calendar, problems)
    if len(problems) > before or deadline is None:
        return None
    number = re.sub(r"\s+", "", _text(cells["number"]))
    kind = _text(cells.get("kind"))
    if not kind:
        symbol = re.match(r"^[^/]*/([^-/]+)", number)
        kind = KIND_BY_SYMBOL.get(symbol.group(1).upper(), "") if symbol else ""
    return TaskRow(
        row=row,
        number=number,
        issued_on=issued_on,
        issuer=_text(cells["issuer"]),
        kind=kind,
        summary=_text(cells.get("summary")),
        content=_text(cells["content"]),
        lead=lead,
        cooperators=cooperators,
        deadline_kind=deadline[0],
        deadline=deadline[1],
        working_days=deadline[2],
        state=state,
        done_on=done_on,
        note=_text(cells.get("note")),
        task_id=task_id,
    )


def _issuer_identity(item: TaskRow):
    return ("id", item.issuer_found.id) if item.issuer_found else ("new", issuer_key(item.issuer))


def _resolve_issuers(rows: list[TaskRow], index: IssuerIndex, problems: list[Problem]) -> None:
    """Each row's issuer as the office's list names it ("UBND TP …" is "UBND thành phố …")."""
    for item in rows:
        try:
            item.issuer_found = index.find(item.issuer)
        except AmbiguousIssuer as error:
            problems.append(item.row.problem(TASK_COLUMNS["issuer"], str(error)))


def _check_consistency(rows: list[TaskRow], problems: list[Problem]) -> None:
    """Rows of one document agree on its issuer; no task is listed twice."""
    documents: dict[tuple[str, dt.date], TaskRow] = {}
    tasks: dict[tuple, TaskRow] = {}
    for item in rows:
        doc_key = (fold(item.number), item.issued_on)
        first = documents.setdefault(doc_key, item)
        if _issuer_identity(first) != _issuer_identity(item):
            problems.append(
                item.row.problem(
                    TASK_COLUMNS["issuer"],
                    f"văn bản {item.number} ngày "
                    f"{item.issued_on:%d/%m/%Y} đã ghi cơ quan ban hành “{first.issuer}” ở dòng "
                    f"{first.row.number}.",
                )
            )
        task_key = (*doc_key, fold(item.content), item.lead.id or id(item.lead))
        if task_key in tasks:
            problems.append(
                item.row.problem(
                    TASK_COLUMNS["content"],
                    f"nhiệm vụ này trùng với dòng {tasks[task_key].row.number} "
                    "(cùng văn bản, nội dung và đơn vị chủ trì).",
                )
            )
        tasks.setdefault(task_key, item)


def _check_codes(session: Session, rows: list[TaskRow], problems: list[Problem]) -> None:
    """A row's Mã nhiệm vụ names a task that exists, once in the file, of the row's document."""
    coded = [item for item in rows if item.task_id]
    tasks = (
        {
            t.id: t
            for t in session.scalars(select(Task).where(Task.id.in_([i.task_id for i in coded])))
        }
        if coded
        else {}
    )
    seen: dict[int, int] = {}
    column = TASK_COLUMNS["code"]
    for item in coded:
        code = task_code(item.task_id)
        task = tasks.get(item.task_id)
        if item.task_id in seen:
            problems.append(
                item.row.problem(column, f"mã {code} đã có ở dòng {seen[item.task_id]}.")
            )
            continue
        seen[item.task_id] = item.row.number
        if task is None:
            problems.append(item.row.problem(column, f"không có nhiệm vụ mã {code}."))
        elif (fold(task.document.number), task.document.issued_on) != (
            fold(item.number),
            item.issued_on,
        ):
            problems.append(
                item.row.problem(
                    column,
                    f"mã {code} là nhiệm vụ của văn bản {task.document.number} ngày "
                    f"{task.document.issued_on:%d/%m/%Y}, không phải {item.number}.",
                )
            )


def _issuer(session: Session, item: TaskRow, index: IssuerIndex, result: ImportResult) -> Issuer:
    """The row's issuer; a new one only when the name matches none in the list."""
    if item.issuer_found is not None:
        return item.issuer_found
    issuer = index.find(item.issuer)  # created by an earlier row of this file
    if issuer is None:
        issuer = Issuer(name=item.issuer, display_order=len(index.issuers) + 1)
        session.add(issuer)
        index.add(issuer)
        result.created_issuers.append(item.issuer)
    return issuer


def _import_issuers(
    session: Session, sheet_rows, index: IssuerIndex, result: ImportResult, problems
) -> None:
    """The optional sheet of issuers (name, short name), applied before the tasks."""
    for row in sheet_rows:
        name = _text(row.cells.get("name"))
        short = _text(row.cells.get("short_name"))
        if not name:
            problems.append(row.problem(ISSUER_COLUMNS["name"], "thiếu tên cơ quan."))
            continue
        try:
            issuer = index.find(name) or (index.find(short) if short else None)
        except AmbiguousIssuer as error:
            problems.append(row.problem(ISSUER_COLUMNS["name"], str(error)))
            continue
        if issuer is None:
            issuer = Issuer(name=name, short_name=short, display_order=len(index.issuers) + 1)
            session.add(issuer)
            index.add(issuer)
            result.created_issuers.append(name)
        elif short and issuer.short_name != short:
            issuer.short_name = short
            index.add(issuer)


def _words(text: str) -> list[str]:
    return fold(text).split()


def similar_task(content: str, candidates) -> Task | None:
    """The task among ``candidates`` whose text is a few words from ``content``, if any."""
    from difflib import SequenceMatcher

    words = _words(content)
    best, best_ratio = None, SIMILAR_RATIO
    for task in candidates:
        ratio = SequenceMatcher(None, words, _words(task.content), autojunk=False).ratio()
        if ratio >= best_ratio:
            best, best_ratio = task, ratio
    return best


def _apply_row(
    session: Session,
    item: TaskRow,
    document: Document,
    today: dt.date,
    result: ImportResult,
    choice: str | None,
    coded: set[int],
) -> None:
    if item.task_id:
        existing = session.get(Task, item.task_id)
    else:
        existing = next(
            (
                t
                for t in document.tasks
                if fold(t.content) == fold(item.content) and t.lead_department_id == item.lead.id
            ),
            None,
        )
    if existing is None:
        others = [
            t
            for t in document.tasks
            if t.lead_department_id == item.lead.id and t.id not in coded and t.id is not None
        ]
        like = similar_task(item.content, others)
        if like is not None and choice != NEW:
            if choice != UPDATE:
                result.outcomes.append(
                    Outcome(
                        item.row.number,
                        "suspect",
                        "",
                        item.content,
                        like.code,
                        like.content,
                    )
                )
                return
            existing = like
    if existing is None:
        # A completion (or a dated cancellation) holds from its own date: open until then.
        closes_later = item.state == TaskState.DONE or (
            item.state == TaskState.CANCELLED and item.done_on is not None
        )
        task = add_task(
            session,
            document,
            content=item.content,
            lead=item.lead,
            cooperators=item.cooperators,
            deadline_kind=item.deadline_kind,
            deadline=item.deadline,
            working_days=item.working_days,
            state=TaskState.OPEN if closes_later else item.state,
            note=item.note,
            kind=EventKind.IMPORTED,
        )
        if closes_later:
            change_state(
                session, task, item.state, effective_on=item.done_on, comment="Nhập từ bảng tính"
            )
        result.created_tasks += 1
        result.outcomes.append(Outcome(item.row.number, "new", task.code, item.content))
        return
    changed = False
    if (existing.deadline, existing.deadline_kind) != (item.deadline, item.deadline_kind):
        change_deadline(
            session,
            existing,
            item.deadline,
            effective_on=today,
            deadline_kind=item.deadline_kind,
            working_days=item.working_days,
            comment="Cập nhật từ bảng tính",
        )
        changed = True
    if existing.state != item.state or (
        item.state == TaskState.DONE and existing.done_on != item.done_on
    ):
        effective = (
            item.done_on
            if item.state in (TaskState.DONE, TaskState.CANCELLED) and item.done_on
            else today
        )
        change_state(
            session, existing, item.state, effective_on=effective, comment="Cập nhật từ bảng tính"
        )
        changed = True
    edited = edit_task(
        session,
        existing,
        effective_on=today,
        content=item.content,  # a corrected text (the row names the task by its code)
        lead=item.lead,
        cooperators=item.cooperators,
        note=item.note,
    )
    changed = changed or edited is not None
    if changed:
        result.updated_tasks += 1
    else:
        result.unchanged_tasks += 1
    action = "updated" if changed else "unchanged"
    result.outcomes.append(Outcome(item.row.number, action, existing.code, item.content))


def import_tasks(
    session: Session,
    source,
    filename: str | None = None,
    today: dt.date | None = None,
    choices: dict[int, str] | None = None,
    preview: bool = False,
    similar: str | None = None,
) -> ImportResult:
    """Import a follow-up spreadsheet; raises ``ImportFailed`` listing every problem found.

    A row without a code whose text is a few words from a task of the same document and lead
    unit is never created silently: ``choices`` (row number → ``update`` or ``new``) says what
    to do with it; without a choice the import fails naming it, or, with ``preview``, lists it
    as a suspect; ``similar`` (``update`` or ``new``) is the choice for every such row that
    ``choices`` does not name. Flushes but never commits: on failure (and after a preview)
    the caller rolls back and nothing is kept.
    """
    choices = choices or {}
    today = today or dt.date.today()
    raw = read_file(source, filename)
    by_name = {fold(name): (name, rows) for name, rows in raw}
    problems: list[Problem] = []
    result = ImportResult()
    departments = DepartmentIndex(list(session.scalars(select(Department))))

    issuers = IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id)))
    if fold(ISSUER_SHEET) in by_name:
        name, rows = by_name[fold(ISSUER_SHEET)]
        sheet, found = extract_sheet(name, rows, ISSUER_COLUMNS, ("name",))
        problems += found
        if sheet:
            _import_issuers(session, sheet.rows, issuers, result, problems)
            session.flush()

    if fold(DEPARTMENT_SHEET) in by_name:
        name, rows = by_name[fold(DEPARTMENT_SHEET)]
        sheet, found = extract_sheet(name, rows, DEPARTMENT_COLUMNS, ("name",))
        problems += found
        if sheet:
            _import_departments(session, sheet.rows, departments, result, problems)
            session.flush()

    if fold(TASK_SHEET) in by_name:
        task_sheet = by_name[fold(TASK_SHEET)]
    elif len(raw) == 1 or raw[0][0] == CSV_SHEET:
        task_sheet = raw[0]
    else:
        lists = (fold(DEPARTMENT_SHEET), fold(ISSUER_SHEET), fold(LISTS_SHEET))
        others = [name for name, _ in raw if fold(name) not in lists]
        if len(others) != 1:
            raise ImportFailed(
                problems
                + [Problem(f"tệp có nhiều trang; trang nhiệm vụ phải có tên “{TASK_SHEET}”.")]
            )
        task_sheet = next((n, r) for n, r in raw if n == others[0])
    sheet, found = extract_sheet(task_sheet[0], task_sheet[1], TASK_COLUMNS, TASK_REQUIRED)
    problems += found
    if sheet is None:
        raise ImportFailed(problems)
    if not sheet.rows:
        problems.append(Problem("trang không có dòng nhiệm vụ nào.", sheet.name))

    calendar = load_calendar(session)
    parsed = [_parse_task_row(row, departments, calendar, problems) for row in sheet.rows]
    rows = [item for item in parsed if item is not None]
    _resolve_issuers(rows, issuers, problems)
    _check_consistency(rows, problems)
    _check_codes(session, rows, problems)
    if problems:
        raise ImportFailed(problems)
    coded = {item.task_id for item in rows if item.task_id}

    documents: dict[tuple[str, dt.date], Document] = {}
    for item in rows:
        key = (fold(item.number), item.issued_on)
        document = documents.get(key)
        if document is None:
            issuer = _issuer(session, item, issuers, result)
            session.flush()
            document = session.scalar(
                select(Document).where(
                    Document.issuer_id == issuer.id,
                    Document.number == item.number,
                    Document.issued_on == item.issued_on,
                )
            )
            if document is None:
                document = Document(
                    number=item.number,
                    issued_on=item.issued_on,
                    issuer=issuer,
                    kind=item.kind,
                    summary=item.summary,
                )
                session.add(document)
                session.flush()
                result.created_documents += 1
            else:
                document.kind = item.kind or document.kind
                document.summary = item.summary or document.summary
            documents[key] = document
        choice = choices.get(item.row.number, similar)
        _apply_row(session, item, document, today, result, choice, coded)
    session.flush()
    suspects = result.of("suspect")
    if suspects and not preview:
        raise ImportFailed(
            [
                Problem(
                    f"nội dung gần giống nhiệm vụ {o.similar_code} “{o.similar_content[:80]}”: "
                    f"ghi mã {o.similar_code} vào cột “{TASK_COLUMNS['code']}” để cập nhật "
                    "nhiệm vụ đó, hoặc chọn “mới” khi xem trước.",
                    TASK_SHEET,
                    o.row,
                    TASK_COLUMNS["content"],
                )
                for o in suspects
            ]
        )
    return result


def preview_import(
    session: Session,
    source,
    filename: str | None = None,
    today: dt.date | None = None,
    choices: dict[int, str] | None = None,
    similar: str | None = None,
) -> ImportResult:
    """What ``import_tasks`` would do, written nowhere (the work is rolled back)."""
    try:
        return import_tasks(
            session, source, filename, today, choices, preview=True, similar=similar
        )
    finally:
        session.rollback()
