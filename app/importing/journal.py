"""What an import wrote, so that an import committed in batches can still be all or nothing.

A large import commits every few hundred rows, so that other people's saves never wait long
for the database. The journal records every row the import inserted (by its session's
``pending_to_persistent`` event) and the values every existing row had before the import first
changed it; it is stored with each batch, in the same transaction. If a later batch fails, or
the process dies, ``undo`` removes what was inserted and puts back what was changed.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import delete, event, inspect
from sqlalchemy.orm import Session

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


class Journal:
    def __init__(self, data: dict | None = None) -> None:
        data = data or {}
        self.created: dict[str, list[int]] = defaultdict(list, data.get("created", {}))
        self.before: dict[str, dict[str, dict]] = defaultdict(dict, data.get("before", {}))
        self._session: Session | None = None

    # -- recording ---------------------------------------------------------------------------

    def watch(self, session: Session) -> None:
        self._session = session
        event.listen(session, "pending_to_persistent", self._inserted)

    def stop(self) -> None:
        if self._session is not None:
            event.remove(self._session, "pending_to_persistent", self._inserted)
            self._session = None

    def _inserted(self, _session, instance) -> None:
        name = type(instance).__name__
        if name in MODELS:
            self.created[name].append(instance.id)

    def remember(self, instance) -> None:
        """Keep the values of an existing row before the import changes it (the first time)."""
        name = type(instance).__name__
        key = str(instance.id)
        if name not in MODELS or key in self.before[name]:
            return
        if instance.id in self.created.get(name, []):
            return  # inserted by this import: removed on undo anyway
        values = {
            attr.key: _plain(getattr(instance, attr.key))
            for attr in inspect(instance).mapper.column_attrs
            if attr.key not in SKIPPED
        }
        if isinstance(instance, Task):
            values["cooperators"] = sorted(d.id for d in instance.cooperating_departments)
        self.before[name][key] = values

    @property
    def size(self) -> int:
        """How many rows it records: unchanged when a batch of an import wrote nothing."""
        return sum(map(len, self.created.values())) + sum(map(len, self.before.values()))

    def to_json(self) -> dict:
        return {"created": dict(self.created), "before": dict(self.before)}

    # -- undoing -----------------------------------------------------------------------------

    def undo(self, session: Session) -> None:
        """Remove what the import inserted and restore what it changed; commits."""
        session.rollback()
        tasks = self.created.get("Task") or []
        for start in range(0, len(tasks), 500):  # the events of a task it inserted (by task)
            session.execute(delete(Event).where(Event.task_id.in_(tasks[start : start + 500])))
        for name, model in MODELS.items():
            ids = self.created.get(name) or []
            for start in range(0, len(ids), 500):
                session.execute(delete(model).where(model.id.in_(ids[start : start + 500])))
        for name in reversed(list(MODELS)):
            model = MODELS[name]
            for key, values in self.before.get(name, {}).items():
                row = session.get(model, int(key))
                if row is None:
                    continue
                cooperators = values.pop("cooperators", None)
                for attr, value in values.items():
                    setattr(row, attr, _back(value))
                if cooperators is not None:
                    row.cooperating_departments = [session.get(Department, i) for i in cooperators]
        session.commit()
