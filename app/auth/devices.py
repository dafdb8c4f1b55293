"""Device cookies (OWASP): a browser that signed in to an account receives a signed cookie naming
that account and a random device id. On the sign-in page it makes the browser a known device of
that account, whose attempts count only against itself (``app.auth.throttle``): nobody else's
wrong passwords can lock its owner out. The cookie proves only that this browser signed in to
this account before; the password is still asked, and the second factor of an account that has
two-factor sign-in on (``app.auth.signing_in``)."""

from __future__ import annotations

import secrets

from flask import current_app, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

COOKIE = "thiet_bi"
MAX_AGE_DAYS = 365
_SALT = "device-cookie"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=_SALT)


def device_of(user_id: int | None) -> str | None:
    """The device id of the request's device cookie when it was issued to ``user_id``."""
    raw = request.cookies.get(COOKIE)
    if user_id is None or not raw or len(raw) > 512:
        return None
    try:
        data = _serializer().loads(raw, max_age=MAX_AGE_DAYS * 86400)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != user_id:
        return None
    device = data.get("d")
    return device if isinstance(device, str) and device.isalnum() and len(device) <= 32 else None


def remember_device(response, user_id: int) -> None:
    """After a successful sign-in: the browser becomes (or stays) a known device of the user."""
    device = device_of(user_id) or secrets.token_hex(16)
    response.set_cookie(
        COOKIE,
        _serializer().dumps({"u": user_id, "d": device}),
        max_age=MAX_AGE_DAYS * 86400,
        path=url_for("auth.login"),  # sent back to the sign-in pages only (and the second step's)
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
        httponly=True,
        samesite="Lax",
    )
