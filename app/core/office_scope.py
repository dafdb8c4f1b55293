"""Which office a piece of work belongs to, enforced in one place for every query.

Every table whose rows belong to one office (units, users, documents, tasks, their history,
issuers, schedules, reminders …) carries ``office_id`` (``app.models.offices.OfficeScoped``).
One session event adds ``office_id = <the current office>`` to every ORM statement that reads,
updates or deletes them, wherever in the statement they appear (joins, subqueries, the
objects a relationship loads), and a new row takes the current office as its default. Views,
reports and commands never filter by office themselves.

The current office:
- inside ``use_office(id)`` (a command's ``--office``, a scheduler pass over each office, a
  hand-over between offices): that office;
- in a web request: the signed-in user's office (``app.web.wiring``); a request nobody is
  signed in for sees no office's rows at all;
- otherwise (a command, a test, the scheduler before it chooses): the installation's only
  office; with several, a statement without a chosen office is an error, never every office.

``all_offices()`` lifts the filter on purpose, for the few reads that cross offices: finding
the account a sign-in names, the offices' own list, a province reading a commune's work on a
task it gave (read only), the installation's backup.
"""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import Iterator
from contextvars import ContextVar

from sqlalchemy import event, select
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria


class OfficeScopeError(RuntimeError):
    """A statement on office rows with no office chosen while the installation has several."""


class _Every:
    def __repr__(self) -> str:
        return "<every office>"


class _Nobody:
    def __repr__(self) -> str:
        return "<no office>"


EVERY = _Every()  # the filter lifted (``all_offices``)
NOBODY = _Nobody()  # a request nobody is signed in for: no office's rows

_scope: ContextVar[int | _Every | _Nobody | None] = ContextVar("office_scope", default=None)
# Inside ``all_offices``: the office chosen outside it, which new rows still belong to.
_writes_to: ContextVar[int | None] = ContextVar("office_written", default=None)
# The installation's only office (None: several), per database, remembered for a minute or until
# this process adds or removes an office.
_only: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
ONLY_OFFICE_KEPT_SECONDS = 60
_models: dict[str, type] = {}  # set by ``bind_models``


@contextlib.contextmanager
def use_office(office_id: int) -> Iterator[None]:
    """Work within one office (every read filtered to it, every new row in it)."""
    token = _scope.set(int(office_id))
    try:
        yield
    finally:
        _scope.reset(token)


@contextlib.contextmanager
def all_offices() -> Iterator[None]:
    """Read across offices on purpose (see the module's list of who may). A row written
    meanwhile (an autoflush) still belongs to the office chosen outside."""
    outer = _scope.get()
    token = _scope.set(EVERY)
    writes = _writes_to.set(outer if isinstance(outer, int) else None)
    try:
        yield
    finally:
        _writes_to.reset(writes)
        _scope.reset(token)


@contextlib.contextmanager
def no_office() -> Iterator[None]:
    """Nobody's office: every read of office rows finds nothing (an anonymous request)."""
    token = _scope.set(NOBODY)
    try:
        yield
    finally:
        _scope.reset(token)


def set_scope(value: int | _Every | _Nobody | None):
    """Set the scope until ``reset_scope(token)`` (a request's before/teardown pair)."""
    return _scope.set(value)


def reset_scope(token) -> None:
    _scope.reset(token)


def chosen_office_id() -> int | None:
    """The office chosen explicitly or by the signed-in user; None when none was."""
    value = _scope.get()
    return value if isinstance(value, int) else None


def current_office_id() -> int:
    """The office new rows go to and reads are filtered by."""
    value = _scope.get()
    if isinstance(value, int):
        return value
    if value is EVERY:
        if _writes_to.get() is not None:
            return _writes_to.get()
        raise OfficeScopeError("a new row while reading across offices: choose its office")
    if value is NOBODY:
        raise OfficeScopeError("no office: nobody is signed in")
    return only_office_id()


def only_office_id() -> int:
    from app.extensions import db

    Office = _models["office"]  # noqa: N806
    engine = db.engine
    known = _only.get(engine)
    if known is None or time.monotonic() - known[1] > ONLY_OFFICE_KEPT_SECONDS:
        token = _scope.set(EVERY)
        try:
            ids = db.session.scalars(select(Office.id).order_by(Office.id).limit(2)).all()
        finally:
            _scope.reset(token)
        if not ids:
            raise OfficeScopeError("the installation has no office")
        known = (ids[0] if len(ids) == 1 else None, time.monotonic())
        _only[engine] = known
    if known[0] is None:
        raise OfficeScopeError("several offices: choose one (--office, use_office)")
    return known[0]


def forget_only_office() -> None:
    """An office was added or removed: ask again."""
    _only.clear()


@event.listens_for(Session, "do_orm_execute")
def _filter_by_office(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_column_load or state.is_relationship_load:
        return  # carried from the statement that loaded the object
    if state.execution_options.get("all_offices"):
        return
    value = _scope.get()
    if value is EVERY:
        return
    if value is NOBODY:
        office_id = -1
    else:
        try:
            office_id = current_office_id()
        except OfficeScopeError:
            # No office chosen among several: an error when the statement reads office rows,
            # nothing of any office where they only appear inside it (a subquery).
            if any(issubclass(m.class_, _models["scoped"]) for m in state.all_mappers):
                raise
            office_id = -1
    state.statement = state.statement.options(
        with_loader_criteria(
            _models["scoped"], lambda cls: cls.office_id == office_id, include_aliases=True
        )
    )


@event.listens_for(Session, "after_flush")
def _offices_changed(session: Session, _context) -> None:
    office = _models.get("office")
    if office and any(isinstance(o, office) for o in (*session.new, *session.deleted)):
        forget_only_office()


def bind_models(scoped: type, office: type) -> None:
    """The mixin of the office tables and the offices' own table (``app.models.offices``)."""
    _models.update(scoped=scoped, office=office)
