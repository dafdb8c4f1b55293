"""The province's table across its communes ("toàn tỉnh"), as of any date.

One row per office directly below the province that exists on the date (its commune and ward
offices): the tasks the province gave it — the province's tasks led, on that date, by the unit
that stands for that office in the province (``Office.parent_unit_id``) — counted as the
province's statistics count them (``app.reports.statistics``: the as-of rule's categories,
cancelled tasks left out), so a commune's figures are its unit's row in the province's
statistics for every task issued up to the date; and the commune office's own tasks that are
not done as of the date, and of those the overdue ones, under the same rule.

The province's tasks are read within the province office; the communes' own counts read across
offices on purpose (``all_offices``), for the offices below this province only, as numbers:
no task of a commune is loaded. Five statements in all, whatever the number of communes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.as_of_counts import category_counts
from app.core.classification import Category
from app.core.office_scope import all_offices
from app.core.units_as_of import UnitThen, lead_then, units_on
from app.models import Document, Office, Task, TaskTransfer
from app.reports.statistics import NOT_DONE, Outcome, UnitStatistics

TITLE = "TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CỦA CÁC XÃ, PHƯỜNG"
TOTAL_LABEL = "Tổng cộng"
# The outcome of a task of each category and deadline (``statistics.outcome``'s rule).
OUTCOMES = {
    (Category.LATE, True): Outcome.OVERDUE,
    (Category.PENDING, True): Outcome.IN_TIME,
    (Category.PENDING, False): Outcome.IN_TIME,
    (Category.DONE_LATE, True): Outcome.DONE_LATE,
    (Category.DONE_ON_TIME, True): Outcome.DONE_ON_TIME,
    (Category.DONE_ON_TIME, False): Outcome.DONE_NO_DEADLINE,
}


@dataclass
class CommuneRow:
    """One office below the province (None in the totals row) and its figures."""

    office: Office | None
    unit: UnitThen | None  # the unit that stands for it in the province, named as on the date
    given: UnitStatistics = field(default_factory=lambda: UnitStatistics(None))
    own_open: int = 0  # its own tasks not done as of the date
    own_overdue: int = 0  # of those, past their deadline

    @property
    def name(self) -> str:
        if self.office is None:
            return TOTAL_LABEL
        return self.unit.name if self.unit else self.office.name

    def values(self) -> list:
        """The row as the files give it (see ``COLUMNS``)."""
        return [
            self.name,
            *self.given.figures(),
            self.own_open,
            self.own_overdue,
        ]


COLUMNS = [
    "Xã, phường",
    "Nhiệm vụ tỉnh giao",
    "Đã hoàn thành",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Hoàn thành không có hạn",
    "Chưa hoàn thành",
    "Trong hạn",
    "Quá hạn",
    "Tỷ lệ hoàn thành (%)",
    "Tỷ lệ quá hạn (%)",
    "Nhiệm vụ của xã chưa hoàn thành",
    "Nhiệm vụ của xã quá hạn",
]


@dataclass
class ProvinceTable:
    as_of: dt.date
    rows: list[CommuneRow]
    total: CommuneRow
    first_issued: dt.date | None  # the earliest document of the tasks counted as given

    @property
    def title(self) -> str:
        return TITLE

    @property
    def subtitle(self) -> str:
        return (
            "(Nhiệm vụ UBND tỉnh giao và nhiệm vụ của từng xã, phường; "
            f"số liệu tính đến ngày {self.as_of:%d/%m/%Y})"
        )


def communes_of(session: Session, province: Office, as_of: dt.date) -> list[Office]:
    """The offices directly below ``province`` that exist on ``as_of``."""
    below = session.scalars(select(Office).where(Office.parent_id == province.id)).all()
    return [office for office in below if office.exists_on(as_of)]


def has_offices_below(session: Session, office_id: int) -> bool:
    """Whether any office stands below this one (it has a table across them)."""
    below = select(Office.id).where(Office.parent_id == office_id).limit(1)
    return session.scalar(below) is not None


def province_rows(session: Session, province: Office, as_of: dt.date) -> ProvinceTable:
    """The table as of ``as_of``; the current office must be ``province``."""
    communes = communes_of(session, province, as_of)
    units = {o.parent_unit_id: o for o in communes if o.parent_unit_id is not None}
    names = units_on(session, as_of, units) if units else {}
    rows = {o.id: CommuneRow(o, names.get(o.parent_unit_id)) for o in communes}
    total = CommuneRow(None, None)
    first_issued = None
    if units:
        led = _ever_led_by_any(list(units))
        counts = category_counts(session, as_of, lead_then(as_of), [led])
        for (unit_id, category, dated), n in counts.items():
            result = OUTCOMES.get((category, dated))
            if unit_id not in units or result is None:
                continue  # led by another unit on the date, or cancelled
            for row in (rows[units[unit_id].id], total):
                _add(row.given, result, dated, n)
        first_issued = session.scalar(
            select(func.min(Document.issued_on))
            .join(Task, Task.document_id == Document.id)
            .where(led)
        )
    if rows:
        _own_counts(session, as_of, rows, total)
    ordered = sorted(
        rows.values(),
        key=lambda r: (r.unit is None, r.unit.display_order if r.unit else 0, r.name),
    )
    return ProvinceTable(as_of, ordered, total, first_issued)


def _add(given: UnitStatistics, result: Outcome, dated: bool, n: int) -> None:
    """``UnitStatistics.add`` of ``n`` tasks at once."""
    given.counts[result] += n
    if result in NOT_DONE:
        given.open_tasks += n
        if not dated:
            given.no_deadline_open += n


def _ever_led_by_any(unit_ids: list[int]):
    """SQL: the task was led by one of the units at some time (``units_as_of.ever_led_by``)."""
    moved = select(TaskTransfer.task_id).where(
        or_(
            TaskTransfer.from_department_id.in_(unit_ids),
            TaskTransfer.to_department_id.in_(unit_ids),
        )
    )
    return or_(Task.lead_department_id.in_(unit_ids), Task.id.in_(moved))


def _own_counts(session: Session, as_of: dt.date, rows: dict, total: CommuneRow) -> None:
    """Each commune office's own tasks not done, and overdue, as of the date: read across
    offices, for these offices only. A task closed for good by then is not read."""
    not_closed = or_(Task.closed_on.is_(None), Task.closed_on > as_of)
    with all_offices():
        counts = category_counts(
            session, as_of, Task.office_id, [Task.office_id.in_(list(rows)), not_closed]
        )
    for (office_id, category, _dated), n in counts.items():
        if not category.is_open:
            continue
        for row in (rows[office_id], total):
            row.own_open += n
            if category == Category.LATE:
                row.own_overdue += n
