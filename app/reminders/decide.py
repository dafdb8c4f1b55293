"""Deciding reminders: for each kind whose scheduled time has come, the way its declaration
(``kinds``) names writes one row per e-mail, under a unique key, so nothing is decided twice.

Functions flush and use savepoints; the caller commits. Reminders are only written here;
``delivery`` sends them later, so a crash between the two loses nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.models import SchedulerRun
from app.models.reminders import ReminderKind
from app.reminders import ways
from app.reminders.kind import Occasion
from app.reminders.kinds import BY_VALUE
from app.reminders.preferences import as_decided, decided_kind
from app.reminders.schedule import Schedule, due_fire, load_schedules, start, started_kinds


def decide_digests(
    session: Session, today: dt.date, period: str, department_ids: list[int] | None = None
) -> int:
    """The units' digests as of ``today`` under ``period`` (``department_ids``: only theirs)."""
    kind = decided_kind(session, ReminderKind.DIGEST)
    occasion = Occasion(session, kind, today, department_ids=department_ids)
    return ways.unit_digests(occasion, period)


def decide_kind(
    session: Session, schedule: Schedule, today: dt.date, calendar: WorkCalendar, fire: dt.datetime
) -> int:
    kind = BY_VALUE.get(schedule.kind)
    if kind is None:
        raise ValueError(f"unknown reminder kind {schedule.kind}")
    kind = as_decided(kind, schedule.mandatory)  # no one opts out of a mandatory kind
    return kind.decide(Occasion(session, kind, today, fire, calendar, schedule.params))


def decide_due(session: Session, now: dt.datetime) -> dict[str, int]:
    """Decide every kind whose scheduled time has come and was not decided yet.

    ``now`` is naive local time (Asia/Ho_Chi_Minh). Returns reminders created per kind. A kind
    that never ran (a new installation) starts from its next time: nothing of the past is sent.
    """
    calendar = load_calendar(session)
    started = started_kinds(session)
    done = {}
    for schedule in load_schedules(session):
        if not schedule.enabled:
            continue
        if schedule.kind not in started:
            start(session, schedule.kind, schedule.cron, now, calendar)
            continue
        fire = due_fire(schedule.cron, now, calendar)
        if fire is None:
            continue
        if session.scalar(
            select(SchedulerRun.id).where(
                SchedulerRun.kind == schedule.kind, SchedulerRun.fire_time == fire
            )
        ):
            continue
        created = decide_kind(session, schedule, now.date(), calendar, fire)
        try:
            with session.begin_nested():
                session.add(SchedulerRun(kind=schedule.kind, fire_time=fire, created=created))
        except IntegrityError:
            pass  # another scheduler recorded the same run; its reminders share our keys
        done[schedule.kind] = created
    session.flush()
    return done
