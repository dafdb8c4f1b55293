"""Rows that name one document twice: one issuer's number in one year is one document
(``app.documents.operations``), so its rows, and the document stored here, agree on its date."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.documents.operations import same_key, stored_by_key
from app.importing.checking import TaskRow
from app.importing.columns import TASK_COLUMNS
from app.importing.issuers import issuer_key
from app.importing.reader import Problem

SAME = "cùng cơ quan, cùng số trong một năm là một văn bản"


def check_same_documents(session: Session, rows: list[TaskRow], problems: list[Problem]) -> None:
    """A row dated otherwise than an earlier row, or than the stored document, of its issuer's
    number that year is a problem (its issuer resolved already: ``_resolve_issuers``)."""
    column = TASK_COLUMNS["issued_on"]
    first: dict[tuple, TaskRow] = {}
    for item in rows:
        issuer = ("id", item.issuer_found.id) if item.issuer_found else issuer_key(item.issuer)
        earlier = first.setdefault((issuer, item.number, item.issued_on.year), item)
        if earlier.issued_on != item.issued_on:
            problems.append(
                item.row.problem(
                    column,
                    f"văn bản {item.number} đã ghi ngày ban hành {earlier.issued_on:%d/%m/%Y} ở "
                    f"dòng {earlier.row.number}: {SAME}.",
                )
            )
    known = [item for item in rows if item.issuer_found is not None]
    stored = stored_by_key(session, (item.number for item in known))
    for item in known:
        document = stored.get(same_key(item.issuer_found.id, item.number, item.issued_on))
        if document is not None and document.issued_on != item.issued_on:
            problems.append(
                item.row.problem(
                    column,
                    f"đã có văn bản {item.number} của cơ quan này ban hành ngày "
                    f"{document.issued_on:%d/%m/%Y}: {SAME}; sửa ngày ban hành hoặc số.",
                )
            )
