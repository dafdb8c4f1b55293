"""The layout every file the product writes shares, so that it prints and attaches as it is.

Decree 30/2020/NĐ-CP conventions: Times New Roman; the issuing body's name at the top left (the
governing body upper-case, the office bold upper-case, a short rule under it); a bold title; body
text 12–13 pt and tables not below 10 pt; A4, landscape for wide tables; page numbers. Column
widths are computed from the text so that numbers and dates never wrap and long texts get the
room; a row's height in a workbook is computed from its wrapped text, since a spreadsheet does
not grow rows by itself when printed.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass

FONT = "Times New Roman"
TABLE_PT = 10.5  # table text: smaller than the body, never below 10 pt
A4_LANDSCAPE_TEXT_CM = 29.7 - 2 * 1.2  # page width less the side margins
CELL_PADDING_CM = 0.25  # a table cell's left and right margins (0.1 cm each) and some slack
# A spreadsheet column of width w is w "0"s of the default 11 pt font (7 px each) and 5 px of
# padding wide, at 96 px to the inch.
XLSX_PX_CM = 2.54 / 96


@dataclass(frozen=True)
class Letterhead:
    """The heading block at the top left and the line that attaches a table to a report."""

    lines: tuple[str, ...] = ()
    attached_to: str = ""


def letterhead(settings, report_number: str = "", report_date=None) -> Letterhead:
    """``settings`` is ``app.core.settings.OfficeSettings``; the report's number and date are those
    of the report the table is attached to ("Kèm theo Báo cáo số … ngày … của …")."""
    attached = ""
    if report_number or report_date:
        attached = "(Kèm theo Báo cáo"
        if report_number:
            attached += f" số {report_number.strip()}"
        if report_date:
            attached += f" ngày {report_date:%d/%m/%Y}"
        if settings.governing_body:
            attached += f" của {settings.governing_body}"
        attached += ")"
    return Letterhead(tuple(settings.heading_lines), attached)


def as_text(value) -> str:
    """A cell value as printed: dates dd/mm/yyyy, nothing as an empty string."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"  # strftime is 5× slower
    return str(value)


# --- how wide text is ------------------------------------------------------------------------

_NARROW = set("ijlrtfI.,;:'!|()[]/ ")
_WIDE = set("mwMW%@")
_WIDEST = "W"  # no glyph is measured wider (see text_width_cm)


@functools.lru_cache(maxsize=65536)  # words recur: a sheet measures each one once
def text_width_cm(text: str, size_pt: float = TABLE_PT, bold: bool = False) -> float:
    """An estimate of the printed width of ``text`` in Times New Roman (em fractions by glyph
    class, a little over the font's own; Vietnamese marks sit above or below a letter and
    take no width)."""
    ems = 0.0
    for ch in text:
        if ch in _NARROW:
            ems += 0.3
        elif ch in _WIDE:
            ems += 0.85
        elif ch.isupper():
            ems += 0.7
        elif ch.isdigit():
            ems += 0.5
        elif ch in "-–":
            ems += 0.4
        else:
            ems += 0.47
    return ems * size_pt / 72 * 2.54 * (1.08 if bold else 1.0)


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
        filled = [t for t in texts if t]
        weight.append(0.0 if column.whole or not filled else sum(map(len, filled)) / len(filled))
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


# --- workbooks -------------------------------------------------------------------------------


class StagedRows:
    """The first rows of a write-only sheet, written like a normal sheet's (``cell``,
    ``merge_cells``: what ``sheet_heading`` and ``write_cell`` use), then appended in order by
    ``flush``. Everything else is the sheet's own."""

    def __init__(self, ws) -> None:
        self._ws = ws
        self._cells: dict[tuple[int, int], object] = {}

    def __getattr__(self, name: str):
        return getattr(self._ws, name)

    def cell(self, row: int, column: int):
        from openpyxl.cell import WriteOnlyCell

        if (row, column) not in self._cells:
            self._cells[row, column] = WriteOnlyCell(self._ws)
        return self._cells[row, column]

    def merge_cells(self, ref: str) -> None:
        self._ws.merged_cells.add(ref)

    def flush(self, last_row: int) -> None:
        for row in range(1, last_row + 1):
            width = max((c for r, c in self._cells if r == row), default=0)
            self._ws.append([self._cells.get((row, c)) for c in range(1, width + 1)])


