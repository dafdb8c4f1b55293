"""Reading a document's body into tasks, and listing every sentence that names a unit or holds a
deadline and did not become one ("Câu chưa thành nhiệm vụ"), with the reason: nothing is
dropped silently.

A body states its tasks as sentences ("Giao Phòng … chủ trì …"), as items under a unit's
heading ("Phòng Tài chính – Kế hoạch thành phố:" then a), b) or dashes), or as the rows of a
table of tasks (STT | Nội dung | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian hoàn thành).
"""

from __future__ import annotations

import re

from app.core.deadlines import WorkCalendar
from app.core.i18n import N_, Message
from app.core.textnorm import fold_same_length
from app.documents.drafting.deadlines import Deadline, read_deadline
from app.documents.drafting.draft import Draft, DraftTask, Skipped
from app.documents.drafting.header import ITEM
from app.documents.drafting.tasks import (
    _cooperators_span,
    leads_and_cooperators,
    paragraphs,
    sentences,
    task_content,
)
from app.documents.drafting.units import UnitFinder

ATTENDANCE = re.compile(r"^\s*(?:du (?:hoi nghi|hop|buoi)|tham du|thanh phan|co mat|cung du)\b")
REMARK = re.compile(
    r"\b(?:ghi nhan|danh gia cao|bieu duong|bieu duong|khen ngoi|bao cao cho biet)\b"
)
FOLLOW_UP = re.compile(r"\btheo doi,? (?:don doc|tong hop)|\bdon doc,? (?:theo doi|kiem tra)")
BODY = re.compile(
    r"(?:^|\b(?:giao|de nghi|yeu cau)\s+)((?:so|cong an|ubnd|uy ban nhan dan|chu tich ubnd|"
    r"chu tich uy ban|uy ban mat tran|ban thuong vu|ban tuyen giao|ban dan van|thanh uy|"
    r"tinh uy|bo|cuc|"
    r"mat tran|doan|hoi|bch|van phong)(?:\s+[^\s,.;:]+){1,12}?)"
    r"(?=\s+(?:chu tri|phoi hop|chi dao|khan truong|thuc hien|tham muu|kiem tra|xay dung|"
    r"to chuc|theo doi)\b|\s*[,.;:]|$)"
)
NO_LEAD = Message(N_("không thấy đơn vị chủ trì"))
OUTSIDE = N_("đơn vị chủ trì không thuộc danh mục: %(body)s")


def _outside_body(sentence: str) -> str:
    """The body outside the unit list a sentence assigns ("Sở Xây dựng", "UBND thành phố")."""
    folded = fold_same_length(sentence)
    start = ITEM.match(folded)
    match = BODY.search(folded, start.end() if start else 0)
    if match is None:
        return ""
    return sentence[match.start(1) : match.end(1)].strip()


def _reason(sentence: str, mentions, deadline: Deadline | None) -> str | None:
    """Why a sentence is not a task, or None when it is neither about a unit nor a deadline."""
    folded = fold_same_length(sentence)
    if ATTENDANCE.search(folded):
        return Message(N_("danh sách dự họp, không phải nhiệm vụ"))
    if REMARK.search(folded):
        return Message(N_("có vẻ là nhận xét"))
    if FOLLOW_UP.search(folded):
        return Message(N_("việc theo dõi, đôn đốc của văn phòng"))
    body = _outside_body(sentence)
    if body and (mentions or deadline is not None or re.search(r"giao|chu tri", folded)):
        return Message(OUTSIDE, body=body)
    if mentions or deadline is not None:
        return NO_LEAD
    return None


def _notes(deadline: Deadline | None, leads: int) -> list[str]:
    if deadline is None:
        notes = [Message(N_("Không thấy thời hạn: hãy nhập."))]
    elif deadline.kind == "none":
        notes = [Message(N_("Thường xuyên (“%(text)s”)."), text=deadline.text)]
    elif deadline.kind == "recurring":
        notes = [
            Message(
                N_("Nhiệm vụ định kỳ (“%(text)s”): đề xuất một chuỗi định kỳ."), text=deadline.text
            )
        ]
    elif deadline.kind == "event":
        notes = [
            Message(
                N_("Thời hạn tính từ một sự việc chưa rõ ngày (“%(text)s”): hãy nhập."),
                text=deadline.text,
            )
        ]
    else:
        notes = [Message(N_("Thời hạn đọc từ “%(text)s”."), text=deadline.text)]
    if leads > 1:
        notes.append(Message(N_("Câu giao cho nhiều đơn vị chủ trì: mỗi đơn vị một nhiệm vụ.")))
    return notes


def _add(draft: Draft, content: str, leads, cooperators, deadline, source: str) -> None:
    for lead in leads:
        notes = _notes(deadline, len(leads))
        draft.tasks.append(DraftTask(content, lead, list(cooperators), deadline, source, notes))


