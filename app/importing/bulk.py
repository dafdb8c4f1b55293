"""New tasks of an import, inserted a batch at a time.

A new row's task, its first event ("imported", from the document's issue date) and, for a row
already completed or cancelled, its closing event are the same rows ``app.tasks.changes`` would
write one by one; here they are kept as plain records and inserted together when the batch
ends (three statements for 500 rows instead of the unit of work's bookkeeping for each
object). Later rows of the file still see them: a repeated row matches its record, a row a few
words away names its code.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, inspect, select, text
from sqlalchemy.orm import Session

from app.importing.journal import Journal
from app.importing.results import Outcome
from app.models import Document, Event, Task
from app.models.documents import TaskState, search_text_of, task_code, task_cooperators
from app.models.history import EventKind
from app.tasks.changes import CLOSED_STATES

COMMENT = "Nhập từ bảng tính"


@dataclass(eq=False)
class NewTask:
    """A task the batch will insert: what later rows of the file compare with."""

    document: Document
    content: str
    lead_department_id: int
    cooperator_ids: list[int]
    deadline_kind: str
    deadline_working_days: int | None
    deadline: dt.date | None
    state: str  # the state it ends in
    closed_from: dt.date | None  # a completion's (or a dated cancellation's) own date
    note: str
    outcome: Outcome
    id: int | None = None

    @property
    def code(self) -> str:
        return task_code(self.id)

    def _snapshot(self, state: str, done_on: dt.date | None) -> dict:
        """As ``app.tasks.changes.snapshot`` records it."""
        return {
            "content": self.content,
            "lead_department_id": self.lead_department_id,
            "cooperating_department_ids": sorted(self.cooperator_ids),
            "deadline_kind": self.deadline_kind,
            "deadline_working_days": self.deadline_working_days,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "state": state,
            "done_on": done_on.isoformat() if done_on else None,
            "note": self.note,
        }

    def rows(self) -> tuple[dict, list[dict]]:
        """The task's row and its events' rows (without the task's id)."""
        issued = self.document.issued_on
        first = TaskState.OPEN if self.closed_from else self.state
        done_on = self.closed_from if self.state == TaskState.DONE else None
        closed_on = self.closed_from or (issued if first in CLOSED_STATES else None)
        task = {
            "document_id": self.document.id,
            "content": self.content,
            "lead_department_id": self.lead_department_id,
            "deadline_kind": self.deadline_kind,
            "deadline_working_days": self.deadline_working_days,
            "deadline": self.deadline,
            "original_deadline": self.deadline,
            "state": self.state,
            "done_on": done_on,
            "closed_on": closed_on,
            "note": self.note,
            "search_text": search_text_of(self.content, self.note, self.document),
        }
        opened = self._snapshot(first, None)
        events = [
            {"kind": EventKind.IMPORTED, "effective_on": issued, "state": first,
             "sets_deadline": True, "deadline": self.deadline, "before": None,
             "after": opened, "comment": "", "user_id": None},
        ]  # fmt: skip
        if self.closed_from:
            events.append(
                {"kind": EventKind.STATE, "effective_on": self.closed_from, "state": self.state,
                 "sets_deadline": False, "deadline": None, "before": opened,
                 "after": self._snapshot(self.state, done_on), "comment": COMMENT,
                 "user_id": None}
            )  # fmt: skip
        return task, events


class PendingTasks:
    """The new tasks of the current batch, and those of earlier batches by document."""

    def __init__(self) -> None:
        self._waiting: list[NewTask] = []
        self._by_document: dict[int, list[NewTask]] = defaultdict(list)

    def add(self, task: NewTask) -> None:
        self._waiting.append(task)
        self._by_document[id(task.document)].append(task)

    def of(self, document: Document) -> list[NewTask]:
        return self._by_document.get(id(document), [])

    def write(self, session: Session, journal: Journal) -> None:
        """Insert the waiting tasks, their cooperations and events; fill in their codes."""
        if not self._waiting:
            return
        # New documents with their ids set go in as one statement (the unit of work inserts
        # rows without an id one at a time to learn it); then the tasks, which refer to them.
        with session.no_autoflush:
            new_documents = sorted(  # in the order they were added, as the unit of work's
                (o for o in session.new if isinstance(o, Document) and o.id is None),
                key=lambda o: inspect(o).insert_order,
            )
            reserved = reserve_ids(session, Document.__table__, len(new_documents))
        for document, document_id in zip(new_documents, reserved, strict=True):
            document.id = document_id
        session.flush()
        waiting, self._waiting = self._waiting, []
        prepared = [task.rows() for task in waiting]
        events_table = Event.__table__  # Core: no per-row ORM work
        unfinished = {"import_job_id": journal.job_id}  # out of sight until the job is done
        ids = _insert_tasks(session, [{**row, **unfinished} for row, _ in prepared])
        events = []
        for task, task_id, (_, task_events) in zip(waiting, ids, prepared, strict=True):
            task.id = task_id
            task.outcome.code = task.code
            events += [{**event, "task_id": task_id} for event in task_events]
        cooperations = [
            {"task_id": task.id, "department_id": department_id}
            for task in waiting
            for department_id in task.cooperator_ids
        ]
        if cooperations:
            session.execute(insert(task_cooperators), cooperations)
        session.execute(insert(events_table), events)  # undone with their tasks: no ids needed
        journal.created["Task"].extend(ids)


def reserve_ids(session: Session, table: Table, count: int) -> list[int]:
    """Ids for ``count`` new rows of ``table``, taken before the rows are inserted, so that they
    go in as one statement with their ids (an INSERT … RETURNING in parameter order is a
    statement a row on SQLite, and one that psycopg parses anew for each batch on PostgreSQL).
    PostgreSQL: from the table's sequence. SQLite: after the largest id, once this transaction
    holds the database's write lock (a write that changes nothing takes it), so that no other
    writer can take the same ids before the rows are in."""
    if not count:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(
            session.scalars(
                select(func.nextval(func.pg_get_serial_sequence(table.name, "id"))).select_from(
                    func.generate_series(1, count)
                )
            )
        )
    session.execute(text(f"UPDATE {table.name} SET id = id WHERE 0"))  # the write lock
    top = session.scalar(select(func.max(table.c.id))) or 0
    return list(range(top + 1, top + count + 1))


def _insert_tasks(session: Session, rows: list[dict]) -> list[int]:
    """Insert the tasks' rows with ids reserved for them; their ids in the same order."""
    tasks = Task.__table__
    ids = reserve_ids(session, tasks, len(rows))
    session.execute(insert(tasks), [{**row, "id": id_} for row, id_ in zip(rows, ids, strict=True)])
    return ids
