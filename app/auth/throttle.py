"""Sign-in throttling: after 5 wrong passwords for an account (or 20 from one client address)
within a day, the next try waits 15 minutes from the last failure, and the wait doubles with
each further failure (30 minutes, 1 hour … at most a day). A successful sign-in or an
administrator's unlock clears the account's failures. Plain functions on a session and a
time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import LoginFailure

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20  # an office behind one address has many people who may mistype
LONGEST_WAIT = dt.timedelta(days=1)
KEEP = dt.timedelta(days=2)


@dataclass(frozen=True)
class Lock:
    until: dt.datetime  # naive UTC
    by_account: bool


def _wait(failures: int, limit: int) -> dt.timedelta:
    return min(WINDOW * 2 ** max(failures - limit, 0), LONGEST_WAIT)


def _lock(session: Session, column, value: str, limit: int, now: dt.datetime):
    """Until when ``value`` is locked: ``limit`` failures in the last day lock it for 15
    minutes after the last one, each further failure doubles the wait."""
    count, last = session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.created_at)).where(
            column == value, LoginFailure.created_at >= now - LONGEST_WAIT
        )
    ).one()
    if count < limit:
        return None
    until = last + _wait(count, limit)
    return until if until > now else None


def sign_in_lock(session: Session, username: str, address: str, now: dt.datetime) -> Lock | None:
    """Whether a sign-in for ``username`` from ``address`` must wait, and until when."""
    until = _lock(session, LoginFailure.username, username.lower()[:64], ACCOUNT_LIMIT, now)
    if until:
        return Lock(until, True)
    until = _lock(session, LoginFailure.address, address[:64], ADDRESS_LIMIT, now)
    return Lock(until, False) if until else None


def record_failure(session: Session, username: str, address: str, now: dt.datetime) -> None:
    session.add(LoginFailure(username=username.lower()[:64], address=address[:64], created_at=now))
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - KEEP))


def clear_failures(session: Session, username: str) -> int:
    """After a successful sign-in, or an administrator's unlock."""
    result = session.execute(
        delete(LoginFailure).where(LoginFailure.username == username.lower()[:64])
    )
    return result.rowcount or 0


def locked_usernames(session: Session, now: dt.datetime) -> set[str]:
    """The accounts (lower-cased) that must wait before signing in again, for the admin."""
    names = session.scalars(
        select(LoginFailure.username)
        .where(LoginFailure.created_at >= now - LONGEST_WAIT)
        .group_by(LoginFailure.username)
        .having(func.count(LoginFailure.id) >= ACCOUNT_LIMIT)
    )
    return {n for n in names if _lock(session, LoginFailure.username, n, ACCOUNT_LIMIT, now)}
