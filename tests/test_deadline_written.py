"""A deadline the document wrote on a day off is kept as written, with the working day it is
counted to beside it: "20/12/2026, Chủ nhật → tính đến 21/12/2026" in the form's preview, on
the task page and in the detailed table's note; the classification counts the working day
(issue 29, item 11)."""

from __future__ import annotations

import datetime as dt
import io

import lxml.html
from docx import Document as DocxDocument
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.classification import Category, classify_tasks
from app.models import Event, Task
from app.models.history import EventKind
from app.reports.detail import NOTE, build_detail
from app.reports.files import to_csv, to_docx, to_xlsx
from conftest import login

SUNDAY, MONDAY = dt.date(2026, 12, 20), dt.date(2026, 12, 21)
SHOWN = "20/12/2026, Chủ nhật → tính đến 21/12/2026"


def _new_document(client, world, deadline: str, number: str = "31/TB-UBND") -> Task:
    data = {
        "number": number,
        "issuer": world.tnmt_task.document.issuer_id,
        "issued_on": "01/12/2026",
        "kind": "Thông báo",
        "tasks-0-content": "Báo cáo kết quả rà soát đất công",
        "tasks-0-lead": world.tnmt.id,
        "tasks-0-deadline_kind": "date",
        "tasks-0-deadline": deadline,
    }
    response = client.post("/van-ban/moi", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)
    from app.extensions import db

    return db.session.scalar(select(Task).where(Task.content == data["tasks-0-content"]))


def test_a_sunday_is_kept_as_written_and_counted_to_monday(client, world, session):
    login(client, world.office)
    preview = client.get("/thoi-han?issued_on=01/12/2026&kind=date&on=20/12/2026").get_json()
    assert preview == {"deadline": MONDAY.isoformat(), "text": SHOWN}

    task = _new_document(client, world, "20/12/2026")
    assert (task.deadline, task.deadline_written) == (MONDAY, SUNDAY)
    assert task.original_deadline == MONDAY
    page = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    assert SHOWN in page
    listing = client.get("/nhiem-vu?category=all").get_data(as_text=True)
    assert SHOWN in listing

    # The classification and the reports count the working day.
    only = [Task.id == task.id]
    assert classify_tasks(session, MONDAY, only)[task.id][1].category == Category.PENDING
    tuesday = MONDAY + dt.timedelta(days=1)
    assert classify_tasks(session, tuesday, only)[task.id][1].category == Category.LATE

    # The forms show what the document wrote; saved unchanged, nothing moves.
    events = session.scalar(select(func.count(Event.id)).where(Event.task_id == task.id))
    doc = lxml.html.fromstring(client.get(f"/van-ban/{task.document_id}").data)
    assert doc.get_element_by_id("tasks-0-deadline").get("value") == "20/12/2026"
    edit = lxml.html.fromstring(client.get(f"/nhiem-vu/{task.id}/sua").data)
    assert edit.get_element_by_id("deadline").get("value") == "20/12/2026"
    form = {
        "version": task.version,
        "content": task.content,
        "lead": task.lead_department_id,
        "deadline_kind": "date",
        "deadline": "20/12/2026",
    }
    assert client.post(f"/nhiem-vu/{task.id}/sua", data=form).status_code == 302
    session.refresh(task)
    assert (task.deadline, task.deadline_written) == (MONDAY, SUNDAY)
    assert session.scalar(select(func.count(Event.id)).where(Event.task_id == task.id)) == events

    # Moved to a working day, the written day goes: nothing to say beside it.
    form = {**form, "version": task.version, "deadline": "22/12/2026"}
    assert client.post(f"/nhiem-vu/{task.id}/sua", data=form).status_code == 302
    session.refresh(task)
    assert (task.deadline, task.deadline_written) == (dt.date(2026, 12, 22), None)
    assert "→ tính đến" not in client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    event = session.scalar(
        select(Event).where(Event.task_id == task.id, Event.kind == EventKind.DEADLINE)
    )
    assert event.deadline == dt.date(2026, 12, 22)


def test_a_working_day_needs_no_word(client, world, session):
    login(client, world.office)
    task = _new_document(client, world, "18/12/2026")
    assert (task.deadline, task.deadline_written) == (dt.date(2026, 12, 18), None)
    preview = client.get("/thoi-han?issued_on=01/12/2026&kind=date&on=18/12/2026").get_json()
    assert preview["text"] == "18/12/2026"
    assert "→ tính đến" not in client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)


def test_a_holiday_on_a_weekday_is_named_a_day_off(client, world):
    login(client, world.office)
    preview = client.get("/thoi-han?issued_on=01/12/2026&kind=date&on=01/01/2027").get_json()
    assert preview["text"].startswith("01/01/2027, Thứ Sáu, ngày nghỉ → tính đến ")
    assert preview["text"].endswith(dt.date.fromisoformat(preview["deadline"]).strftime("%d/%m/%Y"))


def test_the_detailed_tables_note_says_both_days(client, world, session):
    login(client, world.office)
    task = _new_document(client, world, "20/12/2026")
    task.note = "Theo Thông báo 31"
    session.commit()
    table = build_detail(session, dt.date(2026, 12, 10))
    rows = [row for s in table.sections for g in s.groups for row in g.rows]
    row = next(r for r in rows if r.task.id == task.id)
    assert row.note == f"Theo Thông báo 31\n{SHOWN}"

    sheet = load_workbook(io.BytesIO(to_xlsx(table))).active
    header = next(row for row in sheet.iter_rows(values_only=True) if NOTE.title in row)
    column = header.index(NOTE.title)  # where the note is (the code column is optional)
    notes = [row[column] for row in sheet.iter_rows(values_only=True) if len(row) > column]
    assert f"Theo Thông báo 31\n{SHOWN}" in notes
    docx = DocxDocument(io.BytesIO(to_docx(table)))
    cells = [cell.text for t in docx.tables for r in t.rows for cell in r.cells]
    assert any(SHOWN in text for text in cells)
    assert SHOWN in to_csv(table)
