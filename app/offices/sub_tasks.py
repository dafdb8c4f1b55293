"""A task taken in from the office above, split among the office's units: each part a task
of its own (``Task.parent_task_id``), led by one unit, due no later than the task. The office
above reads the parts' state and last report on its task (``app.offices.sides``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from app.models import Department, Task, User
from app.models.documents import DeadlineKind, TaskState
from app.models.history import EventKind
from app.offices.upper_flow import UpperTaskError
from app.tasks import changes
from app.web.inputs import deadline_problem


def sub_tasks(session: Session, task: Task) -> list[Task]:
    """The parts ``task`` was split into, in the order they were given."""
    return list(
        session.scalars(
            select(Task)
            .where(Task.parent_task_id == task.id)
            .options(joinedload(Task.lead_department))
            .order_by(Task.id)
        )
    )


def add_sub_task(
    session: Session,
    parent: Task,
    *,
    content: str,
    lead: Department | None,
    deadline: dt.date | None,
    by: User,
    today: dt.date,
) -> Task:
    """A part of a task taken in from the office above, given to one of the office's units,
    due no later than the task (and not before its document)."""
    if parent.upper_task_id is None:
        raise UpperTaskError("Chỉ chia được nhiệm vụ cấp trên giao.")
    if TaskState(parent.state).is_closed:
        raise UpperTaskError("Nhiệm vụ đã kết thúc (hoàn thành hoặc hủy).")
    content = content.strip()
    if not content:
        raise UpperTaskError("Nội dung phần việc không được để trống.", "content")
    if lead is None or lead.office_id != parent.office_id or not lead.is_active:
        raise UpperTaskError("Hãy chọn đơn vị thực hiện của cơ quan.", "lead")
    if parent.deadline is not None:
        limit = f"{parent.deadline:%d/%m/%Y}"
        if deadline is None:
            raise UpperTaskError(f"Cần ghi thời hạn, không sau {limit}.", "deadline")
        if deadline > parent.deadline:
            raise UpperTaskError(
                f"Thời hạn phần việc không được sau thời hạn của nhiệm vụ ({limit}).", "deadline"
            )
    problem = deadline_problem(deadline, parent.document.issued_on)
    if problem:
        raise UpperTaskError(problem, "deadline")
    part = changes.add_task(
        session,
        parent.document,
        content=content,
        lead=lead,
        deadline_kind=DeadlineKind.DATE if deadline else DeadlineKind.NONE,
        deadline=deadline,
        by=by,
        effective_on=max(today, parent.document.issued_on),
    )
    part.parent_task_id = parent.id
    due = f", hạn {deadline:%d/%m/%Y}" if deadline else ""
    said = f"{part.code} – {lead.name}{due}: {content}"
    changes.note(
        session, parent, EventKind.SUB_TASK, effective_on=today, by=by, details={}, comment=said
    )
    session.flush()
    return part
