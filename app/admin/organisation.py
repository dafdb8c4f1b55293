"""Quản trị → Thay đổi tổ chức: rename, merge, split and dissolve units from the browser.

Nothing is saved on the first click: the page shows the plan (``app.units.plan``: which open
tasks, cooperations, people and recurring duties move where) and asks to confirm. The
confirmation posts the same inputs again with the plan's fingerprint; when the plan they give
now differs (an input changed, or a task changed meanwhile) the preview is shown again instead
of saving. The head after a merger is chosen on the preview, among the merging units' people.

A split is entered in three steps: the unit, the new units and the date first; then a transfer
page lists every open task the unit leads or cooperates on, each with the new unit that takes
it; then the preview.
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
from app.models.people import ROLE_LABELS
from app.units import reorganise, undo
from app.units.outcome import heads_after, outcomes
from app.units.plan import head_candidates, plan_dissolve, plan_merge, plan_rename, plan_split
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
    _head_choices(forms["merge"])
    return forms


def _head_choices(form) -> None:
    """The head after the merger: one of the people of the merging units and of the unit
    they merge into (chosen on the preview, once these are known)."""
    current = {d.id: d for d in _current_units()}
    units = [current[i] for i in form.units.data or [] if i in current]
    people = head_candidates(db.session, units, current.get(form.into.data))
    form.head.choices = options(
        [(0, _("Giữ nguyên các trưởng đơn vị"))]
        + [
            (u.id, f"{u.full_name} ({u.username}) – {u.department.short_name or u.department.name}")
            for u in people
        ]
    )


def _page(status: int = 200, **posted):
    changes = list(reversed(reorganise.history(db.session)))
    page = render_template(
        "admin/organisation.html",
        forms=_forms(**posted),
        changes=[(c, reorganise.describe(c)) for c in changes],
        undoable={c for c in undo.last_changes(db.session) if c in {x.id for x in changes}},
        max_units=MAX_UNITS,
    )
    return page, status


@bp.get("/to-chuc")
def organisation():
    return _page()


def _saved(change):
    db.session.commit()
    flash(_("Đã ghi thay đổi tổ chức: %(what)s", what=reorganise.describe(change)), "success")
    return redirect(url_for("admin.organisation"))


def _hidden(form, skip=()) -> list[tuple[str, str]]:
    """The form's inputs as hidden fields: what the confirmation posts again."""
    pairs = []
    for field in form:
        if field.type == "CSRFTokenField" or field.short_name in skip:
            continue
        if field.type == "SelectMultipleField":
            pairs += [(field.name, str(v)) for v in field.data or []]
        elif field.type == "DateField":
            pairs.append((field.name, field._value()))
        else:
            pairs.append((field.name, "" if field.data is None else str(field.data)))
    return pairs


def _preview(kind, form, plan, status=200, *, changed=False, extra=(), head=None):
    tasks, series = outcomes(db.session, plan)
    return render_template(
        "admin/organisation_preview.html",
        kind=kind, form=form, plan=plan, action=request.path, changed=changed,
        fingerprint=plan.fingerprint(form.decision.data or ""), head=head,
        role_labels=ROLE_LABELS, tasks=tasks, series=series,
        heads=heads_after(db.session, plan),
        hidden=_hidden(form, skip=("head",)) + list(extra),
    ), status  # fmt: skip


def _confirm_or_preview(kind, form, plan, **shown):
    """Save ``plan`` when the confirmation carries its fingerprint; else show it."""
    decision = form.decision.data or ""
    confirming = request.form.get("step") == "confirm"
    if confirming and request.form.get("fingerprint") == plan.fingerprint(decision):
        change = reorganise.apply(db.session, plan, decision=decision, by=current_user)
        return _saved(change)
    return _preview(kind, form, plan, changed=confirming, **shown)


def _record(kind: str, form_class, plan_of):
    """Check the posted form and plan the change (``plan_of(form, on, today)``); show the
    plan, or save it when confirmed; the page again with the reason when the form or the
    change is refused (nothing saved)."""
    form = _forms(**{kind: form_class(prefix=PREFIX[kind])})[kind]
    if request.form.get("step") == "edit":
        return _page(200, **{kind: form})
    if not form.validate_on_submit():
        if kind == "merge" and form.head.errors and not form.units.errors:
            form.form_errors.append(_("Trưởng đơn vị phải là người của các đơn vị hợp nhất."))
        return _page(400, **{kind: form})
    try:
        plan = plan_of(form, form.effective_on.data, local_today())
        return _confirm_or_preview(kind, form, plan, head=form.head if kind == "merge" else None)
    except ReorganisationError as error:
        db.session.rollback()
        form.form_errors.append(str(error))
        return _page(400, **{kind: form})


@bp.post("/to-chuc/doi-ten")
def rename_unit():
    def rename(form, on, today):
        unit = db.session.get(Department, form.unit.data)
        return plan_rename(db.session, unit, form.new_name.data, on=on, today=today)

    return _record("rename", RenameForm, rename)


@bp.post("/to-chuc/hop-nhat")
def merge_units():
    def merge(form, on, today):
        units = [db.session.get(Department, i) for i in form.units.data]
        into = db.session.get(Department, form.into.data) if form.into.data else None
        name = (form.new_name.data or "").strip()
        if (into is None) == (not name):
            raise ReorganisationError(
                _("Chọn một đơn vị có sẵn hoặc ghi tên đơn vị mới (một trong hai).")
            )
        head = db.session.get(User, form.head.data) if form.head.data else None
        return plan_merge(db.session, units, into or name, on=on, today=today, head=head)

    return _record("merge", MergeForm, merge)


@bp.post("/to-chuc/giai-the")
def dissolve_unit():
    def dissolve(form, on, today):
        unit = db.session.get(Department, form.unit.data)
        return plan_dissolve(db.session, unit, on=on, today=today)

    return _record("dissolve", DissolveForm, dissolve)


def _new_names(text: str) -> list[str]:
    names = [" ".join(line.split()) for line in (text or "").splitlines()]
    return list(dict.fromkeys(n for n in names if n))


def _assign_page(form, unit, names, tasks, chosen, default, problems=(), status=200):
    return render_template(
        "admin/split_assign.html", form=form, unit=unit, names=names, tasks=tasks,
        chosen=chosen, problems=list(problems), default=default,
    ), status  # fmt: skip


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
    step = request.form.get("step")
    default = request.form.get("assign-default", "")
    chosen = {t.id: request.form.get(f"assign-{t.id}", "") for t in tasks}
    if step in (None, "edit"):
        return _assign_page(form, unit, names, tasks, chosen, default)
    assign = {k: v or default for k, v in chosen.items() if v or default}
    existing = {reorganise.name_key(d.name): d for d in _current_units()}
    into = [existing.get(reorganise.name_key(n), n) for n in names]
    try:
        plan = plan_split(
            db.session, unit, into, assign=assign, on=form.effective_on.data, today=local_today()
        )
        extra = [("assign-default", default)] + [(f"assign-{k}", v) for k, v in chosen.items()]
        return _confirm_or_preview("split", form, plan, extra=extra)
    except ReorganisationError as error:
        db.session.rollback()
        problems = str(error).splitlines()
        return _assign_page(form, unit, names, tasks, chosen, default, problems, 400)
