"""Deputies: a unit head away from one date to another names a member of their unit who
receives the unit's digests instead of them (the kinds declared with ``deputies=True``).

Dates are the office's local dates, both days included. The rule is checked twice: when the
head names the deputy (``period_problem``, ``candidates``), and when a digest is decided
(``standing_in``): a deputy who has left the unit, or whose account was closed, stands in for
no one, and the head receives their digests again.

Functions flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.i18n import N_
from app.models import ReminderDeputy, User
from app.models.people import Role

MAX_DAYS = 180  # the longest absence one naming covers
MAX_AHEAD = 365  # how far ahead an absence may start


def may_name_deputy(user: User) -> bool:
    """A unit's head names a deputy for the unit's digests."""
    return user.role == Role.DEPARTMENT_HEAD and user.department_id is not None


def candidates(session: Session, head: User) -> list[User]:
    """Whom ``head`` may name: the other active users of their unit who have an e-mail."""
    if not may_name_deputy(head):
        return []
    return list(
        session.scalars(
            select(User)
            .where(
                User.department_id == head.department_id,
                User.id != head.id,
                User.is_active.is_(True),
                User.role.in_((Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER)),
                User.email != "",
                User.email.is_not(None),
            )
            .order_by(User.full_name, User.id)
        )
    )


def period_problem(starts_on: dt.date, ends_on: dt.date, today: dt.date) -> tuple[str, str] | None:
    """Why the absence cannot be named: the date at fault ("starts_on" or "ends_on") and the
    reason (N_(), with ``days`` to fill in); None when it can."""
    if starts_on < today:
        return "starts_on", N_("Ngày bắt đầu vắng mặt không được trước hôm nay.")
    if starts_on > today + dt.timedelta(days=MAX_AHEAD):
        return "starts_on", N_("Ngày bắt đầu vắng mặt phải trong vòng một năm tới.")
    if ends_on < starts_on:
        return "ends_on", N_("Ngày kết thúc không được trước ngày bắt đầu.")
    if (ends_on - starts_on).days + 1 > MAX_DAYS:
        return "ends_on", N_("Mỗi lần vắng mặt dài nhất %(days)s ngày.")
    return None


def deputy_of(session: Session, head: User) -> ReminderDeputy | None:
    """The deputy ``head`` named, whatever the dates."""
    return session.get(ReminderDeputy, head.id)


def name_deputy(
    session: Session, head: User, deputy: User, starts_on: dt.date, ends_on: dt.date
) -> ReminderDeputy:
    """Name (or replace) ``head``'s deputy; the caller checked ``candidates`` and the dates."""
    row = session.get(ReminderDeputy, head.id) or ReminderDeputy(user_id=head.id)
    row.deputy_id, row.starts_on, row.ends_on = deputy.id, starts_on, ends_on
    session.add(row)
    session.flush()
    return row


def clear_deputy(session: Session, head_id: int) -> bool:
    """Remove the deputy ``head_id`` named; False when there was none."""
    row = session.get(ReminderDeputy, head_id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def standing_in(session: Session, department_id: int, today: dt.date) -> dict[int, ReminderDeputy]:
    """The heads of the unit away on ``today``, each with the deputy who receives in their
    place: a deputy still active, still in the unit and with an e-mail."""
    rows = session.scalars(
        select(ReminderDeputy)
        .join(User, User.id == ReminderDeputy.deputy_id)
        .where(
            ReminderDeputy.starts_on <= today,
            ReminderDeputy.ends_on >= today,
            User.department_id == department_id,
            User.is_active.is_(True),
        )
    )
    return {row.user_id: row for row in rows if row.deputy.email}


def listed(session: Session, today: dt.date) -> list[ReminderDeputy]:
    """The deputies named for today or later (the admin's users page), soonest first."""
    return list(
        session.scalars(
            select(ReminderDeputy)
            .where(ReminderDeputy.ends_on >= today)
            .order_by(ReminderDeputy.starts_on, ReminderDeputy.user_id)
        )
    )


def on_behalf(row: ReminderDeputy) -> str:
    """What the deputy's mail says after their name."""
    return (
        f"thay cho {row.user.full_name} (vắng mặt từ {row.starts_on:%d/%m/%Y} "
        f"đến {row.ends_on:%d/%m/%Y})"
    )
