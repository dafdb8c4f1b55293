"""The tasks in a document's body: its items and sentences, who leads and who cooperates, and
the content of each task."""

from __future__ import annotations

import re

from app.core.textnorm import fold_same_length
from app.documents.drafting.deadlines import Deadline
from app.documents.drafting.header import ASSIGN, ITEM
from app.documents.drafting.units import Mention
from app.models import Department


def paragraphs(lines: list[str]) -> list[str]:
    """The body's items: a numbered or bulleted line starts one, lines of a wrapped sentence
    are joined; the "Nơi nhận" list and what follows are not the body."""
    out: list[str] = []
    current: list[str] = []
    for line in lines:
        folded = fold_same_length(line)
        if folded.startswith("noi nhan"):
            break
        if line.startswith("|"):  # a row of a table of tasks
            if current:
                out.append(" ".join(current))
            out.append(line)
            current = []
            continue
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


def sentences(paragraph: str) -> list[str]:
    parts = re.split(r"(?<=[.;])\s+(?=[A-ZĐÀ-Ỹ0-9])", paragraph)
    return [p.strip() for p in parts if p.strip()]


# what may stand between "Giao" and the unit assigned ("Giao cho Thủ trưởng Phòng …")
OBJECT_GAP = re.compile(
    r"\s*(?:cho\s+)?(?:cac\s+)?(?:dong chi\s+)?(?:(?:thu truong|truong|lanh dao)\s+)?\s*"
)
NOT_A_DUTY = re.compile(r"^\s*(da|duoc|la|co|cung|va|ghi nhan|bao cao tinh hinh)\b")


def leads_and_cooperators(sentence: str, mentions: list[Mention], item: bool = False):
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
    not_duty = NOT_A_DUTY.match(folded[first.end :])
    if (
        not_duty
        and len(mentions) > 1
        and re.fullmatch(r"\s*va\s*", folded[first.end : mentions[1].start])
    ):
        not_duty = None  # "Ban QLDA thành phố và Trung tâm PTQĐ rà soát …": two leads
    if not head and item and not not_duty and not ASSIGN.search(folded[: first.start]):
        # "2. Trung tâm Phát triển quỹ đất thực hiện …": an item that starts with the unit;
        # "Trung tâm …, Phòng TN&MT khẩn trương …", "Phòng A và Phòng B chủ trì …": each leads
        leads, end = [first.department], first.end
        for mention in mentions[1:]:
            if mention.start >= coop_at or not re.fullmatch(
                r"\s*(,|va|;)\s*", folded[end : mention.start]
            ):
                break
            leads.append(mention.department)
            end = mention.end
        coops, coop_end = _cooperators_span(sentence, mentions, cooperate)
        return leads, [d for d in coops if d not in leads], max(end, coop_end)
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
        if not leads and (re.search(r"[.;:]", gap) or not OBJECT_GAP.fullmatch(gap)):
            break  # "Giao UBND thành phố chỉ đạo Ban QLDA …": the unit is not who is assigned
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


def task_content(sentence: str, assignment_end: int, deadline: Deadline | None) -> str:
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
