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

import calendar
import contextlib
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.core.textnorm import fold_same_length
from app.importing.columns import KIND_BY_SYMBOL
from app.importing.issuers import AmbiguousIssuer, IssuerIndex
from app.models import Department, Issuer

MAX_TEXT = 200_000  # characters of a document read (a long directive is about 30,000)


# --- folding that keeps positions ---------------------------------------------------------


def _squash(text: str) -> tuple[str, list[int]]:
    """Only letters and digits of the folded text, with where each came from."""
    folded = fold_same_length(text)
    kept, where = [], []
    for index, ch in enumerate(folded):
        if ch.isalnum():
            kept.append(ch)
            where.append(index)
    return "".join(kept), where


# --- units --------------------------------------------------------------------------------

UNIT_TYPES = ("phong", "trung tam", "ban", "thanh tra", "van phong", "doi", "hoi", "cong an")
PLACE_SUFFIXES = (" thanh pho", " thi xa", " huyen", " tinh")
SMALL_WORDS = {"va", "cac", "cua"}


def _initials(words: str) -> str:
    groups = re.split(r"\s+va\s+|\s*-\s*|,\s*", words)
    return "".join("".join(w[0] for w in g.split() if w not in SMALL_WORDS) for g in groups if g)


def unit_aliases(department: Department) -> set[str]:
    """Squashed ways a document names the unit: its name with or without "thành phố", its
    short name, and the usual abbreviations (Phòng TN&MT, TTPTQĐ, Phòng LĐ-TB&XH …)."""
    name = fold_same_length(department.name).strip()
    names = {name}
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix):
            names.add(name[: -len(suffix)].strip())
    aliases = {_squash(n)[0] for n in names}
    for n in list(names):
        kind = next((t for t in UNIT_TYPES if n.startswith(t + " ")), None)
        if kind is None:
            continue
        rest = n[len(kind) + 1 :]
        letters = _initials(rest)
        if len(letters) >= 2:
            aliases.add(_squash(kind)[0] + letters)  # phongtnmt
            if kind != "phong":
                aliases.add(_initials(kind) + letters)  # ttptqd
            if len(letters) >= 4:
                aliases.add(letters)  # tnmt
    short = department.short_name or ""
    squashed_short = _squash(short)[0]
    if len(squashed_short) >= 4 or re.search(r"[&\-]", short):
        aliases.add(squashed_short)
    if squashed_short:
        aliases.add("phong" + squashed_short)
    return {a for a in aliases if len(a) >= 3}


@dataclass
class Mention:
    department: Department
    start: int  # in the original sentence
    end: int


class UnitFinder:
    def __init__(
        self,
        departments: list[Department],
        carried: list[tuple[Department, Department]] = (),
    ) -> None:
        """``carried``: (former unit, its successor) pairs, the former names meaning the
        successor (a document issued after a merger that still names a merged unit)."""
        self.by_alias: dict[str, Department] = {}
        ambiguous: set[str] = set()
        pairs = [(d, d) for d in departments] + list(carried)
        for named, department in pairs:
            for alias in unit_aliases(named):
                if alias in self.by_alias and self.by_alias[alias] is not department:
                    ambiguous.add(alias)
                self.by_alias.setdefault(alias, department)
        for alias in ambiguous:
            del self.by_alias[alias]
        self.longest_first = sorted(self.by_alias, key=len, reverse=True)

    def find(self, sentence: str) -> list[Mention]:
        squashed, where = _squash(sentence)
        taken = [False] * len(squashed)
        found: list[Mention] = []
        for alias in self.longest_first:
            for match in re.finditer(re.escape(alias), squashed):
                a, b = match.start(), match.end()
                if any(taken[a:b]):
                    continue
                start, end = where[a], where[b - 1] + 1
                before = sentence[start - 1] if start else " "
                after = sentence[end] if end < len(sentence) else " "
                if before.isalnum() or after.isalnum():
                    continue  # inside a longer word
                taken[a:b] = [True] * (b - a)
                found.append(Mention(self.by_alias[alias], start, end))
        return sorted(found, key=lambda m: m.start)


