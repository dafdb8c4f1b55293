"""iCalendar feeds of deadlines, behind secret URLs, for calendar apps to subscribe to."""

from __future__ import annotations

import datetime as dt

from flask import Response, abort, current_app
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.core.deadlines import load_calendar
from app.core.permissions import sees_everything, visible_tasks
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.feeds.blueprint import bp
from app.models import Department, Document, Series, Task, User
from app.recurring.series import upcoming
from app.tasks.queries import open_condition
from app.web.wiring import work_in_office

UPCOMING_PERIODS = 3  # of each recurring duty, not yet created, shown ahead


def _calendar(name: str, tasks: list[Task], series: list | None = None) -> bytes:
    from icalendar import Calendar, Event  # loaded with the first feed asked for

    base = current_app.config.get("BASE_URL", "").rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//Theo doi van ban chi dao//vi")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    stamp = utcnow().replace(tzinfo=dt.UTC)

    def add(uid: str, day: dt.date, summary: str, description: str, url: str = "") -> None:
        """An all-day event on a deadline, shown as free time."""
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", day)
        event.add("dtend", day + dt.timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        if url:
            event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)

    for task in tasks:
        add(
            f"task-{task.id}@tracker",
            task.deadline,
            f"[Hạn] {task.content[:120]}",
            f"Văn bản {task.document.number} ngày {task.document.issued_on:%d/%m/%Y} của "
            f"{task.document.issuer.name}\n"
            f"Đơn vị chủ trì: {task.lead_department.name}\n{base}/nhiem-vu/{task.id}",
            f"{base}/nhiem-vu/{task.id}",
        )
    work = load_calendar(db.session) if series else None
    for one in series or []:
        for occurrence in upcoming(one, local_today(), UPCOMING_PERIODS, work):
            add(
                f"series-{one.id}-{occurrence.period}@tracker",
                occurrence.deadline,
                f"[Hạn, định kỳ] {one.content[:110]}",
                f"Kỳ {occurrence.period} ({one.phrase}); nhiệm vụ của kỳ được tạo khi kỳ bắt "
                f"đầu.\nĐơn vị chủ trì: {one.lead_department.name}",
            )
    return calendar.to_ical()


def _series(*conditions) -> list[Series]:
    return list(db.session.scalars(select(Series).where(Series.active.is_(True), *conditions)))


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
        work_in_office(department.office_id)
        tasks = _open_with_deadline(Task.lead_department_id == department.id)
        series = _series(Series.lead_department_id == department.id)
        name = f"Thời hạn nhiệm vụ — {department.name}"
    else:
        user = db.session.scalar(
            select(User).where(User.calendar_token == token, User.is_active.is_(True))
        )
        if user is None:
            abort(404)
        work_in_office(user.office_id)
        tasks = _open_with_deadline(visible_tasks(user))
        scope = [] if sees_everything(user) else [
            Series.lead_department_id == (user.department_id or 0)
        ]  # fmt: skip
        series = _series(*scope)
        name = f"Thời hạn nhiệm vụ — {user.full_name}"
    return Response(
        _calendar(name, tasks, series),
        mimetype="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=900"},
    )
