"""What a request answers when the database fails it: a stale write (409), a busy database or a
lost connection ("try again", 503 with ``Retry-After``), anything else (500); and the end of a
request's session, which a cut connection must not turn into a 500 after the answer is made."""

from __future__ import annotations

import logging

from flask import (
    Flask,
    flash,
    g,
    has_request_context,
    make_response,
    redirect,
    render_template,
    request,
)
from flask_babel import gettext as _
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from app.extensions import db

log = logging.getLogger("app.web")

# PostgreSQL's answers to a transaction that met another one: try again (SQLSTATE codes).
BUSY_SQLSTATES = {
    "55P03",  # lock_not_available: lock_timeout passed
    "57014",  # query_canceled: statement_timeout passed
    "40001",  # serialization_failure
    "40P01",  # deadlock_detected
}
# PostgreSQL's answers when the connection itself is gone: the server shut down or ended this
# backend (pg_terminate_backend), or is starting; class 08 is a connection exception.
LOST_SQLSTATES = {"57P01", "57P02", "57P03"}
RETRY_AFTER_SECONDS = 5


def is_busy(error: BaseException) -> bool:
    """A database error that means "another writer holds it; try again", not a fault."""
    if not isinstance(error, DBAPIError):
        return False
    original = error.orig
    if getattr(original, "sqlstate", None) in BUSY_SQLSTATES:
        return True
    text = str(original).lower()
    return "database is locked" in text or "database table is locked" in text


def is_lost(error: BaseException | None) -> bool:
    """A database error that means "the connection was cut" (a restart, a failover, an
    administrator ending the backend, an idle-connection reaper): try again, not a fault."""
    if isinstance(error, DBAPIError):
        if error.connection_invalidated:
            return True
        error = error.orig
    sqlstate = getattr(error, "sqlstate", None) or ""
    return sqlstate in LOST_SQLSTATES or sqlstate.startswith("08")


