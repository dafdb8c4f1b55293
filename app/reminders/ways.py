"""The ways a kind is decided, one of which each declaration in ``kinds`` names: each reads
the kind's selection and audience, writes one row per e-mail (``record.insert_once``) and
returns how many it wrote.

Reminders are only written here; ``delivery`` sends them later, so a crash between the two
loses nothing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from app.models import Department, Task
from app.reminders import selection
from app.reminders.audience import Recipient
from app.reminders.compose import (
    DigestMails,
    decisions_mail,
    iso_week,
    requests_mail,
    summary_mail,
    task_notice_mail,
)
from app.reminders.kind import Occasion
from app.reminders.record import already_reminded, insert_once, unsubscribe_url
from app.reports.summary import summary_text


def unit_digests(occasion: Occasion, period: str | None = None) -> int:
    """Each unit's digest to its readers, once a week (``period``: an admin's own key)."""
    kind = occasion.kind
    period = period or iso_week(occasion.fire.date())
    recipients_for = kind.audience(occasion)
    created = 0
    for digest in kind.select(occasion):
        if digest.is_empty:
            continue  # no "0 tasks" e-mails
        mails = DigestMails(digest, kind.template)  # rendered once for all the unit's readers
        for recipient in recipients_for(digest.department):
            mail = mails.to(recipient.greeting, unsubscribe_url(recipient, kind))
            created += insert_once(
                occasion.session,
                kind.value,
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


def task_notices(occasion: Occasion) -> int:
    """One e-mail per recipient combining every task they have not yet been told about."""
    kind, session, today = occasion.kind, occasion.session, occasion.today
    days = occasion.param("days_late") if "days_late" in kind.params else 0
    recipients_for = kind.audience(occasion)
    per_recipient: dict[Recipient, list[Task]] = defaultdict(list)
    for department, group in selection.by_department(kind.select(occasion)).items():
        for recipient in recipients_for(department):
            per_recipient[recipient].extend(group)
    seen = already_reminded(session, kind.value, today)
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
        created += insert_once(session, kind.value, recipient, "tasks", today.isoformat(), mail)
    return created


def summary(occasion: Occasion) -> int:
    """The same summary to everyone in the audience, once a week."""
    kind = occasion.kind
    summary = kind.select(occasion)
    section = summary_text(summary)
    created = 0
    for recipient in kind.audience(occasion):
        url = unsubscribe_url(recipient, kind)
        mail = summary_mail(summary, section, recipient.name, url, kind.template)
        period = iso_week(occasion.fire.date())
        created += insert_once(occasion.session, kind.value, recipient, "all", period, mail)
    return created


def _period(fire: dt.datetime) -> str:
    return fire.strftime("%Y-%m-%dT%H:%M")


def office_requests(occasion: Occasion) -> int:
    """One mail to each office member naming the requests they were not told about yet;
    none when there is nothing new."""
    kind, session, fire = occasion.kind, occasion.session, occasion.fire
    waiting = kind.select(occasion)
    if not waiting:
        return 0
    seen = already_reminded(session, kind.value, fire.date())
    now = occasion.fire_utc
    created = 0
    for recipient in kind.audience(occasion):
        fresh = [w for w in waiting if w.key not in seen[recipient.email]]
        if fresh:
            mail = requests_mail(fresh, recipient.name, now, kind.template)
            created += insert_once(session, kind.value, recipient, "requests", _period(fire), mail)
    return created


def office_decisions(occasion: Occasion) -> int:
    """One mail to each lead department's head naming the office's decisions on its
    requests made in the last days that it was not told about yet."""
    kind, session, fire = occasion.kind, occasion.session, occasion.fire
    by_department: dict[Department, list] = defaultdict(list)
    for decision in kind.select(occasion):
        by_department[decision.task.lead_department].append(decision)
    seen = already_reminded(session, kind.value, fire.date())
    recipients_for = kind.audience(occasion)
    created = 0
    for department, decisions in by_department.items():
        for recipient in recipients_for(department):
            fresh = [d for d in decisions if d.key not in seen[recipient.email]]
            if fresh:
                mail = decisions_mail(department, fresh, recipient.name, kind.template)
                created += insert_once(
                    session,
                    kind.value,
                    recipient,
                    f"department:{department.id}",
                    _period(fire),
                    mail,
                    department.id,
                )
    return created
