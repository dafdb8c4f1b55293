"""iCalendar feeds of deadlines, behind secret URLs, for calendar apps to subscribe to."""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Response, abort, current_app
from icalendar import Calendar, Event
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models import Department, Document, Task, User
from app.permissions import visible_tasks
from app.tasks.queries import open_condition
from app.timeutil import utcnow

bp = Blueprint("feeds", __name__)


def _calendar(name: str, tasks: list[Task]) -> bytes:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//Theo doi van ban chi dao//vi")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = utcnow().replace(tzinfo=dt.UTC)
    for task in tasks:
        event = Event()
        event.add("uid", f"task-{task.id}@tracker")
        event.add("dtstamp", stamp)
        event.add("dtstart", task.deadline)
        event.add("dtend", task.deadline + dt.timedelta(days=1))
        event.add("summary", f"[Hạn] {task.content[:120]}")
        event.add(
            "description",
            f"Văn bản {task.document.number} ngày {task.document.issued_on:%d/%m/%Y} của "
            f"{task.document.issuer.name}\n"
            f"Đơn vị chủ trì: {task.lead_department.name}\n{base}/nhiem-vu/{task.id}",
        )
        event.add("url", f"{base}/nhiem-vu/{task.id}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def _open_with_deadline(*conditions) -> list[Task]:
    return list(
        db.session.scalars(
            select(Task)
            .join(Document, Task.document_id == Document.id)
            .where(open_condition(), Task.deadline.is_not(None), *conditions)
            .options(
                joinedload(Task.document).joinedload(Document.issuer),
                joinedload(Task.lead_department),
            )
            .order_by(Task.deadline, Task.id)
        ).unique()
    )


@bp.get("/lich/<token>.ics")
def calendar(token: str):
    if len(token) < 16:
        abort(404)
    department = db.session.scalar(select(Department).where(Department.calendar_token == token))
    if department is not None:
        tasks = _open_with_deadline(Task.lead_department_id == department.id)
        name = f"Thời hạn nhiệm vụ — {department.name}"
    else:
        user = db.session.scalar(
            select(User).where(User.calendar_token == token, User.is_active.is_(True))
        )
        if user is None:
            abort(404)
        tasks = _open_with_deadline(visible_tasks(user))
        name = f"Thời hạn nhiệm vụ — {user.full_name}"
    return Response(
        _calendar(name, tasks),
        mimetype="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=900"},
    )
