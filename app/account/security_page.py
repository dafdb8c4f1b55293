"""The user's own password and signed-in sessions: change the password (the current one
asked), end another browser's session, sign out everywhere else."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user
from flask_wtf import FlaskForm

from app.account.blueprint import bp
from app.auth import sessions
from app.auth.forms import ChangePasswordForm
from app.auth.passwords import password_problem
from app.auth.throttle import record_failure, sign_in_lock
from app.core.timeutil import utcnow
from app.extensions import db


def current_secret() -> str:
    """This browser's session secret (``app.auth.sessions``)."""
    return sessions.secret_of(session.get("_user_id", ""))


@bp.route("/tai-khoan/doi-mat-khau", methods=["GET", "POST"])
@login_required
def change_password():
    """A new password ends every other session; this browser stays signed in. Wrong current
    passwords count as failed sign-ins (a borrowed session cannot guess it for ever)."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = current_user._get_current_object()
        address, now = request.remote_addr or "?", utcnow()
        lock = sign_in_lock(db.session, user.username, address, now)
        if lock is not None:
            minutes = max(int((lock.until - now).total_seconds() // 60) + 1, 1)
            form.current.errors.append(
                _("Nhập sai nhiều lần nên tạm khóa: thử lại sau %(n)s phút.", n=minutes)
            )
        elif not user.check_password(form.current.data):
            record_failure(db.session, user.username, address, now)
            db.session.commit()
            form.current.errors.append(_("Mật khẩu hiện tại không đúng."))
        elif problem := password_problem(
            db.session, form.password.data, user.username, user.full_name, user.email
        ):
            form.password.errors.append(problem)
        else:
            user.set_password(form.password.data)  # every session of the user ends …
            agent, method = request.user_agent.string or "", user.signed_in_with or "password"
            sessions.start(db.session, user, address, agent, now, method)
            db.session.commit()
            cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            remembered = request.cookies.get(cookie)
            login_user(user, remember=bool(remembered))  # … and this browser's begins again
            flash(_("Đã đổi mật khẩu. Các phiên đăng nhập ở nơi khác đã kết thúc."), "success")
            return redirect(url_for("account.profile"))
    return render_template("account/change_password.html", form=form)


@bp.post("/tai-khoan/phien/<int:session_id>/ket-thuc")
@login_required
def end_session(session_id: int):
    if not FlaskForm().validate_on_submit():
        abort(400)
    if not sessions.end(db.session, current_user, session_id):
        abort(404)
    db.session.commit()
    flash(_("Đã đăng xuất phiên đó."), "success")
    return redirect(url_for("account.profile", _anchor="sessions"))


@bp.post("/tai-khoan/dang-xuat-noi-khac")
@login_required
def end_other_sessions():
    if not FlaskForm().validate_on_submit():
        abort(400)
    ended = sessions.end_others(db.session, current_user, current_secret())
    db.session.commit()
    flash(_("Đã đăng xuất %(n)s phiên ở nơi khác.", n=ended), "success")
    return redirect(url_for("account.profile", _anchor="sessions"))
