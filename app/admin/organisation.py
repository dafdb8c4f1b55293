"""Quản trị → Thay đổi tổ chức: rename, merge, split and dissolve units from the browser.

A split is entered in two steps: the unit, the new units and the date first; then a transfer
page lists every open task the unit leads or cooperates on, each with the new unit that takes
it, and nothing is saved until every task has one.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.admin.blueprint import bp
from app.admin.forms import DissolveForm, MergeForm, RenameForm, SplitForm
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department, User
from app.models.people import Role
from app.units import reorganise
from app.units.reorganise import MAX_UNITS, ReorganisationError
from app.web.forms import options

PREFIX = {"rename": "doi-ten", "merge": "hop-nhat", "split": "chia-tach", "dissolve": "giai-the"}


def _current_units() -> list[Department]:
    return list(
        db.session.scalars(
            select(Department)
            .where(Department.ended_on.is_(None), Department.is_active.is_(True))
            .order_by(Department.display_order, Department.name)
        )
    )


def _forms(**posted):
    units = options((d.id, d.name) for d in _current_units())
    heads = options(
        [(0, _("Giữ nguyên các trưởng đơn vị"))]
        + [
            (u.id, f"{u.full_name} ({u.username})")
            for u in db.session.scalars(
                select(User)
                .where(User.is_active.is_(True), User.department_id.is_not(None))
                .where(User.role.in_([Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER]))
                .order_by(User.full_name)
            )
        ]
    )
    forms = {
        "rename": posted.get("rename") or RenameForm(prefix=PREFIX["rename"], formdata=None),
        "merge": posted.get("merge") or MergeForm(prefix=PREFIX["merge"], formdata=None),
        "split": posted.get("split") or SplitForm(prefix=PREFIX["split"], formdata=None),
        "dissolve": posted.get("dissolve")
        or DissolveForm(prefix=PREFIX["dissolve"], formdata=None),
    }
    for form in (forms["rename"], forms["split"], forms["dissolve"]):
        form.unit.choices = units
    forms["merge"].units.choices = units
    forms["merge"].into.choices = options([(0, _("— Một đơn vị mới (ghi tên bên dưới) —"))]) + units
    forms["merge"].head.choices = heads
    return forms


def _page(status: int = 200, **posted):
    changes = [reorganise.describe(c) for c in reversed(reorganise.history(db.session))]
    page = render_template(
        "admin/organisation.html", forms=_forms(**posted), changes=changes, max_units=MAX_UNITS
    )
    return page, status


@bp.get("/to-chuc")
def organisation():
    return _page()


def _saved(change):
    db.session.commit()
    flash(_("Đã ghi thay đổi tổ chức: %(what)s", what=reorganise.describe(change)), "success")
    return redirect(url_for("admin.organisation"))


def _record(kind: str, form_class, make_change):
    """Check the posted form, make the change (``make_change(form, common)``) and save it; the
    page again with the reason when the form or the change is refused (nothing saved)."""
    form = _forms(**{kind: form_class(prefix=PREFIX[kind])})[kind]
    if not form.validate_on_submit():
        return _page(400, **{kind: form})
    common = {
        "on": form.effective_on.data,
        "today": local_today(),
        "decision": form.decision.data or "",
        "by": current_user,
    }
    try:
        change = make_change(form, common)
    except ReorganisationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(400, **{kind: form})
    return _saved(change)


@bp.post("/to-chuc/doi-ten")
def rename_unit():
    def rename(form, common):
        unit = db.session.get(Department, form.unit.data)
        return reorganise.rename(db.session, unit, form.new_name.data, **common)

    return _record("rename", RenameForm, rename)


@bp.post("/to-chuc/hop-nhat")
def merge_units():
    def merge(form, common):
        units = [db.session.get(Department, i) for i in form.units.data]
        into = db.session.get(Department, form.into.data) if form.into.data else None
        name = (form.new_name.data or "").strip()
        if (into is None) == (not name):
            raise ReorganisationError(
                _("Chọn một đơn vị có sẵn hoặc ghi tên đơn vị mới (một trong hai).")
            )
        head = db.session.get(User, form.head.data) if form.head.data else None
        return reorganise.merge(db.session, units, into or name, head=head, **common)

    return _record("merge", MergeForm, merge)


@bp.post("/to-chuc/giai-the")
def dissolve_unit():
    def dissolve(form, common):
        unit = db.session.get(Department, form.unit.data)
        return reorganise.dissolve(db.session, unit, **common)

    return _record("dissolve", DissolveForm, dissolve)


def _new_names(text: str) -> list[str]:
    names = [" ".join(line.split()) for line in (text or "").splitlines()]
    return list(dict.fromkeys(n for n in names if n))


@bp.post("/to-chuc/chia-tach")
def split_unit():
    form = _forms(split=SplitForm(prefix=PREFIX["split"]))["split"]
    if not form.validate_on_submit():
        return _page(400, split=form)
    unit = db.session.get(Department, form.unit.data)
    names = _new_names(form.new_names.data)
    if not 2 <= len(names) <= MAX_UNITS:
        form.new_names.errors.append(
            _("Ghi từ 2 đến %(n)d đơn vị mới, mỗi dòng một tên.", n=MAX_UNITS)
        )
        return _page(400, split=form)
    tasks = reorganise.open_tasks_led(db.session, unit) + reorganise.open_tasks_cooperated(
        db.session, unit
    )
    if request.form.get("step") != "assign":
        return render_template(
            "admin/split_assign.html", form=form, unit=unit, names=names, tasks=tasks,
            chosen={}, problems=[], default="",
        )  # fmt: skip
    default = request.form.get("assign-default", "")
    chosen = {t.id: request.form.get(f"assign-{t.id}", "") for t in tasks}
    assign = {k: v or default for k, v in chosen.items() if v or default}
    existing = {reorganise.name_key(d.name): d for d in _current_units()}
    into = [existing.get(reorganise.name_key(n), n) for n in names]
    try:
        change = reorganise.split(
            db.session, unit, into, assign=assign,
            on=form.effective_on.data, today=local_today(), decision=form.decision.data or "",
            by=current_user,
        )  # fmt: skip
    except ReorganisationError as error:
        db.session.rollback()
        page = render_template(
            "admin/split_assign.html", form=form, unit=unit, names=names, tasks=tasks,
            chosen=chosen, problems=str(error).splitlines(), default=default,
        )  # fmt: skip
        return page, 400
    return _saved(change)
