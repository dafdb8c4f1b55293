"""Wiring of the web layer: sign-in, CSRF, languages, error pages, template helpers."""

from __future__ import annotations

import contextlib
import datetime as dt
import hmac
import logging
from functools import lru_cache, wraps

from flask import (
    Flask,
    abort,
    g,
    has_request_context,
    render_template,
    request,
    session,
)
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup, escape
from sqlalchemy import delete, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from werkzeug.exceptions import HTTPException
from wtforms import Form

from app.core.deadlines import moved_text
from app.core.i18n import Message
from app.core.office_scope import (
    EVERY,
    OfficeScopeError,
    chosen_office_id,
    only_office_id,
    reset_scope,
    set_scope,
)
from app.core.timeutil import LOCAL_TZ, local_today, utcnow
from app.extensions import babel, csrf, db, login_manager
from app.models import AccessDenial, User, UserSession
from app.models.access import hash_token
from app.models.documents import TaskState
from app.models.people import SESSION_IDLE_LIMIT as IDLE_LIMIT
from app.models.people import SESSION_SEEN_EVERY as SEEN_EVERY
from app.web.failures import init_failures
from app.web.forms import error_list
from app.web.idempotency import init_idempotency

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DENIALS_KEPT = 10_000
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


SCOPE_TOKENS = "tracker.office_scope"
log = logging.getLogger("app.web")


def work_in_office(office_id: int) -> None:
    """The rest of the request works in this office: a request that found its user or unit
    by a token (the API, a calendar feed) rather than by the session cookie."""
    request.environ.setdefault(SCOPE_TOKENS, []).append(set_scope(office_id))


def office_name() -> str:
    """The name of the office the request works in ("" when none is chosen)."""
    from app.models import Office

    office_id = chosen_office_id()
    office = db.session.get(Office, office_id) if office_id else None
    return office.name if office else ""


def select_locale() -> str:
    if not has_request_context():  # e-mails and commands: Vietnamese
        return "vi"
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "vi"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """The user of a session or remember-me cookie ("id:generation:secret") while the user's
    generation is still the cookie's (a new password or deactivation made a new one) and the
    session's row exists (signing out, here or from the account page, deletes it)."""
    user_id, generation, secret = (str(session_id).split(":") + ["", ""])[:3]
    if not user_id.isascii() or not user_id.isdigit() or len(user_id) > 12 or not secret:
        return None
    found = db.session.execute(
        select(User, UserSession)
        .join(UserSession, UserSession.user_id == User.id)
        .where(User.id == int(user_id), UserSession.token_hash == hash_token(secret))
    ).first()
    if found is None:
        return None
    user, row = found
    if not user.is_active or not user.session_token:
        return None
    if not hmac.compare_digest(user.session_token, generation):
        return None
    now = utcnow()
    if row.last_seen_at < now - IDLE_LIMIT:
        return None
    if row.last_seen_at < now - SEEN_EVERY:
        _seen(row.id, now)
    user.signed_in_with = row.sign_in_method
    return user


def _seen(row_id: int, now: dt.datetime) -> None:
    """Note when a session was last used, on a connection of its own: the request's own
    transaction is the view's to commit or roll back. Best effort: a busy database skips it."""
    try:
        with db.engine.begin() as connection:
            connection.execute(
                update(UserSession).where(UserSession.id == row_id).values(last_seen_at=now)
            )
    except DBAPIError:
        pass


def deny(reason: str = "") -> None:
    """Record the refusal (with ``reason``, for the admin's log) and answer 403."""
    user_id = current_user.id if current_user.is_authenticated else None
    db.session.rollback()
    if chosen_office_id() is None:  # nobody signed in among several offices: whose log?
        log.warning("refused %s %s: %s", request.method, request.path, reason)
        abort(403)
    denial = AccessDenial(
        user_id=user_id,
        method=request.method,
        path=request.full_path.rstrip("?")[:2000],
        reason=reason[:255],
    )
    db.session.add(denial)
    db.session.flush()
    # The log keeps the newest refusals only: a flood of them cannot grow it for ever.
    db.session.execute(delete(AccessDenial).where(AccessDenial.id <= denial.id - DENIALS_KEPT))
    db.session.commit()
    abort(403)  # the reason stays in the log: an answer never names the product's internals


@lru_cache(maxsize=8192)
def _translated(locale: str, message: str) -> str:
    return _(message)


