"""The pages of two levels: the intake "Nhiệm vụ cấp trên giao" (the tasks the office above
gave this office, their files, taking one in) and the split of a task taken in among the
office's units. Thin: ``app.offices.upper_tasks`` does the work."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from app.core.attachments import send_stored
from app.core.settings import current_office
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department, Task
from app.models.people import Role
from app.offices import sub_tasks, upper_tasks
from app.offices.blueprint import bp
from app.offices.forms import SubTaskForm, TakeInForm
from app.offices.upper_flow import UpperTaskError
from app.web.forms import department_choices
from app.web.wiring import roles_required

OFFICE_ROLES = (Role.OFFICE, Role.ADMIN)


def _take_in_form(task_id: int, choices, **kwargs) -> TakeInForm:
    form = TakeInForm(prefix=f"t{task_id}", **kwargs)
    form.lead.choices = choices
    return form


@bp.get("/nhiem-vu-cap-tren-giao")
@roles_required(*OFFICE_ROLES)
def intake(refused: tuple[int, TakeInForm] | None = None):
    office = current_office(db.session)
    above = upper_tasks.office_above(db.session, office)
    items = upper_tasks.intake(db.session, office)
    choices = department_choices(db.session)
    forms = {item.id: _take_in_form(item.id, choices, formdata=None) for item in items}
    if refused is not None:
        forms[refused[0]] = refused[1]
    page = render_template(
        "offices/intake.html",
        above=above,
        items=items,
        forms=forms,
        form=refused[1] if refused else None,
    )
    return page, 200 if refused is None else 400


@bp.post("/nhiem-vu-cap-tren-giao/<int:task_id>/tiep-nhan")
@roles_required(*OFFICE_ROLES)
def take_in(task_id: int):
    office = current_office(db.session)
    if upper_tasks.given_task(db.session, office, task_id) is None:
        abort(404)  # not given to this office: as if it did not exist
    form = _take_in_form(task_id, department_choices(db.session))
    if not form.validate_on_submit():
        return intake((task_id, form))
    lead = db.session.scalar(select(Department).where(Department.id == form.lead.data))
    try:
        task = upper_tasks.take_in(db.session, office, task_id, lead, current_user, local_today())
        code, unit = task.code, task.lead_department.name
        db.session.commit()
    except UpperTaskError as error:
        db.session.rollback()
        flash(str(error), "warning")
        return redirect(url_for("offices.intake"))
    except (IntegrityError, StaleDataError):  # taken in, or changed above, at the same moment
        db.session.rollback()
        flash(_("Nhiệm vụ vừa được người khác tiếp nhận hoặc cập nhật; hãy xem lại."), "warning")
        return redirect(url_for("offices.intake"))
    flash(_("Đã tiếp nhận nhiệm vụ %(code)s, giao %(unit)s chủ trì.", code=code, unit=unit),
          "success")  # fmt: skip
    return redirect(url_for("tasks.detail", task_id=task.id))


@bp.get("/nhiem-vu-cap-tren-giao/tep/<int:attachment_id>")
@roles_required(*OFFICE_ROLES)
def given_file(attachment_id: int):
    """A file of a task given to this office, read from the office above (checked)."""
    item = upper_tasks.given_file(db.session, current_office(db.session), attachment_id)
    if item is None:
        abort(404)
    return send_stored(item)


def _task_taken_in(task_id: int) -> Task:
    task = db.session.scalar(select(Task).where(Task.id == task_id))
    if task is None or task.upper_task_id is None:
        abort(404)
    return task


def _sub_task_form(**kwargs) -> SubTaskForm:
    form = SubTaskForm(**kwargs)
    form.lead.choices = department_choices(db.session)
    return form


@bp.route("/nhiem-vu/<int:task_id>/chia-viec", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def split(task_id: int):
    task = _task_taken_in(task_id)
    form = _sub_task_form()
    if form.is_submitted():
        if form.validate():
            lead = db.session.scalar(select(Department).where(Department.id == form.lead.data))
            try:
                part = sub_tasks.add_sub_task(
                    db.session, task, content=form.content.data or "", lead=lead,
                    deadline=form.deadline.data, by=current_user, today=local_today(),
                )  # fmt: skip
                code = part.code
                db.session.commit()
            except UpperTaskError as error:
                db.session.rollback()
                if error.field in form:
                    form[error.field].errors = [str(error)]
                else:
                    flash(str(error), "danger")
            except StaleDataError:
                db.session.rollback()
                flash(_("Nhiệm vụ vừa được người khác cập nhật; hãy thử lại."), "warning")
            else:
                flash(_("Đã giao phần việc %(code)s.", code=code), "success")
                return redirect(url_for("offices.split", task_id=task_id))
        task = _task_taken_in(task_id)
        status = 400
    else:
        status = 200
    parts = sub_tasks.sub_tasks(db.session, task)
    page = render_template("offices/split.html", task=task, parts=parts, form=form)
    return page, status
