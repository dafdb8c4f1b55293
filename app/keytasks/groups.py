"""Key task groups: creating and changing them, the tasks they hold, and their progress as of a
date counted by the period rule of the statistics (``reports.statistics.outcome``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, delete, exists, insert, select
from sqlalchemy.orm import Session

from app.core.classification import Status, classify_tasks
from app.keytasks.grades import Figures
from app.models import Issuer, KeyTaskGroup, ProgressReport, Task, key_task_members
from app.reports.statistics import UPDATE_WINDOW_DAYS, Outcome, outcome

NAME_MAX = 255
NOTE_MAX = 5000
MAX_TASKS = 2000  # tasks one group holds, at most


class GroupError(ValueError):
    """A group that cannot be saved; the message is for the user."""


@dataclass(frozen=True)
class GroupValues:
    name: str
    issuer_id: int
    period_from: dt.date
    period_to: dt.date
    given_on: dt.date | None = None
    note: str = ""
    display_order: int = 0


def _checked(session: Session, values: GroupValues) -> GroupValues:
    name = " ".join(values.name.split())
    if not name:
        raise GroupError("Nhập tên nhóm nhiệm vụ.")
    if len(name) > NAME_MAX:
        raise GroupError(f"Tên nhóm nhiệm vụ dài nhiều nhất {NAME_MAX} ký tự.")
    if session.get(Issuer, values.issuer_id) is None:
        raise GroupError("Cơ quan giao nhiệm vụ không có trong danh sách.")
    if values.period_from > values.period_to:
        raise GroupError("Ngày bắt đầu kỳ phải trước hoặc bằng ngày kết thúc.")
    if (values.period_to - values.period_from).days > 366 * 10:
        raise GroupError("Một kỳ dài nhiều nhất 10 năm.")
    if len(values.note) > NOTE_MAX:
        raise GroupError(f"Ghi chú dài nhiều nhất {NOTE_MAX} ký tự.")
    given_on = values.given_on or values.period_from
    return GroupValues(
        name,
        values.issuer_id,
        values.period_from,
        values.period_to,
        given_on,
        values.note.strip(),
        max(0, min(values.display_order, 10_000)),
    )


def save_group(session: Session, values: GroupValues, group: KeyTaskGroup | None = None):
    """Create a group (or change ``group``); flush only, the caller commits."""
    values = _checked(session, values)
    group = group or KeyTaskGroup()
    for name in ("name", "issuer_id", "period_from", "period_to", "given_on", "note"):
        setattr(group, name, getattr(values, name))
    group.display_order = values.display_order
    session.add(group)
    session.flush()
    return group


def delete_group(session: Session, group: KeyTaskGroup) -> None:
    """Delete a group entered by mistake (its tasks stay); refused once it has a grade: a
    report may have said it."""
    from app.models import Evaluation

    if session.scalar(select(Evaluation.id).where(Evaluation.group_id == group.id).limit(1)):
        raise GroupError("Nhóm đã có đánh giá: không xóa được (báo cáo đã có thể nêu nhóm này).")
    session.execute(delete(key_task_members).where(key_task_members.c.group_id == group.id))
    session.delete(group)
    session.flush()


def member_ids(session: Session, group_id: int) -> list[int]:
    return list(
        session.scalars(
            select(key_task_members.c.task_id)
            .where(key_task_members.c.group_id == group_id)
            .order_by(key_task_members.c.task_id)
        )
    )


def set_tasks(session: Session, group: KeyTaskGroup, task_ids: Sequence[int]) -> list[int]:
    """Make the group hold exactly ``task_ids``; the ids of tasks that do not exist are refused."""
    wanted = sorted(set(task_ids))
    if len(wanted) > MAX_TASKS:
        raise GroupError(f"Một nhóm có nhiều nhất {MAX_TASKS} nhiệm vụ.")
    found = set(session.scalars(select(Task.id).where(Task.id.in_(wanted)))) if wanted else set()
    missing = [i for i in wanted if i not in found]
    if missing:
        raise GroupError(f"Không có nhiệm vụ mã {', '.join(f'NV-{i:05d}' for i in missing[:5])}.")
    current = set(member_ids(session, group.id))
    gone = current - found
    if gone:
        session.execute(
            delete(key_task_members).where(
                key_task_members.c.group_id == group.id, key_task_members.c.task_id.in_(gone)
            )
        )
    new = sorted(found - current)
    if new:
        session.execute(
            insert(key_task_members), [{"group_id": group.id, "task_id": i} for i in new]
        )
    session.expire(group, ["tasks"])
    session.flush()
    return wanted


def groups_in(
    session: Session,
    period_from: dt.date,
    period_to: dt.date,
    as_of: dt.date,
    where: Sequence[ColumnElement[bool]] = (),
) -> list[KeyTaskGroup]:
    """The groups whose period overlaps [from, to] and that were given by ``as_of``."""
    return list(
        session.scalars(
            select(KeyTaskGroup)
            .where(
                KeyTaskGroup.period_from <= period_to,
                KeyTaskGroup.period_to >= period_from,
                KeyTaskGroup.given_on <= as_of,
                *where,
            )
            .order_by(KeyTaskGroup.display_order, KeyTaskGroup.period_from, KeyTaskGroup.id)
        )
    )


def holds_task_of(condition: ColumnElement[bool]) -> ColumnElement[bool]:
    """Condition on ``KeyTaskGroup``: it holds a task meeting ``condition`` (on ``Task``)."""
    return exists(
        select(key_task_members.c.task_id)
        .join(Task, Task.id == key_task_members.c.task_id)
        .where(key_task_members.c.group_id == KeyTaskGroup.id, condition)
    )


@dataclass
class Progress:
    """A group's tasks as of a date: each task's status and outcome, and the figures."""

    as_of: dt.date
    statuses: dict[int, tuple[Status, Outcome | None]]
    figures: Figures
    not_yet: int  # member tasks whose document was not issued (or created) by then


def group_progress(session: Session, group_id: int, as_of: dt.date) -> Progress:
    return groups_progress(session, [group_id], as_of)[group_id]


def groups_progress(
    session: Session, group_ids: Sequence[int], as_of: dt.date
) -> dict[int, Progress]:
    """Each group's progress as of ``as_of``, its tasks classified together (three queries
    whatever the number of groups; a task of several groups is counted in each)."""
    members: dict[int, list[int]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return {}
    chosen = key_task_members.c.group_id.in_(group_ids)
    for group_id, task_id in session.execute(
        select(key_task_members.c.group_id, key_task_members.c.task_id).where(chosen)
    ):
        members[group_id].append(task_id)
    in_groups = Task.id.in_(select(key_task_members.c.task_id).where(chosen))
    statuses = {
        task_id: (status, outcome(status))
        for task_id, (_timeline, status) in classify_tasks(session, as_of, [in_groups]).items()
    }
    updated = _updated(session, statuses, as_of, in_groups)
    return {group_id: _progress(as_of, ids, statuses, updated) for group_id, ids in members.items()}


OPEN = (Outcome.IN_TIME, Outcome.OVERDUE)


def _updated(session, statuses, as_of: dt.date, in_groups) -> set[int]:
    """The tasks not done by ``as_of`` with a progress report in the 30 days up to it."""
    if not any(result in OPEN for _status, result in statuses.values()):
        return set()
    since = as_of - dt.timedelta(days=UPDATE_WINDOW_DAYS - 1)
    reported = session.scalars(
        select(ProgressReport.task_id)
        .distinct()
        .join(Task, Task.id == ProgressReport.task_id)
        .where(in_groups, ProgressReport.reported_on >= since, ProgressReport.reported_on <= as_of)
    )
    return {i for i in reported if i in statuses and statuses[i][1] in OPEN}


def _progress(as_of, ids: list[int], statuses: dict, updated: set[int]) -> Progress:
    own = {i: statuses[i] for i in ids if i in statuses}
    counts = {o: 0 for o in Outcome}
    for _status, result in own.values():
        if result is not None:
            counts[result] += 1
    open_ids = [i for i, (_s, r) in own.items() if r in OPEN]
    figures = Figures(
        done_on_time=counts[Outcome.DONE_ON_TIME],
        done_late=counts[Outcome.DONE_LATE],
        done_no_deadline=counts[Outcome.DONE_NO_DEADLINE],
        in_time=counts[Outcome.IN_TIME],
        overdue=counts[Outcome.OVERDUE],
        open_tasks=len(open_ids),
        updated=sum(1 for i in open_ids if i in updated),
    )
    return Progress(as_of, own, figures, len(ids) - len(own))


def unit_figures(row) -> Figures:
    """The figures of one row of ``reports.statistics`` (a unit over a period)."""
    return Figures(
        done_on_time=row.counts[Outcome.DONE_ON_TIME],
        done_late=row.counts[Outcome.DONE_LATE],
        done_no_deadline=row.counts[Outcome.DONE_NO_DEADLINE],
        in_time=row.counts[Outcome.IN_TIME],
        overdue=row.counts[Outcome.OVERDUE],
        open_tasks=row.open_tasks,
        updated=row.updated_tasks,
    )
