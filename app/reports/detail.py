"""The detailed table attached to the monthly section ("Có biểu chi tiết kèm theo Báo cáo").

As of a date: the tasks chậm, then chưa, grouped by lead department (largest group first,
then display order, as in the section), with the deadline as it stood that day, the original
deadline when an extension moved it, days late and the latest progress report by then.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core.classification import Category, classify_tasks, open_statuses
from app.core.deadlines import moved_text
from app.core.units_as_of import UnitThen, ever_led_by, units_on
from app.models import Document, ProgressReport, Task
from app.printing.columns import (
    CODE,
    CONTENT,
    COOPERATORS,
    DAYS_LATE,
    DEADLINE,
    ISSUED_ON,
    ISSUER,
    LEAD,
    NOTE,
    NUMBER,
    ORDINAL,
    SUMMARY,
    Column,
    titles,
)
from app.reports.summary import CATEGORY_HEADINGS, count_text

TITLE = "BIỂU CHI TIẾT TÌNH HÌNH THỰC HIỆN CÁC VĂN BẢN CHỈ ĐẠO, THÔNG BÁO KẾT LUẬN"
PROGRESS = Column("progress", "Tình hình thực hiện")  # the latest report by the as-of date
ORIGINAL_DEADLINE = Column("original_deadline", "Thời hạn ban đầu", whole=True, centred=True)
# The workbook and the CSV carry every date as a date: the original deadline gets its own column.
# Mã nhiệm vụ lets the office correct the workbook and import it again (the row updates it).
SHEET_TABLE = (
    ORDINAL.but(centred=True),
    CODE,
    NUMBER,
    ISSUED_ON.but(centred=True),
    ISSUER,
    SUMMARY,
    CONTENT,
    LEAD,
    COOPERATORS,
    DEADLINE.but(whole=False, centred=True),  # printed with the original deadline, in words
    ORIGINAL_DEADLINE,
    DAYS_LATE.but(centred=True),
    PROGRESS,
    NOTE,
)
# The workbook as printed by default: the code takes a column's width on paper and means nothing
# to a reader; the office asks for it to correct the workbook and import it again.
SHEET_TABLE_PRINTED = tuple(c for c in SHEET_TABLE if c is not CODE)
# The printed table (DOCX): no code, the original deadline within the deadline's cell.
PRINTED_TABLE = tuple(c for c in SHEET_TABLE if c not in (CODE, ORIGINAL_DEADLINE))
COLUMNS = titles(PRINTED_TABLE)
SHEET_COLUMNS = titles(SHEET_TABLE)
SECTION_NUMBERS = {Category.LATE: "I", Category.PENDING: "II"}


@dataclass
class Row:
    task: Task
    lead: UnitThen  # the unit that led the task on the as-of date, named as then
    deadline: dt.date | None
    original_deadline: dt.date | None  # only when it differs from ``deadline``
    days_late: int
    progress: str
    progress_on: dt.date | None

    @property
    def deadline_text(self) -> str:
        text = self.deadline.strftime("%d/%m/%Y") if self.deadline else "Thường xuyên"
        if self.original_deadline:
            text += f" (hạn ban đầu {self.original_deadline:%d/%m/%Y})"
        return text

    @property
    def progress_text(self) -> str:
        if not self.progress:
            return ""
        return (
            f"{self.progress_on:%d/%m/%Y}: {self.progress}" if self.progress_on else self.progress
        )

    def values(self, number: int) -> list:
        """The row's cells in ``PRINTED_TABLE`` order, as printed (the deadline as text)."""
        cells = self.cells(number)
        cells[DEADLINE.key] = self.deadline_text
        return [cells[column.key] for column in PRINTED_TABLE]

    def sheet_values(self, number: int, columns: Sequence[Column] = SHEET_TABLE) -> list:
        """The row's cells in ``columns`` order (``SHEET_TABLE``'s), every date a date."""
        cells = self.cells(number)
        return [cells[column.key] for column in columns]

    def cells(self, number: int) -> dict:
        """The row's cells by column key, every date a date."""
        task, document = self.task, self.task.document
        return {
            ORDINAL.key: number,
            CODE.key: task.code,
            NUMBER.key: document.number,
            ISSUED_ON.key: document.issued_on,
            ISSUER.key: document.issuer.name,
            SUMMARY.key: document.summary,
            CONTENT.key: task.content,
            LEAD.key: self.lead.name,
            COOPERATORS.key: "; ".join(d.name for d in task.cooperating_departments),
            DEADLINE.key: self.deadline or "Thường xuyên",
            ORIGINAL_DEADLINE.key: self.original_deadline,
            DAYS_LATE.key: self.days_late or None,
            PROGRESS.key: self.progress_text,
            NOTE.key: self.note,
        }

    @property
    def note(self) -> str:
        """The task's note, and, when the deadline counted is the working day after the day
        the document wrote, both days ("20/12/2026, Chủ nhật → tính đến 21/12/2026")."""
        task = self.task
        if not (task.deadline_written and self.deadline and self.deadline == task.deadline):
            return task.note
        moved = moved_text(task.deadline_written, task.deadline)
        return f"{task.note}\n{moved}" if task.note else moved


