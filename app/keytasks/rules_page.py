"""The admin's page of grades and of the rules proposing them, for groups and for units."""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.extensions import db
from app.keytasks.blueprint import bp
from app.keytasks.forms import GradesForm, RulesForm
from app.keytasks.grades import THRESHOLDS, GradeError, Rule, load_grades, load_rules, save_grades
from app.keytasks.grades import save_rules as store_rules
from app.models.people import Role
from app.web.wiring import roles_required

KINDS = ("group", "unit")


def _rules_form(kind: str, formdata=None) -> RulesForm:
    """One row per grade that may be proposed (every grade but the last), with its rule."""
    grades = load_grades(db.session)
    stored = {r.grade: r for r in load_rules(db.session, kind)}
    rows = [stored.get(g) or Rule(g) for g in grades[:-1]]
    data = {"rows": [asdict(r) for r in rows]}
    form = RulesForm(prefix=kind, data=data) if formdata is None else RulesForm(prefix=kind)
    for entry, grade in zip(form.rows.entries, grades[:-1], strict=False):
        entry.form.grade.data = grade  # the grade is the page's, never the post's
        entry.label.text = grade
    return form


def _page(grades_form=None, forms=None, status=200):
    forms = forms or {}
    return render_template(
        "keytasks/rules.html",
        grades_form=grades_form or GradesForm(data={"grades": "\n".join(load_grades(db.session))}),
        rule_forms={k: forms.get(k) or _rules_form(k) for k in KINDS},
        last_grade=load_grades(db.session)[-1],
    ), status


@bp.get("/quan-tri/danh-gia")
@roles_required(Role.ADMIN)
def rules():
    return _page()


@bp.post("/quan-tri/danh-gia/muc")
@roles_required(Role.ADMIN)
def save_grade_list():
    form = GradesForm()
    if form.validate_on_submit():
        try:
            save_grades(db.session, (form.grades.data or "").splitlines())
        except GradeError as error:
            db.session.rollback()
            form.grades.errors = [str(error)]
        else:
            db.session.commit()
            flash(_("Đã lưu các mức đánh giá."), "success")
            return redirect(url_for("keytasks.rules"))
    return _page(grades_form=form, status=400)


@bp.post("/quan-tri/danh-gia/quy-tac/<kind>")
@roles_required(Role.ADMIN)
def save_rules(kind: str):
    if kind not in KINDS:
        abort(404)
    form = _rules_form(kind, formdata=True)
    grades = load_grades(db.session)[:-1]
    if form.validate_on_submit() and len(form.rows.entries) == len(grades):
        rules = [
            Rule(grade, **{k: entry.form[k].data for k in THRESHOLDS})
            for grade, entry in zip(grades, form.rows.entries, strict=True)
        ]
        try:
            store_rules(db.session, kind, rules)
        except GradeError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Đã lưu quy tắc đề xuất."), "success")
            return redirect(url_for("keytasks.rules"))
    if len(form.rows.entries) != len(grades):
        form.form_errors.append(
            _("Danh sách mức đánh giá vừa thay đổi: tải lại trang rồi nhập lại.")
        )
    return _page(forms={kind: form}, status=400)
