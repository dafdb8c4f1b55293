"""Deciding reminders: one row per e-mail, under a unique key, so nothing is decided twice.

Functions flush and use savepoints; the caller commits. Reminders are only written here;
``delivery`` sends them later, so a crash between the two loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.core.timeutil import LOCAL_TZ
from app.models import Department, SchedulerRun, Task
from app.models.people import Role
from app.models.reminders import ReminderKind
from app.reminders import audience, selection
from app.reminders.compose import (
    DigestMails,
    decisions_mail,
    iso_week,
    requests_mail,
    summary_mail,
    task_notice_mail,
)
from app.reminders.record import already_reminded, insert_once, unsubscribe_url
from app.reminders.schedule import Schedule, due_fire, load_schedules
from app.reports.summary import build_summary, summary_text

OFFICE_ROLES = (Role.OFFICE,)
DECISION_DAYS = 7  # decisions older than this are not told any more (a new install's past)


def decide_digests(
    session: Session, today: dt.date, period: str, department_ids: list[int] | None = None
) -> int:
    created = 0
    for digest in selection.digests(session, today, department_ids):
        if digest.is_empty:
            continue  # no "0 tasks" e-mails
        mails = DigestMails(digest)  # rendered once for all the unit's readers
        for recipient in audience.department_recipients(
            session, digest.department, ReminderKind.DIGEST
        ):
            mail = mails.to(recipient.name, unsubscribe_url(recipient, ReminderKind.DIGEST))
            created += insert_once(
                session,
                ReminderKind.DIGEST,
                recipient,
                f"department:{digest.department.id}",
                period,
                mail,
                digest.department.id,
                digest.task_ids,
            )
    return created


def _task_key(task: Task) -> str:
    return f"{task.id}@{task.deadline.isoformat() if task.deadline else '-'}"


def _decide_task_notices(
    session: Session, kind: str, tasks: list[Task], today: dt.date, recipients_for, days: int = 0
) -> int:
    """One e-mail per recipient combining every task they have not yet been told about."""
    per_recipient: dict[audience.Recipient, list[Task]] = defaultdict(list)
    for department, group in selection.by_department(tasks).items():
        for recipient in recipients_for(department):
            per_recipient[recipient].extend(group)
    seen = already_reminded(session, kind, today)
    created = 0
    for recipient, candidates in per_recipient.items():
        fresh = [t for t in candidates if _task_key(t) not in seen[recipient.email]]
        if not fresh:
            continue
        mail = task_notice_mail(
            kind,
            selection.by_department(fresh),
            today,
            recipient.name,
            unsubscribe_url(recipient, kind),
            days,
            recipient.role,
        )
        mail.task_keys = [_task_key(t) for t in fresh]
        created += insert_once(session, kind, recipient, "tasks", today.isoformat(), mail)
    return created


def decide_kind(
    session: Session, schedule: Schedule, today: dt.date, calendar: WorkCalendar, fire: dt.datetime
) -> int:
    kind = schedule.kind
    if kind == ReminderKind.DIGEST:
        return decide_digests(session, today, iso_week(fire.date()))
    office = audience.role_recipients(session, OFFICE_ROLES, kind)
    if kind == ReminderKind.BEFORE_DEADLINE:
        tasks = selection.due_within(
            session, today, calendar, int(schedule.params.get("working_days_before", 3))
        )
        return _decide_task_notices(
            session, kind, tasks, today, lambda d: audience.department_recipients(session, d, kind)
        )
    if kind == ReminderKind.AFTER_DEADLINE:
        return _decide_task_notices(
            session,
            kind,
            selection.just_late(session, today),
            today,
            lambda d: audience.department_recipients(session, d, kind) + office,
        )
    if kind == ReminderKind.ESCALATION:
        days = int(schedule.params.get("days_late", 15))
        return _decide_task_notices(
            session,
            kind,
            selection.long_late(session, today, days),
            today,
            lambda d: audience.leaders_for(session, d, kind) + office,
            days,
        )
    if kind == ReminderKind.REQUESTS:
        return _decide_requests(session, fire)
    if kind == ReminderKind.DECISIONS:
        return _decide_decisions(session, fire)
    if kind == ReminderKind.SUMMARY:
        summary = build_summary(session, today)
        section = summary_text(summary)
        created = 0
        for recipient in audience.role_recipients(session, (Role.OFFICE, Role.LEADER), kind):
            mail = summary_mail(summary, section, recipient.name, unsubscribe_url(recipient, kind))
            created += insert_once(session, kind, recipient, "all", iso_week(fire.date()), mail)
        return created
    raise ValueError(f"unknown reminder kind {kind}")


def local_to_utc(moment: dt.datetime) -> dt.datetime:
    """A naive local time (the scheduler's) as the naive UTC time the tables hold."""
    return moment.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)


def _period(fire: dt.datetime) -> str:
    return fire.strftime("%Y-%m-%dT%H:%M")


def _decide_requests(session: Session, fire: dt.datetime) -> int:
    """One mail to each office member naming the requests they were not told about yet;
    none when there is nothing new."""
    from app.tasks.office_queue import waiting_for_office

    waiting = waiting_for_office(session)
    if not waiting:
        return 0
    seen = already_reminded(session, ReminderKind.REQUESTS, fire.date())
    now = local_to_utc(fire)
    created = 0
    for recipient in audience.role_recipients(session, OFFICE_ROLES, ReminderKind.REQUESTS):
        fresh = [w for w in waiting if w.key not in seen[recipient.email]]
        if fresh:
            mail = requests_mail(fresh, recipient.name, now)
            created += insert_once(
                session, ReminderKind.REQUESTS, recipient, "requests", _period(fire), mail
            )
    return created


def _decide_decisions(session: Session, fire: dt.datetime) -> int:
    """One mail to each lead department's head naming the office's decisions on its
    requests made in the last days that it was not told about yet."""
    from app.tasks.office_queue import recent_decisions

    since = local_to_utc(fire) - dt.timedelta(days=DECISION_DAYS)
    by_department: dict[Department, list] = defaultdict(list)
    for decision in recent_decisions(session, since):
        by_department[decision.task.lead_department].append(decision)
    seen = already_reminded(session, ReminderKind.DECISIONS, fire.date())
    created = 0
    for department, decisions in by_department.items():
        for recipient in audience.department_heads(session, department):
            fresh = [d for d in decisions if d.key not in seen[recipient.email]]
            if fresh:
                mail = decisions_mail(department, fresh, recipient.name)
                created += insert_once(
                    session,
                    ReminderKind.DECISIONS,
                    recipient,
                    f"department:{department.id}",
                    _period(fire),
                    mail,
                    department.id,
                )
    return created


def decide_due(session: Session, now: dt.datetime) -> dict[str, int]:
    """Decide every kind whose scheduled time has come and was not decided yet.

    ``now`` is naive local time (Asia/Ho_Chi_Minh). Returns reminders created per kind.
    """
    calendar = load_calendar(session)
    done = {}
    for schedule in load_schedules(session):
        if not schedule.enabled:
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


def department_by_name(session: Session, name: str) -> Department | None:
    """A unit by its name or short name, accents and case aside; a current unit before one an
    organisation change ended."""
    from app.core.textnorm import fold

    for department in session.scalars(
        select(Department).order_by(Department.ended_on.is_not(None))
    ):
        if fold(name) in (fold(department.name), fold(department.short_name)):
            return department
    return None
