"""What the office does with an entry of the queue: take a new document in (the document
reader proposes its tasks from the main attachment, the office confirms them on the usual
document form), or apply a recall, update or replacement of a document taken in before, after
seeing what it changes. Nothing changes before the office confirms."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.orm import Session

from app.core.attachments import attachment_path
from app.core.timeutil import local_today, utcnow
from app.documents.drafting import Draft, UnreadableDocument, draft_from_text
from app.documents.drafting.isolated import read_file_text
from app.documents.operations import save_document
from app.edxml.status import queue_for
from app.models import Attachment, Document, User
from app.models.documents import TaskState
from app.models.edxml import IntakeEntry, IntakeFile
from app.tasks.workflow import cancel_task

READABLE = (".pdf", ".docx", ".txt")


def main_file(entry: IntakeEntry) -> IntakeFile | None:
    """The file the tasks are read from: the first PDF or Word file the package brought."""
    return next((f for f in entry.files if f.filename.lower().endswith(READABLE)), None)


def draft_for(session: Session, entry: IntakeEntry) -> tuple[Draft, str]:
    """The reader's proposal for the entry (and why the main file could not be read, if it
    could not): its text from the main attachment, read in the bounded child process, else
    the package's Subject and Content; the document's own fields from the package."""
    text, problem = "", ""
    main = main_file(entry)
    if main is not None:
        try:
            text = read_file_text(
                attachment_path(main).read_bytes(),
                main.filename,
                current_app.config.get("DRAFT_READ_SECONDS"),
                current_app.config.get("DRAFT_READ_MEMORY_MB"),
            )
        except (UnreadableDocument, OSError) as error:
            problem = str(error)
    if not text.strip():
        text = "\n".join(p for p in (entry.subject, entry.content) if p)
    draft = draft_from_text(session, text)
    draft.number, draft.issued_on = entry.number, entry.issued_on
    draft.issuer = entry.issuer or draft.issuer
    draft.kind = entry.kind or draft.kind
    draft.summary = entry.subject or draft.summary
    draft.signer = entry.signer or draft.signer
    if entry.due_date is not None:
        from app.documents.drafting.deadlines import Deadline

        for task in draft.tasks:
            if task.deadline is None:
                text = entry.due_date.strftime("%d/%m/%Y")
                task.deadline = Deadline("date", entry.due_date, None, text, 0, 0)
    return draft, problem


def _attach(entry: IntakeEntry, document: Document, user: User | None) -> list[Attachment]:
    return [
        Attachment(
            filename=f.filename,
            stored_name=f.stored_name,
            content_type=f.content_type,
            size=f.size,
            uploaded_by=user,
            document_id=document.id,
        )
        for f in entry.files
    ]


def take_in(session: Session, entry_id: int, document: Document, user: User) -> bool:
    """The document saved from the entry's form: the entry taken, its files kept with the
    document, the statuses 03 (and 04, its tasks assigned) queued."""
    entry = session.get(IntakeEntry, entry_id)
    if entry is None or entry.state != "pending" or entry.business_type != "0":
        return False
    entry.document = document
    entry.state, entry.handled_at, entry.handled_by_id = "taken", utcnow(), user.id
    session.add_all(_attach(entry, document, user))
    session.flush()
    queue_for(session, entry, user.full_name)
    return True


@dataclass
class Change:
    field: str
    before: str
    after: str


def _text(value) -> str:
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return str(value or "")


def what_changes(entry: IntakeEntry) -> list[Change]:
    """What applying the entry (1 recall, 2 update, 3 replacement) would change."""
    document = entry.document
    if document is None:
        return []
    if entry.business_type == "1":
        open_tasks = [t for t in document.tasks if not TaskState(t.state).is_closed]
        return [Change(f"Nhiệm vụ: {t.content[:80]}", t.state_label, "Hủy") for t in open_tasks]
    if entry.business_type == "3":
        return [Change("Tệp văn bản", "(giữ bản cũ)", f.filename) for f in entry.files]
    pairs = (
        ("Số ký hiệu", document.number, entry.number),
        ("Loại văn bản", document.kind, entry.kind),
        ("Ngày ban hành", document.issued_on, entry.issued_on),
        ("Trích yếu", document.summary, entry.subject),
        ("Người ký", document.signer, entry.signer),
    )
    changes = [Change(f, _text(a), _text(b)) for f, a, b in pairs if _text(a) != _text(b) and b]
    changes += [Change("Tệp văn bản", "", f.filename) for f in entry.files]
    return changes


def apply_change(session: Session, entry: IntakeEntry, user: User) -> int:
    """Apply a recall, update or replacement the office confirmed; returns how many things
    changed. ``ValueError`` when the entry cannot be applied."""
    document = entry.document
    if entry.state != "pending" or entry.business_type == "0" or document is None:
        raise ValueError("Mục này không thể áp dụng.")
    changed = len(what_changes(entry))
    if entry.business_type == "1":
        reason = entry.reason or f"Văn bản bị thu hồi ({entry.sender_name})."
        for task in list(document.tasks):
            if not TaskState(task.state).is_closed:  # a handed-over task too
                cancel_task(session, task, user, f"Thu hồi văn bản: {reason}", local_today())
    elif entry.business_type == "2":
        save_document(
            session,
            document,
            issuer_id=document.issuer_id,
            number=entry.number or document.number,
            issued_on=entry.issued_on or document.issued_on,
            kind=entry.kind or document.kind,
            summary=entry.subject or document.summary,
            signer=entry.signer or document.signer,
        )
    if entry.business_type in ("2", "3"):
        session.add_all(_attach(entry, document, user))
    entry.state, entry.handled_at, entry.handled_by_id = "applied", utcnow(), user.id
    session.flush()
    return changed