# --- deadlines ----------------------------------------------------------------------------

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
D, M, Y = r"(\d{1,2})", r"(\d{1,2})", r"(\d{4})"
SLASH_DATE = rf"{D}\s*/\s*{M}\s*/\s*{Y}"
DEADLINE_PATTERNS = [
    ("date", rf"(?:thoi gian hoan thanh|thoi han(?: hoan thanh)?)\s*:?\s*"
             rf"(?:truoc ngay\s*)?{SLASH_DATE}"),
    ("date", rf"(?:truoc|cham nhat|han cuoi|xong truoc)(?: la)?\s+(?:ngay\s+)?{D}\s*/\s*{M}"
             rf"(?:\s*/\s*{Y})?"),
    ("date", rf"(?:truoc|cham nhat)\s+ngay\s+{D}\s+thang\s+{M}(?:\s+nam\s+{Y})?"),
    ("month", rf"trong thang\s+{M}(?:\s*/\s*|\s+nam\s+){Y}"),
    ("month", rf"trong thang\s+{M}\b"),
    ("quarter", r"(?:trong|truoc het)\s+quy\s+(iv|iii|ii|i|[1-4])\b(?:\s*/\s*|\s+nam\s+)?(\d{4})?"),
    ("this_quarter", r"trong quy nay|trong quy\b"),
    ("year", r"trong nam\s+(\d{4})"),
    ("this_year", r"trong nam nay|trong nam\b"),
    ("working_days", r"(?:trong(?: vong| thoi han)?|sau)\s+(\d{1,3})\s+ngay lam viec"
                     r"(?:\s+ke tu ngay (?:ky|ban hanh))?"),
    ("days", r"(?:trong(?: vong| thoi han)?)\s+(\d{1,3})\s+ngay\b(?! lam viec)"),
    ("standing", r"thuong xuyen|hang ngay|lien tuc"),
]  # fmt: skip
DEADLINE_RES = [(kind, re.compile(pattern)) for kind, pattern in DEADLINE_PATTERNS]


@dataclass
class Deadline:
    kind: str  # date, working_days, none
    on: dt.date | None
    working_days: int | None
    text: str  # the phrase read, as written
    start: int
    end: int


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def read_deadline(sentence: str, issued_on: dt.date | None, work: WorkCalendar) -> Deadline | None:
    folded = fold_same_length(sentence)
    year0 = issued_on.year if issued_on else dt.date.today().year
    for kind, pattern in DEADLINE_RES:
        match = pattern.search(folded)
        if not match:
            continue
        g = match.groups()
        text = sentence[match.start() : match.end()]
        try:
            if kind == "date":
                day, month = int(g[0]), int(g[1])
                year = int(g[2]) if len(g) > 2 and g[2] else year0
                on = dt.date(year, month, day)
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind == "month":
                year = int(g[1]) if len(g) > 1 and g[1] else year0
                on = _month_end(year, int(g[0]))
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind in ("quarter", "this_quarter"):
                if kind == "quarter":
                    quarter, year = ROMAN[g[0]], int(g[1]) if g[1] else year0
                else:
                    base = issued_on or dt.date.today()
                    quarter, year = (base.month - 1) // 3 + 1, base.year
                on = _month_end(year, quarter * 3)
                return Deadline("date", on, None, text, match.start(), match.end())
            if kind in ("year", "this_year"):
                year = int(g[0]) if kind == "year" else year0
                return Deadline(
                    "date", dt.date(year, 12, 31), None, text, match.start(), match.end()
                )
            if kind == "working_days":
                days = int(g[0])
                on = work.add_working_days(issued_on, days) if issued_on else None
                return Deadline("working_days", on, days, text, match.start(), match.end())
            if kind == "days":
                on = issued_on + dt.timedelta(days=int(g[0])) if issued_on else None
                return Deadline("date", on, None, text, match.start(), match.end())
            return Deadline("none", None, None, text, match.start(), match.end())
        except ValueError:
            continue  # 31/02: not a date, try the next phrase
    return None


# --- the document -------------------------------------------------------------------------

MOTTO = (
    "cong hoa xa hoi chu nghia viet nam",
    "doc lap - tu do - hanh phuc",
    "doc lap tu do hanh phuc",
)
TITLES = {
    "thong bao": "Thông báo kết luận", "ket luan": "Kết luận", "chi thi": "Chỉ thị",
    "ke hoach": "Kế hoạch", "cong van": "Công văn", "quyet dinh": "Quyết định",
    "nghi quyet": "Nghị quyết", "bao cao": "Báo cáo",
}  # fmt: skip
ASSIGN = re.compile(r"\b(giao|de nghi|yeu cau|chi dao|phan cong|chu tri|trach nhiem)\b")
BODY_STARTS = ("ngay ", "thuc hien", "chu tich", "ban thuong vu", "ubnd", "de ", "sau khi")
ITEM = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-–+•*])\s+")
NUMBER = re.compile(r"\bso\s*:?\s*(\d+[\w./&\-]*/[\w.&\-]+)")
DATE_LINE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")


