"""Quản trị → Kết thúc cơ quan: an installation administrator ends an office on a date and
hands each of its open tasks to a successor office (``app.offices.handover``).

Three steps, as a unit split: the office, the date and the decision; then a page listing every
task open that day, each with a choice of the successor's unit that takes it (grouped by
office; proposed where one successor has a unit of the lead unit's name); then the preview.
Nothing is saved until every task has a place and the confirmation carries the plan's
fingerprint (a task changed meanwhile, or a choice changed: the preview is shown again).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.admin.blueprint import bp
from app.admin.forms import OfficeEndForm
from app.core.office_scope import all_offices
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Office
from app.offices import handover
from app.web.forms import options
from app.web.inputs import positive_int
from app.web.wiring import deny


def _offices() -> list[Office]:
    with all_offices():
        return list(
            db.session.scalars(select(Office).order_by(Office.parent_id.is_not(None), Office.code))
        )


def _form() -> OfficeEndForm:
    form = OfficeEndForm()
    form.office.choices = options(
        (o.id, f"{o.code} – {o.name}") for o in _offices() if o.ended_on is None
    )
    return form


def _first_page(form, status=200):
    ended = [o for o in _offices() if o.ended_on is not None]
    return render_template("admin/office_end.html", step="choose", form=form, ended=ended), status


class _Choices:
    """The successors' units on the end date and what was chosen for each task."""

    def __init__(self, office: Office, on) -> None:
        self.offices = handover.successor_offices(db.session, office, on)
        self.units = handover.units_on(db.session, self.offices, on)
        self.by_id = {u.id: handover.Place(o, u) for o in self.offices for u in self.units[o.id]}

    def groups(self) -> list[tuple[Office, list]]:
        return [(o, self.units[o.id]) for o in self.offices if self.units[o.id]]

    def place(self, value: str | None) -> handover.Place | None:
        unit_id = positive_int(value)
        return self.by_id.get(unit_id) if unit_id else None


@bp.route("/co-quan/ket-thuc", methods=["GET", "POST"])
def end_office():
    if not current_user.installation_admin:
        deny("not an installation administrator")
    form = _form()
    if request.method == "GET":
        return _first_page(form)
    if request.form.get("step") == "edit" or not form.validate_on_submit():
        return _first_page(form, 200 if request.form.get("step") == "edit" else 400)
    with all_offices():
        office = db.session.get(Office, form.office.data)
    on, decision = form.effective_on.data, form.decision.data or ""
    choices = _Choices(office, on)
    tasks = handover.open_tasks_on(db.session, office, on)
    step = request.form.get("step")
    if step == "assign":
        proposed = handover.proposed_places(tasks, choices.offices, choices.units)
        chosen = {t.id: str(proposed[t.id].unit.id) for t in tasks if t.id in proposed}
        return _assign_page(form, office, tasks, choices, chosen, "")
    default = request.form.get("place-default", "")
    chosen = {t.id: request.form.get(f"place-{t.id}", "") for t in tasks}
    if step == "reassign":
        return _assign_page(form, office, tasks, choices, chosen, default)
    assign = {}
    for task in tasks:
        place = choices.place(chosen[task.id]) or choices.place(default)
        if place is not None:
            assign[task.id] = place
    try:
        plan = handover.plan_end(db.session, office, on, assign, today=local_today())
    except handover.HandoverError as error:
        db.session.rollback()
        problems = error.problems or [error.heading]
        heading = error.heading if error.problems else ""
        return _assign_page(form, office, tasks, choices, chosen, default, heading, problems)
    fingerprint = plan.fingerprint(decision)
    if step == "confirm" and request.form.get("fingerprint") == fingerprint:
        try:
            handover.commit_end(db.session, plan, decision=decision, by=current_user)
        except handover.HandoverError as error:
            return _assign_page(form, office, tasks, choices, chosen, default, "", [str(error)])
        counts = "; ".join(f"{o.name}: {n}" for o, n in plan.counts())
        flash(
            _(
                "Đã kết thúc %(office)s từ ngày %(day)s; nhiệm vụ chuyển giao: %(counts)s.",
                office=office.name, day=f"{on:%d/%m/%Y}", counts=counts or _("không có"),
            ),
            "success",
        )  # fmt: skip
        return redirect(url_for("admin.end_office"))
    hidden = [("place-default", default)] + [(f"place-{k}", v) for k, v in chosen.items()]
    return render_template(
        "admin/office_end.html", step="preview", form=form, office=office, plan=plan,
        fingerprint=fingerprint, hidden=hidden, changed=step == "confirm",
    )  # fmt: skip


def _assign_page(form, office, tasks, choices, chosen, default, heading="", problems=()):
    return render_template(
        "admin/office_end.html", step="assign", form=form, office=office, tasks=tasks,
        groups=choices.groups(), chosen=chosen, default=default, heading=heading,
        problems=list(problems),
    ), 400 if problems else 200  # fmt: skip
