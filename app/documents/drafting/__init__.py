"""Drafting a document and its tasks from the document's own text, for the office to confirm.

Conclusion notices and directive letters state their tasks in a regular way: "Giao Phòng Tài
nguyên và Môi trường chủ trì, phối hợp với Trung tâm Phát triển quỹ đất … trước ngày
30/11/2024", "Phòng Quản lý đô thị thành phố: … Thời gian hoàn thành: trong tháng 12/2024",
"… trong 10 ngày làm việc kể từ ngày ký", "… thực hiện thường xuyên". The reader here is a set
of rules over the text (no network service): it proposes the number, date, issuer, kind and
summary, and the tasks with their lead and cooperating units and deadlines, each with the
sentence it came from and what it could and could not read. Nothing is saved from here.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.core.i18n import N_, Message
from app.documents.drafting.body import BodyReader
from app.documents.drafting.deadlines import Deadline, read_deadline
from app.documents.drafting.draft import Draft, DraftTask
from app.documents.drafting.files import MAX_TEXT, UnreadableDocument, text_from_file
from app.documents.drafting.header import read_header, read_lines, read_signer
from app.documents.drafting.ocr import OCR_MARK
from app.documents.drafting.units import UnitFinder, unit_aliases, units_for
from app.importing.issuers import IssuerIndex
from app.models import Issuer

__all__ = [
    "MAX_TEXT",
    "Deadline",
    "Draft",
    "DraftTask",
    "UnitFinder",
    "UnreadableDocument",
    "draft_from_text",
    "read_deadline",
    "text_from_file",
    "unit_aliases",
    "units_for",
]


def draft_from_text(session: Session, text: str) -> Draft:
    """The proposal for a document's text (see the module's docstring)."""
    draft = Draft()
    if text.startswith(OCR_MARK):  # a scan read by OCR (files.py): said, and read the same
        first, _, text = text.partition("\n")
        draft.from_ocr = True
        draft.notes.append(
            Message(
                N_(
                    "Văn bản là bản quét, được đọc bằng nhận dạng chữ (OCR): hãy đối chiếu kỹ với "
                    "bản gốc."
                )
            )
        )
        if first.strip() != OCR_MARK:
            read, pages = first.removeprefix(OCR_MARK).strip().split("/")
            draft.notes.append(
                Message(
                    N_("Chỉ kịp nhận dạng %(read)s/%(pages)s trang đầu của bản quét."),
                    read=read,
                    pages=pages,
                )
            )
    lines = read_lines(text)
    issuers = IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id)))
    body_at = read_header(draft, lines, issuers)
    draft.signer = read_signer(lines[body_at:])
    finder = UnitFinder(*units_for(session, draft.issued_on))
    BodyReader(draft, finder, load_calendar(session)).read(lines[body_at:])
    if not draft.tasks:
        draft.notes.append(
            Message(N_("Không tìm thấy nhiệm vụ nào được giao cho đơn vị trong văn bản."))
        )
    return draft
