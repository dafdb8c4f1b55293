"""The successor office's copy of a task an ended office hands over: its document (under an
issuer of the successor's own), its files, its units by name (``app.offices.handover``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.attachments import attachment_path, storage_dir, stored_name_for
from app.core.office_scope import use_office
from app.core.private import write_private
from app.models import Attachment, Department, Document, Issuer, Office, Task, User
from app.models.documents import TaskState, task_code
from app.models.history import EventKind
from app.offices.successors import Place, units_on
from app.tasks.changes import _event
from app.units.checks import name_key


@dataclass
class Copier:
    """Writes the copies of one hand-over, remembering each successor's issuers, documents and
    units as it goes, and the files it wrote."""

    session: Session
    by: User | None
    on: dt.date
    issuers: dict[tuple[int, int], Issuer] = field(default_factory=dict)
    documents: dict[tuple[int, int], Document] = field(default_factory=dict)
    units: dict[int, dict[str, Department]] = field(default_factory=dict)
    written: list[Path] = field(default_factory=list)  # files copied, for a failed save

    def same_named(self, office: Office) -> dict[str, Department]:
        """The successor's units on the end date by name (case and spacing aside)."""
        if office.id not in self.units:
            found = units_on(self.session, [office], self.on)[office.id]
            self.units[office.id] = {name_key(u.name): u for u in found}
        return self.units[office.id]

    def issuer(self, office: Office, issuer: Issuer) -> Issuer:
        """The successor's own issuer by that name, added when it has none."""
        key = (office.id, issuer.id)
        if key not in self.issuers:
            mine = self.session.scalar(select(Issuer).where(Issuer.name == issuer.name))
            if mine is None:
                last = self.session.scalar(select(func.max(Issuer.display_order))) or 0
                mine = Issuer(
                    office_id=office.id,
                    name=issuer.name,
                    short_name=issuer.short_name,
                    display_order=last + 1,
                    organ_id=issuer.organ_id,
                )
                self.session.add(mine)
                self.session.flush()
            self.issuers[key] = mine
        return self.issuers[key]

    def document(self, office: Office, document: Document) -> Document:
        """The document in the successor office: the one it has already (the same issuer's
        number that year), or a copy with the document's files."""
        key = (office.id, document.id)
        if key not in self.documents:
            issuer = self.issuer(office, document.issuer)
            mine = self.session.scalar(
                select(Document).where(
                    Document.issuer_id == issuer.id,
                    Document.number == document.number,
                    Document.issued_year == document.issued_year,
                )
            )
            if mine is None:
                mine = Document(
                    office_id=office.id,
                    number=document.number,
                    kind=document.kind,
                    issuer=issuer,
                    issued_on=document.issued_on,
                    summary=document.summary,
                    signer=document.signer,
                )
                self.session.add(mine)
                self.session.flush()
                with use_office(document.office_id):  # the ended office's rows
                    items = attachments_of(self.session, document_id=document.id)
                for item in items:
                    self.file(office, item, document_id=mine.id)
            self.documents[key] = mine
        return self.documents[key]

    def file(self, office: Office, item: Attachment, **owner) -> None:
        """A copy of ``item``'s row and file for the successor (a file gone from the disk is
        not copied: there is nothing to open)."""
        stored = copy_stored_file(item)
        if stored is None:
            return
        self.written.append(storage_dir() / stored)
        self.session.add(
            Attachment(
                office_id=office.id,
                filename=item.filename,
                stored_name=stored,
                content_type=item.content_type,
                size=item.size,
                uploaded_by_id=item.uploaded_by_id,
                **owner,
            )
        )


def copy_stored_file(item: Attachment) -> str | None:
    """A copy of ``item``'s file on the disk under a new stored name (returned), for a row of
    another office; None when the file is gone (there is nothing to open)."""
    source = attachment_path(item)
    if not source.exists():
        return None
    stored = stored_name_for(Path(item.stored_name).suffix.lower())
    write_private(storage_dir() / stored, source.read_bytes())
    return stored


def attachments_of(session: Session, **owner) -> list[Attachment]:
    query = select(Attachment).order_by(Attachment.id)
    for name, value in owner.items():
        query = query.where(getattr(Attachment, name) == value)
    return list(session.scalars(query))


def according_to(text: str, decision: str) -> str:
    return f"{text} theo {decision}" if decision else text


def _state_received(task: Task) -> str:
    """The copy's state: not started stays so; any work begun (a request for the ended office
    to confirm among it) is work in progress for the successor."""
    return TaskState.OPEN if task.state == TaskState.OPEN else TaskState.IN_PROGRESS


def receive(
    session: Session,
    copier: Copier,
    task: Task,
    place: Place,
    files: list[Attachment],
    cooperating: list[Department],
    ended: Office,
    decision: str,
) -> Task:
    """The successor's copy of ``task`` (call within the successor's office), led by the
    place's unit, with the cooperating units the successor has by name, the task's files and
    a first event "Tiếp nhận từ …" effective from the end date."""
    office, unit = place.office, place.unit
    document = copier.document(office, task.document)
    same_named = copier.same_named(office)
    cooperators = []
    for old in cooperating:
        mine = same_named.get(name_key(old.name))
        if mine is not None and mine is not unit and mine not in cooperators:
            cooperators.append(mine)
    state = _state_received(task)
    copy = Task(
        office_id=office.id,
        document=document,
        content=task.content,
        lead_department=unit,
        cooperating_departments=cooperators,
        deadline_kind=task.deadline_kind,
        deadline_working_days=task.deadline_working_days,
        deadline=task.deadline,
        original_deadline=task.original_deadline,
        deadline_written=task.deadline_written,
        state=state,
        note=task.note,
        handed_from_task_id=task.id,
    )
    session.add(copy)
    session.flush()
    text = f"Tiếp nhận từ {ended.name} ({task_code(task.id)})"
    _event(session, copy, EventKind.RECEIVED, copier.on, copier.by, None, office_id=office.id,
           state=state, sets_deadline=True, deadline=task.deadline,
           comment=according_to(text, decision))  # fmt: skip
    for item in files:
        copier.file(office, item, task_id=copy.id)
    session.flush()  # within the successor's office
    return copy
