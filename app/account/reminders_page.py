"""The user's reminder mails: the kinds they receive, and a unit head's deputy while they are
away. The rules are in ``app.reminders.preferences`` and ``app.reminders.deputies``."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.account.blueprint import bp
from app.account.forms import DeputyForm
from app.account.reminder_section import deputy_form
from app.account.views import render_profile
from app.core.timeutil import local_today
from app.extensions import db
from app.models import User
from app.reminders.deputies import (
    MAX_DAYS,
    candidates,
    clear_deputy,
    may_name_deputy,
    name_deputy,
    period_problem,
)
from app.reminders.preferences import save_choices


def _back(anchor: str = "reminders"):
    return redirect(url_for("account.profile", _anchor=anchor))


@bp.post("/tai-khoan/thu-nhac-viec")
@login_required
def reminder_choices():
    """The kinds ticked are received, the others not; mandatory kinds stay as they are."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    wanted = set(request.form.getlist("kind"))
    save_choices(db.session, current_user, wanted)
    db.session.commit()
    flash(_("Đã lưu lựa chọn thư nhắc việc."), "success")
    return _back()


def _deputy_fits(form: DeputyForm, user: User) -> User | None:
    """The deputy posted when the form is right, else None with the errors on the form."""
    if not form.validate():
        return None
    deputy = next((u for u in candidates(db.session, user) if u.id == form.deputy.data), None)
    if deputy is None:
        form.deputy.errors.append(_("Chọn một người khác của đơn vị mình."))
        return None
    problem = period_problem(form.starts_on.data, form.ends_on.data, local_today())
    if problem:
        name, why = problem
        form[name].errors.append(_(why, days=MAX_DAYS))
        return None
    return deputy


@bp.post("/tai-khoan/nguoi-nhan-thay")
@login_required
def name_deputy_page():
    if not may_name_deputy(current_user):
        abort(403)
    form = deputy_form(current_user, DeputyForm())
    deputy = _deputy_fits(form, current_user)
    if deputy is None:
        db.session.rollback()
        return render_profile(FlaskForm(), deputy_form=form), 422
    name_deputy(db.session, current_user, deputy, form.starts_on.data, form.ends_on.data)
    db.session.commit()
    flash(
        _(
            "Từ %(start)s đến %(end)s, thư tổng hợp của đơn vị gửi cho %(name)s thay cho bạn.",
            start=form.starts_on.data.strftime("%d/%m/%Y"),
            end=form.ends_on.data.strftime("%d/%m/%Y"),
            name=deputy.full_name,
        ),
        "success",
    )
    return _back("deputy")


@bp.post("/tai-khoan/nguoi-nhan-thay/xoa")
@login_required
def clear_deputy_page():
    if not FlaskForm().validate_on_submit():
        abort(400)
    if clear_deputy(db.session, current_user.id):
        db.session.commit()
        flash(_("Đã bỏ người nhận thay: thư tổng hợp lại gửi cho bạn."), "success")
    return _back("deputy")
