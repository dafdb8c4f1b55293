"""A write sent twice is applied once: the one-time key of every form, the API's
``Idempotency-Key`` header.

A user whose answer was lost (a cut connection, a closed laptop, a double click) sends the same
request again. With a key, the first request that commits writes the key's record in the same
transaction as its change (the session's ``before_commit``), and its answer is added once made;
a repeat finds the record before its view runs and gets that answer again (same status and
body, or the same redirect), without applying anything. The same key with a different request:
422; the first still being answered (its record has no answer yet): 409. Without a key (a page
opened before this existed) a form works as it always did. Records are kept ``KEPT``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from flask import (
    Flask,
    abort,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, event, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.timeutil import utcnow
from app.extensions import db
from app.models import IdempotencyKey
from app.web.failures import answer, discard_session, first_line, log, same_site_referrer

FIELD = "idempotency_key"  # the hidden field of every form
HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,128}")  # printable ASCII, no space, bounded
WRITES = frozenset({"POST", "PUT", "PATCH", "DELETE"})
FORMS = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})
NOT_HASHED = frozenset({FIELD, "csrf_token"})
KEPT = dt.timedelta(hours=24)
STORED_BODY = 256 * 1024  # an answer longer than this is not kept (a write's answer is small)


def new_key() -> str:
    return secrets.token_urlsafe(24)


def form_key() -> Markup:
    """The hidden field with a fresh one-time key, rendered in every POST form (beside its CSRF
    token): each page shown is a new key, so only a repeat of the same page's post is one."""
    return Markup(f'<input type="hidden" name="{FIELD}" value="{new_key()}">')


@dataclass
class Guard:
    """The key of the request being answered; ``recorded`` once its record is committed."""

    user_id: int
    key: str
    method: str
    path: str
    body_hash: str
    pending: bool = False  # added to the transaction now being committed
    recorded: bool = False


class RepeatedRequest(Exception):
    """Another request with the same key committed first (they ran at the same time)."""


def _sent_key() -> str | None:
    if request.method not in WRITES:
        return None
    if HEADER in request.headers:
        return request.headers[HEADER]
    if request.mimetype in FORMS:
        return request.form.get(FIELD) or None
    return None


def _body_hash() -> str:
    """SHA-256 of what was sent: the form's fields and files (not its key nor CSRF token, in
    a fixed order), else the raw body."""
    digest = hashlib.sha256()
    if request.mimetype not in FORMS:
        digest.update(request.get_data())
        return digest.hexdigest()
    fields = sorted((k, v) for k, v in request.form.items(multi=True) if k not in NOT_HASHED)
    digest.update(json.dumps(fields, ensure_ascii=False).encode())
    for name, upload in sorted(request.files.items(multi=True), key=lambda item: item[0]):
        digest.update(json.dumps([name, upload.filename], ensure_ascii=False).encode())
        stream = upload.stream
        start = stream.tell()
        while chunk := stream.read(1 << 16):
            digest.update(chunk)
        stream.seek(start)
    return digest.hexdigest()


def before_view():
    """Before the view (after sign-in and the API's token check): a repeat's first answer, a
    refusal, or None (the view runs, guarded when a key was sent)."""
    g.pop("idempotency", None)
    key = _sent_key()
    if key is None or not current_user.is_authenticated:
        return None
    if not KEY.fullmatch(key):
        message = _("Khóa chống gửi trùng (Idempotency-Key) phải gồm 1 đến 128 ký tự in được.")
        return answer(400, message, back=False)
    guard = Guard(current_user.id, key, request.method, request.path[:2000], _body_hash())
    first = _record(guard)
    if first is None:
        g.idempotency = guard
        return None
    return _repeat(first, guard)


def _record(guard: Guard) -> IdempotencyKey | None:
    return db.session.scalar(
        select(IdempotencyKey).where(
            IdempotencyKey.user_id == guard.user_id, IdempotencyKey.key == guard.key
        )
    )


