"""The home page: who is late on what, as of today."""

from collections import Counter

from flask import render_template, request
from flask_login import current_user, login_required

from app.core.classification import Category
from app.core.permissions import sees_everything
from app.core.timeutil import local_today
from app.dashboard.blueprint import bp
from app.dashboard.figures import DUE_SOON_DAYS, department_figures
from app.extensions import db
from app.models.people import Role
from app.reports.statistics import build_trend
from app.reports.summary import summary_from_counts, summary_text


@bp.get("/")
@login_required
def index():
    today = local_today()
    scope = None if sees_everything(current_user) else [current_user.department_id or 0]
    rows, total = department_figures(db.session, today, scope)
    shown = [r for r in rows if not r.is_empty] if scope is None else rows
    chart = {
        "labels": [r.department.short_name or r.department.name for r in shown],
        "late": [r.late for r in shown],
        "pending": [r.pending for r in shown],
    }
    section = None
    if scope is None:  # as of today the figures are the section's counts
        counts = {
            Category.LATE: Counter({r.department.id: r.late for r in rows}),
            Category.PENDING: Counter({r.department.id: r.pending for r in rows}),
        }
        section = summary_text(summary_from_counts(db.session, today, counts))
    mail = None
    if current_user.role == Role.ADMIN:  # the one who can do something about it
        from app.reminders.delivery import mail_trouble

        mail = mail_trouble(db.session)
    return render_template(
        "dashboard/index.html",
        mail=mail,
        rows=shown,
        total=total,
        chart=chart,
        section=section,
        due_soon_days=DUE_SOON_DAYS,
        month_start=today.replace(day=1),
    )


@bp.get("/tong-quan/xu-huong")
@login_required
def trend():
    """Chậm and chưa at the last 12 month-ends; the dashboard loads it after the page."""
    today = local_today()
    department = None if sees_everything(current_user) else current_user.department_id or 0
    result = build_trend(db.session, today, 12, department)
    chart = {
        "labels": [f"{p.as_of:%m/%Y}" for p in result.points],
        "late": [p.late for p in result.points],
        "pending": [p.pending for p in result.points],
    }
    fragment = request.args.get("fragment") == "1"
    return render_template(
        "dashboard/_trend.html" if fragment else "dashboard/trend.html",
        trend=result,
        chart=chart,
    )
