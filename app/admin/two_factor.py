"""The admin's reset of a user's two-factor sign-in, when the phone and the recovery codes are
lost: it is switched off (the user may enrol again), and the reset is logged."""

from __future__ import annotations

import logging

from flask import abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm

from app.admin.blueprint import bp
from app.auth.two_factor import switch_off
from app.extensions import db
from app.models import User

log = logging.getLogger("app.auth")


@bp.post("/nguoi-dung/<int:user_id>/tat-xac-thuc-hai-buoc")
def reset_two_factor(user_id: int):
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    switch_off(db.session, user)
    db.session.commit()
    log.warning(
        "two-factor sign-in of %s (id %s) reset by the admin %s (id %s)",
        user.username,
        user.id,
        current_user.username,
        current_user.id,
    )
    flash(
        _(
            "Đã tắt xác thực hai bước của %(name)s; người dùng đăng nhập bằng mật khẩu và có "
            "thể bật lại.",
            name=user.username,
        ),
        "success",
    )
    return redirect(url_for("admin.users"))
