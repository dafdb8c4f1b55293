"""Writing the checked rows: issuers, units, documents and tasks, each change through
``app.tasks.changes`` so that it leaves its event, and into the journal."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.textnorm import fold
from app.importing.bulk import NewTask, PendingTasks
from app.importing.checking import DepartmentIndex, TaskRow, _text
from app.importing.columns import (
    DEPARTMENT_COLUMNS,
    ISSUER_COLUMNS,
    NEW,
    SIMILAR_RATIO,
    UPDATE,
)
from app.importing.issuers import AmbiguousIssuer, IssuerIndex
from app.importing.journal import Journal
from app.importing.reader import Problem
from app.importing.results import ImportResult, Outcome
from app.importing.stored import Change, StoredTasks, change_of
from app.models import Department, Document, Issuer, Task
from app.models.documents import TaskState
from app.models.edxml import organ_id_problem


def _import_departments(
    session: Session,
    sheet_rows,
    index: DepartmentIndex,
    result: ImportResult,
    problems: list[Problem],
    journal: Journal,
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
        organ_id = _text(row.cells.get("organ_id")) or None
        if problem := organ_id_problem(organ_id or ""):
            problems.append(row.problem(cols["organ_id"], problem))
            continue
        department = index.find(name)
        if department is None:
            department = Department(
                name=name,
                short_name=short,
                email=email,
                organ_id=organ_id,
                display_order=order if order is not None else row.number,
            )
            session.add(department)
            index.add(department)
            result.created_departments.append(name)
            continue
        changed = False
        values = (("short_name", short), ("email", email), ("display_order", order))
        for attr, value in (*values, ("organ_id", organ_id)):
            if value not in (None, "") and getattr(department, attr) != value:
                journal.remember(department)
                setattr(department, attr, value)
                changed = True
        if changed:
            result.updated_departments.append(department.name)
            index.add(department)


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
    session: Session, sheet_rows, index: IssuerIndex, result: ImportResult, problems, journal
) -> None:
    """The optional sheet of issuers (name, short name), applied before the tasks."""
    for row in sheet_rows:
        name = _text(row.cells.get("name"))
        short = _text(row.cells.get("short_name"))
        organ_id = _text(row.cells.get("organ_id")) or None
        if not name:
            problems.append(row.problem(ISSUER_COLUMNS["name"], "thiếu tên cơ quan."))
            continue
        if problem := organ_id_problem(organ_id or ""):
            problems.append(row.problem(ISSUER_COLUMNS["organ_id"], problem))
            continue
        try:
            issuer = index.find(name) or (index.find(short) if short else None)
        except AmbiguousIssuer as error:
            problems.append(row.problem(ISSUER_COLUMNS["name"], str(error)))
            continue
        if issuer is None:
            order = len(index.issuers) + 1
            issuer = Issuer(name=name, short_name=short, display_order=order, organ_id=organ_id)
            session.add(issuer)
            index.add(issuer)
            result.created_issuers.append(name)
            continue
        if short and issuer.short_name != short:
            journal.remember(issuer)
            issuer.short_name = short
            index.add(issuer)
        if organ_id and issuer.organ_id != organ_id:
            journal.remember(issuer)
            issuer.organ_id = organ_id


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


def outcome(item: TaskRow, action: str, code: str, document: Document, **more) -> Outcome:
    """The row's outcome, with what it was read as: units, computed deadline, document."""
    return Outcome(
        item.row.number,
        action,
        code,
        item.content,
        lead=item.lead.name,
        cooperators=[d.name for d in item.cooperators if d.id != item.lead.id],
        deadline=item.deadline.isoformat() if item.deadline else "",
        working_days=item.working_days,
        recurrence=item.recurrence,
        document=document.number,
        issued_on=document.issued_on.isoformat(),
        issuer=document.issuer.name if document.issuer else item.issuer,
        key_groups=list(item.key_groups),
        **more,
    )


