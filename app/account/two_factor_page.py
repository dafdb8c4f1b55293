"""The user's own two-factor sign-in (``app.auth.two_factor``): enrolment with a QR code
confirmed by one code, the ten recovery codes shown once, new recovery codes, switching off.
And the admin's requirement: a user of the roles it names who has not enrolled is sent here
after signing in and can do nothing else until then."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.account.blueprint import bp
from app.account.forms import EnrolForm, NewCodesForm, SwitchOffForm
from app.auth import two_factor
from app.auth.throttle import record_failure, sign_in_lock
from app.core.settings import load_settings
from app.core.timeutil import utcnow
from app.extensions import db

# What a user who must enrol may still open: this page, signing out, the language.
OPEN_WHILE_ENROLLING = {
    "account.two_factor",
    "auth.logout",
    "auth.set_language",
    "static",
}
# Ways in that do not use the session cookie (API tokens, calendar addresses) or need no user.
UNAFFECTED_BLUEPRINTS = {"api", "feeds", "main"}


@bp.before_app_request
def enrol_first():
    """The admin's requirement, checked on every page a signed-in user opens."""
    endpoint = request.endpoint or ""
    if (
        not endpoint
        or endpoint in OPEN_WHILE_ENROLLING
        or request.blueprint in UNAFFECTED_BLUEPRINTS
        or endpoint.endswith(".static")
    ):
        return None
    if not current_user.is_authenticated or current_user.two_factor_on:
        return None
    if current_user.signed_in_with == "oidc+mfa":  # the identity service asked for a second factor
        return None
    if current_user.role not in two_factor.ROLES_REQUIRED:
        return None
    if not load_settings(db.session).requires_two_factor:
        return None
    return redirect(url_for("account.two_factor"), 303)


def _no_store(page: str):
    """The secret and the recovery codes are kept by no cache."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def _page(enrol=None, new_codes=None, switch_off=None):
    user = current_user._get_current_object()
    settings = load_settings(db.session)
    context = {
        "required": two_factor.must_enrol(user, settings.requires_two_factor),
        "enrol": enrol or EnrolForm(prefix="enrol"),
        "new_codes": new_codes or NewCodesForm(prefix="codes"),
        "switch_off": switch_off or SwitchOffForm(prefix="off"),
    }
    if user.two_factor_on:
        context["codes_left"] = two_factor.recovery_codes_left(db.session, user)
    else:
        secret = two_factor.pending_secret(user)
        db.session.commit()
        uri = two_factor.provisioning_uri(user, settings.office_name or settings.governing_body)
        context.update(secret=two_factor.grouped(secret), uri=uri, qr=two_factor.qr_svg(uri))
    return _no_store(render_template("account/two_factor.html", **context))


def _codes_page(codes: list[str]):
    return _no_store(render_template("account/recovery_codes.html", codes=codes))


def _not_throttled(field) -> bool:
    """Wrong codes and passwords here count as failed sign-ins of the account: a borrowed
    session cannot guess them for ever."""
    now = utcnow()
    lock = sign_in_lock(db.session, current_user.username, request.remote_addr or "?", now)
    if lock is None:
        return True
    minutes = max(int((lock.until - now).total_seconds() // 60) + 1, 1)
    field.errors.append(_("Nhập sai nhiều lần nên tạm khóa: thử lại sau %(n)s phút.", n=minutes))
    return False


def _failed(field, message: str) -> None:
    record_failure(db.session, current_user.username, request.remote_addr or "?", utcnow())
    db.session.commit()
    field.errors.append(message)


@bp.route("/tai-khoan/xac-thuc-hai-buoc", methods=["GET", "POST"], endpoint="two_factor")
@login_required
def two_factor_page():
    user = current_user._get_current_object()
    form = EnrolForm(prefix="enrol")
    if request.method == "POST" and not user.two_factor_on and form.validate_on_submit():
        codes = two_factor.switch_on(db.session, user, form.code.data, utcnow())
        if codes is not None:
            db.session.commit()
            return _codes_page(codes)
        form.code.errors.append(
            _("Mã không đúng. Kiểm tra giờ trên điện thoại rồi nhập mã đang hiện.")
        )
    return _page(enrol=form)


@bp.post("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong")
@login_required
def new_recovery_codes():
    """New recovery codes, the old ones void: a code from the app is asked (a borrowed
    session must not get codes that sign in)."""
    user = current_user._get_current_object()
    form = NewCodesForm(prefix="codes")
    if user.two_factor_on and form.validate_on_submit() and _not_throttled(form.code):
        if two_factor.accept_totp(db.session, user, form.code.data, utcnow()):
            codes = two_factor.new_recovery_codes(db.session, user, utcnow())
            db.session.commit()
            return _codes_page(codes)
        _failed(form.code, _("Mã không đúng, hoặc đã được dùng."))
    if not user.two_factor_on:
        return redirect(url_for("account.two_factor"))
    return _page(new_codes=form)


@bp.post("/tai-khoan/xac-thuc-hai-buoc/tat")
@login_required
def switch_off_two_factor():
    """Switching off asks the password and a code (from the app or a recovery code)."""
    user = current_user._get_current_object()
    form = SwitchOffForm(prefix="off")
    if user.two_factor_on and form.validate_on_submit() and _not_throttled(form.code):
        if not user.check_password(form.password.data):
            _failed(form.password, _("Mật khẩu hiện tại không đúng."))
        elif two_factor.check_code(db.session, user, form.code.data, utcnow()) is None:
            _failed(form.code, _("Mã không đúng, hoặc đã được dùng."))
        else:
            two_factor.switch_off(db.session, user)
            db.session.commit()
            flash(_("Đã tắt xác thực hai bước."), "success")
            return redirect(url_for("account.profile"))
    if not user.two_factor_on:
        return redirect(url_for("account.two_factor"))
    return _page(switch_off=form)
