"""What an import wrote, so that an import committed in batches can still be all or nothing.

A large import commits every few hundred rows, so that other people's saves never wait long
for the database. The journal records every row the import inserted (by its session's
``pending_to_persistent`` event) and the values every existing row had before the import first
changed it; it is stored with each batch, in the same transaction. If a later batch fails, or
the process dies, ``undo`` removes what was inserted and puts back what was changed.

An undo never takes back a change somebody else made and was told was saved: the journal also
keeps what the import left in each row it changed (``after``, at every flush), and a row is put
back only where it still holds that (a task: the same version; other rows: field by field).
The rows it inserted are out of everyone's sight until the import is done
(``app.models.unfinished``), so nobody can have changed them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, event, inspect
from sqlalchemy.orm import Session, scoped_session

from app.models import Department, Document, Event, Issuer, Series, Task

# Deleted in this order (children first); restored the other way round.
MODELS = {"Event": Event, "Task": Task, "Series": Series, "Document": Document,
          "Issuer": Issuer, "Department": Department}  # fmt: skip
SKIPPED = {"id", "version", "created_at"}


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$dt": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return value


def _back(value: Any) -> Any:
    if isinstance(value, dict) and "$dt" in value:
        return dt.datetime.fromisoformat(value["$dt"])
    if isinstance(value, dict) and "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


def _values(instance, skipped=SKIPPED) -> dict:
    values = {
        attr.key: _plain(getattr(instance, attr.key))
        for attr in inspect(instance).mapper.column_attrs
        if attr.key not in skipped
    }
    if isinstance(instance, Task):
        values["cooperators"] = sorted(d.id for d in instance.cooperating_departments)
    return values


class Journal:
    def __init__(self, data: dict | None = None, job_id: int | None = None) -> None:
        data = data or {}
        self.job_id = job_id  # marks the tasks and documents it inserts as unfinished
        self.created: dict[str, list[int]] = defaultdict(list, data.get("created", {}))
        self.before: dict[str, dict[str, dict]] = defaultdict(dict, data.get("before", {}))
        self.after: dict[str, dict[str, dict]] = defaultdict(dict, data.get("after", {}))
        self._session: Session | None = None

    # -- recording ---------------------------------------------------------------------------

    HOOKS = ("pending_to_persistent", "before_flush", "after_flush")

    def watch(self, session: Session) -> None:
        if isinstance(session, scoped_session):  # this session only, not every one it makes
            session = session()
        self._session = session
        for name in self.HOOKS:
            event.listen(session, name, getattr(self, f"_{name}"))

    def stop(self) -> None:
        if self._session is not None:
            for name in self.HOOKS:
                event.remove(self._session, name, getattr(self, f"_{name}"))
            self._session = None

    def _pending_to_persistent(self, _session, instance) -> None:
        name = type(instance).__name__
        if name in MODELS:
            self.created[name].append(instance.id)

    def _before_flush(self, session, _context, _instances) -> None:
        if self.job_id is None:
            return
        for instance in session.new:
            if isinstance(instance, (Task, Document)):
                instance.import_job_id = self.job_id

    def _after_flush(self, session, _context) -> None:
        """What the import has now left in each row it changed (the last flush wins)."""
        for instance in session.dirty:
            name, key = type(instance).__name__, str(getattr(instance, "id", ""))
            if name in MODELS and key in self.before.get(name, {}):
                self.after[name][key] = _values(instance, SKIPPED - {"version"})

    def remember(self, instance) -> None:
        """Keep the values of an existing row before the import changes it (the first time)."""
        name = type(instance).__name__
        key = str(instance.id)
        if name not in MODELS or key in self.before[name]:
            return
        if instance.id in self.created.get(name, []):
            return  # inserted by this import: removed on undo anyway
        self.before[name][key] = _values(instance)

    @property
    def size(self) -> int:
        """How many rows it records: unchanged when a batch of an import wrote nothing."""
        return sum(map(len, self.created.values())) + sum(map(len, self.before.values()))

    def to_json(self) -> dict:
        return {"created": dict(self.created), "before": dict(self.before),
                "after": dict(self.after)}  # fmt: skip

    # -- undoing -----------------------------------------------------------------------------

    def undo(self, session: Session) -> int:
        """Remove what the import inserted and put back what it changed, except what somebody
        changed after it; commits. How many changed rows were kept as somebody left them."""
        session.rollback()
        kept = self._restore(session)
        kept_tasks = [int(key) for key in kept.get("Task", ())]
        tasks = self.created.get("Task") or []
        for start in range(0, len(tasks), 500):  # the events of a task it inserted (by task)
            session.execute(delete(Event).where(Event.task_id.in_(tasks[start : start + 500])))
        for name, model in MODELS.items():
            ids = self.created.get(name) or []
            for start in range(0, len(ids), 500):
                statement = delete(model).where(model.id.in_(ids[start : start + 500]))
                if model is Event and kept_tasks:  # the import's change to a kept task stays
                    statement = statement.where(Event.task_id.not_in(kept_tasks))
                session.execute(statement.execution_options(include_unfinished=True))
        session.commit()
        return sum(map(len, kept.values()))

    def _restore(self, session: Session) -> dict[str, set[str]]:
        kept: dict[str, set[str]] = defaultdict(set)
        for name in reversed(list(MODELS)):
            model = MODELS[name]
            for key, values in self.before.get(name, {}).items():
                left = self.after.get(name, {}).get(key)
                row = session.get(model, int(key))
                if row is None or left is None:  # gone, or never written by the import
                    continue
                if isinstance(row, Task) and row.version != left["version"]:
                    kept[name].add(key)  # somebody saved the task since: theirs stays
                    continue
                now = _values(row)
                for attr, value in values.items():
                    if now.get(attr) != left.get(attr):
                        kept[name].add(key)  # changed since by somebody else: theirs stays
                    elif attr == "cooperators":
                        row.cooperating_departments = [session.get(Department, i) for i in value]
                    else:
                        setattr(row, attr, _back(value))
        session.flush()
        return kept
