"""Forgot password, and the mailed link that sets a password (a reset or an invitation)."""

from __future__ import annotations

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.auth import mail, tokens
from app.auth.blueprint import bp
from app.auth.forms import ForgotForm, NewPasswordForm
from app.auth.passwords import password_problem
from app.auth.throttle import record_reset_request, reset_wait
from app.core.timeutil import utcnow
from app.extensions import db
from app.models import User

MAILED_AT_MOST = 5  # users one name or address can match (an address shared by several)


def _private(page, status: int = 200):
    """Pages with a password link in their address: kept by no cache, sent to no other site."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/quen-mat-khau", methods=["GET", "POST"])
def forgot():
    """The same answer whether the name or address is known or not: a link goes to the
    account's e-mail when it is, nothing when it is not, and the page cannot tell which."""
    form = ForgotForm()
    if not form.validate_on_submit():
        return render_template("auth/forgot.html", form=form, sent=False)
    name = form.name.data.strip()
    address = request.remote_addr or "?"
    now = utcnow()
    wait = reset_wait(db.session, name, address, now)
    if wait is not None:
        minutes = max(int(wait.total_seconds() // 60) + 1, 1)
        flash(
            _("Đã có nhiều yêu cầu đặt lại mật khẩu: thử lại sau %(n)s phút.", n=minutes), "danger"
        )
        return render_template("auth/forgot.html", form=form, sent=False), 429
    record_reset_request(db.session, name, address, now)
    users = db.session.scalars(
        select(User)
        .where(
            or_(func.lower(User.username) == name.lower(), func.lower(User.email) == name.lower()),
            User.is_active.is_(True),
            User.email != "",
        )
        .limit(MAILED_AT_MOST)
    ).all()
    messages = []
    for user in users:
        token = tokens.issue(db.session, user, tokens.RESET, now)
        url = mail.link_url(url_for("auth.set_password", token=token))
        subject = _("Đặt lại mật khẩu")
        messages.append(mail.build(user, subject, "auth/mail_reset.txt", url=url, minutes=30))
    db.session.commit()
    for message in messages:
        mail.send_soon(message)
    return render_template("auth/forgot.html", form=ForgotForm(formdata=None), sent=True)


@bp.route("/dat-mat-khau/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """The mailed link: a new password for its user, once."""
    now = utcnow()
    link = tokens.holder(db.session, token, now)
    if link is None:
        return _private(render_template("auth/link_invalid.html"), 404)
    user = link.user
    form = NewPasswordForm()
    if form.validate_on_submit():
        problem = password_problem(
            db.session, form.password.data, user.username, user.full_name, user.email
        )
        if problem:
            form.password.errors.append(problem)
        else:
            tokens.use(db.session, link, form.password.data, now)
            db.session.commit()
            flash(_("Đã đặt mật khẩu mới. Hãy đăng nhập bằng mật khẩu đó."), "success")
            return redirect(url_for("auth.login"))
    page = render_template(
        "auth/set_password.html", form=form, user=user, invite=link.purpose == tokens.INVITE
    )
    return _private(page)
