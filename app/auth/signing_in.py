"""The steps of signing in that the password page and the second step share: the half-signed-in
state between them, finishing a sign-in, and the answer to a throttled attempt.

After a correct password, a user with two-factor sign-in on is not signed in yet: the user, the
user's session generation, the time and what was asked ("remember me", the page to go to) are
kept in this browser's session cookie (signed) for 5 minutes. Only the second step's page reads
them; a new password or the admin's reset in between makes them void."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import login_user

from app.auth.devices import remember_device
from app.auth.sessions import start
from app.auth.throttle import clear_after_sign_in
from app.core.timeutil import utcnow
from app.extensions import db
from app.models import AccessDenial, User

PENDING = "signing_in"
PENDING_FOR = dt.timedelta(minutes=5)


def safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None


def finish(
    user: User,
    remember: bool,
    next_url: str | None,
    device: str | None,
    method: str = "password",
):
    """The user is signed in (by ``method``, as ``UserSession.sign_in_method`` records it): a
    new session, the device's failures cleared, the device cookie renewed; the answer goes to
    ``next_url`` or the overview."""
    session.pop(PENDING, None)
    clear_after_sign_in(db.session, user.username, device)
    agent = request.user_agent.string or ""
    start(db.session, user, request.remote_addr or "?", agent, utcnow(), method)
    db.session.commit()
    login_user(user, remember=remember)
    response = redirect(safe_next(next_url) or url_for("dashboard.index"))
    remember_device(response, user.id)
    return response


def begin_second_step(user: User, remember: bool, next_url: str | None, method: str = "password"):
    """The password was right (or the identity service vouched for the user without a second
    factor of its own: ``method`` "oidc") and the user has two-factor sign-in on: ask for the
    code."""
    if not user.session_token:
        user.rotate_sessions()
        db.session.commit()
    session[PENDING] = {
        "user": user.id,
        "generation": user.session_token,
        "since": int(utcnow().replace(tzinfo=dt.UTC).timestamp()),
        "remember": bool(remember),
        "next": safe_next(next_url),
        "method": method,
    }
    return redirect(url_for("auth.second_step"))


def pending() -> tuple[User, dict] | None:
    """The user half signed in in this browser, with the state kept, while it holds: at most
    5 minutes old, the same password generation, the account active and two-factor on."""
    state = session.get(PENDING)
    if not isinstance(state, dict) or not isinstance(state.get("since"), int):
        return None
    since = dt.datetime.fromtimestamp(state["since"], dt.UTC).replace(tzinfo=None)
    if not (utcnow() - PENDING_FOR <= since <= utcnow()):
        return None
    user = db.session.get(User, state.get("user") or 0)
    if user is None or not user.is_active or not user.two_factor_on:
        return None
    if not user.session_token or user.session_token != state.get("generation"):
        return None
    return user, state


def throttled(template: str, form, username: str, device: str | None, wait: dt.timedelta):
    """A 429 with the page again: how long to wait; the refusal in the admin's log."""
    minutes = max(int(wait.total_seconds() // 60) + 1, 1)
    flash(
        _(
            "Đăng nhập sai nhiều lần nên tạm khóa: thử lại sau %(n)s phút, hoặc nhờ quản "
            "trị hệ thống mở khóa.",
            n=minutes,
        ),
        "danger",
    )
    client = f"device {device}" if device else (request.remote_addr or "?")
    db.session.add(
        AccessDenial(
            method="POST",
            path=request.path,
            reason=f"sign-in throttled: {username} from {client}"[:255],
        )
    )
    db.session.commit()
    return render_template(template, form=form), 429
