"""The statistics page: results by unit for a period, ranked by any column, each number a link
to its tasks, and the same table as CSV, XLSX and DOCX."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

from flask import abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.core.permissions import is_office, sees_everything
from app.core.settings import load_settings
from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.units import grade_units
from app.models import Document, Issuer, Task
from app.ops.memory import one_file_at_a_time
from app.printing.letterhead import letterhead
from app.reports.blueprint import bp
from app.reports.statistics import (
    DONE,
    NOT_DONE,
    PERIOD_KINDS,
    PERIOD_PARTS,
    Outcome,
    PeriodError,
    Statistics,
    build_statistics,
    check_period,
    period_bounds,
    period_label,
)
from app.reports.views import MAX_ISSUERS, MIMETYPES, send_report
from app.web.forms import YEARS, parse_date
from app.web.inputs import MAX_PAGE, positive_int

# column key -> (heading, value of a row); shares sort with "no share" last
SORTS = {
    "total": lambda r: r.total,
    "done": lambda r: r.done,
    "done_on_time": lambda r: r.counts[Outcome.DONE_ON_TIME],
    "done_late": lambda r: r.counts[Outcome.DONE_LATE],
    "done_no_deadline": lambda r: r.counts[Outcome.DONE_NO_DEADLINE],
    "not_done": lambda r: r.not_done,
    "in_time": lambda r: r.counts[Outcome.IN_TIME],
    "overdue": lambda r: r.counts[Outcome.OVERDUE],
    "completion_rate": lambda r: r.completion_rate,
    "overdue_rate": lambda r: r.overdue_rate,
    "update_rate": lambda r: r.update_rate,
}
# what each number of a row counts, for its link
GROUPS = {
    "total": (*DONE, *NOT_DONE),
    "done": DONE,
    "done_on_time": (Outcome.DONE_ON_TIME,),
    "done_late": (Outcome.DONE_LATE,),
    "done_no_deadline": (Outcome.DONE_NO_DEADLINE,),
    "not_done": NOT_DONE,
    "in_time": (Outcome.IN_TIME,),
    "overdue": (Outcome.OVERDUE,),
}
TASKS_PER_PAGE = 100


@dataclass
class StatsQuery:
    """The period, as-of date and issuers chosen on the page (or the API), with any error."""

    kind: str = "month"
    year: int = 2000
    part: int = 1
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    as_of: dt.date | None = None
    issuer_ids: list[int] = field(default_factory=list)
    error: str | None = None

    @property
    def label(self) -> str:
        if self.kind == "custom" or self.period_from is None:
            return ""
        return period_label(self.kind, self.year, self.part)

    def effective_as_of(self, today: dt.date) -> dt.date:
        """The chosen as-of date; by default the period's end, or today while it runs."""
        return self.as_of or min(self.period_to, max(today, self.period_from))

    def args(self, **more) -> dict:
        """The query string that gives this table again."""
        out: dict = {"period": self.kind, "issuer": self.issuer_ids or None}
        if self.kind == "custom":
            out["from"] = self.period_from.isoformat() if self.period_from else None
            out["to"] = self.period_to.isoformat() if self.period_to else None
        else:
            out["year"] = self.year
            if self.kind != "year":
                out[self.kind] = self.part
        if self.as_of:
            out["as_of"] = self.as_of.isoformat()
        return {**out, **more}


def read_query(args, today: dt.date) -> StatsQuery:
    """The page's parameters, bounded; an error message instead of any value that is wrong."""
    kind = args.get("period") or "month"
    query = StatsQuery(kind=kind if kind in PERIOD_KINDS else "month", year=today.year)
    query.issuer_ids = [
        i for i in (positive_int(v) for v in args.getlist("issuer")[:MAX_ISSUERS]) if i
    ]
    if kind not in PERIOD_KINDS:
        query.error = _("Kỳ thống kê không hợp lệ.")
        return query
    if kind == "custom":
        query.period_from = parse_date(args.get("from") or "")
        query.period_to = parse_date(args.get("to") or "")
        if query.period_from is None or query.period_to is None:
            query.error = _("Nhập ngày bắt đầu và ngày kết thúc kỳ (dd/mm/yyyy).")
            return query
    else:
        year = positive_int(args.get("year"), YEARS.stop - 1) if args.get("year") else today.year
        if year is None or year not in YEARS:
            query.error = _("Năm phải từ %(first)s đến %(last)s.", first=YEARS.start,
                            last=YEARS.stop - 1)  # fmt: skip
            return query
        current = {"month": today.month, "quarter": (today.month - 1) // 3 + 1,
                   "half": 1 if today.month <= 6 else 2, "year": 1}[kind]  # fmt: skip
        raw = args.get(kind) if kind != "year" else None
        part = positive_int(raw, PERIOD_PARTS[kind]) if raw else current
        if part is None:
            query.error = _("Kỳ không hợp lệ.")
            return query
        query.year, query.part = year, part
        query.period_from, query.period_to = period_bounds(kind, year, part)
    if args.get("as_of"):
        query.as_of = parse_date(args["as_of"])
        if query.as_of is None:
            query.error = _("“%(value)s” không phải ngày hợp lệ (dd/mm/yyyy).",
                            value=args["as_of"][:20])  # fmt: skip
            return query
    try:
        check_period(query.period_from, query.period_to, query.effective_as_of(today))
    except PeriodError as error:
        query.error = str(error)
    return query


