"""The dashboard's numbers: per department, as of today, in one grouped query."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, case, func, select
from sqlalchemy.orm import Session

from app.models import Department, Task
from app.models.documents import TaskState
from app.tasks.queries import late_condition, open_condition

DUE_SOON_DAYS = 7


@dataclass
class DepartmentFigures:
    department: Department | None  # None: the totals row
    late: int = 0
    pending: int = 0
    due_soon: int = 0
    done_this_month: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.late or self.pending or self.due_soon or self.done_this_month)


def department_figures(
    session: Session, today: dt.date, department_ids: list[int] | None = None
) -> tuple[list[DepartmentFigures], DepartmentFigures]:
    """Rows per lead department (display order) and the totals row."""
    month_start = today.replace(day=1)
    soon = today + dt.timedelta(days=DUE_SOON_DAYS)

    def count_when(condition):
        return func.sum(case((condition, 1), else_=0))

    # Two narrow queries the indexes serve: open tasks, and tasks done this month.
    open_query = (
        select(
            Task.lead_department_id,
            count_when(late_condition(today)),
            count_when(~late_condition(today)),
            count_when(and_(Task.deadline >= today, Task.deadline <= soon)),
        )
        .where(open_condition())
        .group_by(Task.lead_department_id)
    )
    done_query = (
        select(Task.lead_department_id, func.count())
        .where(Task.state == TaskState.DONE, Task.done_on >= month_start, Task.done_on <= today)
        .group_by(Task.lead_department_id)
    )
    if department_ids is not None:
        open_query = open_query.where(Task.lead_department_id.in_(department_ids))
        done_query = done_query.where(Task.lead_department_id.in_(department_ids))
    counts = {row[0]: (*row[1:], 0) for row in session.execute(open_query)}
    for department_id, done in session.execute(done_query):
        counts[department_id] = (*counts.get(department_id, (0, 0, 0, 0))[:3], done)
    departments = session.scalars(
        select(Department)
        .where(Department.is_active.is_(True))
        .order_by(Department.display_order, Department.name)
    ).all()
    rows, total = [], DepartmentFigures(None)
    for department in departments:
        if department_ids is not None and department.id not in department_ids:
            continue
        late, pending, due_soon, done = (int(v or 0) for v in counts.get(department.id, (0,) * 4))
        row = DepartmentFigures(department, late, pending, due_soon, done)
        rows.append(row)
        total.late += late
        total.pending += pending
        total.due_soon += due_soon
        total.done_this_month += done
    return rows, total
