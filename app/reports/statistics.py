"""How units performed on the tasks of a period, and the monthly trend of chậm and chưa.

The period rule, beside the as-of rule of ``classification``: for a period [from, to] and an
as-of date D (by default ``to``), the tasks counted are those whose document was issued within
the period and by D, not cancelled as of D. As of D each is

- *hoàn thành đúng hạn*: done, on or before its deadline as it stood on the completion date;
- *hoàn thành quá hạn*: done after that deadline;
- *hoàn thành không có hạn*: done, no deadline;
- *trong hạn*: not done by D, deadline on or after D, or none;
- *quá hạn*: not done by D, deadline before D.

Tỷ lệ hoàn thành = done / total; tỷ lệ quá hạn = (done late + overdue) / tasks with a deadline,
in per cent with one decimal; a unit with no task with a deadline has no overdue share.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.classification import Category, Status, classify_tasks, open_counts_on
from app.core.i18n import N_
from app.core.units_as_of import UnitThen, ever_led_by, units_on
from app.models import Document, ProgressReport


class Outcome(enum.StrEnum):
    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    DONE_NO_DEADLINE = "done_no_deadline"
    IN_TIME = "in_time"
    OVERDUE = "overdue"

    @property
    def label(self) -> str:
        return OUTCOME_LABELS[self]

    @property
    def is_done(self) -> bool:
        return self in DONE


DONE = (Outcome.DONE_ON_TIME, Outcome.DONE_LATE, Outcome.DONE_NO_DEADLINE)
NOT_DONE = (Outcome.IN_TIME, Outcome.OVERDUE)
OUTCOME_LABELS = {
    Outcome.DONE_ON_TIME: N_("Hoàn thành đúng hạn"),
    Outcome.DONE_LATE: N_("Hoàn thành quá hạn"),
    Outcome.DONE_NO_DEADLINE: N_("Hoàn thành không có hạn"),
    Outcome.IN_TIME: N_("Trong hạn"),
    Outcome.OVERDUE: N_("Quá hạn"),
}


def outcome(status: Status) -> Outcome | None:
    """The period rule's outcome of a task's as-of status; None for a cancelled task."""
    if status.category == Category.CANCELLED:
        return None
    if status.category == Category.LATE:
        return Outcome.OVERDUE
    if status.category == Category.PENDING:
        return Outcome.IN_TIME
    if status.category == Category.DONE_LATE:
        return Outcome.DONE_LATE
    return Outcome.DONE_ON_TIME if status.deadline is not None else Outcome.DONE_NO_DEADLINE


def percent(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in per cent, one decimal, half up; None when ``whole`` is 0."""
    if not whole:
        return None
    return (Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """A share as Vietnamese writes it: "91,7"; empty when there is none."""
    return "" if value is None else f"{value:.1f}".replace(".", ",")


@dataclass
class UnitStatistics:
    """One row: a lead unit as named on the as-of date (None for the total) and its counts."""

    department: UnitThen | None
    counts: Counter = field(default_factory=Counter)
    open_tasks: int = 0  # not done as of D: the base of the update rate
    updated_tasks: int = 0  # of those, with a progress report in the 30 days to D
    no_deadline_open: int = 0  # trong hạn because they have no deadline at all
    # The grade proposed by the admin's rules and the one the office recorded for the period
    # (``app.keytasks.units``), when the caller asked for them.
    proposal: str = ""
    grade: str = ""

    @property
    def total(self) -> int:
        return sum(self.counts[o] for o in Outcome)

    @property
    def done(self) -> int:
        return sum(self.counts[o] for o in DONE)

    @property
    def not_done(self) -> int:
        return sum(self.counts[o] for o in NOT_DONE)

    @property
    def with_deadline(self) -> int:
        return self.total - self.counts[Outcome.DONE_NO_DEADLINE] - self.no_deadline_open

    @property
    def completion_rate(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def overdue_rate(self) -> Decimal | None:
        overdue = self.counts[Outcome.DONE_LATE] + self.counts[Outcome.OVERDUE]
        return percent(overdue, self.with_deadline)

    @property
    def update_rate(self) -> Decimal | None:
        return percent(self.updated_tasks, self.open_tasks)

    def add(self, result: Outcome, has_deadline: bool) -> None:
        self.counts[result] += 1
        if result in NOT_DONE:
            self.open_tasks += 1
            if not has_deadline:
                self.no_deadline_open += 1

    def values(self) -> list:
        """The row as the CSV and the printed tables give it (see ``COLUMNS``)."""
        name = self.department.name if self.department else TOTAL_LABEL
        return [name, *self.figures(), self.proposal, self.grade]

    def figures(self) -> list:
        """The counts and rates, in the columns' order (also the province's table's)."""
        return [
            self.total,
            self.done,
            self.counts[Outcome.DONE_ON_TIME],
            self.counts[Outcome.DONE_LATE],
            self.counts[Outcome.DONE_NO_DEADLINE],
            self.not_done,
            self.counts[Outcome.IN_TIME],
            self.counts[Outcome.OVERDUE],
            percent_text(self.completion_rate),
            percent_text(self.overdue_rate),
        ]


TOTAL_LABEL = "Tổng cộng"
COLUMNS = [
    "Đơn vị",
    "Tổng số",
    "Đã hoàn thành",
    "Hoàn thành đúng hạn",
    "Hoàn thành quá hạn",
    "Hoàn thành không có hạn",
    "Chưa hoàn thành",
    "Trong hạn",
    "Quá hạn",
    "Tỷ lệ hoàn thành (%)",
    "Tỷ lệ quá hạn (%)",
    "Đề xuất đánh giá",
    "Đánh giá",
]
UPDATE_WINDOW_DAYS = 30


@dataclass
class Statistics:
    period_from: dt.date
    period_to: dt.date
    as_of: dt.date
    rows: list[UnitStatistics]
    total: UnitStatistics
    task_outcomes: dict[int, tuple[int, Outcome]]  # task id -> (lead unit id, outcome)

    @property
    def title(self) -> str:
        return "KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO THEO ĐƠN VỊ"

    @property
    def subtitle(self) -> str:
        return (
            f"(Nhiệm vụ tại các văn bản ban hành từ ngày {self.period_from:%d/%m/%Y} "
            f"đến ngày {self.period_to:%d/%m/%Y}; số liệu tính đến ngày {self.as_of:%d/%m/%Y})"
        )

    def task_ids(self, department_id: int | None, outcomes: Sequence[Outcome]) -> list[int]:
        """The tasks behind one number of the table (``department_id`` None: every unit)."""
        return sorted(
            task_id
            for task_id, (lead_id, result) in self.task_outcomes.items()
            if result in outcomes and (department_id is None or lead_id == department_id)
        )


class PeriodError(ValueError):
    """A period or as-of date that cannot be counted; the message is for the user."""


MAX_PERIOD_DAYS = 366 * 10


PERIOD_KINDS = ("month", "quarter", "half", "year", "custom")
PERIOD_PARTS = {"month": 12, "quarter": 4, "half": 2, "year": 1}


def period_bounds(kind: str, year: int, part: int = 1) -> tuple[dt.date, dt.date]:
    """First and last day of month ``part``, quarter ``part``, half ``part`` or the year."""
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[kind]
    if not 1 <= part <= PERIOD_PARTS[kind]:
        raise PeriodError("Kỳ không hợp lệ.")
    first_month = (part - 1) * months + 1
    start = dt.date(year, first_month, 1)
    end_month = first_month + months - 1
    following = dt.date(year + 1, 1, 1) if end_month == 12 else dt.date(year, end_month + 1, 1)
    return start, following - dt.timedelta(days=1)


def period_label(kind: str, year: int, part: int) -> str:
    if kind == "month":
        return f"tháng {part:02d}/{year}"
    if kind == "quarter":
        return f"quý {('I', 'II', 'III', 'IV')[part - 1]} năm {year}"
    if kind == "half":
        return f"{'6 tháng đầu' if part == 1 else '6 tháng cuối'} năm {year}"
    return f"năm {year}"


def check_period(period_from: dt.date, period_to: dt.date, as_of: dt.date) -> None:
    if period_from > period_to:
        raise PeriodError("Ngày bắt đầu kỳ phải trước hoặc bằng ngày kết thúc.")
    if (period_to - period_from).days > MAX_PERIOD_DAYS:
        raise PeriodError("Một kỳ thống kê dài nhiều nhất 10 năm.")
    if as_of < period_from:
        raise PeriodError("Ngày tính số liệu không được trước ngày bắt đầu kỳ.")


def build_statistics(
    session: Session,
    period_from: dt.date,
    period_to: dt.date,
    as_of: dt.date | None = None,
    issuer_ids: Sequence[int] | None = None,
    department_id: int | None = None,
) -> Statistics:
    """Counts by lead unit, in the units' display order, and the total. With ``department_id``
    only the tasks that unit led at some time are read: its row is whole (the tasks behind its
    numbers), the other rows and the total are not."""
    as_of = as_of or period_to
    check_period(period_from, period_to, as_of)
    where = [Document.issued_on >= period_from, Document.issued_on <= period_to]
    if issuer_ids:
        where.append(Document.issuer_id.in_(issuer_ids))
    if department_id:
        where.append(ever_led_by(department_id))
    per_unit: dict[int, UnitStatistics] = {}
    total = UnitStatistics(None)
    task_outcomes: dict[int, tuple[int, Outcome]] = {}
    for task_id, (timeline, status) in classify_tasks(session, as_of, where).items():
        result = outcome(status)
        if result is None:
            continue
        unit = per_unit.setdefault(timeline.lead_department_id, UnitStatistics(None))
        for row in (unit, total):
            row.add(result, status.deadline is not None)
        task_outcomes[task_id] = (timeline.lead_department_id, result)
    _count_updates(session, as_of, task_outcomes, per_unit, total)
    departments = units_on(session, as_of, per_unit)
    for department_id, row in per_unit.items():
        row.department = departments[department_id]
    rows = sorted(per_unit.values(), key=lambda r: (r.department.display_order, r.department.name))
    return Statistics(period_from, period_to, as_of, rows, total, task_outcomes)


def _count_updates(session, as_of, task_outcomes, per_unit, total) -> None:
    """Open tasks with a progress report in the 30 days up to ``as_of``, per lead unit."""
    open_ids = [i for i, (_lead, result) in task_outcomes.items() if result in NOT_DONE]
    since = as_of - dt.timedelta(days=UPDATE_WINDOW_DAYS - 1)
    updated: set[int] = set()
    for start in range(0, len(open_ids), 5000):  # bounded IN lists on every database
        chunk = open_ids[start : start + 5000]
        updated.update(
            session.scalars(
                select(ProgressReport.task_id)
                .distinct()
                .where(
                    ProgressReport.task_id.in_(chunk),
                    ProgressReport.reported_on >= since,
                    ProgressReport.reported_on <= as_of,
                )
            )
        )
    for task_id in updated:
        lead_id = task_outcomes[task_id][0]
        per_unit[lead_id].updated_tasks += 1
        total.updated_tasks += 1


# --- the monthly trend ----------------------------------------------------------------------


def month_ends(last: dt.date, months: int = 12) -> list[dt.date]:
    """The ``months`` month-ends up to ``last`` (``last`` itself when it is in the month)."""
    out = []
    month_start = last.replace(day=1)
    for _ in range(months):
        next_month = (month_start + dt.timedelta(days=32)).replace(day=1)
        out.append(min(next_month - dt.timedelta(days=1), last))
        month_start = (month_start - dt.timedelta(days=1)).replace(day=1)
    return list(reversed(out))


@dataclass
class TrendPoint:
    as_of: dt.date
    late: int
    pending: int
    by_unit: dict[int, tuple[int, int]]  # unit id -> (chậm, chưa)


@dataclass
class Trend:
    points: list[TrendPoint]
    departments: list[UnitThen]  # every unit with a count in some month, display order


def build_trend(
    session: Session,
    last: dt.date,
    months: int = 12,
    department_id: int | None = None,
) -> Trend:
    """Chậm and chưa as of each of the last ``months`` month-ends (the last one: ``last``)."""
    where = [ever_led_by(department_id)] if department_id else []
    days = month_ends(last, months)
    counted = open_counts_on(session, days, where)
    if department_id:
        counted = {
            day: {key: n for key, n in counts.items() if key[1] == department_id}
            for day, counts in counted.items()
        }
    points = []
    seen: set[int] = set()
    for day in days:
        by_unit: dict[int, tuple[int, int]] = {}
        for (category, unit_id), n in counted[day].items():
            late, pending = by_unit.get(unit_id, (0, 0))
            if category == Category.LATE:
                late += n
            else:
                pending += n
            by_unit[unit_id] = (late, pending)
        by_unit = {k: v for k, v in by_unit.items() if v != (0, 0)}
        seen.update(by_unit)
        points.append(
            TrendPoint(
                day,
                sum(v[0] for v in by_unit.values()),
                sum(v[1] for v in by_unit.values()),
                by_unit,
            )
        )
    departments = sorted(
        units_on(session, last, seen).values(), key=lambda d: (d.display_order, d.name)
    )
    return Trend(points, departments)
