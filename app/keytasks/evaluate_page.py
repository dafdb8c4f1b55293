"""Recording a grade: for a group (on its page) and for a unit over a period (its own page,
reached from the statistics table). Only the office records; a department reads its own."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.access import can_view_unit, may_keep
from app.keytasks.blueprint import bp
from app.keytasks.evaluations import (
    Decision,
    EvaluationError,
    Subject,
    evaluation_on,
    history,
    record,
)
from app.keytasks.forms import EvaluationForm
from app.keytasks.grades import load_grades, load_rules, propose
from app.keytasks.groups import Figures, group_progress, unit_figures
from app.keytasks.views import get_group, render_group
from app.models import Department
from app.reports.statistics import PeriodError, UnitStatistics, build_statistics
from app.web.forms import options, parse_date
from app.web.inputs import positive_int
from app.web.wiring import deny


def _record(form: EvaluationForm, subject: Subject, proposal: str, figures: Figures) -> bool:
    """Record the form's grade; False (with the form's error) when it is refused."""
    decision = Decision(
        form.grade.data,
        form.effective_on.data,
        form.note.data or "",
        form.decided_by.data or "",
        form.reason.data or "",
    )
    try:
        record(db.session, subject, decision, local_today(), current_user, proposal, figures)
    except EvaluationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return False
    db.session.commit()
    return True


@bp.post("/nhom-nhiem-vu/<int:group_id>/danh-gia")
@login_required
def evaluate_group(group_id: int):
    group = get_group(group_id)
    if not may_keep(current_user):
        deny(f"evaluate key task group {group_id}")
    form = EvaluationForm()
    form.grade.choices = options((g, g) for g in load_grades(db.session))
    if form.validate_on_submit():
        day = form.effective_on.data
        figures = group_progress(db.session, group.id, day).figures
        proposal = propose(figures, load_rules(db.session, "group"), load_grades(db.session))
        if _record(form, Subject.of_group(group), proposal, figures):
            flash(_("Đã ghi đánh giá nhóm nhiệm vụ."), "success")
            return redirect(url_for("keytasks.group_page", group_id=group.id, _anchor="history"))
    as_of = form.effective_on.data or local_today()
    return render_group(group, as_of, form)


def _unit_period() -> tuple[Department, dt.date, dt.date, dt.date]:
    department = db.session.get(Department, positive_int(request.args.get("department")) or 0)
    if department is None:
        abort(404)
    if not can_view_unit(current_user, department.id):
        deny(f"unit evaluation {department.id}")
    period_from = parse_date(request.args.get("from"))
    period_to = parse_date(request.args.get("to"))
    if period_from is None or period_to is None:
        abort(400, _("Nhập ngày bắt đầu và ngày kết thúc kỳ (dd/mm/yyyy)."))
    as_of = parse_date(request.args.get("as_of")) or min(period_to, local_today())
    return department, period_from, period_to, as_of


def _unit_figures(department: Department, period_from, period_to, as_of) -> UnitStatistics:
    try:
        stats = build_statistics(db.session, period_from, period_to, as_of)
    except PeriodError as error:
        abort(400, str(error))
    row = next((r for r in stats.rows if r.department.id == department.id), None)
    return row or UnitStatistics(None)


@bp.route("/danh-gia-don-vi", methods=["GET", "POST"])
@login_required
def evaluate_unit():
    department, period_from, period_to, as_of = _unit_period()
    form = None
    if request.method == "POST" and not may_keep(current_user):
        deny(f"evaluate unit {department.id}")
    subject = Subject(period_from, period_to, department_id=department.id)
    grades = load_grades(db.session)
    if may_keep(current_user):
        form = EvaluationForm()
        form.grade.choices = options((g, g) for g in grades)
    if form is not None and form.validate_on_submit():
        day = form.effective_on.data
        row = _unit_figures(department, period_from, period_to, max(day, period_from))
        figures = unit_figures(row)
        proposal = propose(figures, load_rules(db.session, "unit"), grades)
        if _record(form, subject, proposal, figures):
            flash(_("Đã ghi đánh giá đơn vị."), "success")
            return redirect(request.full_path.rstrip("?"))
    row = _unit_figures(department, period_from, period_to, as_of)
    figures = unit_figures(row)
    proposal = propose(figures, load_rules(db.session, "unit"), grades)
    evaluations = history(db.session, subject)
    if form is not None and not form.is_submitted():
        form.grade.data = proposal or None
        latest = evaluations[-1].effective_on if evaluations else period_from
        form.effective_on.data = min(max(as_of, latest, period_from), local_today())
    return render_template(
        "keytasks/unit.html",
        department=department,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        figures=figures,
        proposal=proposal,
        rules=load_rules(db.session, "unit"),
        current=evaluation_on(db.session, subject, as_of),
        evaluations=evaluations,
        form=form,
    ), 400 if form is not None and (form.errors or form.form_errors) else 200
