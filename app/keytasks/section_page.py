"""The key-task section among the monthly report's downloads: DOCX, XLSX and CSV for the year
of the report's date (or any period), as of that date."""

from __future__ import annotations

from flask import abort, request
from flask_babel import gettext as _

from app.core.settings import load_settings
from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.blueprint import bp
from app.keytasks.sentence import build_section, period_of
from app.models.people import Role
from app.printing.letterhead import letterhead
from app.web.forms import YEARS, date_arg, parse_date
from app.web.inputs import positive_int
from app.web.wiring import roles_required

FORMATS = ("docx", "xlsx", "csv")


def section_args():
    """The period (a year, or from/to) and the as-of date of the request, bounded."""
    as_of = date_arg("as_of", local_today())
    year = None
    if request.args.get("year"):
        year = positive_int(request.args["year"], YEARS.stop - 1)
        if year is None or year not in YEARS:
            abort(400, _("Năm phải từ %(first)s đến %(last)s.", first=YEARS.start,
                         last=YEARS.stop - 1))  # fmt: skip
    period_from = parse_date(request.args.get("from"))
    period_to = parse_date(request.args.get("to"))
    if year is None and period_from is None and period_to is None:
        year = as_of.year
    try:
        return (*period_of(year, period_from, period_to), as_of)
    except ValueError as error:
        abort(400, str(error))


@bp.get("/bao-cao/nhiem-vu-trong-tam.<fmt>")
@roles_required(Role.OFFICE, Role.ADMIN, Role.LEADER)
def section_file(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    period_from, period_to, label, as_of = section_args()
    section = build_section(db.session, period_from, period_to, as_of, label)
    # openpyxl and python-docx: loaded with the first file asked for
    from app.keytasks.files import section_rows, to_csv, to_docx, to_xlsx
    from app.reports.files import render
    from app.reports.views import send_report

    content = (section, section_rows(db.session, section))
    head = letterhead(load_settings(db.session))
    data = render(fmt, content, head, to_csv, to_xlsx, to_docx)
    name = f"nhiem-vu-trong-tam-{period_from:%Y%m%d}-{period_to:%Y%m%d}-den-{as_of:%Y%m%d}.{fmt}"
    return send_report(data, name, fmt)
