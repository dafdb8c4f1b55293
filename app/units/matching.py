"""One unit matcher for every way in (the document reader, the spreadsheet import, the API and
the command line): the ways a document or a sheet writes a unit's name (its name with or without
"thành phố", its short name, generated abbreviations such as "Phòng TN&MT", "TTPTQĐ",
"Phòng LĐ-TB&XH", "và" for a dash and a dash for "và", abbreviations a document defines
itself: "(sau đây gọi tắt là …)", "(TTPTQĐ)"), found in a sentence or matching a whole cell."""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.textnorm import fold_same_length
from app.models import Department

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
    groups = re.split(r"\s+va\s+|\s*[-–]\s*|,\s*", words)
    return "".join("".join(w[0] for w in g.split() if w not in SMALL_WORDS) for g in groups if g)


def unit_aliases(department: Department) -> set[str]:
    """Squashed ways a document names the unit: its name with or without "thành phố", its
    short name, and the usual abbreviations (Phòng TN&MT, TTPTQĐ, Phòng LĐ-TB&XH …)."""
    name = fold_same_length(department.name).strip()
    names = {name}
    for suffix in PLACE_SUFFIXES:
        if name.endswith(suffix):
            names.add(name[: -len(suffix)].strip())
    for n in list(names):  # "Văn hóa – Thông tin" written "Văn hóa và Thông tin", and back
        names.add(re.sub(r"\s*[-–]\s*", " va ", n))
        names.add(re.sub(r"\s+va\s+", " - ", n))
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
            if rest.startswith("quan ly du an "):  # "Ban QLDA thành phố"
                aliases.add(_squash(kind)[0] + "qlda")
    short = department.short_name or ""
    squashed_short = _squash(short)[0]
    if len(squashed_short) >= 4 or re.search(r"[&\-]", short):
        aliases.add(squashed_short)
    if squashed_short:
        aliases.add("phong" + squashed_short)
    return {a for a in aliases if len(a) >= 3}


def _past_place(sentence: str, end: int) -> int:
    """Where a unit's name ends when the place follows a short name ("Ban QLDA thành phố")."""
    after = fold_same_length(sentence[end : end + 12])
    for suffix in PLACE_SUFFIXES:
        if after.startswith(suffix) and not after[len(suffix) : len(suffix) + 1].isalnum():
            return end + len(suffix)
    return end


DEFINED = re.compile(
    r"\s*\(\s*(?:sau đây (?:gọi|viết) tắt là|gọi tắt là|viết tắt là)?\s*"
    r"[“\"]?([^()“”\"]{2,40}?)[”\"]?\s*\)",
    re.IGNORECASE,
)


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

    def define(self, alias: str, department: Department) -> None:
        """A name the document gives a unit itself; it wins over the generated ones."""
        squashed = _squash(alias)[0]
        if len(squashed) >= 3:
            self.by_alias[squashed] = department
            self.longest_first = sorted(self.by_alias, key=len, reverse=True)

    def learn_definitions(self, text: str) -> None:
        """ "Trung tâm Phát triển quỹ đất (sau đây gọi tắt là Trung tâm)", "… (TTPTQĐ)": the
        name in brackets right after a unit's name means that unit in the rest of the text."""
        for mention in self.find(text):
            after = re.match(DEFINED, text[mention.end : mention.end + 80])
            if after:
                self.define(after.group(1).strip(), mention.department)

    def whole(self, text: str | None) -> Department | None:
        """The unit a cell names when the cell is nothing but one unit's name."""
        if not text:
            return None
        folded = fold_same_length(text).strip()
        for suffix in PLACE_SUFFIXES:  # "Ban QLDA ĐTXD thành phố": the place adds nothing
            if folded.endswith(suffix) and len(folded) > len(suffix) + 2:
                text = text.strip()[: -len(suffix)]
                break
        squashed = _squash(text)[0]
        department = self.by_alias.get(squashed)
        if department is None:
            found = self.find(text)
            if len(found) == 1 and _squash(text[found[0].start : found[0].end])[0] == squashed:
                department = found[0].department
        return department

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
                found.append(Mention(self.by_alias[alias], start, _past_place(sentence, end)))
        return sorted(found, key=lambda m: m.start)