def new_workbook(write_only: bool = False):
    """A workbook whose default font is Times New Roman 11 pt.

    The default font sets the unit of column widths (its "0"); left as Calibri, a machine
    without Calibri (LibreOffice on a server, many Linux desktops) measures columns in another
    font, finds the sheet wider than computed and shrinks the print.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    workbook = Workbook(write_only=write_only)
    font = Font(name=FONT, size=11, family=1)
    workbook._fonts = IndexedList([font])  # font 0: what cells without a font of their own use
    workbook._named_styles["Normal"].font = font
    return workbook


def sheet_heading(ws, head: Letterhead, title: str, sublines: Sequence[str], columns: int) -> int:
    """Write the heading block, the title and the lines under it; returns the next free row.

    The heading block spans about a third of the columns at the left; the title and its lines
    span every column, so they print on the first page once the sheet fits one page wide.
    """
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    from app.printing.spreadsheet import write_cell

    last = get_column_letter(columns)
    block = get_column_letter(max(2, columns // 3))
    row = 1
    for index, line in enumerate(head.lines):
        ws.merge_cells(f"A{row}:{block}{row}")
        cell = write_cell(ws, row, 1, line)
        cell.font = Font(name=FONT, size=12, bold=index == len(head.lines) - 1)
        cell.alignment = Alignment(horizontal="center")
        row += 1
    if head.lines:
        # the short rule under the office's name
        middle = max(1, columns // 6)
        ws.cell(row=row - 1, column=middle).border = Border(bottom=Side(style="thin"))
        row += 1
    lines = [(title, Font(name=FONT, size=14, bold=True))]
    if head.attached_to:
        lines.append((head.attached_to, Font(name=FONT, size=12, italic=True)))
    lines += [(text, Font(name=FONT, size=12, italic=True)) for text in sublines]
    for text, font in lines:
        ws.merge_cells(f"A{row}:{last}{row}")
        cell = write_cell(ws, row, 1, text)
        cell.font = font
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        row += 1
    return row + 1


def prepare_print(ws, header_row: int, columns: int, last_row: int) -> None:
    """A4 landscape, one page wide (switched on), the header row on every page, page numbers,
    the header frozen and filters on it."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins
    from openpyxl.worksheet.worksheet import Worksheet

    last = get_column_letter(columns)
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{last}{max(last_row, header_row)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4  # (not on a write-only sheet)
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages tall as it takes
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6, footer=0.3)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.oddFooter.center.text = "Trang &P/&N"
    ws.oddFooter.center.font = FONT
    ws.oddFooter.center.size = 10


def set_widths_and_heights(
    ws,
    columns: Sequence[ColumnText],
    header_row: int,
    rows: dict[int, Sequence[str]],
    total_cm: float = A4_LANDSCAPE_TEXT_CM,
    size_pt: float = TABLE_PT,
    widths: Sequence[float] | None = None,
) -> list[float]:
    """Column widths from the text (or as given, in cm), and each row's height from its
    tallest wrapped cell."""
    from openpyxl.utils import get_column_letter

    widths = list(widths) if widths else column_widths(columns, total_cm, size_pt)
    for index, width in enumerate(widths, start=1):
        units = (width / XLSX_PX_CM - 5) / 7
        ws.column_dimensions[get_column_letter(index)].width = round(max(units, 1), 2)
    line = size_pt * 1.2
    header_lines = max(
        wrapped_lines(c.header, w - CELL_PADDING_CM, size_pt)
        for c, w in zip(columns, widths, strict=True)
    )
    ws.row_dimensions[header_row].height = header_lines * line + 4
    # A text of at most this many characters fits on one line whatever its letters (each is at
    # most _WIDEST wide): most cells of a table, which are then not measured word by word.
    widest = text_width_cm(_WIDEST, size_pt)
    boxes = [w - CELL_PADDING_CM for w in widths]
    sure = [max(int(box / widest), 0) for box in boxes]
    for row, cells in rows.items():
        lines = max(
            (
                1 if len(t) <= n and "\n" not in t else wrapped_lines(t, w, size_pt)
                for t, w, n in zip(cells, boxes, sure, strict=True)
                if t
            ),
            default=1,
        )
        ws.row_dimensions[row].height = lines * line + 4
    # The words measured are this sheet's: kept, they would pin the memory the sheet took.
    text_width_cm.cache_clear()
    return widths


