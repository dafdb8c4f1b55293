"""Who may see and do what. Plain rules on a user and a task, used by views and the API."""

from __future__ import annotations

from sqlalchemy import ColumnElement, exists, or_, select, true

from app.models import Task, User, task_cooperators
from app.models.people import Role

DEPARTMENT_ROLES = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER)


def is_office(user: User) -> bool:
    """Office staff (and admins) keep the follow-up list: enter, confirm, approve, cancel."""
    return user.role in (Role.OFFICE, Role.ADMIN)


def is_department_user(user: User) -> bool:
    return user.role in DEPARTMENT_ROLES


def sees_everything(user: User) -> bool:
    return user.role in (Role.OFFICE, Role.ADMIN, Role.LEADER)


def visible_tasks(user: User) -> ColumnElement[bool]:
    """SQL condition on ``Task`` for the tasks ``user`` may see."""
    if sees_everything(user):
        return true()
    if not user.department_id:
        return Task.id.is_(None)
    cooperates = exists(
        select(task_cooperators.c.task_id).where(
            task_cooperators.c.task_id == Task.id,
            task_cooperators.c.department_id == user.department_id,
        )
    )
    return or_(Task.lead_department_id == user.department_id, cooperates)


def can_view_task(user: User, task: Task) -> bool:
    if sees_everything(user):
        return True
    return (
        is_department_user(user)
        and user.department_id is not None
        and (
            task.lead_department_id == user.department_id
            or any(d.id == user.department_id for d in task.cooperating_departments)
        )
    )


def leads(user: User, task: Task) -> bool:
    return is_department_user(user) and task.lead_department_id == user.department_id


def can_report_progress(user: User, task: Task) -> bool:
    """Lead and cooperating departments report progress."""
    return is_department_user(user) and can_view_task(user, task)


def may_ask(user: User, task: Task, members_may_ask: bool = False) -> bool:
    """Only the lead department says a task is done or asks for more time: its head, or any
    of its members when the office's setting allows it. On a task taken in from the office
    above, the office itself asks that office too (the request goes up)."""
    if task.upper_task_id is not None and is_office(user):
        return True
    return leads(user, task) and (members_may_ask or user.role == Role.DEPARTMENT_HEAD)


def can_request_completion(user: User, task: Task, members_may_ask: bool = False) -> bool:
    return may_ask(user, task, members_may_ask)


def can_request_extension(user: User, task: Task, members_may_ask: bool = False) -> bool:
    return may_ask(user, task, members_may_ask)
