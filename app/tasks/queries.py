"""The task lists: filters, sorting and paging in SQL, category as of today.

The category here is computed from the task's current columns, which hold what its
latest events say; for today it agrees with ``classification.classify`` (a test checks
this on the demo data), and it lets the database filter, sort and page with its indexes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields

from sqlalchemy import ColumnElement, Select, and_, case, exists, func, or_, select
from sqlalchemy.orm import Session, defer, joinedload, selectinload

from app.core.classification import Category
from app.core.i18n import N_
from app.core.permissions import visible_tasks
from app.core.textnorm import fold
from app.models import Department, Document, Extension, Task, User
from app.models.documents import OPEN_STATES, TaskState
from app.models.history import ExtensionStatus
from app.web.forms import parse_date
from app.web.inputs import MAX_ID, MAX_PAGE, positive_int

PER_PAGE = 50
SORTS = {
    "urgency": N_("Gấp nhất trước"),
    "deadline": N_("Thời hạn"),
    "days_late": N_("Số ngày quá hạn"),
    "issued": N_("Ngày ban hành"),
    "department": N_("Đơn vị chủ trì"),
}


def open_condition() -> ColumnElement[bool]:
    # IN over the open states (not NOT IN over the closed ones): indexes can seek on it.
    return Task.state.in_(OPEN_STATES)


def late_condition(today: dt.date) -> ColumnElement[bool]:
    return and_(open_condition(), Task.deadline.is_not(None), Task.deadline < today)


def _done_late() -> ColumnElement[bool]:
    return and_(
        Task.state == TaskState.DONE, Task.deadline.is_not(None), Task.done_on > Task.deadline
    )


# Conditions the database can answer from its indexes (no CASE on every row).
CATEGORY_FILTERS = {
    "open": lambda today: open_condition(),
    "late": late_condition,
    "pending": lambda today: and_(
        open_condition(), or_(Task.deadline.is_(None), Task.deadline >= today)
    ),
    "done": lambda today: Task.state == TaskState.DONE,
    "done_late": lambda today: _done_late(),
    "done_on_time": lambda today: and_(Task.state == TaskState.DONE, ~_done_late()),
    "cancelled": lambda today: Task.state == TaskState.CANCELLED,
    "handed_over": lambda today: Task.state == TaskState.HANDED_OVER,
    "waiting_office": lambda today: waiting_office_condition(),
}


def waiting_office_condition() -> ColumnElement[bool]:
    """Tasks with a request the office has not decided: completion or extension."""
    pending_extension = exists(
        select(Extension.id).where(
            Extension.task_id == Task.id, Extension.status == ExtensionStatus.PENDING
        )
    )
    return or_(Task.state == TaskState.AWAITING_CONFIRMATION, pending_extension)


@dataclass
class TaskFilter:
    """A list's filter; it lives in the URL so a list can be bookmarked and sent."""

    department: int | None = None
    issuer: int | None = None
    kind: str | None = None
    category: str | None = None  # late, pending, done, cancelled, open; all (or None): every task
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    issued_from: dt.date | None = None
    issued_to: dt.date | None = None
    done_from: dt.date | None = None
    done_to: dt.date | None = None
    q: str | None = None
    sort: str = "deadline"
    page: int = 1

    @classmethod
    def for_list(cls, args) -> TaskFilter:
        """The task list's filter: ``from_args``, except that a list opened with no filter at
        all shows the open tasks, the most urgent first (a head's first screen is what is
        still to do, not last year's finished tasks). The default is written into the filter,
        so the page's links, its pages and its exports carry it; ``category=all`` is every
        task. A link that names any filter keeps its meaning (no category: every task)."""
        flt = cls.from_args(args)
        named = any(value.strip() for key, value in args.items(multi=True) if key != "page")
        if not named:
            flt.category, flt.sort = "open", "urgency"
        return flt

    @classmethod
    def from_args(cls, args) -> TaskFilter:
        def as_int(name, high=MAX_ID):
            return positive_int(args.get(name), high)

        def as_date(name):
            value = args.get(name)
            if not value:
                return None
            return parse_date(value)

        sort = args.get("sort") or "deadline"
        return cls(
            department=as_int("department"),
            issuer=as_int("issuer"),
            kind=args.get("kind") or None,
            category=args.get("category") or None,
            deadline_from=as_date("deadline_from"),
            deadline_to=as_date("deadline_to"),
            issued_from=as_date("issued_from"),
            issued_to=as_date("issued_to"),
            done_from=as_date("done_from"),
            done_to=as_date("done_to"),
            q=(args.get("q") or "").strip() or None,
            sort=sort if sort in SORTS else "deadline",
            page=as_int("page", MAX_PAGE) or 1,
        )

    def to_args(self, **changes) -> dict[str, str]:
        """Query-string arguments for this filter (with ``changes``), empty ones left out."""
        out = {}
        for f in fields(self):
            value = changes.get(f.name, getattr(self, f.name))
            if value in (None, "") or (f.name == "page" and value == 1):
                continue
            if f.name == "sort" and value == "deadline":
                continue
            out[f.name] = value.isoformat() if isinstance(value, dt.date) else str(value)
        return out


