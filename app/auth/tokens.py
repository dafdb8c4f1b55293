"""Links that set a password once: a reset the user asks for, an invitation the administrator
sends. A random token goes into the mailed link; the database keeps only its SHA-256 (a copy of
the database opens no account), when it expires, and when it was used.

A reset link lasts 30 minutes, an invitation 3 days. Either works once: setting the password
marks every open link of the user used, so an older link mailed before is refused too. A new
password also ends every session of the user (``User.set_password``). Plain functions on a
session and a time."""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session, joinedload

from app.auth.throttle import clear_failures
from app.core.office_scope import all_offices
from app.models import PasswordToken, User
from app.models.access import hash_token

RESET = "reset"
INVITE = "invite"
LIFETIME = {RESET: dt.timedelta(minutes=30), INVITE: dt.timedelta(days=3)}


def issue(session: Session, user: User, purpose: str, now: dt.datetime) -> str:
    """A new link's token for ``user``; the links issued before stay valid until used."""
    token = secrets.token_urlsafe(32)
    session.add(
        PasswordToken(
            user_id=user.id,
            purpose=purpose,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + LIFETIME[purpose],
        )
    )
    return token


def holder(session: Session, token: str, now: dt.datetime) -> PasswordToken | None:
    """The open link ``token`` is, if it is one: not used, not expired, its user active."""
    if not token or len(token) > 128:
        return None
    with all_offices():  # the link names its account, whoever's browser opens it
        found = session.scalar(
            select(PasswordToken)
            .where(PasswordToken.token_hash == hash_token(token))
            .options(joinedload(PasswordToken.user))
        )
    if found is None or found.used_at is not None or found.expires_at <= now:
        return None
    return found if found.user is not None and found.user.is_active else None


def use(session: Session, link: PasswordToken, password: str, now: dt.datetime) -> User:
    """Set the password through ``link``: every open link of the user is used up, every
    session ends, and the account's failed sign-ins are forgotten (the mailbox proved who it
    is)."""
    user = link.user
    user.set_password(password)
    session.execute(
        update(PasswordToken)
        .where(PasswordToken.user_id == user.id, PasswordToken.used_at.is_(None))
        .values(used_at=now)
    )
    clear_failures(session, user.username)
    return user


def open_invitation(session: Session, user: User, now: dt.datetime) -> PasswordToken | None:
    """The user's newest invitation not yet used nor expired, for the administrator's list."""
    return session.scalar(
        select(PasswordToken)
        .where(
            PasswordToken.user_id == user.id,
            PasswordToken.purpose == INVITE,
            PasswordToken.used_at.is_(None),
            PasswordToken.expires_at > now,
        )
        .order_by(PasswordToken.id.desc())
    )
