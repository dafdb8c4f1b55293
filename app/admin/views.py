"""Administration: users, departments, issuers, the working-day table, refused requests."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import extract, func, select

from app.admin.blueprint import bp
from app.admin.forms import CalendarDayForm, DepartmentForm, IssuerForm, SettingsForm, UserForm
from app.auth import mail
from app.auth.passwords import password_problem
from app.auth.throttle import (
    clear_address,
    clear_failures,
    locked_addresses,
    locked_usernames,
)
from app.core.deadlines import WorkCalendar
from app.core.office_scope import all_offices
from app.core.settings import load_settings, save_settings
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.models import AccessDenial, CalendarDay, Department, Issuer, User
from app.models.people import Role
from app.reminders.deputies import clear_deputy, listed
from app.web.forms import edit_form, options, parse_date
from app.web.inputs import positive_int
from app.web.wiring import roles_required


@bp.before_request
@roles_required(Role.ADMIN)
def _admins_only():
    return None


def _unique_clash(model, column, value, current_id):
    """Whether another row holds ``value``: in this office, or anywhere for a username (one
    account in the whole installation)."""
    query = select(model).where(func.lower(column) == value.strip().lower())
    if current_id:
        query = query.where(model.id != current_id)
    if model is User:
        with all_offices():
            return db.session.scalar(query.with_only_columns(User.id)) is not None
    return db.session.scalar(query) is not None


@bp.get("/nguoi-dung")
def users():
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    now = utcnow()
    return render_template(
        "admin/users.html",
        users=rows,
        locked=locked_usernames(db.session, now),
        locked_addresses=sorted(locked_addresses(db.session, now)),
        deputies=listed(db.session, local_today()),
        unlock_form=FlaskForm(),
    )


@bp.route("/nguoi-dung/moi", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/nguoi-dung/<int:user_id>", methods=["GET", "POST"])
def user_form(user_id: int | None):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        abort(404)
    form = edit_form(UserForm, user, department=user.department_id or 0 if user else 0)
    form.department.choices = options(
        [(0, "—")]
        + [
            (d.id, d.name)
            for d in db.session.scalars(select(Department).order_by(Department.display_order))
        ]
    )
    if request.method == "GET" and user is not None:
        form.invite.data = False  # a new invitation for an existing user is asked for
    if form.validate_on_submit() and _user_form_fits(form, user, user_id):
        user = user or User()
        user.username = form.username.data.strip()
        user.full_name = form.full_name.data.strip()
        user.email = (form.email.data or "").strip()
        user.role = form.role.data
        user.department_id = form.department.data or None
        if user.is_active and not form.is_active.data:
            user.rotate_sessions()  # deactivated: signed out everywhere
        user.is_active = form.is_active.data
        if form.password.data:
            user.set_password(form.password.data)
        db.session.add(user)
        db.session.flush()
        invitation = None
        if form.invite.data and not form.password.data:
            invitation = mail.invitation(db.session, user, utcnow())
        db.session.commit()
        flash(_("Đã lưu tài khoản %(name)s.", name=user.username), "success")
        if invitation is not None:
            mail.send_soon(invitation)
            flash(_("Đã gửi thư mời đặt mật khẩu tới %(email)s.", email=user.email), "success")
        return redirect(url_for("admin.users"))
    return render_template(
        "admin/form.html", form=form, title=_("Tài khoản"), back=url_for("admin.users")
    )


def _user_form_fits(form: UserForm, user: User | None, user_id: int | None) -> bool:
    """The checks that need the database or other fields; each problem on its field."""
    department_roles = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER)
    invite = form.invite.data and not form.password.data
    if _unique_clash(User, User.username, form.username.data, user_id):
        form.username.errors.append(_("Tên đăng nhập đã có người dùng."))
    elif form.role.data in department_roles and not form.department.data:
        form.department.errors.append(_("Người dùng của đơn vị phải thuộc một đơn vị."))
    elif user is None and not form.password.data and not form.invite.data:
        form.password.errors.append(_("Gửi thư mời hoặc đặt mật khẩu cho tài khoản mới."))
    elif invite and not (form.email.data or "").strip():
        form.email.errors.append(_("Cần e-mail để gửi thư mời."))
    elif invite and not form.is_active.data:
        form.invite.errors.append(_("Tài khoản đã khóa không nhận thư mời."))
    elif form.password.data and (
        problem := password_problem(
            db.session,
            form.password.data,
            form.username.data.strip(),
            form.full_name.data.strip(),
            (form.email.data or "").strip(),
        )
    ):
        form.password.errors.append(problem)
    else:
        return True
    return False


@bp.post("/nguoi-dung/<int:user_id>/mo-khoa")
def unlock_user(user_id: int):
    """Clear an account's failed sign-ins: it may sign in again at once."""
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    cleared = clear_failures(db.session, user.username)
    db.session.commit()
    flash(
        _(
            "Đã mở khóa đăng nhập cho %(name)s (%(n)s lần sai được xóa).",
            name=user.username,
            n=cleared,
        ),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.post("/nguoi-dung/mo-khoa-dia-chi")
def unlock_address():
    """Lift the lock of a client address (many failed sign-ins from it, under any names)."""
    if not FlaskForm().validate_on_submit():
        abort(400)
    address = (request.form.get("address") or "").strip()
    if not address or len(address) > 64:
        abort(400)
    cleared = clear_address(db.session, address)
    db.session.commit()
    flash(
        _(
            "Đã mở khóa đăng nhập từ địa chỉ %(address)s (%(n)s lần sai được xóa).",
            address=address,
            n=cleared,
        ),
        "success",
    )
    return redirect(url_for("admin.users"))


@bp.post("/nguoi-dung/<int:user_id>/bo-nguoi-nhan-thay")
def clear_user_deputy(user_id: int):
    """Remove the deputy a unit head named: their unit's digests go to them again."""
    user = db.session.get(User, user_id) or abort(404)
    if not FlaskForm().validate_on_submit():
        abort(400)
    if clear_deputy(db.session, user.id):
        db.session.commit()
        flash(_("Đã bỏ người nhận thay của %(name)s.", name=user.full_name), "success")
    return redirect(url_for("admin.users", _anchor="deputies"))


@bp.get("/don-vi")
def departments():
    """Current units; with ``?truoc-day=1`` the units a change ended too, and the history of
    organisation changes."""
    from app.units.reorganise import describe, history

    former = request.args.get("truoc-day") == "1"
    query = select(Department).order_by(Department.display_order, Department.name)
    if not former:
        query = query.where(Department.ended_on.is_(None))
    rows = db.session.scalars(query).all()
    changes = [describe(c) for c in history(db.session)]
    heads = {
        u.department_id: u
        for u in db.session.scalars(
            select(User).where(User.role == Role.DEPARTMENT_HEAD, User.is_active.is_(True))
        )
    }
    return render_template(
        "admin/departments.html", departments=rows, heads=heads, former=former, changes=changes
    )


@bp.route("/don-vi/moi", methods=["GET", "POST"], defaults={"department_id": None})
@bp.route("/don-vi/<int:department_id>", methods=["GET", "POST"])
def department_form(department_id: int | None):
    department = db.session.get(Department, department_id) if department_id else None
    if department_id and department is None:
        abort(404)
    form = DepartmentForm(obj=department)
    if form.validate_on_submit():
        if _unique_clash(Department, Department.name, form.name.data, department_id):
            form.name.errors.append(_("Đã có đơn vị cùng tên."))
        elif form.organ_id.data and _unique_clash(
            Department, Department.organ_id, form.organ_id.data, department_id
        ):
            form.organ_id.errors.append(_("Đã có đơn vị mang mã định danh này."))
        elif department is not None and department.ended_on and form.is_active.data:
            form.is_active.errors.append(
                _(
                    "Đơn vị đã thôi hoạt động từ ngày %(day)s theo một thay đổi tổ chức.",
                    day=department.ended_on.strftime("%d/%m/%Y"),
                )
            )
        else:
            department = department or Department()
            form.populate_obj(department)
            department.name = department.name.strip()
            department.short_name = (department.short_name or "").strip()
            department.email = (department.email or "").strip()
            department.organ_id = form.organ_id.data or None
            db.session.add(department)
            db.session.commit()
            flash(_("Đã lưu đơn vị."), "success")
            return redirect(url_for("admin.departments"))
    return render_template(
        "admin/form.html",
        form=form,
        title=_("Đơn vị"),
        back=url_for("admin.departments"),
        help=_(
            "Sửa tên ở đây là sửa lỗi: mọi báo cáo, kể cả báo cáo cũ, ghi tên mới. Đổi tên theo "
            "quyết định (báo cáo trước ngày đó giữ tên cũ), hợp nhất, chia tách, giải thể: dùng "
            "trang Thay đổi tổ chức."
        )
        if department is not None
        else None,
    )


@bp.get("/co-quan-ban-hanh")
def issuers():
    rows = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name)).all()
    return render_template("admin/issuers.html", issuers=rows)


