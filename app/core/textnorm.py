"""Folding Vietnamese text for matching: case, diacritics, dashes and spacing ignored."""

from __future__ import annotations

import functools
import re
import unicodedata

_DASHES = re.compile(r"\s*[\u2010\u2011\u2012\u2013\u2014\u2015\u2212-]\s*")
_SPACES = re.compile(r"\s+")


def fold(text: str | None) -> str:
    """``"Phòng Văn hóa – Thông tin"`` and ``"phong van hoa-thong  tin"`` fold alike."""
    if not text:
        return ""
    return _fold(str(text))


class _WithoutMarks(dict):
    """A ``str.translate`` table that drops combining marks (category Mn) and keeps every other
    character; each code point is looked up once, then the translation runs in C."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.category(chr(code)) == "Mn" else code
        self[code] = kept
        return kept


_WITHOUT_MARKS = _WithoutMarks({ord("đ"): "d", ord("Đ"): "D"})


@functools.lru_cache(maxsize=8192)  # an import folds each row's names and texts many times
def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = decomposed.translate(_WITHOUT_MARKS).casefold()
    stripped = _DASHES.sub(" - ", stripped)
    return _SPACES.sub(" ", stripped).strip()


def _base(ch: str) -> str:
    if ch in "đĐ":
        return "d"
    if ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
        return "-"
    return unicodedata.normalize("NFD", ch)[0].lower()


def fold_same_length(text: str) -> str:
    """Lower case without diacritics, one character for one: a match in the folded text is at
    the same place in the original."""
    return "".join(_base(ch) for ch in text)
