"""The report page: the monthly section, its detailed table, and what changed since."""

from __future__ import annotations

import datetime as dt
import io

from flask import Blueprint, abort, render_template, request, send_file
from sqlalchemy import select

from app.auth import roles_required
from app.extensions import db
from app.models import Department, Issuer
from app.models.people import Role
from app.reports.detail import build_detail, compare
from app.reports.files import table_filename, to_csv, to_docx, to_xlsx
from app.reports.summary import build_summary, summary_text
from app.timeutil import local_today

bp = Blueprint("reports", __name__)
READERS = (Role.OFFICE, Role.ADMIN, Role.LEADER)
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv; charset=utf-8",
}


def _date(name: str, default: dt.date) -> dt.date:
    value = request.args.get(name)
    if not value:
        return default
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        abort(400, f"“{value}” không phải ngày hợp lệ")


def _month_before(day: dt.date) -> dt.date:
    previous_month_end = day.replace(day=1) - dt.timedelta(days=1)
    return previous_month_end.replace(day=min(day.day, previous_month_end.day))


@bp.get("/bao-cao")
@roles_required(*READERS)
def index():
    as_of = _date("as_of", local_today())
    since = _date("since", _month_before(as_of))
    issuer_ids = [int(i) for i in request.args.getlist("issuer") if i.isdigit()]
    summary = build_summary(db.session, as_of, issuer_ids or None)
    issuers = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name)).all()
    departments = db.session.scalars(select(Department).order_by(Department.display_order)).all()
    return render_template(
        "reports/index.html",
        as_of=as_of,
        since=since,
        summary=summary,
        section=summary_text(summary),
        issuers=issuers,
        issuer_ids=issuer_ids,
        departments=departments,
        changes=compare(db.session, since, as_of, issuer_ids or None),
    )


@bp.get("/bao-cao/bieu-chi-tiet.<fmt>")
@roles_required(*READERS)
def table(fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    as_of = _date("as_of", local_today())
    issuer_ids = [int(i) for i in request.args.getlist("issuer") if i.isdigit()]
    department = request.args.get("department", type=int)
    detail = build_detail(db.session, as_of, issuer_ids or None, department)
    writer = {"xlsx": to_xlsx, "docx": to_docx, "csv": lambda t: to_csv(t).encode("utf-8")}[fmt]
    return send_file(
        io.BytesIO(writer(detail)),
        as_attachment=True,
        download_name=table_filename(detail, fmt),
        mimetype=MIMETYPES[fmt],
    )