# --- Word documents --------------------------------------------------------------------------


def new_docx(landscape: bool = True):
    """An A4 document in Times New Roman 13 pt, with the page number centred in the footer."""
    from docx import Document as DocxDocument
    from docx.enum.section import WD_ORIENT
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = DocxDocument()
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
        section.left_margin = section.right_margin = Cm(1.2)
        section.top_margin, section.bottom_margin = Cm(1.5), Cm(1.5)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
        section.left_margin, section.right_margin = Cm(3.0), Cm(2.0)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    style = document.styles["Normal"]
    style.font.name, style.font.size = FONT, Pt(13)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    style.paragraph_format.space_after = Pt(0)
    _page_number_footer(section)
    return document


def docx_run(paragraph, text: str, size: float = 13, bold: bool = False, italic: bool = False):
    from docx.oxml.ns import qn
    from docx.shared import Pt

    run = paragraph.add_run(text)
    run.font.name = FONT
    run.font.size = Pt(size)
    run.bold, run.italic = bold, italic
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), FONT)
    return run


def _page_number_footer(section) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = docx_run(paragraph, "", 11)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _no_borders(table) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _rule_under(paragraph, indent_cm: float) -> None:
    """A short horizontal rule: the bottom border of an indented empty paragraph."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)
    paragraph.paragraph_format.space_after = Pt(6)
    properties = paragraph._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "000000")):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    properties.append(borders)


def docx_heading(document, head: Letterhead, title: str, sublines: Sequence[str]) -> None:
    """The heading block at the top left (when the office's names are set), then the title
    and the lines under it, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    if head.lines:
        block = document.add_table(rows=1, cols=1)
        _no_borders(block)
        block.autofit = False
        block.columns[0].width = block.rows[0].cells[0].width = Cm(9)
        cell = block.rows[0].cells[0]
        for index, line in enumerate(head.lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            docx_run(paragraph, line, 12, bold=index == len(head.lines) - 1)
        _rule_under(cell.add_paragraph(), 3.0)
    lines = [(title, 14, True, False)]
    if head.attached_to:
        lines.append((head.attached_to, 13, False, True))
    lines += [(text, 13, False, True) for text in sublines]
    for index, (text, size, bold, italic) in enumerate(lines):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if index == 0:
            paragraph.paragraph_format.space_before = Pt(6)
        docx_run(paragraph, text, size, bold, italic)
    document.add_paragraph().paragraph_format.space_after = Pt(0)


def docx_table(document, columns: Sequence[ColumnText], widths_cm: Sequence[float]):
    """A bordered table with the given column widths and its header row, which repeats on
    every page; rows added with ``docx_row`` never split across pages."""
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    grid = document.add_table(rows=1, cols=len(columns))
    grid.style = "Table Grid"
    _cell_margins(grid, 57)  # 0.1 cm left and right: the widths above count on it
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    grid.autofit = False
    for column, width in zip(grid.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the table grid, which LibreOffice and Word lay out from
    header = grid.rows[0]
    for cell, column, width in zip(header.cells, columns, widths_cm, strict=True):
        cell.width = Cm(width)
        docx_cell(cell, column.header, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _row_flag(header, "w:tblHeader")
    _row_flag(header, "w:cantSplit")
    return grid


def docx_row(grid, widths_cm: Sequence[float]):
    """A new row that is never split between two pages."""
    from docx.shared import Cm

    row = grid.add_row()
    _row_flag(row, "w:cantSplit")
    for cell, width in zip(row.cells, widths_cm, strict=True):
        cell.width = Cm(width)
    return row


def _cell_margins(table, twips: int) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for edge in ("left", "right"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:w"), str(twips))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _row_flag(row, tag: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def docx_cell(cell, text: str, size: float = TABLE_PT, bold=False, italic=False, align=None):
    """Text in a cell; line breaks in ``text`` start new paragraphs."""
    for index, line in enumerate(str(text).split("\n")):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        if align is not None:
            paragraph.alignment = align
        docx_run(paragraph, line, size, bold, italic)