def first_line(error: BaseException) -> str:
    """The error in one line, for the log: the driver's first line, without SQLAlchemy's
    statement, parameters and link."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip().splitlines()
    return f"{type(original).__name__}: {text[0] if text else ''}"[:300]


def discard_session() -> None:
    """Roll the request's session back; when even that fails (the connection is gone), drop
    the connection and forget the session: a later request starts clean."""
    try:
        db.session.rollback()
    except Exception as error:  # noqa: BLE001  (whatever the driver raised, the session is done)
        log.warning("database session dropped after a failed rollback: %s", first_line(error))
        _forget_session()


def _forget_session() -> None:
    registry = db.session.registry
    if not registry.has():
        return
    session = registry()
    try:
        session.invalidate()
    except Exception as error:  # noqa: BLE001  (a dead connection may refuse even this)
        log.warning("database session could not be closed: %s", first_line(error))
    registry.clear()


def close_session(_error: BaseException | None = None) -> None:
    """The end of a request's session (Flask-SQLAlchemy's teardown, made safe): its ROLLBACK on
    a connection cut meanwhile raises, after the answer was made. One line in the log, the
    connection dropped, and the answer goes out as it was, never a 500 with an empty body."""
    registry = db.session.registry
    if not registry.has():
        return
    try:
        registry().close()
    except Exception as error:  # noqa: BLE001  (the answer is made: nothing may stop it now)
        where = _where()
        log.warning("database connection lost at the end of %s %s: %s", *where, first_line(error))
        _forget_session()
    else:
        registry.clear()


def _where() -> tuple[str, str]:
    return (request.method, request.path) if has_request_context() else ("-", "-")


def same_site_referrer() -> str | None:
    """The page the user came from, when it is one of ours."""
    referrer = request.referrer or ""
    root = request.host_url
    return referrer if referrer.startswith(root) and len(referrer) < 2000 else None


def answer(code: int, message: str, back: bool = True):
    """The message as JSON under the API; otherwise back to the page the user was on (a form
    post, when ``back``) with the message on top, or an error page."""
    if request.path.startswith("/api/"):
        return make_response({"error": {"code": code, "message": message}}, code)
    referrer = same_site_referrer()
    if back and request.method == "POST" and referrer:
        flash(message, "warning")
        return redirect(referrer, 303)
    titles = {
        400: _("Yêu cầu không hợp lệ"),
        409: _("Dữ liệu đã thay đổi"),
        422: _("Yêu cầu không hợp lệ"),
        503: _("Hệ thống đang bận"),
    }
    title = titles.get(code) or _("Lỗi hệ thống")
    try:
        page = render_template("errors.html", error=None, code=code, title=title, message=message)
    except Exception as error:  # noqa: BLE001  (the page's frame reads the database, gone too)
        log.warning("error page without its frame: %s", first_line(error))
        discard_session()
        page = render_template("unavailable.html", code=code, title=title, message=message)
    return make_response(page, code)


def try_again(message: str, back: bool = True):
    response = answer(503, message, back=back)
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def lost_answer(error: BaseException):
    """503 "try again" for a cut connection: one line in the log, not a traceback. Never back
    to the form: its page, sent again from the browser's history, carries the same one-time
    key, so a change that was in fact saved is not saved twice."""
    log.warning("database connection lost in %s %s: %s", *_where(), first_line(error))
    discard_session()
    message = _(
        "Kết nối tới cơ sở dữ liệu vừa bị gián đoạn nên thao tác chưa hoàn tất. "
        "Vui lòng thử lại sau vài giây (quay lại trang trước rồi gửi lại: "
        "thao tác không bị ghi hai lần)."
    )
    return try_again(message, back=False)


def init_failures(app: Flask) -> None:
    """The answers to database failures, and the request's session closed safely."""
    teardowns = app.teardown_appcontext_funcs
    if db._teardown_session in teardowns:  # Flask-SQLAlchemy's own, which may raise
        teardowns.remove(db._teardown_session)
    app.teardown_appcontext(close_session)

    @app.errorhandler(StaleDataError)
    def stale_data(error):
        """Someone saved the same row between our read and our write: nothing of ours was
        saved; say so and show the page again with what is there now."""
        discard_session()
        message = _(
            "Dữ liệu vừa được người khác cập nhật nên thao tác của bạn chưa được lưu. "
            "Hãy xem lại bản mới nhất rồi thực hiện lại."
        )
        return answer(409, message)

    @app.errorhandler(DBAPIError)
    def database_error(error):
        discard_session()
        lost = is_lost(error)
        # A page that only reads is read once more on a fresh connection.
        reads = request.method in ("GET", "HEAD")
        if lost and reads and not g.get("read_retried"):
            g.read_retried = True  # the rollback above dropped the dead connection
            log.warning("database connection lost; reading %s again", request.path)
            try:
                return app.make_response(app.dispatch_request())
            except Exception as again:  # noqa: BLE001  (answered as the first one would be)
                return app.handle_user_exception(again)
        if lost:
            return lost_answer(error)
        if is_busy(error):
            message = _(
                "Hệ thống đang bận ghi dữ liệu khác nên thao tác của bạn chưa được lưu. "
                "Vui lòng thử lại sau vài giây."
            )
            return try_again(message)
        app.logger.exception("database error", exc_info=error)
        return server_error(error)

    @app.errorhandler(500)
    def server_error(error):
        original = getattr(error, "original_exception", None)
        if is_lost(original):  # a cut connection met outside a query (a rollback, a commit)
            return lost_answer(original)
        discard_session()
        try:
            page = render_template("errors.html", error=error, title=_("Lỗi hệ thống"))
        except Exception:  # noqa: BLE001  (the page's frame reads the database)
            discard_session()
            page = render_template("unavailable.html", code=500, title=_("Lỗi hệ thống"))
        return page, 500