def scoped(stats: Statistics, user) -> Statistics:
    """What ``user`` may see: a department sees its own row and the totals."""
    if sees_everything(user):
        return stats
    own = [r for r in stats.rows if r.department.id == user.department_id]
    return replace(stats, rows=own)


def statistics_for(query: StatsQuery, user, today: dt.date) -> Statistics:
    stats = build_statistics(
        db.session,
        query.period_from,
        query.period_to,
        query.effective_as_of(today),
        query.issuer_ids or None,
    )
    grade_units(db.session, stats)
    return scoped(stats, user)


def unit_statistics(query: StatsQuery, user, today: dt.date, department_id: int | None):
    """The statistics behind one unit's numbers (every unit's without one): only the tasks
    the unit led at some time are read, not the whole office's period."""
    stats = build_statistics(
        db.session,
        query.period_from,
        query.period_to,
        query.effective_as_of(today),
        query.issuer_ids or None,
        department_id,
    )
    return scoped(stats, user)


@bp.get("/thong-ke")
@login_required
def statistics():
    today = local_today()
    query = read_query(request.args, today)
    sort = request.args.get("sort") if request.args.get("sort") in SORTS else None
    descending = request.args.get("desc") == "1"
    stats = None
    rows = []
    if query.error is None:
        stats = statistics_for(query, current_user, today)
        rows = list(stats.rows)
        if sort:
            key = SORTS[sort]
            present = [r for r in rows if key(r) is not None]
            missing = [r for r in rows if key(r) is None]
            present.sort(key=key, reverse=descending)
            rows = present + missing
    issuers = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name)).all()
    return render_template(
        "reports/statistics.html",
        query=query,
        stats=stats,
        rows=rows,
        sort=sort,
        descending=descending,
        issuers=issuers,
        today=today,
        kinds=PERIOD_KINDS,
        everything=sees_everything(current_user),
        may_grade=is_office(current_user),
    ), 400 if query.error else 200


@bp.get("/thong-ke.<fmt>")
@login_required
@one_file_at_a_time
def statistics_file(fmt: str):
    if fmt not in MIMETYPES:
        abort(404)
    today = local_today()
    query = read_query(request.args, today)
    if query.error:
        abort(400, query.error)
    stats = statistics_for(query, current_user, today)
    head = letterhead(load_settings(db.session))
    # openpyxl and python-docx: loaded with the first file asked for
    from app.reports.files import render
    from app.reports.statistics_files import stats_filename, to_csv, to_docx, to_xlsx

    data = render(fmt, stats, head, to_csv, to_xlsx, to_docx)
    return send_report(data, stats_filename(stats, fmt), fmt)


@bp.get("/thong-ke/nhiem-vu")
@login_required
def statistics_tasks():
    """The tasks behind one number of the table, as of the table's date."""
    today = local_today()
    query = read_query(request.args, today)
    if query.error:
        abort(400, query.error)
    group = request.args.get("group", "total")
    if group not in GROUPS:
        abort(400, _("Nhóm không hợp lệ."))
    department_id = positive_int(request.args.get("department"))
    if not sees_everything(current_user) and department_id != current_user.department_id:
        abort(403)
    page = positive_int(request.args.get("page"), MAX_PAGE) or 1
    stats = unit_statistics(query, current_user, today, department_id)
    ids = stats.task_ids(department_id, GROUPS[group])
    pages = max(1, -(-len(ids) // TASKS_PER_PAGE))
    shown = ids[(page - 1) * TASKS_PER_PAGE : page * TASKS_PER_PAGE]
    tasks = db.session.scalars(
        select(Task)
        .where(Task.id.in_(shown))
        .options(
            joinedload(Task.document).joinedload(Document.issuer),
            joinedload(Task.lead_department),
            selectinload(Task.cooperating_departments),
        )
        .order_by(Task.id)
    ).all()
    unit = next((r.department for r in stats.rows if r.department.id == department_id), None)
    outcomes = {task_id: result for task_id, (_lead, result) in stats.task_outcomes.items()}
    return render_template(
        "reports/statistics_tasks.html",
        query=query,
        stats=stats,
        group=group,
        unit=unit,
        tasks=tasks,
        outcomes=outcomes,
        count=len(ids),
        page=page,
        pages=pages,
        back=url_for("reports.statistics", **query.args()),
    )
