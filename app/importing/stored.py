"""The tasks already stored under a batch's documents, read as plain values.

A file imported again mostly changes nothing: each row is compared with these values (two
queries per batch, no objects in the session). Only the tasks a row changes are loaded as
objects, all of a batch's together, and changed through ``app.tasks.changes`` when the batch
is written, in the order of the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.importing.journal import Journal
from app.models import Task
from app.models.documents import TaskState, task_code, task_cooperators
from app.tasks.changes import change_deadline, change_state, edit_task, would_change

CHUNK = 500  # ids in one IN (…)
COMMENT = "Cập nhật từ bảng tính"


@dataclass(eq=False, slots=True)
class StoredTask:
    """What a row is compared with; after a row changes it, the values the row set."""

    id: int
    document_id: int
    content: str
    lead_department_id: int
    cooperator_ids: list[int]
    deadline_kind: str
    deadline: dt.date | None
    state: str
    done_on: dt.date | None
    note: str

    @property
    def code(self) -> str:
        return task_code(self.id)


class StoredTasks:
    """The stored tasks of some documents, by document (in id order, as ``Document.tasks``)
    and by id."""

    def __init__(self, tasks: list[StoredTask]) -> None:
        self._by_document: dict[int, list[StoredTask]] = defaultdict(list)
        self._by_id = {}
        for task in tasks:
            self._by_document[task.document_id].append(task)
            self._by_id[task.id] = task

    @classmethod
    def load(
        cls, session: Session, document_ids=(), task_ids=()
    ) -> StoredTasks:  # fmt: skip
        """The tasks of ``document_ids``, or the tasks ``task_ids``."""
        column = Task.document_id if document_ids else Task.id
        keys = sorted(set(document_ids or task_ids))
        tasks: list[StoredTask] = []
        for start in range(0, len(keys), CHUNK):
            chunk = keys[start : start + CHUNK]
            rows = session.execute(
                select(
                    Task.id, Task.document_id, Task.content, Task.lead_department_id,
                    Task.deadline_kind, Task.deadline, Task.state, Task.done_on, Task.note,
                ).where(column.in_(chunk)).order_by(Task.id)
            ).all()  # fmt: skip
            cooperators = defaultdict(list)
            for task_id, department_id in session.execute(
                select(task_cooperators.c.task_id, task_cooperators.c.department_id)
                .join(Task, Task.id == task_cooperators.c.task_id)
                .where(column.in_(chunk))
            ):
                cooperators[task_id].append(department_id)
            for id_, document_id, content, lead, kind, deadline, state, done_on, note in rows:
                tasks.append(
                    StoredTask(
                        id_, document_id, content, lead, sorted(cooperators.get(id_, ())), kind,
                        deadline, state, done_on, note,
                    )
                )  # fmt: skip
        return cls(tasks)

    def of(self, document_id: int | None) -> list[StoredTask]:
        return self._by_document.get(document_id, []) if document_id is not None else []

    def get(self, task_id: int) -> StoredTask | None:
        return self._by_id.get(task_id)

    def add(self, task: StoredTask) -> None:
        self._by_id[task.id] = task


@dataclass(eq=False)
class Change:
    """A row's change to a stored task, applied when its batch is written."""

    stored: StoredTask
    item: object  # the checked row (checking.TaskRow)
    moves_deadline: bool
    moves_state: bool


def change_of(stored: StoredTask, item) -> Change | None:
    """The change the row ``item`` makes to ``stored``, or None when it changes nothing.
    ``stored`` takes the row's values at once, so that a later row of the batch compares with
    the task as it will be."""
    moves_deadline = (stored.deadline, stored.deadline_kind) != (item.deadline, item.deadline_kind)
    moves_state = stored.state != item.state or (
        item.state == TaskState.DONE and stored.done_on != item.done_on
    )
    edits = would_change(stored, item.content, item.lead, item.cooperators, item.note)
    if not (moves_deadline or moves_state or edits):
        return None
    change = Change(stored, item, moves_deadline, moves_state)
    stored.deadline, stored.deadline_kind = item.deadline, item.deadline_kind
    if moves_state:
        stored.state = item.state
        stored.done_on = item.done_on if item.state == TaskState.DONE else stored.done_on
    stored.content = item.content
    stored.lead_department_id = item.lead.id
    stored.cooperator_ids = sorted({d.id for d in item.cooperators if d.id != item.lead.id})
    if item.note is not None:
        stored.note = item.note
    return change


def apply_changes(session: Session, changes: list[Change], today: dt.date, journal: Journal):
    """Load the changed tasks (one query per ``CHUNK``, with their documents and cooperating
    units) and change each through ``app.tasks.changes``, in the order of the rows."""
    if not changes:
        return
    ids = sorted({c.stored.id for c in changes})
    tasks: dict[int, Task] = {}
    for start in range(0, len(ids), CHUNK):
        query = (
            select(Task)
            .where(Task.id.in_(ids[start : start + CHUNK]))
            .options(selectinload(Task.document), selectinload(Task.cooperating_departments))
        )
        tasks.update((t.id, t) for t in session.scalars(query))
    for change in changes:
        task, item = tasks[change.stored.id], change.item
        journal.remember(task)  # only what changes: the journal is stored with every batch
        if change.moves_deadline:
            change_deadline(
                session, task, item.deadline, effective_on=today, deadline_kind=item.deadline_kind,
                working_days=item.working_days, comment=COMMENT,
            )  # fmt: skip
        if change.moves_state:
            closes = item.state in (TaskState.DONE, TaskState.CANCELLED) and item.done_on
            effective = item.done_on if closes else today
            change_state(session, task, item.state, effective_on=effective, comment=COMMENT)
        edit_task(
            session,
            task,
            effective_on=today,
            content=item.content,  # a corrected text (the row names the task by its code)
            lead=item.lead,
            cooperators=item.cooperators,
            note=item.note,
        )
