"""An office ends on a date and hands its open tasks to successor offices.

1 July 2025: the city's People's Committee office ends; each of its tasks still open that day
goes on in one of the offices that took its work over (a ward's office, the province's), led
there by a unit of that office. As a unit split does, the end is planned first (``plan_end``:
the open tasks, each with the office and the unit that takes it, every check, nothing written;
what the page and the command show) and carried out only when every task has a place
(``apply_end``, in the caller's one transaction):

- each task gets a copy in its successor office: the document copied there (under an issuer
  of that office's own, with its files), the content, the deadline, the chosen unit as lead,
  the cooperating units whose names that office also has, the task's files, and a first event
  "Tiếp nhận từ …" effective from the end date; the copy names the task it continues
  (``Task.handed_from_task_id``);
- the ended office's task is closed from that date with the state "handed over" (its own
  event): as of any earlier date every report says what it said; from that date it is neither
  open, nor done, nor cancelled there (``app.core.classification``), and the successor's copy
  counts instead;
- the office's recurring duties stop, and the office ends (``Office.ended_on``).

A task open on the end date is one the as-of rule finds open that day; a task closed before
stays where it is. ``HandoverError`` (a message for the user, in Vietnamese, one line per
problem) comes before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload, selectinload

from app.core.classification import open_statuses
from app.core.office_scope import all_offices, use_office
from app.models import Department, Document, Office, Series, Task, User
from app.models.documents import OPEN_STATES, TaskState, task_code
from app.models.history import EventKind
from app.offices.copies import Copier, according_to, attachments_of, receive
from app.offices.successors import Place, proposed_places, successor_offices, units_on
from app.tasks.changes import _event, snapshot
from app.units.checks import DECISION_LENGTH, format_day, name_key

__all__ = [
    "EndPlan",
    "Handover",
    "HandoverError",
    "Place",
    "apply_end",
    "commit_end",
    "links_of",
    "open_tasks_on",
    "plan_end",
    "proposed_places",
    "successor_offices",
    "units_on",
]

MAX_PROBLEMS_SHOWN = 20


class HandoverError(ValueError):
    """An office end that cannot be saved; ``problems``: one line each, for the user."""

    def __init__(self, heading: str, problems: Iterable[str] = ()) -> None:
        self.heading = heading
        self.problems = list(problems)
        shown = self.problems[:MAX_PROBLEMS_SHOWN]
        if len(self.problems) > MAX_PROBLEMS_SHOWN:
            shown.append(f"… và {len(self.problems) - MAX_PROBLEMS_SHOWN} nhiệm vụ khác")
        super().__init__("\n".join([heading, *shown]))


@dataclass
class EndPlan:
    office: Office
    on: dt.date
    tasks: list[Task]  # open on ``on``, in id order
    places: dict[int, Place] = field(default_factory=dict)  # task id → its place
    series: list[Series] = field(default_factory=list)  # the recurring duties that stop

    def successors(self) -> list[Office]:
        """The offices that receive tasks, each once, in the order of the tasks."""
        return list(dict.fromkeys(p.office for p in self.places.values()))

    def counts(self) -> list[tuple[Office, int]]:
        """How many tasks each successor receives."""
        return [
            (office, sum(1 for p in self.places.values() if p.office is office))
            for office in self.successors()
        ]

    def fingerprint(self, decision: str = "") -> str:
        """A digest of everything the end would do: a confirmation that no longer has it (a
        task changed, an input changed) is shown the plan again instead of saving."""
        signature = {
            "office": self.office.id,
            "on": self.on.isoformat(),
            "tasks": [
                [t.id, t.version, self.places[t.id].office.id, self.places[t.id].unit.id]
                for t in self.tasks
            ],
            "series": [s.id for s in self.series],
            "decision": (decision or "").strip(),
        }
        text = json.dumps(signature, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()


# -- what there is to hand over ----------------------------------------------------------


def open_tasks_on(session: Session, office: Office, day: dt.date) -> list[Task]:
    """The office's tasks open on ``day`` by the as-of rule (and any still open whose document
    is dated later), in id order, with what the hand-over reads of them."""
    with use_office(office.id):
        ids = set(open_statuses(session, day))
        ids |= set(
            session.scalars(
                select(Task.id)
                .join(Document, Document.id == Task.document_id)
                .where(Task.state.in_(OPEN_STATES), Document.issued_on > day)
            )
        )
        if not ids:
            return []
        return list(
            session.scalars(
                select(Task)
                .where(Task.id.in_(sorted(ids)))
                .options(
                    joinedload(Task.document).joinedload(Document.issuer),
                    joinedload(Task.lead_department),
                    selectinload(Task.cooperating_departments),
                )
                .order_by(Task.id)
            ).unique()
        )


def active_series(session: Session, office: Office) -> list[Series]:
    with use_office(office.id):
        return list(
            session.scalars(select(Series).where(Series.active.is_(True)).order_by(Series.id))
        )


# -- the plan -------------------------------------------------------------------------------


def _check_office(office: Office, on: dt.date, today: dt.date) -> None:
    if office.ended_on is not None:
        raise HandoverError(
            f"Cơ quan “{office.name}” đã kết thúc từ ngày {format_day(office.ended_on)}."
        )
    if on > today:
        raise HandoverError(
            f"Ngày kết thúc {format_day(on)} sau hôm nay: chỉ nhập khi đã có hiệu lực."
        )
    if office.created_on is not None and on <= office.created_on:
        raise HandoverError(
            f"Cơ quan “{office.name}” được thành lập ngày {format_day(office.created_on)}: "
            "ngày kết thúc phải sau ngày đó."
        )


def plan_end(
    session: Session,
    office: Office,
    on: dt.date,
    assign: Mapping[int, tuple[str, str] | Place | None],
    *,
    today: dt.date,
) -> EndPlan:
    """Check that ``office`` may end on ``on`` with each of its tasks open that day placed as
    ``assign`` says (task id → (successor office code, unit name), or a ``Place``); the plan,
    or ``HandoverError`` listing every task without a valid place."""
    _check_office(office, on, today)
    tasks = open_tasks_on(session, office, on)
    offices = successor_offices(session, office, on)
    units = units_on(session, offices, on)
    by_code = {o.code.casefold(): o for o in offices}
    plan = EndPlan(office, on, tasks, series=active_series(session, office))
    problems = []
    listed = {t.id for t in tasks}
    for task_id in sorted(k for k in assign if k not in listed):
        problems.append(
            f"{task_code(task_id)}: không phải nhiệm vụ đang mở của cơ quan ngày {format_day(on)}."
        )
    for task in tasks:
        wanted = assign.get(task.id)
        code = task_code(task.id)
        if isinstance(wanted, Place):
            wanted = (wanted.office.code, wanted.unit.name)
        office_code, unit_name = wanted if wanted else ("", "")
        office_code, unit_name = (office_code or "").strip(), " ".join((unit_name or "").split())
        if not office_code or not unit_name:
            problems.append(f"{code}: chưa chọn cơ quan và đơn vị nhận.")
            continue
        target = by_code.get(office_code.casefold())
        if target is None:
            problems.append(
                f"{code}: “{office_code[:40]}” không phải cơ quan kế thừa "
                f"(một cơ quan khác còn hoạt động ngày {format_day(on)})."
            )
            continue
        unit = next((u for u in units[target.id] if name_key(u.name) == name_key(unit_name)), None)
        if unit is None:
            problems.append(
                f"{code}: {target.name} không có đơn vị “{unit_name[:80]}” "
                f"đang hoạt động ngày {format_day(on)}."
            )
            continue
        plan.places[task.id] = Place(target, unit)
    if problems:
        raise HandoverError(
            f"Mỗi nhiệm vụ đang mở ngày {format_day(on)} phải có cơ quan và đơn vị nhận "
            "(chưa ghi gì):",
            problems,
        )
    return plan


# -- carrying it out ------------------------------------------------------------------------


@dataclass
class Handover:
    """What ``apply_end`` did: each task's copy (by the ended office's task id), and the
    files it wrote (removed by ``commit_end`` when the save fails)."""

    copies: dict[int, Task]
    files: list[Path]


def apply_end(
    session: Session, plan: EndPlan, *, decision: str = "", by: User | None = None
) -> Handover:
    """Carry ``plan`` out (the module's docstring) and flush; the caller commits once."""
    decision = " ".join((decision or "").split())
    if len(decision) > DECISION_LENGTH:
        raise HandoverError(f"Căn cứ (quyết định) dài quá {DECISION_LENGTH} ký tự.")
    office, on = plan.office, plan.on
    copier = Copier(session, by, on)
    copies: dict[int, Task] = {}
    for task in plan.tasks:
        place = plan.places[task.id]
        with use_office(office.id):
            files = attachments_of(session, task_id=task.id)
            cooperating = list(task.cooperating_departments)
        with use_office(place.office.id):
            copies[task.id] = receive(
                session, copier, task, place, files, cooperating, office, decision
            )
        with use_office(office.id):
            before = snapshot(task)
            task.state = TaskState.HANDED_OVER
            task.done_on = None
            task.closed_on = on
            session.flush()
            text = f"Chuyển giao cho {place.office.name} ({place.unit.name})"
            _event(session, task, EventKind.HANDED_OVER, on, by, before, office_id=office.id,
                   state=TaskState.HANDED_OVER, comment=according_to(text, decision))  # fmt: skip
            session.flush()  # within the office: a row's default office is read at the flush
    with use_office(office.id):
        for series in plan.series:
            series.active = False
            series.stopped_on = on
        office.ended_on = on
        session.flush()
    return Handover(copies, copier.written)


def commit_end(
    session: Session, plan: EndPlan, *, decision: str = "", by: User | None = None
) -> Handover:
    """``apply_end`` and commit, all or nothing: on any failure the transaction is rolled back
    and the files copied are removed."""
    done = None
    try:
        done = apply_end(session, plan, decision=decision, by=by)
        session.commit()
    except BaseException:
        session.rollback()
        for path in done.files if done else []:
            path.unlink(missing_ok=True)
        raise
    return done


# -- what a task page says about it ------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """The other side of a hand-over: its office, its task's code, the unit leading it."""

    office: Office
    task_id: int
    unit: str

    @property
    def code(self) -> str:
        return task_code(self.task_id)


def links_of(session: Session, task: Task) -> tuple[Link | None, Link | None]:
    """(where ``task`` came from, where it went): the ended office's task a copy continues,
    and the successor's copy of a task handed over. A read across offices of these few
    words only (each side's users see the other side's office, code and unit, nothing more)."""
    came = went = None
    with all_offices():
        if task.handed_from_task_id is not None:
            row = session.execute(
                select(Office, Task.id, Department.name)
                .join(Task, Task.office_id == Office.id)
                .join(Department, Department.id == Task.lead_department_id)
                .where(Task.id == task.handed_from_task_id)
            ).first()
            if row is not None:
                came = Link(*row)
        if task.state == TaskState.HANDED_OVER:
            row = session.execute(
                select(Office, Task.id, Department.name)
                .join(Task, Task.office_id == Office.id)
                .join(Department, Department.id == Task.lead_department_id)
                .where(Task.handed_from_task_id == task.id)
                .order_by(Task.id)
                .limit(1)
            ).first()
            if row is not None:
                went = Link(*row)
    return came, went
