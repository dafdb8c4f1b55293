"""Units as they stood on a date: their names then and the lead of each task then.

Every as-of figure counts a task under the unit that led it on the as-of date, named as that
unit was named on that date, so a report for a date before a change reads as it did before the
change was entered.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from app.models import Department, DepartmentName, Task, TaskTransfer


@dataclass(frozen=True)
class UnitThen:
    """A unit as it stood on a day: the fields reports print and sort by."""

    id: int
    name: str
    short_name: str
    display_order: int


def name_then(day, department_id: ColumnElement = Department.id):
    """SQL: the name unit ``department_id`` bore on ``day`` when a rename replaced it since."""
    return (
        select(DepartmentName.name)
        .where(DepartmentName.department_id == department_id, DepartmentName.until >= day)
        .order_by(DepartmentName.until, DepartmentName.id)
        .limit(1)
        .scalar_subquery()
    )


def units_on(session: Session, day: dt.date, ids=None) -> dict[int, UnitThen]:
    """Units (every one, or those of ``ids``) named as on ``day``, in one query."""
    query = select(
        Department.id,
        func.coalesce(name_then(day), Department.name),
        Department.short_name,
        Department.display_order,
    )
    if ids is not None:
        query = query.where(Department.id.in_(list(ids)))
    return {row[0]: UnitThen(*row) for row in session.execute(query)}


def lead_then(day, task_id: ColumnElement = Task.id, lead: ColumnElement = Task.lead_department_id):
    """SQL: the lead unit of task ``task_id`` on ``day`` (a date or a date column).

    The receiving unit of the task's last transfer in effect by the day; before its first
    transfer, the unit that transfer took it from; a task never transferred: its lead.
    """
    received = (
        select(TaskTransfer.to_department_id)
        .where(TaskTransfer.task_id == task_id, TaskTransfer.effective_on <= day)
        .order_by(TaskTransfer.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    first_from = (
        select(TaskTransfer.from_department_id)
        .where(TaskTransfer.task_id == task_id)
        .order_by(TaskTransfer.id)
        .limit(1)
        .scalar_subquery()
    )
    return func.coalesce(received, first_from, lead)


def leads_on(session: Session, task_ids: list[int], day: dt.date) -> dict[int, int]:
    """The lead unit of each task on ``day``."""
    if not task_ids:
        return {}
    return dict(session.execute(select(Task.id, lead_then(day)).where(Task.id.in_(task_ids))).all())


def ever_led_by(department_id: int) -> ColumnElement[bool]:
    """SQL: the task was led by the unit at some time (narrows an as-of query to one unit)."""
    moved = select(TaskTransfer.task_id).where(
        or_(
            TaskTransfer.from_department_id == department_id,
            TaskTransfer.to_department_id == department_id,
        )
    )
    return or_(Task.lead_department_id == department_id, Task.id.in_(moved))
