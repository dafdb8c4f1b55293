"""Who receives which reminder: the audiences a kind's declaration names, and the rules they
follow (preferences, a unit's own address)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department, ReminderPreference, User
from app.models.people import Role
from app.reminders.deputies import on_behalf, standing_in
from app.reminders.kind import Kind, Occasion

OFFICE_ROLES = (Role.OFFICE,)


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: int | None = None
    role: str = Role.DEPARTMENT_HEAD  # whom the mail speaks to (a unit's own address: its head)
    on_behalf: str = ""  # a deputy's: "thay cho <head> (vắng mặt từ … đến …)"

    @property
    def greeting(self) -> str:
        """The name the mail is addressed to."""
        return f"{self.name} – {self.on_behalf}" if self.on_behalf else self.name


def preferences_of(session: Session, users: list[User]) -> dict[tuple[int, str], bool]:
    ids = [u.id for u in users]
    if not ids:
        return {}
    rows = session.scalars(select(ReminderPreference).where(ReminderPreference.user_id.in_(ids)))
    return {(p.user_id, p.kind): p.subscribed for p in rows}


def wants(user: User, kind: Kind, preferences: dict[tuple[int, str], bool]) -> bool:
    """Heads get their department's reminders unless they opted out; members only if they
    opted in; mandatory kinds go to both."""
    if not kind.optional:
        return True
    default = user.role != Role.DEPARTMENT_MEMBER
    return preferences.get((user.id, kind.value), default)


def _as_recipients(users: list[User]) -> list[Recipient]:
    return [Recipient(u.email, u.full_name, u.id, u.role) for u in users if u.email]


def _deputies_instead(
    session: Session, department: Department, users: list[User], today: dt.date
) -> list[Recipient]:
    """``users`` as recipients, each head away on ``today`` replaced by their deputy (one
    mail to a deputy who also reads the unit's mails on their own: the one in the head's
    place)."""
    away = standing_in(session, department.id, today)
    instead = [
        Recipient(row.deputy.email, row.deputy.full_name, row.deputy.id, u.role, on_behalf(row))
        for u in users
        if (row := away.get(u.id)) is not None
    ]
    taken = {r.email for r in instead}
    present = [u for u in users if u.id not in away]
    return instead + [r for r in _as_recipients(present) if r.email not in taken]


def department_recipients(
    session: Session, department: Department, kind: Kind, today: dt.date | None = None
) -> list[Recipient]:
    """The unit's readers of ``kind``; for a kind deputies receive, with the heads away on
    ``today`` replaced by their deputies."""
    users = list(
        session.scalars(
            select(User)
            .where(
                User.department_id == department.id,
                User.is_active.is_(True),
                User.role.in_((Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER)),
            )
            .order_by(User.id)
        )
    )
    preferences = preferences_of(session, users)
    readers = [u for u in users if wants(u, kind, preferences)]
    if kind.deputies and today is not None:
        chosen = _deputies_instead(session, department, readers, today)
    else:
        chosen = _as_recipients(readers)
    if not chosen and department.email and not any(u.role == Role.DEPARTMENT_HEAD for u in users):
        chosen = [Recipient(department.email, department.name)]
    return chosen


def role_recipients(session: Session, roles: tuple[str, ...], kind: Kind) -> list[Recipient]:
    users = list(
        session.scalars(
            select(User).where(User.role.in_(roles), User.is_active.is_(True)).order_by(User.id)
        )
    )
    preferences = preferences_of(session, users)
    return _as_recipients([u for u in users if wants(u, kind, preferences)])


def leaders_for(session: Session, department: Department, kind: Kind) -> list[Recipient]:
    """The leader in charge of the department, or every leader when none is set."""
    if department.leader is not None and department.leader.is_active:
        return _as_recipients([department.leader])
    return role_recipients(session, (Role.LEADER,), kind)


def department_heads(session: Session, department: Department) -> list[Recipient]:
    """The heads of a department (its own address when it has no head with an e-mail)."""
    heads = session.scalars(
        select(User)
        .where(
            User.department_id == department.id,
            User.is_active.is_(True),
            User.role == Role.DEPARTMENT_HEAD,
        )
        .order_by(User.id)
    ).all()
    chosen = _as_recipients(list(heads))
    if not chosen and department.email:
        chosen = [Recipient(department.email, department.name)]
    return chosen


# The audiences a declaration names. A unit's: a function giving the recipients for a unit;
# everyone's: the list of recipients.


def units(occasion: Occasion):
    """Each unit's readers: its head unless they opted out (or their deputy while they are
    away, for a kind deputies receive), the members who opted in."""
    return lambda department: department_recipients(
        occasion.session, department, occasion.kind, occasion.today
    )


def units_and_office(occasion: Occasion):
    """Each unit's readers, and the office."""
    in_office = office(occasion)
    return lambda department: (
        department_recipients(occasion.session, department, occasion.kind) + in_office
    )


def leaders_and_office(occasion: Occasion):
    """The leader in charge of each unit (every leader when none is), and the office."""
    in_office = office(occasion)
    return lambda department: leaders_for(occasion.session, department, occasion.kind) + in_office


def unit_heads(occasion: Occasion):
    """Each unit's heads (its own address when it has no head with an e-mail)."""
    return lambda department: department_heads(occasion.session, department)


def office(occasion: Occasion) -> list[Recipient]:
    """The office's members who want it."""
    return role_recipients(occasion.session, OFFICE_ROLES, occasion.kind)


def office_and_leaders(occasion: Occasion) -> list[Recipient]:
    """The office's members and the leaders who want it."""
    return role_recipients(occasion.session, (Role.OFFICE, Role.LEADER), occasion.kind)
