"""Who receives which reminder."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department, ReminderPreference, User
from app.models.people import Role
from app.models.reminders import ReminderKind


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str
    user_id: int | None = None
    role: str = Role.DEPARTMENT_HEAD  # whom the mail speaks to (a unit's own address: its head)


def _preferences(session: Session, users: list[User]) -> dict[tuple[int, str], bool]:
    ids = [u.id for u in users]
    if not ids:
        return {}
    rows = session.scalars(select(ReminderPreference).where(ReminderPreference.user_id.in_(ids)))
    return {(p.user_id, p.kind): p.subscribed for p in rows}


def wants(user: User, kind: str, preferences: dict[tuple[int, str], bool]) -> bool:
    """Heads get their department's reminders unless they opted out; members only if they
    opted in; mandatory kinds go to both."""
    if not ReminderKind(kind).optional:
        return True
    default = user.role != Role.DEPARTMENT_MEMBER
    return preferences.get((user.id, kind), default)


def _as_recipients(users: list[User]) -> list[Recipient]:
    return [Recipient(u.email, u.full_name, u.id, u.role) for u in users if u.email]


def department_recipients(session: Session, department: Department, kind: str) -> list[Recipient]:
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
    preferences = _preferences(session, users)
    chosen = _as_recipients([u for u in users if wants(u, kind, preferences)])
    if not chosen and department.email and not any(u.role == Role.DEPARTMENT_HEAD for u in users):
        chosen = [Recipient(department.email, department.name)]
    return chosen


def role_recipients(session: Session, roles: tuple[str, ...], kind: str) -> list[Recipient]:
    users = list(
        session.scalars(
            select(User).where(User.role.in_(roles), User.is_active.is_(True)).order_by(User.id)
        )
    )
    preferences = _preferences(session, users)
    return _as_recipients([u for u in users if wants(u, kind, preferences)])


def leaders_for(session: Session, department: Department, kind: str) -> list[Recipient]:
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