@dataclass
class DraftTask:
    content: str
    lead: Department | None
    cooperators: list[Department]
    deadline: Deadline | None
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        return self.lead is not None and self.deadline is not None


@dataclass
class Draft:
    number: str = ""
    issued_on: dt.date | None = None
    issuer: Issuer | None = None
    issuer_text: str = ""
    kind: str = ""
    summary: str = ""
    tasks: list[DraftTask] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "document": {
                "number": self.number,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "issuer": self.issuer.name if self.issuer else self.issuer_text,
                "kind": self.kind,
                "summary": self.summary,
            },
            "tasks": [
                {
                    "content": t.content,
                    "lead": t.lead.name if t.lead else None,
                    "cooperators": [d.name for d in t.cooperators],
                    "deadline": t.deadline.on.isoformat() if t.deadline and t.deadline.on else None,
                    "deadline_text": t.deadline.text if t.deadline else "",
                    "source": t.source,
                }
                for t in self.tasks
            ],
        }


def _lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text[:MAX_TEXT]).replace("\r\n", "\n").replace("\r", "\n")
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]


def _header(draft: Draft, lines: list[str], issuers: IssuerIndex) -> int:
    """Reads the number, date, issuer, kind and summary; returns where the body starts."""
    folded = [fold_same_length(line) for line in lines]
    title_at = None
    for index, line in enumerate(folded[:60]):
        if not draft.number:
            match = NUMBER.search(line)
            if match:
                draft.number = lines[index][match.start(1) : match.end(1)].rstrip(".,;")
        bare = line.strip(" .:")
        if title_at is None and bare in TITLES and lines[index].isupper():
            title_at = index
            draft.kind = TITLES[bare]
    # "Lạng Sơn, ngày 05 tháng 11 năm 2024", perhaps wrapped over two lines
    match = DATE_LINE.search(" ".join(folded[: (title_at or 40) + 1]))
    if match:
        day, month, year = (int(x) for x in match.groups())
        with contextlib.suppress(ValueError):
            draft.issued_on = dt.date(year, month, day)
    # the issuer: the upper-case lines at the top, without the national motto
    header = []
    for line in lines[: title_at or 12]:
        text = line
        for motto in MOTTO:
            at = fold_same_length(text).find(motto)
            if at >= 0:
                text = (text[:at] + text[at + len(motto) :]).strip(" -")
        folded_text = fold_same_length(text).strip(" -")
        if folded_text and any(folded_text in motto for motto in MOTTO):
            continue  # a piece of the motto wrapped onto its own line
        if not text or NUMBER.search(folded_text) or DATE_LINE.search(folded_text):
            if header:
                break
            continue
        if text.isupper():
            header.append(text.strip(" -"))
    candidates = [" ".join(header[i:]) for i in range(len(header))] + header[::-1]
    for candidate in candidates:
        try:
            found = issuers.find(candidate)
        except AmbiguousIssuer:
            found = None
        if found is not None:
            draft.issuer = found
            break
    draft.issuer_text = " ".join(header)
    if draft.issuer is None:
        draft.notes.append("Không nhận ra cơ quan ban hành trong danh sách: hãy chọn.")
    symbol = draft.number.split("/", 1)[1].split("-")[0].upper() if "/" in draft.number else ""
    if symbol in KIND_BY_SYMBOL:
        draft.kind = KIND_BY_SYMBOL[symbol]
    body_at = (title_at + 1) if title_at is not None else 0
    if title_at is not None:
        summary = []
        for line in lines[title_at + 1 : title_at + 5]:
            folded_line = fold_same_length(line)
            starts_body = summary and (
                ASSIGN.search(folded_line) or folded_line.startswith(BODY_STARTS)
            )
            if not line or ITEM.match(line) or folded_line.startswith("can cu") or starts_body:
                break
            summary.append(line)
            body_at += 1
            if line.endswith((".", ":")) or len(summary) == 2:
                break
        draft.summary = " ".join(summary).strip(" .:")
    if not draft.summary:
        for line in lines[:20]:
            if fold_same_length(line).startswith(("v/v", "ve viec")):
                draft.summary = line
                break
    return body_at


