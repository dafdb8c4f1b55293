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

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.documents.drafting.deadlines import Deadline, read_deadline
from app.documents.drafting.draft import Draft, DraftTask
from app.documents.drafting.files import MAX_TEXT, UnreadableDocument, text_from_file
from app.documents.drafting.header import ITEM, read_header, read_lines
from app.documents.drafting.tasks import leads_and_cooperators, paragraphs, sentences, task_content
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
    lines = read_lines(text)
    issuers = IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id)))
    body_at = read_header(draft, lines, issuers)
    finder = UnitFinder(*units_for(session, draft.issued_on))
    work = load_calendar(session)
    for paragraph in paragraphs(lines[body_at:]):
        item = bool(ITEM.match(paragraph))
        paragraph = ITEM.sub("", paragraph, count=1)
        colon_form = re.match(r"^[^:]{3,120}:", paragraph)
        pieces = [paragraph] if colon_form and finder.find(paragraph[: colon_form.end()]) else (
            sentences(paragraph)
        )  # fmt: skip
        for sentence in pieces:
            mentions = finder.find(sentence)
            leads, cooperators, end = leads_and_cooperators(sentence, mentions, item)
            if not leads:
                continue
            deadline = read_deadline(sentence, draft.issued_on, work)
            if deadline is None and sentence is not paragraph:
                deadline = read_deadline(paragraph, draft.issued_on, work)
            content = task_content(sentence, end, deadline)
            notes = []
            if deadline is None:
                notes.append("Không thấy thời hạn: hãy nhập.")
            elif deadline.kind == "none":
                notes.append(f"Thường xuyên (“{deadline.text}”).")
            else:
                notes.append(f"Thời hạn đọc từ “{deadline.text}”.")
            if len(leads) > 1:
                notes.append("Câu giao cho nhiều đơn vị chủ trì: mỗi đơn vị một nhiệm vụ.")
            for lead in leads:
                draft.tasks.append(
                    DraftTask(content, lead, list(cooperators), deadline, sentence, list(notes))
                )
    if not draft.tasks:
        draft.notes.append("Không tìm thấy nhiệm vụ nào được giao cho đơn vị trong văn bản.")
    return draft