def _repeat(first: IdempotencyKey, guard: Guard):
    """The answer to a request whose key was used before."""
    if (first.method, first.path, first.body_hash) != (guard.method, guard.path, guard.body_hash):
        message = _(
            "Yêu cầu này mang khóa của một lần gửi trước nhưng nội dung khác lần đó; lần "
            "trước đã được ghi nhận. Hãy tải lại trang, xem kết quả rồi gửi lại nếu cần."
        )
        return answer(422, message)
    if first.status is None:
        message = _(
            "Yêu cầu này đã được gửi trước đó và đang được xử lý hoặc đã được lưu. "
            "Hãy tải lại trang sau ít giây để xem kết quả; không cần gửi lại."
        )
        return answer(409, message)
    api = request.path.startswith("/api/")
    if first.location:
        response = redirect(first.location, first.status)
    elif first.body is not None:
        response = make_response(first.body, first.status)
        response.headers["Content-Type"] = first.content_type or "application/json"
    elif api:
        message = _("Yêu cầu này đã được thực hiện ở lần gửi trước; hãy đọc lại dữ liệu.")
        response = answer(409, message)
    elif first.status >= 400:
        abort(first.status)  # refused again (a refused page is not kept either)
    else:  # a page is not kept (it may show a secret once): the page the form was on
        response = redirect(same_site_referrer() or url_for("dashboard.index"), 303)
    if not api:
        flash(_("Thao tác này đã được thực hiện ở lần gửi trước; không thực hiện lại."), "info")
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _guard_of(session: Session) -> Guard | None:
    if not has_request_context():
        return None
    guard = g.get("idempotency")
    if guard is None or not db.session.registry.has() or session is not db.session.registry():
        return None
    return guard


def _before_commit(session: Session) -> None:
    """The key's record joins the transaction of the change it guards."""
    guard = _guard_of(session)
    if guard is None or guard.recorded or guard.pending or session.in_nested_transaction():
        return
    session.flush()  # the change's own errors are its own
    session.add(
        IdempotencyKey(
            user_id=guard.user_id,
            key=guard.key,
            method=guard.method,
            path=guard.path,
            body_hash=guard.body_hash,
        )
    )
    try:
        session.flush()
    except IntegrityError:
        raise RepeatedRequest from None
    guard.pending = True


def _after_commit(session: Session) -> None:
    guard = _guard_of(session)
    if guard is not None and guard.pending:
        guard.pending, guard.recorded = False, True


def _after_rollback(session: Session, previous) -> None:
    guard = _guard_of(session)
    if guard is not None and not previous.nested:
        guard.pending = False


def keep_answer(response) -> None:
    """Add the answer to the committed record of the request's key. A server error is not
    kept (the change was saved: a repeat hears so, 409). A failure here costs the repeat its
    replay (it gets 409), never this answer."""
    guard = g.pop("idempotency", None)
    if guard is None or not guard.recorded or response.status_code >= 500:
        return
    values: dict = {"status": response.status_code, "content_type": response.content_type}
    if 300 <= response.status_code < 400:
        values["location"] = (response.headers.get("Location") or "")[:2000] or None
    elif (
        request.path.startswith("/api/")  # a page may show a secret once (a new API token)
        and not response.is_streamed
        and not response.direct_passthrough
        and response.mimetype == "application/json"
    ):
        data = response.get_data()
        if len(data) <= STORED_BODY:
            values["body"] = data.decode("utf-8", "replace")
    try:
        discard_session()  # what the view left uncommitted is not ours to save
        if db.session.get_bind().dialect.name == "postgresql":
            # not waited for on disk: lost in a crash, the repeat hears 409 instead of a replay
            db.session.execute(text("SET LOCAL synchronous_commit TO OFF"))
        db.session.execute(
            update(IdempotencyKey)
            .where(IdempotencyKey.user_id == guard.user_id, IdempotencyKey.key == guard.key)
            .values(**values)
        )
        db.session.commit()
    except Exception as error:  # noqa: BLE001  (the answer goes out whatever happens here)
        log.warning("answer of %s %s not kept: %s", request.method, request.path, first_line(error))
        discard_session()


def forget_old_keys(session: Session, now: dt.datetime | None = None) -> int:
    """Remove the records older than ``KEPT`` (the scheduler, on each tick)."""
    before = (now or utcnow()) - KEPT
    result = session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < before))
    return result.rowcount or 0


class App(Flask):
    """The application: every view guarded by the request's key, every answer kept for it."""

    def dispatch_request(self):
        if request.routing_exception is None:
            refused = before_view()
            if refused is not None:
                return refused
        return super().dispatch_request()

    def process_response(self, response):
        keep_answer(response)
        return super().process_response(response)


def init_idempotency(app: Flask) -> None:
    """The session's hooks, the answer to a race of two same-key requests, ``form_key()``."""
    app.jinja_env.globals["form_key"] = form_key
    with app.app_context():
        session_class = db.session.registry().__class__
    hooks = (
        ("before_commit", _before_commit),
        ("after_commit", _after_commit),
        ("after_soft_rollback", _after_rollback),
    )
    for name, hook in hooks:
        if not event.contains(session_class, name, hook):
            event.listen(session_class, name, hook)

    @app.errorhandler(RepeatedRequest)
    def repeated(_error):
        discard_session()
        guard = g.pop("idempotency", None)
        first = _record(guard) if guard is not None else None
        if first is None:  # cannot happen: its unique key is what refused ours
            return answer(409, _("Yêu cầu này đã được gửi trước đó."))
        return _repeat(first, guard)
