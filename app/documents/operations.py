"""Creating, changing and finding documents: the one way for the web form, the API, the
spreadsheet import and the archive import.

"The same document" is one issuer's number in one calendar year. An issuing body numbers its
documents from 1 again every year, so "45/TB-UBND" of 2025 and "45/TB-UBND" of 2026 are two
documents, while two "45/TB-UBND" of one body dated in one year are one document entered twice
(or a mistyped date). The number is compared as written (trimmed of surrounding spaces). The
database enforces it: the unique key (issuer_id, number, issued_year), the year kept by the
model beside the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Department, Document, Issuer, User
from app.tasks.changes import add_task
from app.units.reorganise import hand_over_stranded

CHUNK = 500  # numbers read in one query


class SameKey(NamedTuple):
    """What makes two documents the same: the issuer, the number, the year."""

    issuer_id: int | None
    number: str
    year: int


def same_key(issuer_id: int | None, number: str, issued_on: dt.date) -> SameKey:
    return SameKey(issuer_id, number, issued_on.year)


def key_of(document: Document) -> SameKey:
    return same_key(document.issuer_id, document.number, document.issued_on)


class SameDocumentExists(Exception):
    """The issuer already has a document of this number in this year (``existing``)."""

    def __init__(self, existing: Document) -> None:
        super().__init__(f"{existing.number} ({existing.issued_on:%d/%m/%Y})")
        self.existing = existing


def find_same(
    session: Session,
    issuer_id: int,
    number: str,
    issued_on: dt.date,
    excluding: Document | None = None,
) -> Document | None:
    """The stored document that is the same as this one (``excluding`` itself), if any."""
    query = select(Document).where(
        Document.issuer_id == issuer_id,
        Document.number == number,
        Document.issued_year == issued_on.year,
    )
    if excluding is not None and excluding.id is not None:
        query = query.where(Document.id != excluding.id)
    return session.scalar(query)


def stored_by_key(session: Session, numbers: Iterable[str]) -> dict[SameKey, Document]:
    """The stored documents of these numbers, by their key: for an import that looks up a
    whole batch at once."""
    numbers = sorted(set(numbers))
    found = {}
    for start in range(0, len(numbers), CHUNK):
        query = select(Document).where(Document.number.in_(numbers[start : start + CHUNK]))
        for document in session.scalars(query):
            found[key_of(document)] = document
    return found


def new_document(session: Session, **fields) -> Document:
    """A new document added to the session, neither checked nor flushed: for the imports,
    which look up the same documents of a whole batch first (``stored_by_key``); the database
    refuses one they missed."""
    document = Document(**fields)
    session.add(document)
    return document


def save_document(
    session: Session,
    document: Document | None,
    *,
    issuer_id: int,
    number: str,
    issued_on: dt.date,
    kind: str | None = "",
    summary: str | None = "",
    signer: str | None = "",
) -> Document:
    """Create (``document`` None) or change a document, texts trimmed, and flush it. Raises
    ``SameDocumentExists``, changing nothing, when the issuer has another document of this
    number in this year, found first or, written meanwhile, refused by the database."""
    number = number.strip()
    same = find_same(session, issuer_id, number, issued_on, excluding=document)
    if same is not None:
        raise SameDocumentExists(same)
    issuer = session.get(Issuer, issuer_id)  # before any change: it may autoflush
    if document is None:
        document = Document()
    try:
        with session.begin_nested():
            document.number = number
            document.kind = (kind or "").strip()
            document.issuer = issuer
            document.issued_on = issued_on
            document.summary = (summary or "").strip()
            document.signer = (signer or "").strip()
            session.add(document)
            session.flush()
    except IntegrityError:
        same = find_same(session, issuer_id, number, issued_on, excluding=document)
        if same is None:
            raise
        raise SameDocumentExists(same) from None
    return document


class PlannedTask(NamedTuple):
    """A task of a new document, its deadline resolved."""

    content: str
    lead: Department
    cooperators: list[Department]
    deadline_kind: str
    deadline: dt.date | None
    working_days: int | None
    written: dt.date | None = None  # the day the document wrote, when it fell on a day off


def create_document(
    session: Session, tasks: list[PlannedTask], by: User | None, **fields
) -> Document:
    """A new document (``save_document``'s fields) with its tasks, flushed."""
    document = save_document(session, None, **fields)
    for task in tasks:
        add_task(
            session,
            document,
            content=task.content,
            lead=task.lead,
            cooperators=task.cooperators,
            deadline_kind=task.deadline_kind,
            deadline=task.deadline,
            working_days=task.working_days,
            written=task.written,
            by=by,
        )
    hand_over_if_ended(session, [u for t in tasks for u in (t.lead, *t.cooperators)], by)
    return document


def hand_over_if_ended(session: Session, units: Iterable[Department | None], by) -> None:
    """When a document names a unit a merger has ended since (an older document's open task):
    its open tasks are handed over to its successor from the merger's date, as the merger did
    with the others."""
    if any(unit is not None and unit.ended_on for unit in units):
        session.flush()
        hand_over_stranded(session, by)
