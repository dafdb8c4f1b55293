"""The tasks blueprint and what its pages share: loading a task the user may see."""

from __future__ import annotations

from flask import Blueprint, abort, g
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.permissions import can_view_task, is_office
from app.core.settings import load_settings
from app.extensions import db
from app.models import Document, Task
from app.web.wiring import deny

bp = Blueprint("tasks", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("actions", "edit", "lists", "page")


def load_task(task_id: int) -> Task:
    task = db.session.scalar(
        select(Task)
        .where(Task.id == task_id)
        .options(
            joinedload(Task.document).joinedload(Document.issuer), joinedload(Task.lead_department)
        )
    )
    if task is None:
        abort(404)
    if not can_view_task(current_user, task):
        deny(f"task {task_id}")
    return task


def members_may_ask() -> bool:
    return load_settings(db.session).members_may_ask


@bp.app_context_processor
def office_queue_count():
    """``office_waiting()`` in every template: the office's queue size, counted once per
    request and only where a page shows it to an office user."""

    def office_waiting() -> int | None:
        if not current_user.is_authenticated or not is_office(current_user):
            return None
        if "office_waiting" not in g:
            from app.tasks.office_queue import count_waiting

            g.office_waiting = count_waiting(db.session)
        return g.office_waiting

    return {"office_waiting": office_waiting}