@bp.route("/co-quan-ban-hanh/moi", methods=["GET", "POST"], defaults={"issuer_id": None})
@bp.route("/co-quan-ban-hanh/<int:issuer_id>", methods=["GET", "POST"])
def issuer_form(issuer_id: int | None):
    issuer = db.session.get(Issuer, issuer_id) if issuer_id else None
    if issuer_id and issuer is None:
        abort(404)
    form = IssuerForm(obj=issuer)
    if form.validate_on_submit():
        if _unique_clash(Issuer, Issuer.name, form.name.data, issuer_id):
            form.name.errors.append(_("Đã có cơ quan cùng tên."))
        elif form.organ_id.data and _unique_clash(
            Issuer, Issuer.organ_id, form.organ_id.data, issuer_id
        ):
            form.organ_id.errors.append(_("Đã có cơ quan mang mã định danh này."))
        else:
            issuer = issuer or Issuer()
            issuer.name = form.name.data.strip()
            issuer.short_name = (form.short_name.data or "").strip()
            issuer.display_order = form.display_order.data or 0
            issuer.organ_id = form.organ_id.data or None
            db.session.add(issuer)
            db.session.commit()
            flash(_("Đã lưu cơ quan ban hành."), "success")
            return redirect(url_for("admin.issuers"))
    return render_template(
        "admin/form.html", form=form, title=_("Cơ quan ban hành"), back=url_for("admin.issuers")
    )