def fast_gettext(message: str, **variables) -> str:
    """``gettext`` for templates, memoised per locale: a list page calls it hundreds of
    times with the same few messages. Messages with variables are formatted each time."""
    if variables:
        return _(message, **variables)
    if not has_request_context():
        return _translated(str(get_locale()), message)
    locale = g.get("locale_name")  # Flask-Babel's own lookup costs more than the message
    if locale is None:
        locale = g.locale_name = str(get_locale())
    return _translated(locale, message)


def translated(text: str) -> str:
    """A ``Message`` of a domain module (reasons and notes of the reader) in the interface's
    language; any other text as it is."""
    if isinstance(text, Message):
        return fast_gettext(text.msgid, **text.args)
    return text


CATEGORY_COLORS = {"late": "danger", "pending": "warning", "done_on_time": "success",
                   "done_late": "secondary", "cancelled": "light",
                   "handed_over": "info"}  # fmt: skip


def category_badge(category, late_days: int = 0, short: bool = False) -> Markup:
    """A task's category as a coloured badge ("Chậm · 12 ngày"). Python, not a Jinja macro: a
    list shows one a row, and a macro call cost more than the rest of the row; its words come
    from ``fast_gettext``'s memo (the days' pattern too, formatted here)."""
    title = fast_gettext(category.label)
    text = fast_gettext(category.short_label) if short else title
    if late_days:
        days = fast_gettext("%(n)s ngày") % {"n": late_days}  # outside the f-string: extracted
        text = f"{text} · {days}"
    color = CATEGORY_COLORS[category.value]
    return Markup(
        f'<span class="badge text-bg-{color}" data-category="{category.value}" '
        f'title="{escape(title)}">{escape(text)}</span>'
    )  # escape, not Markup.format: its formatter is Python, ten times slower


def state_label(state: str) -> str:
    """A task state's label in the user's language, from ``fast_gettext``'s memo (a list
    shows one a row; ``_()`` in a template formats and wraps each one again)."""
    return fast_gettext(TaskState(state).label)


def deadline_text(task) -> Markup:
    """A task's deadline as shown in lists ("Thường xuyên" for a standing task), with the
    original deadline when an extension moved it."""
    if task.deadline and getattr(task, "deadline_written", None):
        # The day the document wrote fell on a day off: said beside the day counted.
        text = escape(moved_text(task.deadline_written, task.deadline, fast_gettext))
    elif task.deadline:
        text = escape(format_date(task.deadline))
    else:
        text = escape(fast_gettext("Thường xuyên"))
    if task.original_deadline and task.deadline != task.original_deadline:
        original = fast_gettext("hạn gốc")  # outside the f-string: extracted
        extended = f"{original} {format_date(task.original_deadline)}"
        text += Markup(f' <small class="text-muted">({escape(extended)})</small>')
    return text


