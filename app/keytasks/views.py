"""The key task groups' pages: the list, a group's page as of a date, creating and changing."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from app.core.permissions import visible_tasks
from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.access import can_view_group, may_keep, visible_groups
from app.keytasks.blueprint import bp
from app.keytasks.evaluations import Subject, evaluation_on, group_grades_on, history
from app.keytasks.forms import EvaluationForm, GroupForm
from app.keytasks.grades import load_grades, load_rules, propose
from app.keytasks.groups import (
    GroupError,
    GroupValues,
    delete_group,
    group_progress,
    groups_progress,
    member_ids,
    save_group,
    set_tasks,
)
from app.models import Document, Issuer, KeyTaskGroup, Task
from app.models.documents import task_code
from app.web.forms import YEARS, date_arg, options
from app.web.inputs import MAX_PAGE, positive_int
from app.web.wiring import deny

GROUPS_PER_PAGE = 50
TASKS_SHOWN = 500


def get_group(group_id: int) -> KeyTaskGroup:
    group = db.session.get(KeyTaskGroup, group_id)
    if group is None:
        abort(404)
    if not can_view_group(db.session, current_user, group):
        deny(f"key task group {group_id}")
    return group


@bp.get("/nhom-nhiem-vu")
@login_required
def index():
    as_of = date_arg("as_of", local_today())
    year = (
        positive_int(request.args.get("year"), YEARS.stop - 1) if request.args.get("year") else None
    )
    page = positive_int(request.args.get("page"), MAX_PAGE) or 1
    query = select(KeyTaskGroup).where(visible_groups(current_user))
    if year:
        query = query.where(
            KeyTaskGroup.period_from <= dt.date(year, 12, 31),
            KeyTaskGroup.period_to >= dt.date(year, 1, 1),
        )
    count = db.session.scalar(select(func.count()).select_from(query.subquery()))
    groups = db.session.scalars(
        query.options(joinedload(KeyTaskGroup.issuer))
        .order_by(KeyTaskGroup.period_from.desc(), KeyTaskGroup.display_order, KeyTaskGroup.id)
        .offset((page - 1) * GROUPS_PER_PAGE)
        .limit(GROUPS_PER_PAGE)
    ).all()
    grades = group_grades_on(db.session, [g.id for g in groups], as_of)
    progress = groups_progress(db.session, [g.id for g in groups], as_of)
    return render_template(
        "keytasks/index.html",
        groups=groups,
        grades=grades,
        progress=progress,
        as_of=as_of,
        year=year,
        page=page,
        pages=max(1, -(-count // GROUPS_PER_PAGE)),
        may_keep=may_keep(current_user),
    )


def evaluation_form(
    as_of: dt.date, proposal: str, evaluations: list, start: dt.date
) -> EvaluationForm:
    """The form recording a grade: the proposal chosen, dated the page's date (never before
    the period's start, nor before the latest grade, nor after today)."""
    form = EvaluationForm()
    form.grade.choices = options((g, g) for g in load_grades(db.session))
    if not form.is_submitted():
        form.grade.data = proposal or None
        latest = evaluations[-1].effective_on if evaluations else start
        form.effective_on.data = min(max(as_of, latest, start), local_today())
    return form


def render_group(group: KeyTaskGroup, as_of: dt.date, form: EvaluationForm | None = None):
    progress = group_progress(db.session, group.id, as_of)
    rules = load_rules(db.session, "group")
    proposal = propose(progress.figures, rules, load_grades(db.session))
    ids = member_ids(db.session, group.id)
    tasks = db.session.scalars(
        select(Task)
        .where(Task.id.in_(ids), visible_tasks(current_user))
        .options(joinedload(Task.document).joinedload(Document.issuer))
        .options(joinedload(Task.lead_department))
        .order_by(Task.id)
        .limit(TASKS_SHOWN)
    ).all()
    evaluations = history(db.session, Subject.of_group(group))
    if form is None and may_keep(current_user):
        form = evaluation_form(as_of, proposal, evaluations, group.period_from)
    return render_template(
        "keytasks/group.html",
        group=group,
        as_of=as_of,
        progress=progress,
        figures=progress.figures,
        proposal=proposal,
        rules=rules,
        current=evaluation_on(db.session, Subject.of_group(group), as_of),
        evaluations=evaluations,
        tasks=tasks,
        hidden=len(ids) - len(tasks),
        form=form,
        may_keep=may_keep(current_user),
    ), 400 if form is not None and form.errors else 200


@bp.get("/nhom-nhiem-vu/<int:group_id>")
@login_required
def group_page(group_id: int):
    return render_group(get_group(group_id), date_arg("as_of", local_today()))


def _group_form(group: KeyTaskGroup | None) -> GroupForm:
    form = GroupForm(obj=group)
    issuers = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name))
    form.issuer_id.choices = options((i.id, i.name) for i in issuers)
    if group is not None and not form.is_submitted():
        form.task_codes.data = "\n".join(task_code(i) for i in member_ids(db.session, group.id))
    return form


def _save(form: GroupForm, group: KeyTaskGroup | None) -> KeyTaskGroup | None:
    task_ids = form.task_ids()
    if task_ids is None:
        return None
    values = GroupValues(
        form.name.data,
        form.issuer_id.data,
        form.period_from.data,
        form.period_to.data,
        form.given_on.data,
        form.note.data or "",
        form.display_order.data or 0,
    )
    try:
        saved = save_group(db.session, values, group)
        set_tasks(db.session, saved, task_ids)
    except GroupError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return None
    db.session.commit()
    return saved


@bp.route("/nhom-nhiem-vu/moi", methods=["GET", "POST"])
@login_required
def new():
    if not may_keep(current_user):
        deny("new key task group")
    form = _group_form(None)
    if not form.is_submitted():
        today = local_today()
        form.period_from.data, form.period_to.data = (
            dt.date(today.year, 1, 1),
            dt.date(today.year, 12, 31),
        )
    if form.validate_on_submit():
        group = _save(form, None)
        if group is not None:
            flash(_("Đã thêm nhóm nhiệm vụ trọng tâm."), "success")
            return redirect(url_for("keytasks.group_page", group_id=group.id))
    title = _("Thêm nhóm nhiệm vụ trọng tâm")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("keytasks/edit.html", form=form, title=title, group=None), status


@bp.route("/nhom-nhiem-vu/<int:group_id>/sua", methods=["GET", "POST"])
@login_required
def edit(group_id: int):
    group = get_group(group_id)
    if not may_keep(current_user):
        deny(f"edit key task group {group_id}")
    form = _group_form(group)
    if form.validate_on_submit() and _save(form, group) is not None:
        flash(_("Đã lưu nhóm nhiệm vụ trọng tâm."), "success")
        return redirect(url_for("keytasks.group_page", group_id=group.id))
    title = _("Sửa nhóm nhiệm vụ trọng tâm")
    status = 400 if form.errors or form.form_errors else 200
    return render_template("keytasks/edit.html", form=form, title=title, group=group), status


@bp.post("/nhom-nhiem-vu/<int:group_id>/xoa")
@login_required
def delete(group_id: int):
    group = get_group(group_id)
    if not may_keep(current_user):
        deny(f"delete key task group {group_id}")
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        delete_group(db.session, group)
    except GroupError as error:
        db.session.rollback()
        flash(str(error), "danger")
        return redirect(url_for("keytasks.edit", group_id=group_id))
    db.session.commit()
    flash(_("Đã xóa nhóm nhiệm vụ trọng tâm."), "success")
    return redirect(url_for("keytasks.index"))
