"""When each kind of reminder is decided: crontabs in Asia/Ho_Chi_Minh, on working days.

Only the latest scheduled time at or before now counts: a run missed while the server was
down is made up once, not once per missed week. A time that falls on a day off waits for
the next working day, at the same hour.

A kind starts from its next scheduled time: on a new installation (no run of the kind yet)
and when a schedule is switched on or changed, what would have gone out before is not sent
(``start``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.core.office_scope import current_office_id
from app.core.timeutil import LOCAL_TZ
from app.models import ReminderSchedule, SchedulerRun
from app.reminders.kinds import KINDS

LOOKBACK = dt.timedelta(days=35)


@dataclass
class Schedule:
    kind: str
    cron: str
    enabled: bool = True
    params: dict[str, Any] = field(default_factory=dict)
    mandatory: bool = False  # an optional kind no user may opt out of (the admin's choice)


def load_schedules(session: Session) -> list[Schedule]:
    """The admin's schedules, with the declared defaults for kinds never edited."""
    stored = {row.kind: row for row in session.scalars(select(ReminderSchedule))}
    out = []
    for kind in KINDS:
        row = stored.get(kind.value)
        if row is None:
            out.append(Schedule(kind.value, kind.cron, True, dict(kind.params)))
        else:
            params = {**kind.params, **(row.params or {})}
            mandatory = bool(row.mandatory) and kind.optional
            out.append(Schedule(kind.value, row.cron, row.enabled, params, mandatory))
    return out


def validate_cron(expression: str) -> str | None:
    """None when ``expression`` is a valid five-field crontab, else the reason."""
    try:
        CronTrigger.from_crontab(expression, timezone=LOCAL_TZ)
    except ValueError as error:
        return str(error)
    return None


def latest_fire(cron: str, now: dt.datetime) -> dt.datetime | None:
    """The last time at or before ``now`` (naive local) that ``cron`` names."""
    trigger = CronTrigger.from_crontab(cron, timezone=LOCAL_TZ)
    aware_now = now.replace(tzinfo=LOCAL_TZ)
    fire = trigger.get_next_fire_time(None, aware_now - LOOKBACK)
    last = None
    while fire is not None and fire <= aware_now:
        last = fire
        fire = trigger.get_next_fire_time(fire, fire + dt.timedelta(seconds=1))
    return last.replace(tzinfo=None) if last else None


def due_fire(cron: str, now: dt.datetime, calendar: WorkCalendar) -> dt.datetime | None:
    """The nominal time whose decision is due now, if any (moved off days off)."""
    fire = latest_fire(cron, now)
    if fire is None:
        return None
    effective = dt.datetime.combine(calendar.next_working_day(fire.date()), fire.time())
    return fire if effective <= now else None


def start(session: Session, kind: str, cron: str, now: dt.datetime, calendar: WorkCalendar) -> None:
    """Let ``kind`` start from its next scheduled time after ``now``.

    The time due now (if any) is recorded as made, with nothing created; when none is due,
    ``now`` itself marks the start. Either way the kind has a run, so later ticks decide its
    next times as usual.
    """
    mark = due_fire(cron, now, calendar) or now.replace(microsecond=0)
    if session.scalar(
        select(SchedulerRun.id).where(SchedulerRun.kind == kind, SchedulerRun.fire_time == mark)
    ):
        return
    try:
        with session.begin_nested():
            session.add(SchedulerRun(kind=kind, fire_time=mark, created=0))
    except IntegrityError:
        pass  # another scheduler started it at the same moment


def started_kinds(session: Session) -> set[str]:
    """The kinds that have run (or been started) before."""
    return set(session.scalars(select(SchedulerRun.kind).distinct()))


def save_schedule(
    session: Session,
    schedule: Schedule,
    cron: str,
    enabled: bool,
    params: dict,
    now: dt.datetime,
    mandatory: bool = False,
) -> bool:
    """Store the admin's schedule for a kind; False when nothing changed.

    A schedule switched on, or given other times, starts from its next time after ``now``.
    ``mandatory`` counts for optional kinds only (the others always are).
    """
    new = (cron, enabled, params, mandatory)
    if new == (schedule.cron, schedule.enabled, schedule.params, schedule.mandatory):
        return False
    key = (current_office_id(), schedule.kind)
    row = session.get(ReminderSchedule, key) or ReminderSchedule(kind=schedule.kind)
    row.cron, row.enabled, row.params, row.mandatory = new
    session.add(row)
    if enabled and (cron != schedule.cron or not schedule.enabled):
        start(session, schedule.kind, cron, now, load_calendar(session))
    return True
