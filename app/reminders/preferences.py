"""Each user's choice of reminder mails: the kinds that concern their role, which of them they
may refuse (the optional kinds the admin did not make mandatory), what they receive now, and
saving what they chose.

Functions flush; the caller commits.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import ReminderPreference, ReminderSchedule, User
from app.reminders.audience import preferences_of, wants
from app.reminders.kind import Kind
from app.reminders.kinds import BY_VALUE, KINDS

ALWAYS = N_("Bắt buộc: thư này luôn được gửi cho người giữ vai trò của bạn.")
BY_ADMIN = N_("Bắt buộc theo cài đặt của quản trị hệ thống.")


@dataclass(frozen=True)
class Choice:
    kind: Kind
    receives: bool  # what the user gets now: their choice, else their role's default
    why_mandatory: str = ""  # N_(): why they may not refuse it ("" when they may)

    @property
    def mandatory(self) -> bool:
        return bool(self.why_mandatory)


def made_mandatory(session: Session) -> set[str]:
    """The optional kinds the admin made mandatory (the schedules page)."""
    rows = session.scalars(select(ReminderSchedule.kind).where(ReminderSchedule.mandatory))
    return {value for value in rows if value in BY_VALUE and BY_VALUE[value].optional}


def as_decided(kind: Kind, mandatory: bool) -> Kind:
    """The kind as the deciding modules see it: not optional when the admin made it mandatory
    (no one is left out by a preference, no mail has an unsubscribe link)."""
    return dataclasses.replace(kind, optional=False) if mandatory and kind.optional else kind


def decided_kind(session: Session, value: str) -> Kind:
    return as_decided(BY_VALUE[value], value in made_mandatory(session))


def choices(session: Session, user: User) -> list[Choice]:
    """The kinds that concern ``user``'s role, in the schedules page's order."""
    by_admin = made_mandatory(session)
    preferences = preferences_of(session, [user])
    out = []
    for kind in KINDS:
        if user.role not in kind.roles:
            continue
        if not kind.optional:
            out.append(Choice(kind, True, ALWAYS))
        elif kind.value in by_admin:
            out.append(Choice(kind, True, BY_ADMIN))
        else:
            out.append(Choice(kind, wants(user, kind, preferences)))
    return out


def save_choices(session: Session, user: User, wanted: set[str]) -> int:
    """Store ``user``'s choice for every kind they may refuse: those in ``wanted`` they
    receive, the others not. Mandatory kinds and kinds not for their role are left as they
    are, whatever was posted. Returns how many choices changed."""
    changed = 0
    for choice in choices(session, user):
        if choice.mandatory:
            continue
        value = choice.kind.value
        receives = value in wanted
        row = session.get(ReminderPreference, (user.id, value))
        if row is None:
            row = ReminderPreference(user_id=user.id, kind=value, subscribed=receives)
            session.add(row)
        elif row.subscribed == receives:
            continue
        row.subscribed = receives
        changed += receives != choice.receives
    session.flush()
    return changed
