"""The API's reports: the summary, the statistics by unit and the monthly trend."""

from __future__ import annotations

from flask import jsonify, request
from flask_login import current_user

from app.api.blueprint import bp
from app.api.common import ApiError, _date
from app.api.serialize import dump, statistics_model, summary_model, trend_model
from app.core.permissions import sees_everything
from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.units import grade_units
from app.reports.statistics import PeriodError, build_statistics, build_trend
from app.reports.statistics_page import scoped
from app.reports.summary import build_summary, summary_text
from app.reports.views import MAX_ISSUERS
from app.web.inputs import positive_int


def _issuers() -> list[int]:
    issuer_ids = []
    for value in request.args.getlist("issuer")[:MAX_ISSUERS]:
        if positive_int(value) is None:
            raise ApiError(400, "Phải là số nguyên dương.", "issuer")
        issuer_ids.append(int(value))
    return issuer_ids


@bp.get("/summary")
def summary():
    as_of = _date(request.args["as_of"], "as_of") if request.args.get("as_of") else local_today()
    result = build_summary(db.session, as_of, _issuers() or None)
    return jsonify(dump(summary_model(result, summary_text(result))))


@bp.get("/stats")
def stats():
    """Results by unit for the tasks of documents issued in [from, to], as of ``as_of``."""
    args = request.args
    for name in ("from", "to"):
        if not args.get(name):
            raise ApiError(400, "Trường này là bắt buộc.", name)
    period_from, period_to = _date(args["from"], "from"), _date(args["to"], "to")
    as_of = _date(args["as_of"], "as_of") if args.get("as_of") else None
    try:
        result = build_statistics(db.session, period_from, period_to, as_of, _issuers() or None)
    except PeriodError as error:
        raise ApiError(
            400, str(error), "as_of" if as_of and as_of < period_from else "to"
        ) from None
    grade_units(db.session, result)
    return jsonify(dump(statistics_model(scoped(result, current_user))))


MAX_TREND_MONTHS = 36


@bp.get("/trend")
def trend():
    """Chậm and chưa as of each of the last ``months`` month-ends, per unit and in total."""
    last = _date(request.args["to"], "to") if request.args.get("to") else local_today()
    months = 12
    if request.args.get("months"):
        months = positive_int(request.args["months"], MAX_TREND_MONTHS)
        if months is None:
            raise ApiError(400, f"Phải là số nguyên từ 1 đến {MAX_TREND_MONTHS}.", "months")
    department = None if sees_everything(current_user) else current_user.department_id or 0
    return jsonify(dump(trend_model(build_trend(db.session, last, months, department))))
