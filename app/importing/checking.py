"""Checking the rows of the task sheet: every value read as the office writes it, every
problem located; nothing is written here."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import MAX_WORKING_DAYS, WorkCalendar, resolve_deadline
from app.core.textnorm import fold
from app.importing.columns import (
    _STANDING,
    _WORKING_DAYS,
    KIND_BY_SYMBOL,
    STATE_WORDS,
    TASK_COLUMNS,
)
from app.importing.departments import DepartmentIndex
from app.importing.issuers import AmbiguousIssuer, IssuerIndex, issuer_key
from app.importing.reader import Problem, Row
from app.importing.values import _text, parse_date
from app.models import Department, Document, Issuer, Task
from app.models.documents import DeadlineKind, TaskState, task_code, task_id_from_code
from app.recurring.recurrence import PhraseError, parse_phrase

CHUNK = 500  # ids or names in one IN (…): well under every database's limit


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
    recurrence: str = ""  # a recurring duty's phrase: the row is a series, not one task
    key_groups_text: str = ""  # the key task groups named (app.importing.key_groups)
    key_groups: list[int] = field(default_factory=list)


def _date_problem(row: Row, column: str, value: Any) -> Problem:
    return row.problem(column, f"“{_text(value)}” không phải là ngày hợp lệ (dạng dd/mm/yyyy).")


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
    task_id = _task_id(row, cols, problems)
    issued_on = _required_and_issued_on(row, cols, problems)
    lead = _lead(row, cols, departments, issued_on, problems)
    cooperators = _cooperators(row, cols, departments, issued_on, problems)
    state, done_on = _state_and_done_on(row, cols, issued_on, problems)
    recurrence, deadline = _recurrence_and_deadline(row, task_id, issued_on, calendar, problems)
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
        recurrence=recurrence,
        key_groups_text=_text(cells.get("key_groups")),
    )


def _task_id(row: Row, cols: dict[str, str], problems: list[Problem]) -> int | None:
    """The task the row's Mã nhiệm vụ names, if any."""
    cells = row.cells
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
    return task_id


def _required_and_issued_on(
    row: Row, cols: dict[str, str], problems: list[Problem]
) -> dt.date | None:
    """The cells that may not be empty, and the document's issue date."""
    cells = row.cells
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
    return issued_on


def _lead(
    row: Row,
    cols: dict[str, str],
    departments: DepartmentIndex,
    issued_on: dt.date | None,
    problems: list[Problem],
) -> Department | None:
    """The lead unit, as of the document's issue date."""
    cells = row.cells
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
        else:
            try:
                lead = departments.on(lead, issued_on, row)
            except LookupError as error:
                problems.append(row.problem(cols["lead"], str(error)))
    return lead


def _cooperators(
    row: Row,
    cols: dict[str, str],
    departments: DepartmentIndex,
    issued_on: dt.date | None,
    problems: list[Problem],
) -> list[Department]:
    """The cooperating units (separated by ";" or lines), as of the issue date, once each."""
    cells = row.cells
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
        else:
            try:
                department = departments.on(department, issued_on, row)
            except LookupError as error:
                problems.append(row.problem(cols["cooperators"], str(error)))
                continue
            if department not in cooperators:
                cooperators.append(department)
    return cooperators


def _state_and_done_on(
    row: Row, cols: dict[str, str], issued_on: dt.date | None, problems: list[Problem]
) -> tuple[str | None, dt.date | None]:
    """The state, and the day it was done (or cancelled)."""
    cells = row.cells
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
    return state, done_on


def _recurrence_and_deadline(
    row: Row,
    task_id: int | None,
    issued_on: dt.date | None,
    calendar: WorkCalendar,
    problems: list[Problem],
):
    """A recurring duty's phrase (each period has its own deadline), or the task's deadline:
    (phrase, (deadline kind, deadline, working days) or None when unreadable)."""
    cells = row.cells
    recurrence = _text(cells.get("recurrence"))
    if recurrence:
        try:
            parse_phrase(recurrence)
        except PhraseError as error:
            problems.append(row.problem(TASK_COLUMNS["recurrence"], str(error)))
        if task_id:
            problems.append(
                row.problem(
                    TASK_COLUMNS["recurrence"], "dòng có mã nhiệm vụ là một kỳ, không ghi định kỳ."
                )
            )
        deadline = (DeadlineKind.NONE, None, None)  # each period has its own deadline
    else:
        deadline = _parse_deadline(row, cells.get("deadline"), issued_on, calendar, problems)
    return recurrence, deadline


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


def _check_codes(session: Session, rows: list[TaskRow], problems: list[Problem]) -> set[int]:
    """A row's Mã nhiệm vụ names a task that exists, once in the file, of the row's document.
    Returns the ids named."""
    coded = [item for item in rows if item.task_id]
    ids = sorted({item.task_id for item in coded})
    documents: dict[int, tuple[str, dt.date]] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Task.id, Document.number, Document.issued_on)
            .join(Document, Document.id == Task.document_id)
            .where(Task.id.in_(ids[start : start + CHUNK]))
        )
        documents.update((id_, (number, issued)) for id_, number, issued in session.execute(query))
    seen: dict[int, int] = {}
    column = TASK_COLUMNS["code"]
    for item in coded:
        code = task_code(item.task_id)
        document = documents.get(item.task_id)
        if item.task_id in seen:
            problems.append(
                item.row.problem(column, f"mã {code} đã có ở dòng {seen[item.task_id]}.")
            )
            continue
        seen[item.task_id] = item.row.number
        if document is None:
            problems.append(item.row.problem(column, f"không có nhiệm vụ mã {code}."))
        elif (fold(document[0]), document[1]) != (fold(item.number), item.issued_on):
            problems.append(
                item.row.problem(
                    column,
                    f"mã {code} là nhiệm vụ của văn bản {document[0]} ngày "
                    f"{document[1]:%d/%m/%Y}, không phải {item.number}.",
                )
            )
    return set(documents)