def _apply_row(
    session: Session,
    item: TaskRow,
    document: Document,
    today: dt.date,
    result: ImportResult,
    choice: str | None,
    coded: set[int],
    journal: Journal,
    pending: PendingTasks,
    stored: StoredTasks,
    changes: list[Change],
) -> None:
    """Check one row against the document's tasks. A new task waits in ``pending`` for the end
    of the batch (its code, its id, exists once the batch is written); a change to a stored
    task waits in ``changes``; a task of an earlier row of the file is changed at once."""
    if item.recurrence:
        _apply_series(session, item, document, today, result)
        return
    existing, stored_and_new = _existing_task(session, item, document, stored, pending)
    if existing is None:
        others = [
            t
            for t in stored_and_new
            if t.lead_department_id == item.lead.id and (t.id is None or t.id not in coded)
        ]
        like = similar_task(item.content, others)
        if like is not None and like.id is None:
            pending.write(session, journal)  # a task of an earlier row of this batch: its code
        if like is not None and choice != NEW:
            if choice != UPDATE:
                result.outcomes.append(
                    outcome(
                        item,
                        "suspect",
                        "",
                        document,
                        similar_code=like.code,
                        similar_content=like.content,
                    )
                )
                return
            existing = like
    if existing is None:
        _add_new_task(item, document, pending, result)
        return
    if isinstance(existing, NewTask):
        pending.write(session, journal)  # an earlier row of this file: changed as stored
        existing = StoredTasks.load(session, task_ids=[existing.id]).get(existing.id)
    change = change_of(existing, item)
    if change is None:
        result.unchanged_tasks += 1
        result.outcomes.append(outcome(item, "unchanged", existing.code, document))
        return
    changes.append(change)
    result.updated_tasks += 1
    result.outcomes.append(outcome(item, "updated", existing.code, document))


def _existing_task(session, item: TaskRow, document: Document, stored, pending):
    """The task the row names by its code, or the one of the document with the same lead unit
    and text (stored, or new in this batch); and the document's tasks, stored and new."""
    known = stored.of(document.id)
    known_ids = {t.id for t in known}
    stored_and_new = [*known, *(t for t in pending.of(document) if t.id not in known_ids)]
    if item.task_id:
        existing = stored.get(item.task_id)
        if existing is None:  # named by its code under another issuer's document
            existing = StoredTasks.load(session, task_ids=[item.task_id]).get(item.task_id)
            stored.add(existing)
    else:
        key = fold(item.content)
        existing = next(
            (
                t
                for t in stored_and_new
                if t.lead_department_id == item.lead.id and fold(t.content) == key
            ),
            None,
        )
    return existing, stored_and_new


def _add_new_task(item: TaskRow, document: Document, pending: PendingTasks, result) -> None:
    """A new task for the row, waiting in ``pending`` for the end of the batch."""
    # A completion (or a dated cancellation) holds from its own date: open until then.
    closes_later = item.state == TaskState.DONE or (
        item.state == TaskState.CANCELLED and item.done_on is not None
    )
    new = outcome(item, "new", "", document)
    pending.add(
        NewTask(
            document=document,
            content=item.content,
            lead_department_id=item.lead.id,
            cooperator_ids=sorted({d.id for d in item.cooperators if d.id != item.lead.id}),
            deadline_kind=item.deadline_kind,
            deadline_working_days=item.working_days,
            deadline=item.deadline,
            state=item.state,
            closed_from=item.done_on if closes_later else None,
            note=item.note,
            outcome=new,
        )
    )
    result.created_tasks += 1
    result.outcomes.append(new)


def _apply_series(session, item: TaskRow, document, today, result: ImportResult) -> None:
    """A row with "Định kỳ": the series, once (the same duty imported again is left alone)."""
    from app.models import Series
    from app.recurring.series import create_series

    same = [
        s
        for s in session.scalars(select(Series).where(Series.document_id == document.id))
        if fold(s.content) == fold(item.content) and s.lead_department_id == item.lead.id
    ]
    if same:
        result.outcomes.append(outcome(item, "unchanged", "", document))
        result.unchanged_tasks += 1
        return
    create_series(
        session, document, content=item.content, lead=item.lead, cooperators=item.cooperators,
        phrase=item.recurrence, starts_on=max(document.issued_on, today),
    )  # fmt: skip
    result.created_series += 1
    # A duty, not a task: counted and listed apart from the new tasks (the preview's "new
    # tasks: 4" stood above a list of five that held it).
    result.outcomes.append(outcome(item, "series", "", document))
