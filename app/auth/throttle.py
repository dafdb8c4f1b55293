"""Sign-in throttling that bounds password guessing without letting anyone lock a person out
(OWASP's "device cookies" scheme).

- A browser that signed in to an account before carries that account's device cookie
  (``app.auth.devices``). Its attempts count only against that device: after 5 wrong passwords
  within a day, the next try from it waits 15 minutes from the last failure, doubling with each
  further failure (30 minutes, 1 hour … at most a day). Failures from anywhere else never lock
  it, so a person keeps signing in from their own browser whatever anyone else types.
- Any other client is unknown. Its attempts count against the account for unknown clients
  (5, then the same growing wait) and against its address (20, from every name, made up or
  real: an office behind one address has many people who may mistype). Such a lock stops
  unknown clients only.
- A successful sign-in clears the failures of its kind of client (that device's, or the
  account's from unknown clients); an administrator's unlock clears an
  account's (``flask users unlock NAME``, the users page) or an address's (``flask users unlock
  --address ADDR``, the same page): every lock can be lifted.

Plain functions on a session and a time."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from app.models import LoginFailure, ResetRequest

WINDOW = dt.timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20  # an office behind one address has many people who may mistype
LONGEST_WAIT = dt.timedelta(days=1)
KEEP = dt.timedelta(days=2)


@dataclass(frozen=True)
class Lock:
    until: dt.datetime  # naive UTC
    by_account: bool  # the account (for unknown clients, or for this device), not the address


def _wait(failures: int, limit: int) -> dt.timedelta:
    return min(WINDOW * 2 ** max(failures - limit, 0), LONGEST_WAIT)


def _lock(session: Session, conditions, limit: int, now: dt.datetime):
    """Until when the failures matching ``conditions`` lock: ``limit`` failures in the last
    day lock for 15 minutes after the last one, each further failure doubles the wait."""
    count, last = session.execute(
        select(func.count(LoginFailure.id), func.max(LoginFailure.created_at)).where(
            *conditions, LoginFailure.created_at >= now - LONGEST_WAIT
        )
    ).one()
    if count < limit:
        return None
    until = last + _wait(count, limit)
    return until if until > now else None


def _name(username: str) -> str:
    return username.lower()[:64]


def sign_in_lock(
    session: Session, username: str, address: str, now: dt.datetime, device: str | None = None
) -> Lock | None:
    """Whether a sign-in for ``username`` from ``address`` must wait, and until when.
    ``device`` is the device id of the account's device cookie the client carried, if any."""
    name = _name(username)
    if device:
        until = _lock(
            session,
            (LoginFailure.username == name, LoginFailure.device == device),
            ACCOUNT_LIMIT,
            now,
        )
        return Lock(until, True) if until else None
    unknown = LoginFailure.device.is_(None)
    until = _lock(session, (LoginFailure.username == name, unknown), ACCOUNT_LIMIT, now)
    if until:
        return Lock(until, True)
    until = _lock(session, (LoginFailure.address == address[:64], unknown), ADDRESS_LIMIT, now)
    return Lock(until, False) if until else None


def record_failure(
    session: Session, username: str, address: str, now: dt.datetime, device: str | None = None
) -> None:
    session.add(
        LoginFailure(username=_name(username), address=address[:64], device=device, created_at=now)
    )
    session.execute(delete(LoginFailure).where(LoginFailure.created_at < now - KEEP))


def clear_failures(session: Session, username: str) -> int:
    """After a successful sign-in, or an administrator's unlock: every failure of the account,
    from its devices and from unknown clients."""
    result = session.execute(delete(LoginFailure).where(LoginFailure.username == _name(username)))
    return result.rowcount or 0


def clear_after_sign_in(session: Session, username: str, device: str | None) -> None:
    """A successful sign-in clears the failures of the kind of client it came from: a known
    device's own, or the account's from unknown clients. Signing in from one's own browser
    does not give a guesser elsewhere a fresh set of tries."""
    kind = LoginFailure.device == device if device else LoginFailure.device.is_(None)
    session.execute(delete(LoginFailure).where(LoginFailure.username == _name(username), kind))


def clear_address(session: Session, address: str) -> int:
    """An administrator lifts an address's lock (every failure counted against it)."""
    result = session.execute(
        delete(LoginFailure).where(
            LoginFailure.address == address[:64], LoginFailure.device.is_(None)
        )
    )
    return result.rowcount or 0


def _locked(session: Session, column, limit: int, now: dt.datetime) -> set[str]:
    unknown = LoginFailure.device.is_(None)
    values = session.scalars(
        select(column)
        .where(unknown, LoginFailure.created_at >= now - LONGEST_WAIT)
        .group_by(column)
        .having(func.count(LoginFailure.id) >= limit)
    )
    return {value for value in values if _lock(session, (column == value, unknown), limit, now)}


def locked_usernames(session: Session, now: dt.datetime) -> set[str]:
    """The accounts (lower-cased) that unknown clients must wait for, for the admin."""
    return _locked(session, LoginFailure.username, ACCOUNT_LIMIT, now)


def locked_addresses(session: Session, now: dt.datetime) -> set[str]:
    """The addresses whose unknown clients must wait, for the admin."""
    return _locked(session, LoginFailure.address, ADDRESS_LIMIT, now)


# "Forgot password" requests: by the name typed, known or not (so the answer says nothing of
# whether it exists), and by address. Past the limit within an hour, no mail is sent and the
# page says to wait; the oldest request in the hour tells how long.
RESET_WINDOW = dt.timedelta(hours=1)
RESET_NAME_LIMIT = 3
RESET_ADDRESS_LIMIT = 10


def reset_wait(session: Session, name: str, address: str, now: dt.datetime):
    """How long a reset request for ``name`` from ``address`` must wait; None: it may go."""
    since = now - RESET_WINDOW
    waits = []
    for column, value, limit in (
        (ResetRequest.username, name.strip().lower()[:255], RESET_NAME_LIMIT),
        (ResetRequest.address, address[:64], RESET_ADDRESS_LIMIT),
    ):
        times = session.scalars(
            select(ResetRequest.created_at)
            .where(column == value, ResetRequest.created_at >= since)
            .order_by(ResetRequest.created_at.desc())
            .limit(limit)
        ).all()
        if len(times) >= limit:
            waits.append(times[-1] + RESET_WINDOW - now)
    return max(waits) if waits else None


def record_reset_request(session: Session, name: str, address: str, now: dt.datetime) -> None:
    name = name.strip().lower()[:255]
    session.add(ResetRequest(username=name, address=address[:64], created_at=now))
    session.execute(delete(ResetRequest).where(ResetRequest.created_at < now - KEEP))
