"""The home page. Until the full web interface lands it lists the tasks as of today."""

from flask import Blueprint, render_template, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app.classification import Category, classify_tasks
from app.extensions import db
from app.models import Document, Task
from app.reports.summary import build_summary, summary_text
from app.timeutil import local_today

bp = Blueprint("main", __name__)


@bp.get("/")
def index():
    today = local_today()
    statuses = classify_tasks(db.session, today)
    wanted = request.args.get("category")
    shown = [
        task_id
        for task_id, (_, status) in statuses.items()
        if status.category.is_open and (not wanted or status.category == wanted)
    ]
    tasks = db.session.scalars(
        select(Task)
        .where(Task.id.in_(shown))
        .options(
            joinedload(Task.document).joinedload(Document.issuer),
            joinedload(Task.lead_department),
            selectinload(Task.cooperating_departments),
        )
    ).all()
    tasks.sort(
        key=lambda t: (
            statuses[t.id][1].category != Category.LATE,
            -statuses[t.id][1].days_late,
            t.deadline or today.replace(year=today.year + 100),
        )
    )
    summary = build_summary(db.session, today)
    return render_template(
        "main/index.html",
        today=today,
        tasks=tasks,
        statuses={k: v[1] for k, v in statuses.items()},
        summary=summary,
        summary_text=summary_text(summary),
        Category=Category,
    )


@bp.get("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}
