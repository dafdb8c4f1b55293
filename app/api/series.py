"""The API's endpoints on recurring duties (series)."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user
from sqlalchemy import select

from app.api import schemas
from app.api.blueprint import bp
from app.api.common import ApiError, _parse
from app.api.serialize import dump, series_model
from app.core.deadlines import load_calendar
from app.core.permissions import is_office, sees_everything
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department, Document, Series
from app.recurring.recurrence import PhraseError
from app.recurring.series import create_due_tasks, create_series
from app.web.wiring import deny


@bp.get("/series")
def list_series():
    """Recurring duties: every one for the office and leaders, a department's own for it."""
    query = select(Series).order_by(Series.id)
    if not sees_everything(current_user):
        query = query.where(Series.lead_department_id == (current_user.department_id or 0))
    today, work = local_today(), load_calendar(db.session)
    items = [series_model(s, today, work) for s in db.session.scalars(query.limit(500))]
    return jsonify(dump(schemas.SeriesList(items=items)))


@bp.post("/series")
def post_series():
    if not is_office(current_user):
        deny("api create series")
    body = _parse(schemas.NewSeries)
    document = db.session.get(Document, body.document_id)
    today = local_today()
    try:
        series = create_series(
            db.session,
            document,
            content=body.content,
            lead=db.session.get(Department, body.lead_department_id),
            cooperators=[db.session.get(Department, i) for i in body.cooperating_department_ids],
            phrase=body.phrase,
            starts_on=body.starts_on or max(today, document.issued_on),
            by=current_user,
            ends_on=body.ends_on,
            max_count=body.max_count,
        )
    except PhraseError as error:
        db.session.rollback()
        raise ApiError(400, str(error), "phrase") from None
    db.session.commit()
    series_id = series.id
    create_due_tasks(db.session, today, [series_id])
    series = db.session.get(Series, series_id)
    return jsonify(dump(series_model(series, today, load_calendar(db.session)))), 201
