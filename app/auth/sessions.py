"""Signed-in sessions: one ``UserSession`` row for each browser a user signed in from.

A session's cookies hold "user id:generation:secret" (``User.cookie_id``); the request's user is
the row's while the row exists and the generation is the user's current one
(``app.web.wiring.load_user``). Signing out deletes this browser's row; ending another session
deletes that row; a new password, deactivation or signing out everywhere deletes them all and
starts a new generation (``User.rotate_sessions``). A session unused for longer than a
remember-me cookie lasts (30 days) ends too. Plain functions on a session and a time."""

from __future__ import annotations

import datetime as dt
import re
import secrets

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import User, UserSession
from app.models.access import hash_token
from app.models.people import SESSION_IDLE_LIMIT as IDLE_LIMIT
from app.models.people import SIGN_IN_METHODS


def start(
    session: Session,
    user: User,
    address: str,
    agent: str,
    now: dt.datetime,
    method: str = "password",
) -> str:
    """A new session for ``user``, signed in by ``method`` (one of ``SIGN_IN_METHODS``); its
    secret becomes the user's next ``cookie_id``."""
    secret = secrets.token_urlsafe(32)
    session.execute(delete(UserSession).where(UserSession.last_seen_at < now - IDLE_LIMIT))
    if not user.session_token:
        user.rotate_sessions()
    session.add(
        UserSession(
            user_id=user.id,
            token_hash=hash_token(secret),
            created_at=now,
            last_seen_at=now,
            address=address[:64],
            user_agent=agent[:255],
            sign_in_method=method if method in SIGN_IN_METHODS else "password",
        )
    )
    user.signing_in_secret = secret
    return secret


def secret_of(session_id: str) -> str:
    """The session secret in a cookie's user id, or ""."""
    return str(session_id).split(":")[2] if str(session_id).count(":") == 2 else ""


def end(session: Session, user: User, session_row_id: int) -> bool:
    """End one of the user's sessions (another browser's, from the account page)."""
    result = session.execute(
        delete(UserSession).where(UserSession.id == session_row_id, UserSession.user_id == user.id)
    )
    return bool(result.rowcount)


def end_current(session: Session, secret: str) -> None:
    """Signing out: this browser's session ends, and every copy of its cookies with it."""
    if secret:
        session.execute(delete(UserSession).where(UserSession.token_hash == hash_token(secret)))


def end_others(session: Session, user: User, secret: str) -> int:
    """Sign out everywhere else: every session of the user but this browser's."""
    result = session.execute(
        delete(UserSession).where(
            UserSession.user_id == user.id, UserSession.token_hash != hash_token(secret or "-")
        )
    )
    return result.rowcount or 0


def listed(session: Session, user: User, now: dt.datetime) -> list[UserSession]:
    """The user's sessions still alive, the most recently used first."""
    return list(
        session.scalars(
            select(UserSession)
            .where(UserSession.user_id == user.id, UserSession.last_seen_at >= now - IDLE_LIMIT)
            .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
        )
    )


def is_current(row: UserSession, secret: str) -> bool:
    return bool(secret) and row.token_hash == hash_token(secret)


_BROWSERS = (
    ("Edg", "Edge"),
    ("OPR", "Opera"),
    ("CocCoc", "Cốc Cốc"),
    ("SamsungBrowser", "Samsung Internet"),
    ("Firefox", "Firefox"),
    ("Chrome", "Chrome"),
    ("HeadlessChrome", "Chrome"),
    ("Chromium", "Chromium"),
    ("Safari", "Safari"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)


def device_name(agent: str) -> str:
    """ "Chrome · Windows" from a browser's User-Agent header (a name to recognise a session
    by, not a proof of anything: the header is what the browser says)."""
    browser = next((name for key, name in _BROWSERS if re.search(rf"\b{key}/", agent)), "")
    system = next((name for key, name in _SYSTEMS if key in agent), "")
    return " · ".join(filter(None, (browser, system))) or agent[:60]
