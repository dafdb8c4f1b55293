"""The province's table across its communes ("Toàn tỉnh"), as of any date, and its files.

For the office, administrators and leaders of an office that has offices below it; anyone
else finds no such page (404), a department's user is refused as on the other report pages.
A count of tasks the province gave a commune opens those tasks (the statistics' list of the
tasks behind a number, for every task issued up to the date, as of the date); a commune's own
counts are numbers only: the province does not read a commune's own tasks.
"""

from __future__ import annotations

import datetime as dt

from flask import abort, render_template, url_for
from flask_login import current_user

from app.core.settings import load_settings
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Office
from app.offices.province_table import ProvinceTable, has_offices_below, province_rows
from app.ops.memory import one_file_at_a_time
from app.printing.letterhead import letterhead
from app.reports.blueprint import bp
from app.reports.statistics import MAX_PERIOD_DAYS
from app.reports.views import MIMETYPES, READERS, send_report
from app.web.forms import date_arg
from app.web.wiring import roles_required


def _province() -> Office:
    """The signed-in user's office, when offices are below it; a 404 otherwise."""
    if not has_offices_below(db.session, current_user.office_id):
        abort(404)
    return db.session.get(Office, current_user.office_id)


def drill_down(table: ProvinceTable):
    """The address of the tasks behind one count of the tasks given to a unit (None for the
    totals row, or when the tasks span more than a statistics period can)."""
    first = table.first_issued
    if first is None or first > table.as_of or (table.as_of - first).days > MAX_PERIOD_DAYS:
        return lambda unit_id, group: None

    def link(unit_id: int | None, group: str) -> str | None:
        if unit_id is None:
            return None
        return url_for(
            "reports.statistics_tasks",
            period="custom",
            group=group,
            department=unit_id,
            **{"from": first.isoformat(), "to": table.as_of.isoformat()},
            as_of=table.as_of.isoformat(),
        )

    return link


@bp.get("/bao-cao/toan-tinh")
@roles_required(*READERS)
def province():
    office = _province()
    as_of = date_arg("as_of", local_today())
    table = province_rows(db.session, office, as_of)
    return render_template(
        "reports/province.html", office=office, table=table, as_of=as_of, link=drill_down(table)
    )


def province_filename(table: ProvinceTable, extension: str) -> str:
    return f"toan-tinh-{table.as_of:%Y%m%d}.{extension}"


@bp.get("/bao-cao/toan-tinh.<fmt>")
@roles_required(*READERS)
@one_file_at_a_time
def province_file(fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    office = _province()
    as_of: dt.date = date_arg("as_of", local_today())
    table = province_rows(db.session, office, as_of)
    head = letterhead(load_settings(db.session))
    # openpyxl and python-docx: loaded with the first file asked for
    from app.reports.files import render
    from app.reports.province_files import to_csv, to_docx, to_xlsx

    data = render(fmt, table, head, to_csv, to_xlsx, to_docx)
    return send_report(data, province_filename(table, fmt), fmt)
