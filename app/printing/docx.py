"""Word documents laid out for print: A4 in Times New Roman 13 pt with page numbers, the
heading block and title, and bordered tables whose header row repeats on every page and whose
rows never split between pages.

python-docx is loaded by the functions that write a document, not with this module.
"""

from __future__ import annotations

from collections.abc import Sequence

from app.printing.letterhead import Letterhead
from app.printing.measure import FONT, TABLE_PT, ColumnText


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
