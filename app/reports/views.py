"""The report page: the monthly section, its detailed table, and what changed since."""

from __future__ import annotations

import datetime as dt
import functools
import io

from flask import abort, render_template, request, send_file
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.settings import load_settings
from app.core.timeutil import local_today
from app.core.units_as_of import units_on
from app.extensions import db
from app.keytasks.sentence import build_section, period_of
from app.models import Department, Issuer
from app.models.people import Role
from app.offices.province_table import has_offices_below
from app.ops.memory import one_file_at_a_time
from app.printing.letterhead import letterhead
from app.reports.blueprint import bp
from app.reports.detail import build_detail, compare
from app.reports.summary import build_summary, summary_text
from app.web.forms import date_arg
from app.web.inputs import positive_int
from app.web.wiring import roles_required

READERS = (Role.OFFICE, Role.ADMIN, Role.LEADER)
MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "csv": "text/csv",  # Werkzeug adds "; charset=utf-8" to every text/ type
}


def _month_before(day: dt.date) -> dt.date:
    previous_month_end = day.replace(day=1) - dt.timedelta(days=1)
    return previous_month_end.replace(day=min(day.day, previous_month_end.day))


REPORT_NUMBER_MAX = 64
MAX_ISSUERS = 50


def _issuer_ids() -> list[int]:
    """The issuers chosen on the page; values that are no id are left out."""
    values = request.args.getlist("issuer")[:MAX_ISSUERS]
    return [i for i in (positive_int(v) for v in values) if i]


def _attached_to():
    """The report the table is attached to ("Kèm theo Báo cáo số … ngày …"), both optional."""
    number = (request.args.get("report_number") or "").strip()
    if len(number) > REPORT_NUMBER_MAX:
        abort(400, f"Số báo cáo dài quá {REPORT_NUMBER_MAX} ký tự")
    return number, date_arg("report_date", None)


@bp.get("/bao-cao")
@roles_required(*READERS)
def index():
    as_of = date_arg("as_of", local_today())
    # The comparison date follows the as-of date unless the user chose one.
    chosen_since = date_arg("since", None)
    since = chosen_since or _month_before(as_of)
    since_error = None
    if since > as_of:
        since_error = _("Ngày so sánh phải trước ngày tính đến (%(day)s).", day=f"{as_of:%d/%m/%Y}")
    issuer_ids = _issuer_ids()
    summary = build_summary(db.session, as_of, issuer_ids or None)
    issuers = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name)).all()
    # The units that existed on the as-of date, named as they were then.
    named = units_on(db.session, as_of)
    departments = [
        named[d.id]
        for d in db.session.scalars(select(Department).order_by(Department.display_order))
        if d.exists_on(as_of)
    ]
    report_number, report_date = _attached_to()
    return render_template(
        "reports/index.html",
        report_number=report_number,
        report_date=report_date,
        as_of=as_of,
        since=since,
        chosen_since=chosen_since,
        since_error=since_error,
        summary=summary,
        section=summary_text(summary),
        issuers=issuers,
        issuer_ids=issuer_ids,
        departments=departments,
        changes=[] if since_error else compare(db.session, since, as_of, issuer_ids or None),
        key_tasks=key_task_section(as_of),
        offices_below=has_offices_below(db.session, current_user.office_id),
    ), 400 if since_error else 200


def key_task_section(as_of: dt.date):
    """The key-task section of the year of ``as_of``, as of that date."""
    period_from, period_to, label = period_of(as_of.year, None, None)
    return build_section(db.session, period_from, period_to, as_of, label)


@bp.get("/bao-cao/bieu-chi-tiet.<fmt>")
@roles_required(*READERS)
@one_file_at_a_time
def table(fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    as_of = date_arg("as_of", local_today())
    issuer_ids = _issuer_ids()
    department = positive_int(request.args.get("department"))
    detail = build_detail(db.session, as_of, issuer_ids or None, department)
    head = letterhead(load_settings(db.session), *_attached_to())
    # openpyxl and python-docx: loaded with the first file asked for
    from app.reports.files import render, table_filename, to_csv, to_docx, to_xlsx

    with_code = request.args.get("code") == "1"  # the task codes, to correct and import again
    workbook = functools.partial(to_xlsx, with_code=with_code)
    data = render(fmt, detail, head, to_csv, workbook, to_docx)
    return send_report(data, table_filename(detail, fmt), fmt)


def send_report(data: bytes, filename: str, fmt: str):
    """A report file as a download."""
    return send_file(
        io.BytesIO(data), as_attachment=True, download_name=filename, mimetype=MIMETYPES[fmt]
    )


@bp.get("/bao-cao/so-sanh.xlsx")
@roles_required(*READERS)
@one_file_at_a_time
def comparison():
    as_of = date_arg("as_of", local_today())
    since = date_arg("since", None) or _month_before(as_of)
    if since > as_of:
        abort(400, _("Ngày so sánh phải trước ngày tính đến (%(day)s).", day=f"{as_of:%d/%m/%Y}"))
    issuer_ids = _issuer_ids()
    changes = compare(db.session, since, as_of, issuer_ids or None)
    head = letterhead(load_settings(db.session))
    # openpyxl and python-docx: loaded with the first file asked for
    from app.reports.files import comparison_xlsx

    return send_file(
        io.BytesIO(comparison_xlsx(changes, since, as_of, head)),
        as_attachment=True,
        download_name=f"so-sanh-{since:%Y%m%d}-{as_of:%Y%m%d}.xlsx",
        mimetype=MIMETYPES["xlsx"],
    )
