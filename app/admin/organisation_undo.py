"""Quản trị → Thay đổi tổ chức → Hoàn tác: undo the last change of a unit, after a page that
says what it puts back (or why it cannot)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from app.admin.blueprint import bp
from app.extensions import db
from app.models import UnitChange
from app.units import reorganise, undo
from app.units.reorganise import ReorganisationError


def _change(change_id: int) -> UnitChange:
    change = db.session.get(UnitChange, change_id)
    if change is None:
        abort(404)
    return change


def _page(change: UnitChange, reason: str | None, status: int = 200):
    return render_template(
        "admin/organisation_undo.html",
        change=change,
        line=reorganise.describe(change),
        reason=reason,
        restoring=undo.restoring(db.session, change),
    ), status


@bp.get("/to-chuc/<int:change_id>/hoan-tac")
def undo_change(change_id: int):
    change = _change(change_id)
    return _page(change, undo.refusal(db.session, change))


@bp.post("/to-chuc/<int:change_id>/hoan-tac")
def undo_change_confirmed(change_id: int):
    change = _change(change_id)
    try:
        line = undo.undo(db.session, change)
    except ReorganisationError as error:
        db.session.rollback()
        return _page(_change(change_id), str(error), 409)
    db.session.commit()
    flash(_("Đã hoàn tác thay đổi tổ chức: %(what)s", what=line), "success")
    return redirect(url_for("admin.organisation"))
