"""The second step of signing in, for a user with two-factor sign-in on: a code from the
authenticator app, or one of the recovery codes. Wrong codes count as failed sign-ins of the
account (``app.auth.throttle``), from the device or from unknown clients as the password does."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth.blueprint import bp
from app.auth.devices import device_of
from app.auth.forms import SecondStepForm
from app.auth.signing_in import PENDING, finish, pending, throttled
from app.auth.throttle import record_failure, sign_in_lock
from app.auth.two_factor import check_code, recovery_codes_left
from app.core.timeutil import utcnow
from app.extensions import db


@bp.route("/dang-nhap/ma-xac-thuc", methods=["GET", "POST"])
def second_step():
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    found = pending()
    if found is None:
        session.pop(PENDING, None)
        flash(_("Đã quá thời gian nhập mã: vui lòng đăng nhập lại."), "warning")
        return redirect(url_for("auth.login"))
    user, state = found
    form = SecondStepForm()
    if form.validate_on_submit():
        now, address = utcnow(), request.remote_addr or "?"
        device = device_of(user.id)
        lock = sign_in_lock(db.session, user.username, address, now, device)
        if lock is not None:
            return throttled("auth/second_step.html", form, user.username, device, lock.until - now)
        kind = check_code(db.session, user, form.code.data, now)
        if kind is None:
            record_failure(db.session, user.username, address, now, device)
            db.session.commit()
            form.code.errors.append(_("Mã không đúng, hoặc đã được dùng."))
        else:
            method = "oidc+totp" if state.get("method") == "oidc" else "password+totp"
            response = finish(user, state.get("remember", False), state.get("next"), device, method)
            if kind == "recovery":
                flash(
                    _(
                        "Bạn vừa dùng một mã dự phòng; còn %(n)s mã. Hãy tạo bộ mã mới ở trang "
                        "Tài khoản nếu sắp hết.",
                        n=recovery_codes_left(db.session, user),
                    ),
                    "warning",
                )
            return response
    return render_template("auth/second_step.html", form=form)
