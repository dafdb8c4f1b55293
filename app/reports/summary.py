"""The monthly section: which departments still have tasks chậm or chưa, as of a date."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.classification import Category, open_counts
from app.core.units_as_of import UnitThen, units_on
from app.models import Document

CATEGORY_HEADINGS = {
    Category.LATE: "Các đơn vị còn có nội dung chậm tham mưu giải quyết",
    Category.PENDING: "Các đơn vị còn có nội dung chưa tham mưu giải quyết",
}
CLOSING_LINE = "(Có biểu chi tiết kèm theo Báo cáo)"


@dataclass(frozen=True)
class DepartmentCount:
    department: UnitThen  # named as on the as-of date
    count: int


@dataclass(frozen=True)
class Summary:
    as_of: dt.date
    late: list[DepartmentCount]
    pending: list[DepartmentCount]

    @property
    def late_total(self) -> int:
        return sum(row.count for row in self.late)

    @property
    def pending_total(self) -> int:
        return sum(row.count for row in self.pending)

    def rows(self, category: Category) -> list[DepartmentCount]:
        return self.late if category == Category.LATE else self.pending


def order_departments(counts: Counter, departments: dict[int, UnitThen]) -> list[DepartmentCount]:
    """Largest count first, then the departments' display order, as the office lists them."""
    rows = [DepartmentCount(departments[dep_id], n) for dep_id, n in counts.items() if n]
    rows.sort(key=lambda r: (-r.count, r.department.display_order, r.department.name))
    return rows


def build_summary(
    session: Session, as_of: dt.date, issuer_ids: Sequence[int] | None = None
) -> Summary:
    """Counts by the unit that led each task chậm or chưa on ``as_of``, named as it was then."""
    where = [Document.issuer_id.in_(issuer_ids)] if issuer_ids else []
    counts = {Category.LATE: Counter(), Category.PENDING: Counter()}
    for (category, department_id), n in open_counts(session, as_of, where).items():
        counts[category][department_id] += n
    return summary_from_counts(session, as_of, counts)


def summary_from_counts(
    session: Session, as_of: dt.date, counts: dict[Category, Counter]
) -> Summary:
    departments = units_on(session, as_of)
    return Summary(
        as_of,
        order_departments(counts[Category.LATE], departments),
        order_departments(counts[Category.PENDING], departments),
    )


def count_text(n: int) -> str:
    return f"{n:02d} nội dung"


def summary_text(summary: Summary) -> str:
    """The section exactly as the office writes it, one line each."""
    lines = []
    for category in (Category.LATE, Category.PENDING):
        rows = summary.rows(category)
        heading = CATEGORY_HEADINGS[category]
        if not rows:
            lines.append(f"- {heading}: không có")
            continue
        lines.append(f"- {heading}: {count_text(sum(r.count for r in rows))}")
        lines += [f"+ {r.department.name}: {count_text(r.count)}" for r in rows]
    lines.append(CLOSING_LINE)
    return "\n".join(lines)