def filtered_query(user: User, flt: TaskFilter, today: dt.date) -> Select:
    """The ``Task`` rows ``user`` may see that match ``flt``, sorted; not yet paged."""
    query = select(Task).where(visible_tasks(user))
    if flt.issuer or flt.kind or flt.issued_from or flt.issued_to or flt.sort == "issued":
        # Only then is the document needed (the count runs on tasks alone otherwise).
        query = query.join(Document, Task.document_id == Document.id)
    if flt.department:
        query = query.where(Task.lead_department_id == flt.department)
    if flt.issuer:
        query = query.where(Document.issuer_id == flt.issuer)
    if flt.kind:
        query = query.where(Document.kind == flt.kind)
    if flt.category in CATEGORY_FILTERS:
        query = query.where(CATEGORY_FILTERS[flt.category](today))
    if flt.deadline_from:
        query = query.where(Task.deadline >= flt.deadline_from)
    if flt.deadline_to:
        query = query.where(Task.deadline <= flt.deadline_to)
    if flt.issued_from:
        query = query.where(Document.issued_on >= flt.issued_from)
    if flt.issued_to:
        query = query.where(Document.issued_on <= flt.issued_to)
    if flt.done_from:
        query = query.where(Task.done_on >= flt.done_from)
    if flt.done_to:
        query = query.where(Task.done_on <= flt.done_to)
    if flt.q:
        for word in fold(flt.q).split():
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(Task.search_text.like(f"%{escaped}%", escape="\\"))
    if flt.sort == "urgency":
        # Late first, the latest of them first; then the open ones, the nearest deadline
        # first, standing tasks after; the finished and cancelled last.
        query = query.order_by(
            case((late_condition(today), 0), (open_condition(), 1), else_=2),
            Task.deadline.is_(None),
            Task.deadline.asc(),
            Task.id,
        )
    elif flt.sort == "days_late":
        # Most days late first = oldest deadline first among open tasks; others after.
        query = query.order_by(
            case((late_condition(today), 0), else_=1),
            Task.deadline.is_(None),
            Task.deadline.asc(),
            Task.id,
        )
    elif flt.sort == "issued":
        query = query.order_by(Document.issued_on.desc(), Task.id.desc())
    elif flt.sort == "department":
        query = query.join(Department, Department.id == Task.lead_department_id).order_by(
            Department.display_order, Task.deadline.is_(None), Task.deadline.asc(), Task.id
        )
    else:
        query = query.order_by(Task.deadline.is_(None), Task.deadline.asc(), Task.id)
    return query


def with_list_relations(query: Select) -> Select:
    """A list's tasks with what a row shows; the folded search text (as long as the task's
    own text) is not read, and reading it is an error rather than a query per row."""
    return query.options(
        defer(Task.search_text, raiseload=True),
        joinedload(Task.document).joinedload(Document.issuer),
        joinedload(Task.lead_department),
        selectinload(Task.cooperating_departments),
    )


@dataclass
class Page:
    items: list[Task]
    total: int
    page: int
    per_page: int

    @property
    def window(self) -> list[int | None]:
        """The pager's links: the first and last pages and two either side of this one, None
        for a gap (worked out here: a list of 4,000 late tasks has 80 pages)."""
        shown: list[int | None] = []
        for n in range(1, self.pages + 1):
            if n == 1 or n == self.pages or abs(n - self.page) <= 2:
                shown.append(n)
            elif abs(n - self.page) == 3:
                shown.append(None)
        return shown

    @property
    def pages(self) -> int:
        return max((self.total + self.per_page - 1) // self.per_page, 1)


def task_page(
    session: Session, user: User, flt: TaskFilter, today: dt.date, per_page: int = PER_PAGE
) -> Page:
    query = filtered_query(user, flt, today)
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    # The page's ids first, sorted on the tasks' own columns and indexes; then those rows with
    # their document, issuer and units. Sorting the joined rows instead makes the database
    # carry every matching task's texts through the sort (14 ms for 5,000 overdue tasks).
    ids = list(
        session.scalars(
            query.with_only_columns(Task.id, maintain_column_froms=True)
            .limit(per_page)
            .offset((flt.page - 1) * per_page)
        )
    )
    found = (
        {task.id: task for task in session.scalars(
            with_list_relations(select(Task).where(Task.id.in_(ids)))
        ).unique()}
        if ids
        else {}
    )  # fmt: skip
    return Page([found[i] for i in ids if i in found], total or 0, flt.page, per_page)


def days_late(task: Task, today: dt.date) -> int:
    if TaskState(task.state).is_closed or task.deadline is None:
        return 0
    return max((today - task.deadline).days, 0)


def task_category(task: Task, today: dt.date) -> Category:
    """The category as of today from the current columns (``CATEGORY_FILTERS`` in Python).
    A task handed over to a successor office has a category of its own here, that no report
    counts (``classification.classify`` leaves it out)."""
    if task.state == TaskState.HANDED_OVER:
        return Category.HANDED_OVER
    if task.state == TaskState.CANCELLED:
        return Category.CANCELLED
    if task.state == TaskState.DONE:
        if task.deadline is not None and task.done_on and task.done_on > task.deadline:
            return Category.DONE_LATE
        return Category.DONE_ON_TIME
    if task.deadline is not None and task.deadline < today:
        return Category.LATE
    return Category.PENDING
