"""The document's lines, and its number, date, issuer, kind and summary read from the top."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import unicodedata

from app.core.i18n import N_, Message
from app.core.textnorm import fold_same_length
from app.documents.drafting.draft import Draft
from app.documents.drafting.files import MAX_TEXT
from app.importing.columns import KIND_BY_SYMBOL
from app.importing.issuers import AmbiguousIssuer, IssuerIndex

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
BODY_STARTS = (
    "ngay ", "thuc hien", "chu tich", "ban thuong vu", "ubnd", "de ", "sau khi", "du hoi nghi",
    "du hop", "tham du", "kinh gui", "xet ", "trong thoi gian",
)  # fmt: skip
ITEM = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]|[a-zđ][.)]|[-–+•*])\s+")
NUMBER = re.compile(r"\bso\s*:?\s*(\d+[\w./&\-]*/[\w.&\-]+)")
# (a scan may put a line of the other column between "năm" and the year)
DATE_LINE = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(?:[^\d\n]{1,30}\s)?(\d{4})")


def read_lines(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text[:MAX_TEXT]).replace("\r\n", "\n").replace("\r", "\n")
    return [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]


def _after_letter_heading(folded: list[str]) -> int:
    """Where a letter without a title starts its body: after its date line, its "V/v" line
    and its "Kính gửi"."""
    at = 0
    for index, line in enumerate(folded[:25]):
        if DATE_LINE.search(line) or line.startswith(("v/v", "kinh gui")):
            at = index + 1
        if re.fullmatch(r"kinh gui\s*:?\s*", line):  # "Kính gửi:" then "- Phòng …;": whom to
            while (
                at < len(folded) and re.match(r"\s*[-+•]\s", folded[at]) and len(folded[at]) < 150
            ):
                at += 1
    return at


def read_header(draft: Draft, lines: list[str], issuers: IssuerIndex) -> int:
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
        draft.notes.append(Message(N_("Không nhận ra cơ quan ban hành trong danh sách: hãy chọn.")))
    symbol = draft.number.split("/", 1)[1].split("-")[0].upper() if "/" in draft.number else ""
    if symbol in KIND_BY_SYMBOL:
        draft.kind = KIND_BY_SYMBOL[symbol]
    body_at = (title_at + 1) if title_at is not None else _after_letter_heading(folded)
    if title_at is not None:
        summary = []
        for line in lines[title_at + 1 : title_at + 5]:
            folded_line = fold_same_length(line)
            starts_body = summary and (
                ASSIGN.search(folded_line)
                or folded_line.startswith(BODY_STARTS)
                or (line[:1].isupper() and line.endswith((".", ":")))  # a sentence of the body
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


SIGNER_TITLE = re.compile(
    r"^(?:(?:kt|tm|t/m|q|ktl|tl|tuq)\.?\s+)?(?:pho )?(?:chu tich|bi thu|giam doc|truong ban|"
    r"truong phong|chanh van phong|uy ban nhan dan|ban thuong vu)\b"
)
PERSON = re.compile(r"^(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s+){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+$")
PERSON_BESIDE = re.compile(r"[;.)]\s+((?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s+){1,5}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)$")


def read_signer(lines: list[str]) -> str:
    """The person who signed ("KT. CHỦ TỊCH / PHÓ CHỦ TỊCH / Hoàng Văn Bình"): the first
    name under the last title line at the foot of the document."""
    folded_lines = [fold_same_length(line) for line in lines]
    foot = next((i for i, f in enumerate(folded_lines) if f.startswith("noi nhan")), None)
    titled = None
    for index, line in enumerate(lines):
        if index < (foot if foot is not None else len(lines) - 15):
            continue
        folded = fold_same_length(line)
        if line.isupper() and SIGNER_TITLE.match(folded):
            titled = index
        elif titled is not None and PERSON.match(unicodedata.normalize("NFC", line)):
            return line
        elif titled is not None:  # a scan puts the name beside a line of "Nơi nhận"
            beside = PERSON_BESIDE.search(unicodedata.normalize("NFC", line))
            if beside:
                return beside.group(1)
    return ""
