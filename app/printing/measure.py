"""How wide printed text is, how many lines it wraps to, and the column widths that print a
table in the fewest lines.

Decree 30/2020/NĐ-CP conventions: Times New Roman; body text 12–13 pt and tables not below
10 pt; A4, landscape for wide tables. Column widths are computed from the text so that numbers
and dates never wrap and long texts get the room.
"""

from __future__ import annotations

import functools
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from unicodedata import combining

FONT = "Times New Roman"
TABLE_PT = 10.5  # table text: smaller than the body, never below 10 pt
LINE_HEIGHT = 1.12  # a line of Times New Roman in a spreadsheet, in its size (1.107, a little over)
A4_LANDSCAPE_TEXT_CM = 29.7 - 2 * 1.2  # page width less the side margins
CELL_PADDING_CM = 0.25  # a table cell's left and right margins (0.1 cm each) and some slack

# --- how wide text is ------------------------------------------------------------------------

# Advance widths in thousandths of an em of Times New Roman (the same as Liberation Serif, its
# metric twin that LibreOffice prints with), regular and bold, for the characters below; a
# Vietnamese letter is as wide as its base letter (its marks sit above or below it), ơ and ư
# (the horn widens them) apart. Any other character counts as the widest, so nothing is
# measured narrower than it prints. The estimate before (em fractions by glyph class, a little
# over the font's own) made rows a line or two taller than their text.
_CHARS = (
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`"
    "abcdefghijklmnopqrstuvwxyz{|}~đĐơưƠƯ–—“”‘’…"
)
_REGULAR = dict(zip(_CHARS, (
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
    500, 722, 529, 542, 722, 776, 500, 1000, 444, 444, 333, 333, 1000,
), strict=True))  # fmt: skip
_BOLD = dict(zip(_CHARS, (
    250, 333, 555, 500, 500, 1000, 833, 278, 333, 333, 500, 570, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 333, 333, 570, 570, 570, 500, 930, 722, 667, 722, 722, 667,
    611, 778, 778, 389, 500, 778, 667, 944, 722, 778, 611, 778, 722, 556, 667, 722, 722, 1000, 722,
    722, 667, 333, 278, 333, 581, 500, 333, 500, 556, 444, 556, 444, 333, 500, 556, 278, 333, 556,
    278, 833, 556, 500, 556, 556, 444, 389, 333, 556, 500, 722, 500, 500, 444, 394, 220, 394, 520,
    556, 722, 554, 600, 778, 796, 500, 1000, 500, 500, 333, 333, 1000,
), strict=True))  # fmt: skip
_UNKNOWN = 1000
WIDEST = "—"  # no glyph is measured wider (see text_width_cm)
HORN = "\u031b"


def _base(ch: str) -> str:
    """The letter ``ch`` is written on: its marks dropped, the horn of ơ and ư kept."""
    kept = "".join(c for c in unicodedata.normalize("NFD", ch) if c == HORN or not combining(c))
    return unicodedata.normalize("NFC", kept)


@functools.lru_cache(maxsize=65536)  # words recur: a sheet measures each one once
def text_width_cm(text: str, size_pt: float = TABLE_PT, bold: bool = False) -> float:
    """The printed width of ``text`` in Times New Roman at ``size_pt``."""
    table = _BOLD if bold else _REGULAR
    thousandths = 0
    for ch in text:
        width = table.get(ch)
        if width is None:
            width = table.get(_base(ch), _UNKNOWN)
        thousandths += width
    return thousandths / 1000 * size_pt / 72 * 2.54


def _word_widths(text: str, size_pt: float) -> list[list[float]]:
    return [[text_width_cm(w, size_pt) for w in p.split()] for p in str(text).split("\n")]


def _lines(paragraphs: list[list[float]], width_cm: float, space_cm: float) -> int:
    total = 0
    for words in paragraphs:
        lines, used = 1, 0.0
        for w in words:
            if used and used + space_cm + w > width_cm:
                lines, used = lines + 1, 0.0
            if w > width_cm:  # a word longer than the box breaks wherever it must
                extra = math.ceil(w / width_cm) - 1
                lines, used = lines + extra, w - extra * width_cm
            else:
                used += (space_cm if used else 0.0) + w
        total += lines
    return total


def wrapped_lines(text: str, width_cm: float, size_pt: float = TABLE_PT) -> int:
    """How many lines ``text`` takes in a box ``width_cm`` wide, wrapping at spaces."""
    if width_cm <= 0:
        return 1
    return _lines(_word_widths(text, size_pt), width_cm, text_width_cm(" ", size_pt))


# --- column widths ---------------------------------------------------------------------------


@dataclass
class ColumnText:
    """A column's header and cell texts; ``whole`` columns (numbers, dates) never wrap."""

    header: str
    cells: Sequence[str]
    whole: bool = False
    lines: int | None = None  # wrapped to at most this many lines (a name), room permitting


SAMPLE_ROWS = 300  # rows measured when choosing widths: the cost stays flat for long tables
SHARES = (0.5, 0.75, 0.9, 1.0)  # the share of cells that must fit in L lines, tried in turn


def column_widths(
    columns: Sequence[ColumnText], total_cm: float, size_pt: float = TABLE_PT
) -> list[float]:
    """Widths in cm adding up to ``total_cm``, chosen for the fewest printed lines.

    Each column gets at least its longest word (its longest cell for ``whole`` columns, its
    longest header word in bold). For a line count L and a share q, every wrapping column is
    made just wide enough for that share of its cells to fit in L lines; the smallest L that
    fits the page is taken and what is left of the page goes to the wrapping columns in
    proportion to the text they hold. Of the layouts the shares give, the one whose rows take
    the fewest lines in all wins: long texts wrap to about as many lines as each other, instead
    of a narrow column running to a dozen lines beside a wide one with room to spare.
    """
    step = max(1, math.ceil(max((len(c.cells) for c in columns), default=0) / SAMPLE_ROWS))
    space = text_width_cm(" ", size_pt)
    minimum, weight, measured, tried = [], [], [], []
    for column in columns:
        texts = ["" if t is None else str(t) for t in column.cells[::step]]
        least = max(text_width_cm(w, size_pt, bold=True) for w in column.header.split() or [""])
        cells = [_word_widths(t, size_pt) for t in texts]
        for paragraphs, text in zip(cells, texts, strict=True):
            if column.whole:
                least = max(least, text_width_cm(text, size_pt))
            else:
                least = max([least, *(w for p in paragraphs for w in p)])
        minimum.append(least * 1.02 + CELL_PADDING_CM)
        if column.lines:
            minimum[-1] = _fitting(cells, minimum[-1], column.lines, total_cm / 5, space)
        filled = [t for t in texts if t]
        # a name given its lines takes no more room: the page's rest goes to the long texts
        plain = column.whole or column.lines or not filled
        weight.append(0.0 if plain else sum(map(len, filled)) / len(filled))
        measured.append(cells)
        tried.append(_line_counts(cells, minimum[-1], total_cm, space) if weight[-1] else [])
    if sum(minimum) >= total_cm:  # too many columns for the page: shrink all alike
        return [w * total_cm / sum(minimum) for w in minimum]
    best, best_lines = list(minimum), math.inf
    for share in SHARES:
        widths = _layout(tried, minimum, weight, share, total_cm)
        lines = sum(
            max(
                _lines(measured[c][r], widths[c] - CELL_PADDING_CM, space)
                for c in range(len(columns))
            )
            for r in range(len(measured[0]) if measured else 0)
        )
        if lines < best_lines:
            best, best_lines = widths, lines
    return best


NAMES_SHARE = 0.9  # the share of a name column's cells held to its lines (a rare long name
# may take more rather than widen the column for every row)


def _fitting(cells, least: float, lines: int, most: float, space: float) -> float:
    """The narrowest width from ``least`` (4% a step, up to ``most``) at which nine cells in
    ten take at most ``lines`` lines."""
    allowed = len(cells) * (1 - NAMES_SHARE)
    width = least
    while width < most:
        if sum(_lines(p, width - CELL_PADDING_CM, space) > lines for p in cells) <= allowed:
            break
        width = width * 1.04 + 0.02
    return min(width, max(most, least))


def _line_counts(cells, least: float, most: float, space: float) -> list[tuple[float, list[int]]]:
    """Each cell's line count at widths from ``least`` up (4% a step) until every cell fits
    on one line or the page is full."""
    out, width = [], least
    while width <= most:
        counts = [_lines(p, width - CELL_PADDING_CM, space) for p in cells]
        out.append((width, sorted(counts)))
        if out[-1][1][-1] == 1:
            break
        width = width * 1.04 + 0.02
    return out


def _layout(tried, minimum, weight, share: float, total_cm: float) -> list[float]:
    def need(column: int, target: int) -> float:
        if not tried[column]:
            return minimum[column]
        for width, counts in tried[column]:
            if counts[math.ceil(share * len(counts)) - 1] <= target:
                return width
        return math.inf

    widths = list(minimum)
    for target in range(1, 100):
        trial = [need(c, target) for c in range(len(minimum))]
        if sum(trial) <= total_cm:
            widths = trial
            break
    spare = total_cm - sum(widths)
    if sum(weight):
        return [w + spare * weight[i] / sum(weight) for i, w in enumerate(widths)]
    return [w + spare / len(widths) for w in widths]