def _paragraphs(lines: list[str]) -> list[str]:
    """The body's items: a numbered or bulleted line starts one, lines of a wrapped sentence
    are joined; the "Nơi nhận" list and what follows are not the body."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        folded = fold_same_length(line)
        if folded.startswith("noi nhan"):
            break
        if not line:
            if current:
                out.append(" ".join(current))
                current = []
            continue
        bullet = re.match(r"^\s*[-–+•*]\s+", line)
        wrapped = bullet and current and not current[-1].rstrip().endswith((".", ";", ":"))
        if (ITEM.match(line) and not wrapped) or (current and current[-1].endswith(":")):
            if current:
                out.append(" ".join(current))
            current = [line]
        else:
            current.append(line)
    if current:
        out.append(" ".join(current))
    return out


def _sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ0-9])", paragraph)
    return [p.strip() for p in parts if p.strip()]


NOT_A_DUTY = re.compile(r"^\s*(da|duoc|la|co|cung|va|ghi nhan|bao cao tinh hinh)\b")


def _leads_and_cooperators(sentence: str, mentions: list[Mention], item: bool = False):
    """(leads, cooperators, where the assignment ends) of one sentence; no leads: no task."""
    folded = fold_same_length(sentence)
    if not mentions:
        return [], [], 0
    cooperate = re.search(r"phoi hop(?: chat che)?(?: voi)?", folded)
    coop_at = cooperate.start() if cooperate else len(sentence)
    # "Phòng X:" at the start: the unit is the lead of what follows
    first = mentions[0]
    head = folded[: first.start].strip(" -–+•*0123456789.)")
    if not head and folded[first.end :].lstrip().startswith(":"):
        coops, coop_end = _cooperators_span(sentence, mentions, cooperate)
        return [first.department], coops, max(first.end + 1, coop_end)
    if (
        not head
        and item
        and not NOT_A_DUTY.match(folded[first.end :])
        and not ASSIGN.search(folded[: first.start])
    ):
        # "2. Trung tâm Phát triển quỹ đất thực hiện …": an item that starts with the unit
        coops, coop_end = _cooperators_span(sentence, mentions, cooperate)
        return (
            [first.department],
            [d for d in coops if d is not first.department],
            max(first.end, coop_end),
        )
    if not ASSIGN.search(folded):
        return [], [], 0
    leads: list[Department] = []
    end = 0
    assign = re.search(r"\b(giao|de nghi|yeu cau|chi dao|phan cong)\b", folded)
    start = assign.end() if assign else 0
    for mention in mentions:
        if mention.start < start or mention.start >= coop_at:
            continue
        gap = folded[end or start : mention.start]
        if leads and not re.fullmatch(r"\s*(,|va|;)?\s*", gap):
            break
        if not leads and re.search(r"[.;:]", gap):
            break
        leads.append(mention.department)
        end = mention.end
    if not leads:
        lead_by_chu_tri = re.search(r"chu tri", folded)
        if lead_by_chu_tri:
            before = [m for m in mentions if m.end <= lead_by_chu_tri.start()]
            if before:
                leads, end = [before[-1].department], before[-1].end
    coops, coop_end = _cooperators_span(sentence, mentions, cooperate)
    coops = [d for d in coops if d not in leads]
    return leads, coops, max(end, coop_end)


def _cooperators_span(sentence: str, mentions: list[Mention], cooperate):
    """The units named right after "phối hợp với", and where that list ends."""
    if cooperate is None:
        return [], 0
    folded = fold_same_length(sentence)
    found: list[Department] = []
    end = cooperate.end()
    for mention in mentions:
        if mention.start < cooperate.end():
            continue
        gap = folded[end : mention.start]
        if not re.fullmatch(r"\s*(,|va|;|cac don vi)?\s*", gap):
            break
        if mention.department not in found:
            found.append(mention.department)
        end = mention.end
    return found, (end if found else 0)


TRAILING = re.compile(
    r"[\s,;:.\-–]*(?:(?:và\s+)?(?:thời gian hoàn thành|thời hạn hoàn thành|thời gian|thời hạn|"
    r"hoàn thành|thực hiện|xong|báo cáo kết quả|kể từ ngày (?:ký|ban hành)))?[\s,;:.\-–]*$",
    re.IGNORECASE,
)


def _content(sentence: str, assignment_end: int, deadline: Deadline | None) -> str:
    """The sentence without who is assigned and without the deadline phrase."""
    text = sentence
    cut_from = deadline.start if deadline is not None else len(text)
    cut_to = deadline.end if deadline is not None else len(text)
    tail = re.sub(r"^\s*kể từ ngày (?:ký|ban hành)", "", text[cut_to:])
    text = text[:cut_from] + tail
    if assignment_end and assignment_end < cut_from:
        text = text[assignment_end:]
    text = re.sub(r"^[\s,:;.\-–]*(?:chủ trì\s*[,:]?\s*)?", "", text, flags=re.IGNORECASE)
    text = re.sub(r"^(?:phối hợp(?: với)?\s*)", "", text, flags=re.IGNORECASE)
    text = TRAILING.sub("", text)
    text = re.sub(r"\s+([,.;])", r"\1", re.sub(r"\s{2,}", " ", text)).strip(" ,;.-–")
    return text[:1].upper() + text[1:] if text else sentence


def units_for(session: Session, issued_on: dt.date | None):
    """The units a document issued on ``issued_on`` can name: those that existed that day (the
    active ones when the date is unknown), and the units a merger had ended by then, standing
    for their successor."""
    from app.units.reorganise import successor

    everyone = list(session.scalars(select(Department).order_by(Department.id)))
    if issued_on is None:
        return [d for d in everyone if d.is_active], []
    # (a unit switched off by hand, not by a change, is not offered)
    living = [d for d in everyone if d.exists_on(issued_on) and (d.is_active or d.ended_on)]
    carried = []
    for unit in everyone:
        if unit.ended_on is not None and unit.ended_on <= issued_on:
            heir = successor(session, unit)
            if heir is not None:
                carried.append((unit, heir))
    return living, carried


def draft_from_text(session: Session, text: str) -> Draft:
    """The proposal for a document's text (see the module's docstring)."""
    draft = Draft()
    lines = _lines(text)
    issuers = IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id)))
    body_at = _header(draft, lines, issuers)
    finder = UnitFinder(*units_for(session, draft.issued_on))
    work = load_calendar(session)
    for paragraph in _paragraphs(lines[body_at:]):
        item = bool(ITEM.match(paragraph))
        paragraph = ITEM.sub("", paragraph, count=1)
        colon_form = re.match(r"^[^:]{3,120}:", paragraph)
        pieces = [paragraph] if colon_form and finder.find(paragraph[: colon_form.end()]) else (
            _sentences(paragraph)
        )  # fmt: skip
        for sentence in pieces:
            mentions = finder.find(sentence)
            leads, cooperators, end = _leads_and_cooperators(sentence, mentions, item)
            if not leads:
                continue
            deadline = read_deadline(sentence, draft.issued_on, work)
            if deadline is None and sentence is not paragraph:
                deadline = read_deadline(paragraph, draft.issued_on, work)
            content = _content(sentence, end, deadline)
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


# --- text from files ----------------------------------------------------------------------


class UnreadableDocument(ValueError):
    """The file's text cannot be read; the message is for the user."""


