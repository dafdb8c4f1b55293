"""Two levels: the tasks an office above gives to an office below, taken in, split and followed.

A unit of an office may itself be an office (``Office.parent_unit_id``: a commune's People's
Committee is a unit of the province's office). A task of the province led by that unit is
given to the commune: it waits in the commune office's intake ("Nhiệm vụ cấp trên giao") until
the commune's office takes it in, as a task of its own (``Task.upper_task_id``) on a copy of the
document and its files, led by one of its units; it may split it among its units
(``app.offices.sub_tasks``). The province then sees on its task, read only, the commune's
state, progress reports and sub-tasks (``app.offices.sides``). Requests and decisions pass
between the two through the workflow (``app.offices.upper_flow``).

The reads of the other office are deliberate (``all_offices()``) and each checks what it may
read: only tasks given to the reading office, only the files of those. They return plain
records, and the other office's rows they loaded leave the session (``forget_others``).
Plain functions over a session; views are thin.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased, joinedload

from app.documents.operations import find_same
from app.models import (
    Attachment,
    Department,
    Document,
    Issuer,
    Office,
    Task,
    User,
)
from app.models.documents import OPEN_STATES, TaskState
from app.models.history import EventKind
from app.offices.copies import copy_stored_file
from app.offices.upper_flow import UpperTaskError, forget_others, reading_across, who, working_in
from app.tasks import changes


@dataclass(frozen=True)
class FileRef:
    id: int
    filename: str
    size: int


@dataclass
class Given:
    """A task of the office above given to this office, as the intake shows it."""

    id: int
    code: str
    content: str
    deadline: dt.date | None
    deadline_written: dt.date | None
    original_deadline: dt.date | None
    state_label: str
    number: str
    kind: str
    issued_on: dt.date
    issuer: str
    summary: str
    signer: str
    files: list[FileRef] = field(default_factory=list)


def office_above(session: Session, office: Office) -> Office | None:
    """The office that gives ``office`` tasks (None: it stands for no unit above)."""
    if office.parent_id is None or office.parent_unit_id is None:
        return None
    return session.get(Office, office.parent_id)


def _given(office: Office):
    """SQL condition on ``Task``: a task of the office above led by the unit standing for
    ``office`` (open or not)."""
    return (Task.office_id == office.parent_id) & (Task.lead_department_id == office.parent_unit_id)


def _not_taken(office: Office):
    mine = aliased(Task)
    return ~exists(
        select(mine.id).where(mine.upper_task_id == Task.id, mine.office_id == office.id)
    )


def count_intake(session: Session, office: Office) -> int:
    """How many open tasks the office above gave ``office`` that it has not taken in."""
    if office_above(session, office) is None:
        return 0
    with reading_across(session):
        return session.scalar(
            select(func.count(Task.id)).where(
                _given(office), Task.state.in_(OPEN_STATES), _not_taken(office)
            )
        )


def _files_of(session: Session, documents: list[int], tasks: list[int]) -> list[Attachment]:
    """The files of these documents and the files given with these tasks (not those of their
    progress reports), within the current scope."""
    return list(
        session.scalars(
            select(Attachment)
            .where(
                or_(
                    Attachment.document_id.in_(documents),
                    Attachment.task_id.in_(tasks) & Attachment.progress_report_id.is_(None),
                )
            )
            .order_by(Attachment.id)
        )
    )


def intake(session: Session, office: Office) -> list[Given]:
    """The open tasks the office above gave ``office`` and it has not taken in, by deadline
    (standing tasks last), each with its document and files."""
    if office_above(session, office) is None:
        return []
    with reading_across(session):
        tasks = session.scalars(
            select(Task)
            .where(_given(office), Task.state.in_(OPEN_STATES), _not_taken(office))
            .options(joinedload(Task.document).joinedload(Document.issuer))
            .order_by(Task.deadline.is_(None), Task.deadline, Task.id)
        ).all()
        files = _files_of(session, [t.document_id for t in tasks], [t.id for t in tasks])
        items = []
        for task in tasks:
            document = task.document
            mine = [
                FileRef(f.id, f.filename, f.size)
                for f in files
                if f.document_id == document.id or f.task_id == task.id
            ]
            items.append(
                Given(
                    task.id,
                    task.code,
                    task.content,
                    task.deadline,
                    task.deadline_written,
                    task.original_deadline,
                    task.state_label,
                    document.number,
                    document.kind,
                    document.issued_on,
                    document.issuer.name,
                    document.summary,
                    document.signer,
                    mine,
                )  # fmt: skip
            )
    forget_others(session, office.id)
    return items


def given_task(session: Session, office: Office, task_id: int) -> Task | None:
    """The task ``task_id`` of the office above if it is given to ``office`` (else None)."""
    if office_above(session, office) is None:
        return None
    with reading_across(session):
        return session.scalar(
            select(Task)
            .where(Task.id == task_id, _given(office))
            .options(joinedload(Task.document).joinedload(Document.issuer))
        )


def given_file(session: Session, office: Office, attachment_id: int) -> Attachment | None:
    """A file the office above gave ``office`` with a task (the task's own, or its
    document's, when the document holds a task given to ``office``); None for any other."""
    if office_above(session, office) is None:
        return None
    with reading_across(session):
        item = session.scalar(
            select(Attachment).where(
                Attachment.id == attachment_id,
                Attachment.office_id == office.parent_id,
                Attachment.progress_report_id.is_(None),
            )
        )
        if item is None:
            return None
        if item.task_id is not None:
            holder = Task.id == item.task_id
        elif item.document_id is not None:
            holder = Task.document_id == item.document_id
        else:
            return None
        found = session.scalar(select(Task.id).where(holder, _given(office)).limit(1))
    return item if found is not None else None


def taken_in_as(session: Session, office: Office, upper_task_id: int) -> Task | None:
    """``office``'s task taken in from ``upper_task_id``, if it took it in (current scope:
    ``office``'s)."""
    return session.scalar(
        select(Task).where(Task.upper_task_id == upper_task_id, Task.office_id == office.id)
    )


def _issuer_like(session: Session, issuer: Issuer) -> Issuer:
    """This office's issuer of the name the office above gives its document's issuer."""
    found = session.scalar(select(Issuer).where(Issuer.name == issuer.name))
    if found is None:
        found = Issuer(name=issuer.name, short_name=issuer.short_name, organ_id=issuer.organ_id)
        session.add(found)
        session.flush()
    return found


def _copy_file(source: Attachment, by: User | None, **owner) -> Attachment | None:
    """A copy of ``source``'s file under a new stored name, for this office (None when the
    file is gone)."""
    stored = copy_stored_file(source)
    if stored is None:
        return None
    return Attachment(
        filename=source.filename,
        stored_name=stored,
        content_type=source.content_type,
        size=source.size,
        uploaded_by=by,
        **owner,
    )


def _document_copy(session: Session, upper: Task) -> tuple[Document, bool]:
    """This office's copy of the document of ``upper`` (the same one when a task of it was
    taken in before), and whether it was made now."""
    source = upper.document
    issuer = _issuer_like(session, source.issuer)
    same = find_same(session, issuer.id, source.number, source.issued_on)
    if same is not None:
        return same, False
    document = Document(
        number=source.number,
        kind=source.kind,
        issuer=issuer,
        issued_on=source.issued_on,
        summary=source.summary,
        signer=source.signer,
    )
    session.add(document)
    session.flush()
    return document, True


def take_in(
    session: Session,
    office: Office,
    upper_task_id: int,
    lead: Department | None,
    by: User,
    today: dt.date,
) -> Task:
    """``office`` (the current one) takes in the task the office above gave it: its own task
    on a copy of the document and files, led by ``lead``, due when the task given is, linked
    to it; an event in both histories. Refused (``UpperTaskError``) for a task not given to
    it, closed, or already taken in."""
    upper = given_task(session, office, upper_task_id)
    if upper is None:
        raise UpperTaskError("Không có nhiệm vụ cấp trên giao này cho cơ quan.")
    taken = taken_in_as(session, office, upper.id)
    if taken is not None:
        raise UpperTaskError(f"Nhiệm vụ này đã được tiếp nhận ({taken.code}).")
    if TaskState(upper.state).is_closed:
        raise UpperTaskError("Nhiệm vụ cấp trên giao đã kết thúc, không tiếp nhận nữa.")
    if lead is None or lead.office_id != office.id or not lead.is_active:
        raise UpperTaskError("Hãy chọn đơn vị chủ trì của cơ quan.", "lead")
    with reading_across(session):
        files = _files_of(session, [upper.document_id], [upper.id])
    document, new = _document_copy(session, upper)
    task = changes.add_task(
        session,
        document,
        content=upper.content,
        lead=lead,
        deadline_kind=upper.deadline_kind,
        deadline=upper.deadline,
        working_days=upper.deadline_working_days,
        written=upper.deadline_written,
        by=by,
        effective_on=max(today, document.issued_on),
    )
    task.upper_task_id = upper.id
    session.flush()  # the unique key refuses a second take-in made at the same moment
    for source in files:
        if source.document_id is not None and not new:
            continue  # the document was taken in before, with its files
        owner = {"document_id": document.id} if source.document_id else {"task_id": task.id}
        copy = _copy_file(source, by, **owner)
        if copy is not None:
            session.add(copy)
    above = session.get(Office, upper.office_id)
    said = f"{upper.code} – {above.name}"
    changes.note(
        session, task, EventKind.TAKEN_IN, effective_on=today, by=by, details={}, comment=said
    )
    said = f"{who(office, by)}: giao {lead.name} chủ trì"
    with working_in(session, upper.office_id):
        changes.note(
            session,
            upper,
            EventKind.TAKEN_IN_BELOW,
            effective_on=today,
            by=None,
            details={},
            comment=said,
        )
    return task
