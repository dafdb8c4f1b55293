"""Recurring tasks: a series of a document, and the task of each period, created ahead of time.

A period's task is created when its period begins (or, with ``lead_working_days`` N, at the
latest N working days before its deadline), by the scheduler process, exactly once: the unique
key (series, period) refuses a second copy whoever tries (two schedulers, a restart). It exists
for the as-of rule from the day it is created, so a report of an earlier date is unchanged.
Changing or stopping a series affects only the periods not yet created.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import time
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.models import Department, Document, Series, Task, User
from app.models.documents import DeadlineKind
from app.recurring.recurrence import Occurrence, Rule, occurrences, parse_phrase
from app.tasks.changes import add_task

LOOKAHEAD = 400  # periods looked at per series in one pass (weekly: eight years)


def rule_json(rule: Rule) -> dict:
    """The rule as stored in ``Series.rule`` (tuples as lists); ``rule_of`` reads it back."""
    return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(rule).items()}


def rule_of(series: Series) -> Rule:
    data = dict(series.rule)
    data["dates"] = tuple(tuple(d) for d in data.get("dates") or ())
    return Rule(**data)


def create_series(
    session: Session,
    document: Document,
    *,
    content: str,
    lead: Department,
    cooperators: Sequence[Department] = (),
    phrase: str,
    starts_on: dt.date,
    by: User | None = None,
    ends_on: dt.date | None = None,
    max_count: int | None = None,
    lead_working_days: int | None = None,
) -> Series:
    """A new series (``PhraseError`` when the phrase states no rule); flushes."""
    rule = parse_phrase(phrase)
    series = Series(
        document=document,
        content=content,
        lead_department=lead,
        cooperator_ids=[d.id for d in cooperators if d.id != lead.id],
        phrase=phrase.strip(),
        rule=rule_json(rule),
        starts_on=starts_on,
        ends_on=ends_on,
        max_count=max_count,
        lead_working_days=lead_working_days,
        created_by_id=by.id if by else None,
    )
    session.add(series)
    session.flush()
    return series


def _back_working_days(work: WorkCalendar, day: dt.date, count: int) -> dt.date:
    """The ``count``-th working day before ``day``."""
    for _ in range(count):
        day -= dt.timedelta(days=1)
        while not work.is_working_day(day):
            day -= dt.timedelta(days=1)
    return day


def created_on(series: Series, occurrence: Occurrence, work: WorkCalendar) -> dt.date:
    """The day a period's task is due to be created."""
    if series.lead_working_days:
        latest = _back_working_days(work, occurrence.deadline, series.lead_working_days)
        return min(occurrence.starts_on, latest)
    return occurrence.starts_on


def upcoming(series: Series, today: dt.date, count: int, work: WorkCalendar) -> list[Occurrence]:
    """The next periods of a series not created yet (none once it is stopped)."""
    if not series.active:
        return []
    made = {t.period for t in series_tasks_of(series)}
    start = max(series.starts_on, today)
    found = occurrences(rule_of(series), start, count + len(made), work, until=series.ends_on)
    return [o for o in found if o.period not in made][:count]


def series_tasks_of(series: Series) -> list[Task]:
    from sqlalchemy.orm import object_session

    session = object_session(series)
    return list(session.scalars(select(Task).where(Task.series_id == series.id).order_by(Task.id)))


def create_due_tasks(
    session: Session, today: dt.date, series_ids: Sequence[int] | None = None
) -> int:
    """Create every period's task that is due by ``today`` and not created yet; commits each
    one on its own (a second creator meets the unique key and leaves it). Returns how many."""
    work = load_calendar(session)
    query = select(Series).where(Series.active.is_(True)).order_by(Series.id)
    if series_ids is not None:
        query = query.where(Series.id.in_(series_ids))
    created = 0
    for series_id in [s.id for s in session.scalars(query)]:
        series = session.get(Series, series_id)
        made = {t.period for t in series_tasks_of(series)}
        count = len(made)
        for occurrence in occurrences(
            rule_of(series), series.starts_on, LOOKAHEAD, work, until=series.ends_on
        ):
            if created_on(series, occurrence, work) > today:
                break
            if occurrence.period in made:
                continue
            if series.max_count and count >= series.max_count:
                break
            mine = _create_period(session, series_id, occurrence, today)
            series = session.get(Series, series_id)  # the commit or rollback expired it
            made.add(occurrence.period)
            if mine:  # not made by another scheduler meanwhile
                count += 1
                created += 1
    return created


# SQLite (WAL) refuses at once a write from a transaction whose snapshot another process's
# commit made stale ("database is locked", without waiting): such a period is tried again in a
# fresh transaction, a few times, before the error is let through.
LOCKED_TRIES = 20


def _create_period(session: Session, series_id: int, occurrence, today: dt.date) -> bool:
    """Create one period's task and commit; False when it exists already (another creator)."""
    for attempt in range(LOCKED_TRIES):
        series = session.get(Series, series_id)
        try:
            with session.begin_nested():
                add_task(
                    session,
                    series.document,
                    content=series.content,
                    lead=series.lead_department,
                    cooperators=[session.get(Department, i) for i in series.cooperator_ids or []],
                    deadline_kind=DeadlineKind.DATE,
                    deadline=occurrence.deadline,
                    effective_on=max(today, series.document.issued_on),
                    series_id=series.id,
                    period=occurrence.period,
                )
            session.commit()
            return True
        except IntegrityError:
            session.rollback()
            return False
        except OperationalError as error:
            session.rollback()
            if "locked" not in str(error.orig) or attempt == LOCKED_TRIES - 1:
                raise
            time.sleep(random.uniform(0.05, 0.25))
            exists = session.scalar(
                select(Task.id).where(Task.series_id == series_id, Task.period == occurrence.period)
            )
            if exists is not None:
                return False
    raise AssertionError("unreachable: the last try returns or raises")


def change_series(session: Session, series: Series, *, phrase: str, content: str) -> None:
    """A new rule or text for the periods not created yet (``PhraseError`` when the phrase
    states no rule); the periods already created keep theirs."""
    rule = parse_phrase(phrase)
    series.phrase = phrase.strip()
    series.rule = rule_json(rule)
    series.content = content.strip() or series.content
    session.flush()


def stop_series(session: Session, series: Series, today: dt.date) -> None:
    """No more periods; those already created stay as they are."""
    series.active = False
    series.stopped_on = today
    session.flush()


def document_series(document: Document) -> list[Series]:
    from sqlalchemy.orm import object_session

    session = object_session(document)
    return list(
        session.scalars(select(Series).where(Series.document_id == document.id).order_by(Series.id))
    )
