"""Recurring duties on the pages: the preview of a phrase's deadlines, the series on a task's
page, and stopping a series."""

from __future__ import annotations

from flask import abort, flash, jsonify, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from app.core.deadlines import load_calendar
from app.core.permissions import is_office
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Series
from app.recurring.blueprint import bp
from app.recurring.recurrence import PhraseError, occurrences, parse_phrase
from app.recurring.series import change_series, stop_series
from app.web.forms import parse_date
from app.web.wiring import deny

PREVIEW_COUNT = 4


@bp.get("/dinh-ky/xem-truoc")
@login_required
def series_preview():
    """The next deadlines of a phrase, for the document page's live preview."""
    phrase = (request.args.get("phrase") or "")[:255]
    start = parse_date(request.args.get("from") or "") or local_today()
    try:
        rule = parse_phrase(phrase)
    except PhraseError as error:
        return jsonify(error=str(error)), 400
    found = occurrences(rule, max(start, local_today()), PREVIEW_COUNT, load_calendar(db.session))
    return jsonify(
        rule=rule.describe(),
        deadlines=[o.deadline.isoformat() for o in found],
        text=_("Các kỳ tới: %(days)s", days=", ".join(f"{o.deadline:%d/%m/%Y}" for o in found)),
    )


@bp.post("/dinh-ky/<int:series_id>/dung", endpoint="stop_series")
@login_required
def stop_series_view(series_id: int):
    series = db.session.get(Series, series_id)
    if series is None:
        abort(404)
    if not is_office(current_user):
        deny(f"stop series {series_id}")
    if not FlaskForm().validate_on_submit():
        abort(400)
    if series.active:
        stop_series(db.session, series, local_today())
        db.session.commit()
        flash(_("Đã dừng nhiệm vụ định kỳ; các kỳ đã tạo giữ nguyên."), "success")
    return redirect(url_for("documents.edit", document_id=series.document_id, _anchor="series"))


@bp.post("/dinh-ky/<int:series_id>/sua", endpoint="change_series")
@login_required
def change_series_view(series_id: int):
    series = db.session.get(Series, series_id)
    if series is None:
        abort(404)
    if not is_office(current_user):
        deny(f"change series {series_id}")
    if not FlaskForm().validate_on_submit():
        abort(400)
    phrase = (request.form.get("phrase") or "")[:255]
    content = (request.form.get("content") or "")[:20_000]
    try:
        change_series(db.session, series, phrase=phrase, content=content)
    except PhraseError as error:
        db.session.rollback()
        flash(str(error), "danger")
    else:
        db.session.commit()
        flash(_("Đã đổi nhiệm vụ định kỳ cho các kỳ chưa tạo."), "success")
    return redirect(url_for("documents.edit", document_id=series.document_id, _anchor="series"))