@bp.route("/ngay-lam-viec", methods=["GET", "POST"])
def calendar():
    year = positive_int(request.args.get("year"), 2199) or local_today().year
    if year < 1900:
        year = local_today().year
    form = CalendarDayForm()
    if form.validate_on_submit():
        entry = db.session.get(CalendarDay, form.day.data) or CalendarDay(day=form.day.data)
        entry.is_working_day = form.is_working_day.data == "1"
        entry.note = (form.note.data or "").strip()
        db.session.add(entry)
        db.session.commit()
        flash(_("Đã lưu ngày %(day)s.", day=form.day.data.strftime("%d/%m/%Y")), "success")
        return redirect(url_for("admin.calendar", year=form.day.data.year))
    entries = db.session.scalars(
        select(CalendarDay)
        .where(extract("year", CalendarDay.day) == year)
        .order_by(CalendarDay.day)
    ).all()
    holidays = WorkCalendar().public_holidays(year)
    return render_template(
        "admin/calendar.html",
        form=form,
        entries=entries,
        year=year,
        holidays=holidays,
        delete_form=FlaskForm(),
    )


@bp.post("/ngay-lam-viec/<day>/xoa")
def calendar_delete(day: str):
    form = FlaskForm()
    day = parse_date(day)
    entry = db.session.get(CalendarDay, day) if day and form.validate() else None
    if entry is None:
        abort(404)
    db.session.delete(entry)
    db.session.commit()
    flash(_("Đã xóa ngày %(day)s.", day=entry.day.strftime("%d/%m/%Y")), "success")
    return redirect(url_for("admin.calendar", year=entry.day.year))


@bp.get("/tu-choi-truy-cap")
def denials():
    rows = db.session.scalars(select(AccessDenial).order_by(AccessDenial.id.desc()).limit(200))
    return render_template("admin/denials.html", denials=rows.all())


@bp.route("/cai-dat", methods=["GET", "POST"])
def settings():
    stored = load_settings(db.session)
    form = SettingsForm(obj=stored)  # "1" or "": the check box ticked or not
    if form.validate_on_submit():
        save_settings(
            db.session,
            governing_body=form.governing_body.data or "",
            office_name=form.office_name.data or "",
            requests_by=form.requests_by.data,
            two_factor_required="1" if form.two_factor_required.data else "",
            key_task_body=form.key_task_body.data or "",
        )
        db.session.commit()
        flash(_("Đã lưu cài đặt."), "success")
        return redirect(url_for("admin.settings"))
    return render_template(
        "admin/form.html",
        form=form,
        title=_("Cài đặt"),
        back=url_for("admin.users"),
        help=_(
            "Tên cơ quan in ở góc trên bên trái của mọi văn bản hệ thống xuất ra (biểu chi tiết, "
            "danh sách nhiệm vụ), và trong dòng “Kèm theo Báo cáo số … của …”. Mọi người "
            "của đơn vị đều báo cáo tiến độ được; đề nghị hoàn thành và gia hạn theo cài đặt."
        ),
    )
