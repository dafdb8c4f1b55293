"""The task lists: all tasks, the overdue list, my department, the XLSX and CSV exports."""

from __future__ import annotations

import io

from flask import render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import func, select

from app.core.classification import Category
from app.core.i18n import N_
from app.core.permissions import is_department_user, is_office, sees_everything, visible_tasks
from app.core.settings import load_settings
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.models import Department, Document, Issuer, Task
from app.ops.memory import one_file_at_a_time
from app.printing.letterhead import letterhead
from app.tasks.blueprint import bp
from app.tasks.office_queue import waiting_for_office
from app.tasks.queries import SORTS, TaskFilter, days_late, task_category, task_page
from app.web.wiring import deny

CATEGORY_CHOICES = {
    "late": N_("Chậm tham mưu giải quyết"),
    "pending": N_("Chưa tham mưu giải quyết"),
    "open": N_("Chưa hoàn thành (chậm và chưa)"),
    "done": N_("Đã hoàn thành"),
    "done_on_time": N_("Hoàn thành đúng hạn"),
    "done_late": N_("Hoàn thành quá hạn"),
    "cancelled": N_("Đã hủy"),
    "handed_over": N_("Đã chuyển giao cho cơ quan khác"),
    "waiting_office": N_("Chờ Văn phòng xử lý"),
}


def document_kinds() -> list[str]:
    """The kinds of document there are, found one index lookup per kind (a loose index scan):
    a DISTINCT over every document took 19 ms a page at 50,000 documents on PostgreSQL."""
    kinds = select(func.min(Document.kind).label("kind")).cte("kinds", recursive=True)
    following = select(
        select(func.min(Document.kind)).where(Document.kind > kinds.c.kind).scalar_subquery()
    ).where(kinds.c.kind.is_not(None))
    kinds = kinds.union_all(following)
    return [k for k in db.session.scalars(select(kinds.c.kind)) if k]


def _filter_choices():
    # Plain (id, name) rows: the filter only shows them.
    # Current units first; units an organisation change ended last, set apart by the page.
    departments = db.session.execute(
        select(Department.id, Department.name, Department.ended_on).order_by(
            Department.ended_on.is_not(None), Department.display_order
        )
    ).all()
    if not sees_everything(current_user):
        departments = [d for d in departments if d.id == current_user.department_id]
    issuers = select(Issuer.id, Issuer.name).order_by(Issuer.display_order, Issuer.name)
    kinds = select(Document.kind).distinct()
    if not sees_everything(current_user):
        # Only the issuers and kinds of documents the user can see: no hint of the others.
        seen = select(Task.document_id).where(visible_tasks(current_user)).scalar_subquery()
        issuers = issuers.where(
            Issuer.id.in_(select(Document.issuer_id).where(Document.id.in_(seen)))
        )
        kinds = kinds.where(Document.id.in_(seen))
    issuers = db.session.execute(issuers).all()
    if sees_everything(current_user):
        kinds = document_kinds()
    else:
        kinds = [k for k in db.session.scalars(kinds) if k]
    return departments, issuers, sorted(kinds)


def task_href():
    """``url_for("tasks.detail", task_id=…)`` for every row of a page: built once, then each
    id appended (building the URL each time was a tenth of the page's time)."""
    base = url_for("tasks.detail", task_id=0)
    if base.endswith("/0"):
        prefix = base[:-1]
        return lambda task_id: f"{prefix}{int(task_id)}"
    return lambda task_id: url_for("tasks.detail", task_id=task_id)


def _render_list(flt: TaskFilter, title: str, endpoint: str):
    today = local_today()
    page = task_page(db.session, current_user, flt, today)
    departments, issuers, kinds = _filter_choices()
    return render_template(
        "tasks/list.html",
        page=page,
        flt=flt,
        title=title,
        endpoint=endpoint,
        departments=departments,
        issuers=issuers,
        kinds=kinds,
        sorts=SORTS,
        categories=CATEGORY_CHOICES,
        task_category=task_category,
        days_late=days_late,
        task_href=task_href(),
    )


@bp.get("/nhiem-vu")
@login_required
def index():
    return _render_list(TaskFilter.for_list(request.args), _("Danh sách nhiệm vụ"), "tasks.index")


@bp.get("/nhiem-vu/qua-han")
@login_required
def overdue():
    flt = TaskFilter.from_args(request.args)
    flt.category = Category.LATE.value
    if "sort" not in request.args:
        flt.sort = "days_late"
    return _render_list(flt, _("Nhiệm vụ chậm tham mưu giải quyết"), "tasks.overdue")


@bp.get("/nhiem-vu/xuat.csv")
@login_required
@one_file_at_a_time
def export_csv():
    """The same rows and columns as the XLSX, as CSV for other programs."""
    from app.tasks.export import export_rows, tasks_csv

    today = local_today()
    rows = export_rows(db.session, current_user, TaskFilter.for_list(request.args), today)
    return send_file(
        io.BytesIO(tasks_csv(rows)),
        as_attachment=True,
        download_name=f"nhiem-vu-{today:%Y%m%d}.csv",
        mimetype="text/csv",  # Werkzeug adds "; charset=utf-8"
    )


@bp.get("/nhiem-vu/xuat.xlsx")
@login_required
@one_file_at_a_time
def export():
    # openpyxl: loaded with the first file asked for
    from app.tasks.export import export_rows, tasks_workbook

    today = local_today()
    rows = export_rows(db.session, current_user, TaskFilter.for_list(request.args), today)
    data = tasks_workbook(rows, today, letterhead(load_settings(db.session)))
    return send_file(
        io.BytesIO(data),
        as_attachment=True,
        download_name=f"nhiem-vu-{today:%Y%m%d}.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@bp.get("/don-vi-cua-toi")
@login_required
def my_department():
    if not is_department_user(current_user) or not current_user.department_id:
        deny("my department: not a department user")
    today = local_today()
    flt = TaskFilter(department=None, category="open", sort="days_late")
    page = task_page(db.session, current_user, flt, today, per_page=500)
    tasks = page.items
    return render_template(
        "tasks/my_department.html",
        tasks=tasks,
        department=current_user.department,
        task_category=task_category,
        days_late=days_late,
    )


@bp.get("/cho-van-phong-xu-ly")
@login_required
def office_queue():
    """Requests waiting for the office, the longest-waiting first."""
    if not is_office(current_user):
        deny("office queue: not office")
    return render_template("tasks/queue.html", items=waiting_for_office(db.session), now=utcnow())