def format_date(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(LOCAL_TZ).strftime("%d/%m/%Y %H:%M")
    return value.strftime("%d/%m/%Y")


def init_web(app: Flask) -> None:
    """The web layer on ``app``, one concern after the other."""
    _init_extensions(app)
    secure = _init_cookies(app)
    _register_template_helpers(app)
    _register_request_hooks(app, secure)
    _register_error_pages(app)
    init_idempotency(app)


def _init_extensions(app: Flask) -> None:
    """Sign-in, CSRF and languages."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.id_attribute = "cookie_id"  # "id:generation:secret", see User.cookie_id
    login_manager.login_message = "Vui lòng đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    csrf.init_app(app)
    babel.init_app(
        app, locale_selector=select_locale, default_locale="vi", default_timezone="Asia/Ho_Chi_Minh"
    )


def _init_cookies(app: Flask) -> bool:
    """Secure cookies under https (the answer), remembered sign-ins for 30 days."""
    secure = app.config.get("BASE_URL", "").startswith("https://")
    app.config.setdefault("SESSION_COOKIE_SECURE", secure)
    app.config.setdefault("REMEMBER_COOKIE_SECURE", secure)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("REMEMBER_COOKIE_DURATION", dt.timedelta(days=30))
    return secure


def _register_template_helpers(app: Flask) -> None:
    """Dates, badges, deadlines, state labels, form errors and the memoised translations."""
    app.jinja_env.filters["vndate"] = format_date
    app.jinja_env.filters["translated"] = translated
    app.jinja_env.globals["category_badge"] = category_badge
    app.jinja_env.globals["deadline_text"] = deadline_text
    app.jinja_env.globals["state_label"] = state_label
    app.jinja_env.globals["form_errors"] = lambda *forms: [
        item for form in forms if isinstance(form, Form) for item in error_list(form)
    ]
    app.jinja_env.install_gettext_callables(fast_gettext, ngettext, newstyle=True)

    @app.context_processor
    def inject() -> dict:
        return {
            "today": local_today(),
            "LANGUAGES": LANGUAGES,
            "current_lang": select_locale(),
            "timedelta_days": lambda n: dt.timedelta(days=n),
            "office_name": office_name,
        }


def _register_request_hooks(app: Flask, secure: bool) -> None:
    """Every query within the signed-in user's office; requests with a NUL character refused;
    security headers on every answer."""

    @app.before_request
    def scope_to_the_users_office():
        """The signed-in user's office for the whole request (``app.core.office_scope``).
        The account is found across offices (a session cookie names a user, not an office);
        a request nobody is signed in for reads across offices only to find whose account a
        sign-in, a link or a token names, then works in that office (``use_office``)."""
        tokens = request.environ.setdefault(SCOPE_TOKENS, [])
        tokens.append(set_scope(EVERY))
        user = current_user._get_current_object()
        if user.is_authenticated:
            tokens.append(set_scope(user.office_id))
            return
        # One office: nothing to choose (an unreachable database is the views' to report).
        with contextlib.suppress(OfficeScopeError, SQLAlchemyError):
            tokens.append(set_scope(only_office_id()))

    @app.teardown_request
    def end_the_office_scope(_error=None):
        for token in reversed(request.environ.pop(SCOPE_TOKENS, [])):
            reset_scope(token)

    @app.before_request
    def body_limit_of_the_view():
        """A view that takes larger bodies than the forms' upload limit (an edXML package
        posted whole) says so with a ``body_limit(config)`` attribute; it must be set before
        anything reads the body."""
        limit = getattr(app.view_functions.get(request.endpoint), "body_limit", None)
        if limit is not None:
            request.max_content_length = most = limit(app.config)
            if (request.content_length or 0) > most:
                abort(413, _("Dữ liệu gửi lên lớn hơn %(mb)s MB.", mb=round(most / 2**20)))

    @app.before_request
    def refuse_nul_characters():
        """A NUL character is never text anyone typed, and PostgreSQL refuses it in a string:
        a 400 here instead of a 500 from the database (files may contain it, not fields)."""
        fields = [*request.args.values(), *request.form.values()]
        try:
            body = request.get_json(silent=True) if request.is_json else None
        except RecursionError:  # nested thousands deep: the parser gives up, not the server
            abort(400, _("Dữ liệu JSON lồng nhau quá sâu."))
        if isinstance(body, dict | list):
            fields.append(request.get_data(as_text=True).replace("\\u0000", "\x00"))
        if any("\x00" in value for value in fields):
            abort(400, _("Dữ liệu gửi lên có ký tự không hợp lệ."))

    @app.after_request
    def security_headers(response):
        """No script but the product's own files, no framing, no type sniffing; HSTS under
        https. Styles may be inline (Bootstrap's components set them)."""
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        if secure:
            headers.setdefault("Strict-Transport-Security", "max-age=31536000")
        return response


def _register_error_pages(app: Flask) -> None:
    """Error pages (JSON under the API); a stale write, a busy or lost database
    (``app.web.failures``)."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        titles = {
            400: _("Yêu cầu không hợp lệ"),
            403: _("Không có quyền truy cập"),
            404: _("Không tìm thấy trang"),
            405: _("Phương thức không được phép"),
            409: _("Dữ liệu đã thay đổi"),
            413: _("Tệp quá lớn"),
        }
        title = titles.get(error.code, error.name)
        if request.path.startswith("/api/"):
            # werkzeug's own English sentence (no description given) is replaced by the title
            own = error.description and error.description != type(error).description
            return {
                "error": {"code": error.code, "message": error.description if own else title}
            }, error.code
        return render_template("errors.html", error=error, title=title), error.code

    init_failures(app)


def roles_required(*roles: str):
    """The view is for these roles only; anyone else gets a recorded 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                deny(f"role {current_user.role} not in {','.join(roles)}")
            return view(*args, **kwargs)

        return wrapped

    return decorator
