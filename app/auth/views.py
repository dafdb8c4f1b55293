"""Sign-in and sign-out; role checks for views."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, logout_user
from sqlalchemy import func, select
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired

from app.auth.blueprint import bp
from app.auth.devices import device_of
from app.auth.oidc import settings_of
from app.auth.sessions import end_current, secret_of
from app.auth.signing_in import PENDING, begin_second_step, finish, safe_next, throttled
from app.auth.throttle import record_failure, sign_in_lock
from app.core.timeutil import utcnow
from app.extensions import db
from app.models import User
from app.web.forms import AppForm
from app.web.wiring import LANGUAGES


class LoginForm(AppForm):
    username = StringField(
        _l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập."))]
    )
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Nhập mật khẩu."))])
    remember = BooleanField(_l("Ghi nhớ đăng nhập"))


@bp.route("/dang-nhap", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    form = LoginForm()
    if form.validate_on_submit():
        session.pop(PENDING, None)  # a new attempt voids a half-finished one
        username = form.username.data.strip()[:64]
        address = request.remote_addr or "?"
        now = utcnow()
        user = db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))
        device = device_of(user.id if user else None)
        lock = sign_in_lock(db.session, username, address, now, device)
        if lock is not None:
            return throttled("auth/login.html", form, username, device, lock.until - now)
        if user is None or not user.is_active:
            _spend_hash_work(form.password.data)  # an unknown name takes as long as a known one
            user = None
        elif not user.check_password(form.password.data):
            user = None
        if user is None:
            record_failure(db.session, username, address, now, device)
            db.session.commit()
            flash(_("Tên đăng nhập hoặc mật khẩu không đúng."), "danger")
        elif user.two_factor_on:  # the device cookie never stands in for the code
            return begin_second_step(user, form.remember.data, request.args.get("next"))
        else:
            return finish(user, form.remember.data, request.args.get("next"), device)
    return render_template("auth/login.html", form=form, oidc=settings_of(current_app.config))


_DUMMY_HASH: dict[str, str] = {}


def _spend_hash_work(password: str) -> None:
    """Check the password against a stand-in hash of the same kind as real ones."""
    from werkzeug.security import check_password_hash, generate_password_hash

    if "hash" not in _DUMMY_HASH:
        _DUMMY_HASH["hash"] = generate_password_hash("stand-in password")
    check_password_hash(_DUMMY_HASH["hash"], password or "")


@bp.post("/dang-xuat")
@login_required
def logout():
    # This browser's session ends, with every copy of its cookies; the user's other browsers
    # stay signed in (the account page lists them and signs out everywhere).
    end_current(db.session, secret_of(session.get("_user_id", "")))
    db.session.commit()
    logout_user()
    flash(_("Đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


@bp.get("/ngon-ngu/<code>")
def set_language(code: str):
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next")) or url_for("dashboard.index"))
