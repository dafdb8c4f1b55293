"""Finding an issuer as people write it: "UBND TP Lạng Sơn" is "UBND thành phố Lạng Sơn".

Names are compared folded (case, diacritics, dashes, spacing, dots) with the usual
abbreviations written out (TP, UBND, HĐND, TX …). "TU" is the Party committee the issuer list
has: Thành ủy or Tỉnh ủy when only one of them is listed; with both listed it is ambiguous and
the import says so instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.textnorm import fold
from app.models import Issuer

ABBREVIATIONS = {
    "tp": "thanh pho",
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "tx": "thi xa",
    "tw": "trung uong",
}
PARTY_COMMITTEES = ("thanh uy", "tinh uy")
_PUNCTUATION = re.compile(r"[\s\-.,;:()/]+")


def issuer_key(text: str | None) -> str:
    """The comparable form of an issuer's name."""
    words = _PUNCTUATION.split(fold(text))
    return " ".join(ABBREVIATIONS.get(word, word) for word in words if word)


class AmbiguousIssuer(ValueError):
    def __init__(self, text: str, candidates: list[Issuer]) -> None:
        self.candidates = candidates
        names = ", ".join(f"“{i.name}”" for i in candidates)
        super().__init__(f"“{text}” có thể là {names}: ghi rõ tên cơ quan ban hành.")


class IssuerIndex:
    def __init__(self, issuers: Iterable[Issuer]) -> None:
        self.issuers: list[Issuer] = []
        self._by_key: dict[str, Issuer] = {}
        for issuer in issuers:
            self.add(issuer)

    def add(self, issuer: Issuer) -> None:
        self.issuers.append(issuer)
        for key in (issuer_key(issuer.name), issuer_key(issuer.short_name)):
            if key:
                self._by_key.setdefault(key, issuer)

    def find(self, text: str) -> Issuer | None:
        """The issuer ``text`` names, None when it names none; ``AmbiguousIssuer`` when it
        could be several."""
        key = issuer_key(text)
        if key in self._by_key:
            return self._by_key[key]
        if key in ("tu", "t u"):
            candidates = [
                i for i in self.issuers if issuer_key(i.name).startswith(PARTY_COMMITTEES)
            ]
            if len(candidates) == 1:
                return candidates[0]
            if candidates:
                raise AmbiguousIssuer(text, candidates)
        return None