@dataclass
class Group:
    department: UnitThen
    rows: list[Row] = field(default_factory=list)

    @property
    def heading(self) -> str:
        return f"{self.department.name}: {count_text(len(self.rows))}"


@dataclass
class Section:
    category: Category
    groups: list[Group] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(len(g.rows) for g in self.groups)

    @property
    def number(self) -> str:
        return SECTION_NUMBERS[self.category]

    @property
    def heading(self) -> str:
        total = count_text(self.count) if self.count else "không có"
        return f"{CATEGORY_HEADINGS[self.category]}: {total}"


@dataclass
class DetailTable:
    as_of: dt.date
    sections: list[Section]
    department: UnitThen | None = None

    @property
    def title(self) -> str:
        return TITLE

    @property
    def subtitle(self) -> str:
        scope = f" — {self.department.name}" if self.department else ""
        return f"(Tính đến ngày {self.as_of:%d/%m/%Y}{scope})"


def build_detail(
    session: Session,
    as_of: dt.date,
    issuer_ids: Sequence[int] | None = None,
    department_id: int | None = None,
) -> DetailTable:
    where = []
    if issuer_ids:
        where.append(Document.issuer_id.in_(issuer_ids))
    if department_id:
        where.append(ever_led_by(department_id))
    statuses = open_statuses(session, as_of, where)
    if department_id:
        statuses = {i: s for i, s in statuses.items() if s.lead_id == department_id}
    units = units_on(session, as_of)
    tasks = (
        {
            t.id: t
            for t in session.scalars(
                select(Task)
                .where(Task.id.in_(list(statuses)))
                .options(
                    joinedload(Task.document).joinedload(Document.issuer),
                    selectinload(Task.cooperating_departments),
                )
            ).unique()
        }
        if statuses
        else {}
    )
    latest: dict[int, ProgressReport] = {}
    if statuses:
        for report in session.scalars(
            select(ProgressReport)
            .where(ProgressReport.task_id.in_(list(statuses)), ProgressReport.reported_on <= as_of)
            .order_by(ProgressReport.reported_on, ProgressReport.id)
        ):
            latest[report.task_id] = report
    grouped: dict[Category, dict[int, Group]] = {Category.LATE: {}, Category.PENDING: {}}
    for task_id, status in statuses.items():
        task = tasks[task_id]
        original = task.original_deadline  # the deadline the task was given first
        report = latest.get(task_id)
        lead = units[status.lead_id]
        row = Row(
            task,
            lead,
            status.deadline,
            original if original != status.deadline else None,
            status.days_late,
            report.content if report else "",
            report.reported_on if report else None,
        )
        groups = grouped[status.category]
        groups.setdefault(lead.id, Group(lead)).rows.append(row)
    sections = []
    for category in (Category.LATE, Category.PENDING):
        groups = list(grouped[category].values())
        for group in groups:
            if category == Category.LATE:
                group.rows.sort(key=lambda r: (-r.days_late, r.task.id))
            else:
                group.rows.sort(key=lambda r: (r.deadline is None, r.deadline or as_of, r.task.id))
        groups.sort(key=lambda g: (-len(g.rows), g.department.display_order, g.department.name))
        sections.append(Section(category, groups))
    department = units.get(department_id) if department_id else None
    return DetailTable(as_of, sections, department)


@dataclass
class Change:
    department: UnitThen  # the unit that led the tasks on the later date, named as then
    newly_late: list[Task] = field(default_factory=list)
    resolved: list[Task] = field(default_factory=list)  # open before, done or cancelled now
    new: list[Task] = field(default_factory=list)  # issued between the two dates


def compare(
    session: Session, before: dt.date, after: dt.date, issuer_ids: Sequence[int] | None = None
) -> list[Change]:
    """What changed between two report dates, per lead department.

    A task closed for good by ``before`` (``Task.closed_on``) is closed on both dates and was
    there on the first: nothing of it can change, so it is not read (most of an office's
    tasks, years of them)."""
    where = [Document.issuer_id.in_(issuer_ids)] if issuer_ids else []
    where.append(or_(Task.closed_on.is_(None), Task.closed_on > before))
    old = classify_tasks(session, before, where=where)
    new = classify_tasks(session, after, where=where)
    changes: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for task_id, (timeline, status) in sorted(new.items()):  # (in one order on every database)
        previous = old.get(task_id)
        bucket = changes[timeline.lead_department_id]
        if previous is None:
            bucket["new"].append(task_id)
        if status.category == Category.LATE and (
            previous is None or previous[1].category != Category.LATE
        ):
            bucket["newly_late"].append(task_id)
        if previous is not None and previous[1].category.is_open and not status.category.is_open:
            bucket["resolved"].append(task_id)
    ids = {i for b in changes.values() for lst in b.values() for i in lst}
    tasks = (
        {
            t.id: t
            for t in session.scalars(
                select(Task).where(Task.id.in_(ids)).options(joinedload(Task.document))
            )
        }
        if ids
        else {}
    )
    departments = units_on(session, after)
    out = []
    for dep_id, bucket in changes.items():
        if not any(bucket.values()):
            continue
        out.append(
            Change(
                departments[dep_id],
                *[[tasks[i] for i in bucket[k]] for k in ("newly_late", "resolved", "new")],
            )
        )
    out.sort(key=lambda c: (c.department.display_order, c.department.name))
    return out
