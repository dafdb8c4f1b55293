"""The current task list as an XLSX or a CSV file, with the same columns."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from app.models import Department, Document, Issuer, Task, User
from app.models.documents import TaskState, task_code, task_cooperators
from app.printing.cells import RISKY_FIRST, as_text, csv_safe
from app.printing.columns import (
    CATEGORY,
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
    STATE,
    SUMMARY,
    column_texts,
    titles,
)
from app.printing.letterhead import Letterhead
from app.printing.measure import FONT, TABLE_PT
from app.printing.xlsx import (
    StagedRows,
    append_rows,
    new_workbook,
    prepare_print,
    set_widths_and_heights,
    sheet_heading,
    table_header,
)
from app.tasks.queries import TaskFilter, days_late, filtered_query, task_category

CHUNK = 500  # ids in one IN (…)

# A task's columns are the same declarations as the import's (``app.importing.columns``): the
# import reads this header row, and a row's Mã nhiệm vụ names the task it updates.
TABLE = (
    ORDINAL,
    CODE,
    NUMBER,
    ISSUED_ON,
    ISSUER,
    SUMMARY,
    CONTENT,
    LEAD,
    COOPERATORS,
    DEADLINE,
    STATE,
    CATEGORY,
    DAYS_LATE,
    NOTE,
)
COLUMNS = titles(TABLE)
TITLE = "DANH SÁCH NHIỆM VỤ"


def export_rows(session: Session, user: User, flt: TaskFilter, today: dt.date) -> list[list]:
    """The rows of the list ``user`` sees with ``flt``, in list order, each in ``TABLE``'s
    order.

    Read as plain rows, not as ``Task`` objects: the list's ids in order, then their columns
    and their cooperating units a chunk at a time. A list of thousands of tasks then costs a
    few queries and no objects kept in the session."""
    ids = list(
        session.scalars(
            filtered_query(user, flt, today).with_only_columns(Task.id, maintain_column_froms=True)
        )
    )
    found: dict[int, Row] = {}
    cooperating: dict[int, list[str]] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        query = (
            select(Task.id, Task.content, Task.deadline, Task.state, Task.done_on, Task.note,
                   Document.number, Document.issued_on, Document.summary,
                   Issuer.name.label("issuer"), Department.name.label("lead"))
            .join(Document, Document.id == Task.document_id)
            .join(Issuer, Issuer.id == Document.issuer_id)
            .join(Department, Department.id == Task.lead_department_id)
            .where(Task.id.in_(chunk))
        )  # fmt: skip
        found.update((row.id, row) for row in session.execute(query))
        partners = (
            select(task_cooperators.c.task_id, Department.name)
            .join(Department, Department.id == task_cooperators.c.department_id)
            .where(task_cooperators.c.task_id.in_(chunk))
            .order_by(Department.display_order, Department.id)
        )
        for task_id, name in session.execute(partners):
            cooperating.setdefault(task_id, []).append(name)
    labels = {state: state.label for state in TaskState}
    rows = []
    for index, task_id in enumerate(ids, start=1):
        task = found[task_id]
        rows.append([
            index,
            task_code(task.id),
            task.number,
            task.issued_on,
            task.issuer,
            task.summary,
            task.content,
            task.lead,
            "; ".join(cooperating.get(task.id, ())),
            task.deadline if task.deadline else "Thường xuyên",
            labels[TaskState(task.state)],
            task_category(task, today).label,  # reads state, deadline and done_on
            days_late(task, today) or None,
            task.note,
        ])  # fmt: skip
    return rows


def tasks_csv(rows: list[list]) -> bytes:
    """The list as CSV (UTF-8 with a BOM, so that Excel reads the Vietnamese): for other
    programs; no cell can run as a formula."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    writer.writerows(_csv_cells(rows))
    return out.getvalue().encode("utf-8-sig")


class _DateTexts(dict):
    """A date's text, worked out once per date of the file (a year has 365)."""

    def __missing__(self, day: dt.date) -> str:
        self[day] = text = csv_safe(day)
        return text


def _csv_cells(rows: list[list]):
    """Each row's cells as ``csv_safe`` gives them (the tests compare the two cell by cell).

    The csv module writes a text, a whole number and None as ``csv_safe`` would, except a
    text or a number that could start a formula: those cells, and the rest, go through
    ``csv_safe``; a date's text is worked out once per date. A call a cell was a third of
    the file's time."""
    risky = RISKY_FIRST
    dates = _DateTexts()
    date = dt.date
    for row in rows:
        yield [
            v
            if (v.__class__ is str and v[:1] not in risky)
            or v is None
            or (v.__class__ is int and v >= 0)
            else dates[v]
            if v.__class__ is date
            else csv_safe(v)
            for v in row
        ]


def tasks_workbook(rows: list[list], today: dt.date, head: Letterhead | None = None) -> bytes:
    """The list as a workbook laid out for print like every file the product writes.

    Written in openpyxl's write-only mode, row after row, as fast as the format allows: the
    layout (column widths, each row's height from its wrapped text) is worked out first, the
    heading is staged like a normal sheet's, then the rows are streamed."""
    from openpyxl.styles import Alignment, Font, NamedStyle  # loaded with the first workbook

    wb = new_workbook(write_only=True)
    body = NamedStyle(
        name="Danh sách",
        font=Font(name=FONT, size=TABLE_PT),
        alignment=Alignment(wrap_text=True, vertical="top"),
    )
    wb.add_named_style(body)
    ws = wb.create_sheet("Nhiệm vụ")
    staged = StagedRows(ws)
    header = sheet_heading(
        staged, head or Letterhead(), TITLE, [f"(Xuất ngày {today:%d/%m/%Y})"], len(TABLE)
    )
    table_header(staged, header, TABLE)
    texts = [[as_text(v) for v in r] for r in rows]
    by_row = {header + i: t for i, t in enumerate(texts, start=1)}
    columns = column_texts(TABLE, texts)
    set_widths_and_heights(ws, columns, header, by_row)  # before any row is written
    prepare_print(ws, header, len(TABLE), header + len(rows))
    staged.flush(header)
    append_rows(ws, rows, body.name)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
