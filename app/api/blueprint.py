"""The JSON API blueprint, under /api/v1: the token check before every endpoint, an
``ApiError`` answered as JSON."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, g, jsonify, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.api.common import ApiError
from app.core.timeutil import utcnow
from app.extensions import csrf, db
from app.models import ApiToken
from app.models.access import hash_token
from app.web.wiring import work_in_office

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("documents", "edxml", "keytasks", "reports", "series", "spec", "tasks")
csrf.exempt(bp)  # token-authenticated, no cookies: CSRF does not apply
LAST_USED_EVERY = dt.timedelta(minutes=1)


@bp.errorhandler(ApiError)
def _api_error(error: ApiError):
    body: dict[str, Any] = {"code": error.status, "message": error.message}
    if error.field:
        body["field"] = error.field
    return jsonify(error=body), error.status


@bp.before_request
def _authenticate():
    """Only a valid, unrevoked token authenticates here; a browser session does not."""
    if request.endpoint == "api.openapi":
        return None
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "Thiếu token API (Authorization: Bearer <token>).")
    found = db.session.scalar(
        select(ApiToken)
        .where(ApiToken.token_hash == hash_token(token.strip()))
        .options(joinedload(ApiToken.user))
    )
    if found is None or found.revoked_at is not None or not found.user.is_active:
        raise ApiError(401, "Token API không hợp lệ hoặc đã bị thu hồi.")
    now = utcnow()
    if found.last_used_at is None or now - found.last_used_at > LAST_USED_EVERY:
        # "last used" to the minute: not a write on every call, which on SQLite would compete
        # with every other writer
        found.last_used_at = now
        db.session.commit()
    g._login_user = found.user  # what flask_login.current_user returns for this request
    work_in_office(found.user.office_id)
    return None
