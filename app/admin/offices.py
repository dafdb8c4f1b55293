"""Quản trị → Cơ quan theo dõi: the installation administrator lists the offices and creates
one with its first administrator (invited by e-mail to set a password). An office's own
administrator runs everything else of their office on the other admin pages."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from app.admin.blueprint import bp
from app.admin.forms import OfficeEditForm, OfficeForm
from app.auth import mail
from app.core.office_scope import all_offices, use_office
from app.core.timeutil import utcnow
from app.extensions import db
from app.models import Department, Office, User
from app.models.people import Role
from app.offices.registry import OfficeError, create_office, office_lines
from app.web.forms import options
from app.web.wiring import deny


def _installation_admins_only() -> None:
    if not current_user.installation_admin:
        deny("offices: not an installation administrator")


@bp.get("/co-quan-theo-doi")
def offices():
    _installation_admins_only()
    return render_template("admin/offices.html", lines=office_lines(db.session))


@bp.route("/co-quan-theo-doi/moi", methods=["GET", "POST"])
def office_new():
    _installation_admins_only()
    form = OfficeForm()
    with all_offices():
        every = db.session.scalars(select(Office).order_by(Office.code)).all()
        units = db.session.execute(
            select(Department.id, Department.name, Office.code)
            .join(Office, Office.id == Department.office_id)
            .where(Department.ended_on.is_(None))
            .order_by(Office.code, Department.display_order, Department.name)
        ).all()
    form.parent.choices = options([(0, "—")] + [(o.id, f"{o.code} — {o.name}") for o in every])
    form.parent_unit.choices = options([(0, "—")] + [(u, f"{c}: {n}") for u, n, c in units])
    if form.validate_on_submit() and _fits(form):
        with all_offices():
            parent = db.session.get(Office, form.parent.data) if form.parent.data else None
            unit = (
                db.session.get(Department, form.parent_unit.data) if form.parent_unit.data else None
            )
        try:
            office = create_office(
                db.session, form.code.data, form.name.data, form.level.data, parent, unit
            )
        except OfficeError as error:
            form.code.errors.append(str(error))
        else:
            with use_office(office.id):
                admin = User(
                    username=form.admin_username.data.strip(),
                    full_name=form.admin_full_name.data.strip(),
                    email=form.admin_email.data.strip(),
                    role=Role.ADMIN,
                    office_id=office.id,
                )
                db.session.add(admin)
                db.session.flush()
                invitation = mail.invitation(db.session, admin, utcnow())
            db.session.commit()
            mail.send_soon(invitation)
            flash(
                _(
                    "Đã tạo cơ quan %(code)s; thư mời đặt mật khẩu đã gửi tới %(email)s.",
                    code=office.code,
                    email=admin.email,
                ),
                "success",
            )
            return redirect(url_for("admin.offices"))
    return render_template(
        "admin/form.html",
        form=form,
        title=_("Cơ quan theo dõi mới"),
        help=_(
            "Mỗi cơ quan có đơn vị, người dùng, văn bản, nhiệm vụ, cài đặt và báo cáo riêng; "
            "lịch ngày làm việc dùng chung. Cơ quan cấp xã nhận nhiệm vụ của cấp tỉnh qua "
            "đơn vị đại diện cho nó ở cấp tỉnh."
        ),
        back=url_for("admin.offices"),
    )


@bp.route("/co-quan-theo-doi/<int:office_id>", methods=["GET", "POST"])
def office_edit(office_id: int):
    """An office's name and level (its code, place and units stay)."""
    _installation_admins_only()
    office = db.session.get(Office, office_id) or abort(404)
    form = OfficeEditForm(obj=office)
    if form.validate_on_submit():
        office.name = " ".join(form.name.data.split())
        office.level = form.level.data
        db.session.commit()
        flash(_("Đã lưu cơ quan %(code)s.", code=office.code), "success")
        return redirect(url_for("admin.offices"))
    return render_template(
        "admin/form.html",
        form=form,
        title=_("Cơ quan theo dõi %(code)s", code=office.code),
        back=url_for("admin.offices"),
    )


def _fits(form: OfficeForm) -> bool:
    if form.parent_unit.data and not form.parent.data:
        form.parent_unit.errors.append(_("Chọn cơ quan cấp trên của đơn vị đại diện."))
        return False
    name = form.admin_username.data.strip().lower()
    with all_offices():
        taken = db.session.scalar(select(User.id).where(func.lower(User.username) == name))
        unit = db.session.get(Department, form.parent_unit.data) if form.parent_unit.data else None
        stands = (
            db.session.scalar(select(Office.id).where(Office.parent_unit_id == unit.id))
            if unit
            else None
        )
    if taken is not None:
        form.admin_username.errors.append(_("Tên đăng nhập đã có người dùng."))
        return False
    if unit is not None and unit.office_id != form.parent.data:
        form.parent_unit.errors.append(_("Đơn vị đại diện phải là đơn vị của cơ quan cấp trên."))
        return False
    if stands is not None:
        form.parent_unit.errors.append(_("Đơn vị này đã đại diện cho một cơ quan khác."))
        return False
    return True