MAX_PAGES = 100


def text_from_file(data: bytes, filename: str) -> str:
    """The text of a PDF (its text layer), a DOCX or a plain text file."""
    import io
    from pathlib import Path

    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PAGES:
                raise UnreadableDocument(f"Tệp PDF dài quá {MAX_PAGES} trang.")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            if isinstance(error, UnreadableDocument):
                raise
            raise UnreadableDocument("Tệp PDF bị hỏng hoặc có mật khẩu, không đọc được.") from error
        if len(text.strip()) < 20:
            raise UnreadableDocument(
                "Tệp PDF là bản quét (ảnh), không có lớp chữ: hãy dán nội dung văn bản hoặc "
                "dùng tệp Word."
            )
        return text[:MAX_TEXT]
    if data.startswith(b"PK") and suffix in (".docx", ".docm", ""):
        from docx import Document as WordDocument

        try:
            document = WordDocument(io.BytesIO(data))
        except Exception as error:  # noqa: BLE001  (a damaged or foreign zip)
            raise UnreadableDocument("Tệp Word bị hỏng, không đọc được.") from error
        lines = []
        for table in document.tables[:5]:  # the heading block is often a two-column table
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
            lines.append("")
        lines.extend(p.text for p in document.paragraphs)
        return "\n".join(lines)[:MAX_TEXT]
    if suffix in (".txt", ".text", ""):
        for encoding in ("utf-8-sig", "utf-16"):
            try:
                return data.decode(encoding)[:MAX_TEXT]
            except UnicodeDecodeError:
                continue
    raise UnreadableDocument("Chỉ đọc được tệp PDF (có lớp chữ), Word (.docx) hoặc văn bản (.txt).")