class BodyReader:
    def __init__(self, draft: Draft, finder: UnitFinder, work: WorkCalendar) -> None:
        self.draft, self.finder, self.work = draft, finder, work
        self.columns: dict[str, int] | None = None  # of the table of tasks being read
        self.heading = None  # the unit whose heading the items below belong to

    def read(self, lines: list[str]) -> None:
        self.finder.learn_definitions("\n".join(lines))
        for paragraph in paragraphs(lines):
            if paragraph.startswith("|"):
                self.row([c.strip() for c in paragraph.strip().strip("|").split("|")], paragraph)
                continue
            self.columns = None
            self.paragraph(paragraph)

    def row(self, cells: list[str], source: str) -> None:
        from app.documents.drafting.layout import is_task_header

        if is_task_header(cells):
            self.columns = {}
            for index, cell in enumerate(cells):
                title = fold_same_length(cell).lower()
                for key, words in (("content", ("noi dung", "nhiem vu", "cong viec")),
                                   ("lead", ("chu tri",)), ("coop", ("phoi hop",)),
                                   ("deadline", ("thoi gian", "thoi han", "tien do"))):  # fmt: skip
                    if key not in self.columns and any(w in title for w in words):
                        self.columns[key] = index
                        break
            return
        if self.columns is None:
            self.paragraph(" ".join(cells))
            return

        def cell(key: str) -> str:
            at = self.columns.get(key)
            return cells[at] if at is not None and at < len(cells) else ""

        leads = [m.department for m in self.finder.find(cell("lead"))]
        coops = [m.department for m in self.finder.find(cell("coop")) if m.department not in leads]
        deadline = read_deadline(cell("deadline"), self.draft.issued_on, self.work, cell=True)
        content = " ".join(cell("content").split()) or source
        if not leads:
            reason = Message(OUTSIDE, body=cell("lead")) if cell("lead") else NO_LEAD
            self.skip(content, reason, None, deadline, content)
            return
        _add(self.draft, content, leads, coops, deadline, source)

    def skip(self, sentence, reason, lead, deadline, content=None) -> None:
        self.draft.skipped.append(Skipped(sentence, reason, lead, deadline, content or sentence))

    def paragraph(self, paragraph: str) -> None:
        marker = ITEM.match(paragraph)
        item = bool(marker)
        text = ITEM.sub("", paragraph, count=1)
        folded = fold_same_length(text)
        mentions = self.finder.find(text)
        if (
            mentions
            and re.fullmatch(r"[\s:.\-–]*", folded[mentions[0].end :])
            and (len(mentions) == 1 and not folded[: mentions[0].start].strip())
        ):  # "1. Phòng Tài chính – Kế hoạch thành phố:": the items below are its tasks
            self.heading = mentions[0].department
            return
        if not item or re.match(r"\s*(?:\d+|[ivx]+)[.)]", folded[: marker.end()]):
            self.heading = None  # a new numbered item or a plain paragraph ends the heading
        colon_form = re.match(r"^[^:]{3,120}:", text)
        pieces = [text] if colon_form and self.finder.find(text[: colon_form.end()]) else (
            sentences(text)
        )  # fmt: skip
        used: set[str] = set()
        left: list[tuple[str, str, Deadline | None]] = []
        for sentence in pieces:
            self.sentence(sentence, text, item, used, left)
        for sentence, reason, deadline in left:
            found = self.finder.find(sentence)
            if reason == NO_LEAD and not found and deadline is not None and deadline.text in used:
                continue  # "Chậm nhất ngày …, gửi báo cáo": the deadline of the task before it
            self.skip(sentence, reason, None, deadline)

    def sentence(self, sentence: str, paragraph: str, item: bool, used: set, left: list) -> None:
        mentions = self.finder.find(sentence)
        deadline = read_deadline(sentence, self.draft.issued_on, self.work)
        reason = _reason(sentence, mentions, deadline)
        if reason is not None and reason != NO_LEAD and not reason.startswith("đơn vị chủ trì"):
            left.append((sentence, reason, deadline))
            return
        leads, cooperators, end = leads_and_cooperators(sentence, mentions, item)
        if not leads and self.heading is not None and not _outside_body(sentence):
            leads = [self.heading]
            cooperate = re.search(r"phoi hop(?: chat che)?(?: voi)?", fold_same_length(sentence))
            cooperators, end = _cooperators_span(sentence, mentions, cooperate)
        if not leads:
            if reason is not None:
                left.append((sentence, reason, deadline))
            return
        if deadline is None and sentence is not paragraph:
            deadline = read_deadline(paragraph, self.draft.issued_on, self.work)
        if deadline is not None:
            used.add(deadline.text)
        content = task_content(sentence, end, deadline)
        _add(self.draft, content, leads, cooperators, deadline, sentence)
