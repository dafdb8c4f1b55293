"""An import from start to end: reading the file (``reader``), checking every row
(``checking``), then writing them (``writing``), all or nothing.

The caller owns the transaction: on ``ImportFailed`` it rolls back, otherwise it commits; a
large import run as a job (``jobs``) commits in batches and undoes them through its journal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.core.textnorm import fold
from app.documents.operations import SameKey, new_document, same_key, stored_by_key
from app.importing.bulk import PendingTasks
from app.importing.checking import (
    DepartmentIndex,
    _check_codes,
    _check_consistency,
    _parse_task_row,
    _resolve_issuers,
)
from app.importing.columns import (
    DEPARTMENT_COLUMNS,
    DEPARTMENT_SHEET,
    ISSUER_COLUMNS,
    ISSUER_SHEET,
    LISTS_SHEET,
    TASK_COLUMNS,
    TASK_REQUIRED,
    TASK_SHEET,
)
from app.importing.issuers import IssuerIndex
from app.importing.journal import Journal
from app.importing.key_groups import check_key_groups, join_key_groups
from app.importing.reader import CSV_SHEET, ImportFailed, Problem, extract_sheet, read_file
from app.importing.results import ImportResult
from app.importing.same_documents import check_same_documents
from app.importing.stored import Change, StoredTasks, apply_changes
from app.importing.writing import (
    _apply_row,
    _import_departments,
    _import_issuers,
    _issuer,
)
from app.models import Document, Issuer
from app.units.reorganise import hand_over_stranded

BATCH_ROWS = 500  # rows written between two commits of a large import
PROGRESS_EVERY = 100


def import_tasks(
    session: Session,
    source,
    filename: str | None = None,
    today: dt.date | None = None,
    choices: dict[int, str] | None = None,
    preview: bool = False,
    similar: str | None = None,
    journal: Journal | None = None,
    on_batch: Callable[[int], None] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> ImportResult:
    """Import a follow-up spreadsheet; raises ``ImportFailed`` listing every problem found.

    A row without a code whose text is a few words from a task of the same document and lead
    unit is never created silently: ``choices`` (row number → ``update`` or ``new``) says what
    to do with it; without a choice the import fails naming it, or, with ``preview``, lists it
    as a suspect; ``similar`` (``update`` or ``new``) is the choice for every such row that
    ``choices`` does not name. Flushes but never commits: on failure (and after a preview)
    the caller rolls back and nothing is kept.

    For a large file, ``on_batch(rows written)`` is called every ``BATCH_ROWS`` rows that
    wrote something, after a flush, to commit (other writers then never wait long);
    ``journal`` (which the caller watches) then holds what was written, for the caller to undo
    it if a later batch fails. ``progress(phase, done, total)`` is told how far reading,
    checking and writing are.
    """
    choices = choices or {}
    journal = journal or Journal()
    tell = progress or (lambda phase, done, total: None)
    today = today or dt.date.today()
    raw = read_file(source, filename)
    by_name = {fold(name): (name, rows) for name, rows in raw}
    problems: list[Problem] = []
    result = ImportResult()
    departments = DepartmentIndex.load(session)

    issuers = IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id)))
    _import_lists(session, by_name, issuers, departments, result, problems, journal)
    sheet = _task_sheet(raw, by_name, problems)
    rows, coded = _check_rows(session, sheet, departments, issuers, problems, tell)
    _write_rows(
        session, rows, issuers, today, result, choices, similar, coded, journal, on_batch, tell
    )  # fmt: skip
    if not preview:
        join_key_groups(session, result)
    result.notes += departments.notes
    if departments.successors:
        # Open tasks of older documents naming a unit a merger ended: handed over as then.
        result.handed_over = hand_over_stranded(session)
        session.flush()
    _refuse_suspects(result, preview)
    return result


def _import_lists(session, by_name, issuers, departments, result, problems, journal) -> None:
    """The optional sheets of issuers and of units, applied before the tasks."""
    if fold(ISSUER_SHEET) in by_name:
        name, rows = by_name[fold(ISSUER_SHEET)]
        sheet, found = extract_sheet(name, rows, ISSUER_COLUMNS, ("name",))
        problems += found
        if sheet:
            _import_issuers(session, sheet.rows, issuers, result, problems, journal)
            session.flush()

    if fold(DEPARTMENT_SHEET) in by_name:
        name, rows = by_name[fold(DEPARTMENT_SHEET)]
        sheet, found = extract_sheet(name, rows, DEPARTMENT_COLUMNS, ("name",))
        problems += found
        if sheet:
            _import_departments(session, sheet.rows, departments, result, problems, journal)
            session.flush()


def _task_sheet(raw, by_name, problems: list[Problem]):
    """The sheet of tasks (by its name, or the only other sheet), its columns found."""
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
    return sheet


def _check_rows(session, sheet, departments, issuers, problems: list[Problem], tell):
    """Every row checked, then the rows together: (the checked rows, the task ids named)."""
    calendar = load_calendar(session)
    total = len(sheet.rows)
    tell("read", total, total)
    parsed = []
    for number, row in enumerate(sheet.rows, start=1):
        parsed.append(_parse_task_row(row, departments, calendar, problems))
        if number % PROGRESS_EVERY == 0 or number == total:
            tell("check", number, total)
    rows = [item for item in parsed if item is not None]
    _resolve_issuers(rows, issuers, problems)
    _check_consistency(rows, problems)
    coded = _check_codes(session, rows, problems)
    check_same_documents(session, rows, problems)
    check_key_groups(session, rows, problems)
    if problems:
        raise ImportFailed(problems)
    return rows, coded


def _write_rows(
    session, rows, issuers, today, result, choices, similar, coded, journal, on_batch, tell
) -> None:
    # Written in batches: each batch's documents (with their tasks) read in a few queries, its
    # changes made in the session and its new tasks kept aside (``bulk``), then all written
    # together; the new tasks' codes (their ids) are known after that.
    documents: dict[tuple[str, dt.date], Document] = {}
    pending = PendingTasks()
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        recorded = journal.size
        stored = _stored_documents(session, batch)
        stored_tasks = StoredTasks.load(session, document_ids=[d.id for d in stored.values()])
        changes: list[Change] = []
        first_outcome, row_documents, new_documents = len(result.outcomes), {}, []
        # The batch's new documents stay pending until ``pending.write`` gives them their ids
        # and inserts them together (a flush between rows would insert them one by one).
        with session.no_autoflush:
            for position, item in enumerate(batch, start=start):
                key = (fold(item.number), item.issued_on)
                document = documents.get(key)
                if document is None:
                    created = result.created_documents
                    document = _document(session, item, issuers, stored, result, journal)
                    documents[key] = document
                    if result.created_documents > created:
                        new_documents.append(document)
                row_documents[item.row.number] = document
                choice = choices.get(item.row.number, similar)
                _apply_row(
                    session, item, document, today, result, choice, coded, journal, pending,
                    stored_tasks, changes,
                )  # fmt: skip
                written = position + 1
                if written % PROGRESS_EVERY == 0 and written < len(rows):
                    tell("write", written, len(rows))
        pending.write(session, journal)
        apply_changes(session, changes, today, journal)
        session.flush()
        _link_documents(result, first_outcome, row_documents, new_documents)
        written = start + len(batch)
        if on_batch and written < len(rows) and journal.size != recorded:
            on_batch(written)
    tell("write", len(rows), len(rows))


def _link_documents(result: ImportResult, first: int, row_documents: dict, new: list) -> None:
    """Once a batch is written: its rows' documents by id, and the documents it created."""
    for outcome in result.outcomes[first:]:
        outcome.document_id = row_documents[outcome.row].id
    result.new_documents += [
        {
            "id": d.id,
            "number": d.number,
            "issued_on": d.issued_on.isoformat(),
            "issuer": d.issuer.name if d.issuer else "",
        }
        for d in new
    ]


def _refuse_suspects(result: ImportResult, preview: bool) -> None:
    """Rows a few words from a task, with no choice made: the import fails naming them (a
    preview lists them instead)."""
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


def _stored_documents(session: Session, batch: list) -> dict[SameKey, Document]:
    """The documents already stored under the numbers of ``batch``, by their key (their tasks
    are read as plain values, ``StoredTasks``)."""
    return stored_by_key(session, (item.number for item in batch))


def _document(session, item, issuers, stored, result: ImportResult, journal) -> Document:
    """The row's document: the stored one of that issuer and number that year, or a new one."""
    issuer = _issuer(session, item, issuers, result)
    document = stored.get(same_key(issuer.id, item.number, item.issued_on))
    if document is None:
        document = new_document(
            session,
            number=item.number,
            issued_on=item.issued_on,
            issuer=issuer,
            kind=item.kind,
            summary=item.summary,
        )
        result.created_documents += 1
        return document
    if (item.kind and item.kind != document.kind) or (
        item.summary and item.summary != document.summary
    ):
        journal.remember(document)  # set only when changed: a dirty document is re-indexed
        document.kind = item.kind or document.kind
        document.summary = item.summary or document.summary
    return document


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
