"""The user's own page: API tokens, calendar feed addresses, signed-in sessions, the reminder
mails they receive (``reminders_page``)."""

from __future__ import annotations

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import select

from app.account.blueprint import bp
from app.account.reminder_section import reminder_context
from app.account.security_page import current_secret
from app.auth.sessions import device_name, is_current, listed
from app.core.permissions import is_department_user, is_office
from app.core.timeutil import utcnow
from app.extensions import db
from app.models import ApiToken, Department
from app.models.access import new_secret
from app.models.people import Role
from app.web.inputs import positive_int


def _feed_url(token: str) -> str:
    return url_for("feeds.calendar", token=token, _external=True)


@bp.route("/tai-khoan", methods=["GET", "POST"])
@login_required
def profile():
    form = FlaskForm()
    new_token = None
    if request.method == "POST" and form.validate_on_submit():
        action = request.form.get("action")
        if action == "create-token":
            name = (request.form.get("name") or "").strip()[:128] or _("Token API")
            token, new_token = ApiToken.issue(current_user, name)
            db.session.add(token)
        elif action == "revoke-token":
            token = db.session.get(ApiToken, positive_int(request.form.get("token_id")) or 0)
            if token is None or token.user_id != current_user.id:
                abort(404)
            token.revoked_at = utcnow()
            flash(_("Đã thu hồi token “%(name)s”.", name=token.name), "success")
        elif action == "calendar":
            current_user.calendar_token = new_secret()
            flash(_("Đã tạo địa chỉ lịch mới; địa chỉ cũ không dùng được nữa."), "success")
        elif action == "department-calendar":
            department = _feed_department()
            department.calendar_token = new_secret()
            flash(_("Đã tạo địa chỉ lịch mới cho %(name)s.", name=department.name), "success")
        db.session.commit()
        if new_token is None:
            return redirect(url_for("account.profile"))
    return render_profile(form, new_token)


def render_profile(form: FlaskForm, new_token: str | None = None, deputy_form=None):
    """The account page (``deputy_form``: the deputy's form as posted, with its errors)."""
    tokens = db.session.scalars(
        select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id.desc())
    ).all()
    feeds = []
    if current_user.calendar_token:
        feeds.append((_("Nhiệm vụ của tôi"), _feed_url(current_user.calendar_token)))
    departments = []
    if is_department_user(current_user) and current_user.department:
        departments = [current_user.department]
    elif is_office(current_user):
        departments = list(
            db.session.scalars(select(Department).order_by(Department.display_order))
        )
    for department in departments:
        if department.calendar_token:
            feeds.append((department.name, _feed_url(department.calendar_token)))
    # Only the office and a department's head make a new address for the department.
    may_renew = is_office(current_user) or current_user.role == Role.DEPARTMENT_HEAD
    response = make_response(
        render_template(
            "account/profile.html",
            form=form,
            tokens=tokens,
            new_token=new_token,
            feeds=feeds,
            departments=departments if may_renew else [],
            sessions=sorted(  # this browser first
                listed(db.session, current_user, utcnow()),
                key=lambda row: not is_current(row, current_secret()),
            ),
            current_secret=current_secret(),
            is_current=is_current,
            device_name=device_name,
            **reminder_context(current_user, deputy_form),
        )
    )
    # A new token is shown once, and the calendar addresses are secrets: no copy is kept by
    # the browser's cache or a proxy.
    response.headers["Cache-Control"] = "no-store"
    return response


def _feed_department() -> Department:
    department_id = positive_int(request.form.get("department_id"))
    department = db.session.get(Department, department_id or 0)
    if department is None:
        abort(404)
    allowed = is_office(current_user) or (  # a department's own address: its head's call
        current_user.role == Role.DEPARTMENT_HEAD and current_user.department_id == department.id
    )
    if not allowed:
        abort(403)
    return department


@bp.get("/tai-khoan/api")
@login_required
def api_reference():
    """The API's reference, drawn in the browser from the served OpenAPI document."""
    return render_template("account/api_reference.html")
