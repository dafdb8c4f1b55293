"""One reading order for every format: the text of a Word file's body and of a PDF page, in the
order of the document, with a table of tasks written as ``| STT | Nội dung | … |`` rows (the
form the reader understands, as a pasted text may also write it).

A Word file is read block after block (python-docx's body iteration: paragraphs and tables
in document order); a table is read cell after cell, the left column before the right (the
heading block, "Nơi nhận" beside the signer), except a table of tasks, recognised by its
header row, which gives one row a line.

A PDF page is read with pypdf's layout mode, which keeps each line's columns where they are
printed: the two columns of a heading block are read left then right, and a table of tasks is
recognised by its header's column layout, each row gathered from the lines under it.
pypdf rather than pdfplumber: it is already the reader, its bounds on hostile streams apply
(``files.py``), and layout mode adds no dependency and no memory beyond the page's text.
"""

from __future__ import annotations

import re

from app.core.textnorm import fold_same_length

HEADER_WORDS = ("chu tri", "noi dung", "nhiem vu", "phoi hop", "thoi gian", "thoi han", "stt")


def is_task_header(cells: list[str]) -> bool:
    """A table's first row naming its columns: the content and the lead unit at least."""
    folded = [fold_same_length(" ".join(c.split())).lower() for c in cells]
    has_lead = any("chu tri" in c for c in folded)
    has_content = any(("noi dung" in c or "nhiem vu" in c or "cong viec" in c) for c in folded)
    return len(cells) >= 3 and has_lead and has_content


def table_row(cells: list[str]) -> str:
    return "| " + " | ".join(" ".join(c.split()) for c in cells) + " |"


# --- Word ----------------------------------------------------------------------------------


def _unique_cells(row) -> list:
    seen, cells = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:  # a merged cell appears once per grid column
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def word_lines(document, depth: int = 0) -> list[str]:
    """A Word document's (or a cell's) lines in document order."""
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():
        if not isinstance(block, Table):
            lines.extend(block.text.split("\n"))
            continue
        rows = [_unique_cells(row) for row in block.rows]
        if rows and is_task_header([c.text for c in rows[0]]):
            lines.append("")
            lines.extend(table_row([c.text for c in cells]) for cells in rows)
            lines.append("")
            continue
        for cells in rows:
            for cell in cells:
                lines.extend(word_lines(cell, depth + 1) if depth < 3 else cell.text.split("\n"))
                lines.append("")
    return lines


# --- PDF ------------------------------------------------------------------------------------

GAP = re.compile(r"\S+(?: \S+)*")  # a run of words with single spaces: one column's piece
RIGHT_COLUMN = 28  # a heading block's right column starts past this character


def _chunks(line: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in re.finditer(r"\S+(?: \S+)*", line)]


def _column_of(starts: list[int], at: int) -> int:
    index = 0
    for i, start in enumerate(starts):
        if at >= start - 2:
            index = i
    return index


def _fits(chunks, starts: list[int]) -> bool:
    """A line of a table: each piece starts near a column's start and ends before the next."""
    for at, text in chunks:
        column = _column_of(starts, at)
        if abs(at - starts[column]) > 3:
            return False
        if column + 1 < len(starts) and at + len(text) > starts[column + 1]:
            return False
    return True


def _starts_a_row(pieces, starts: list[int], header: list[str], row: list[str]) -> bool:
    """A line that begins a row without its number: the content and the lead begin with a
    capital, and a deadline while the row above has one already."""
    titles = [fold_same_length(h).lower() for h in header]
    at = {_column_of(starts, start): text for start, text in pieces}
    content = next((i for i, t in enumerate(titles) if "noi dung" in t or "nhiem vu" in t), 1)
    lead = next((i for i, t in enumerate(titles) if "chu tri" in t), None)
    deadline = next((i for i, t in enumerate(titles) if "thoi" in t or "han" in t), None)
    if lead is None or deadline is None or not row[deadline]:
        return False
    return all(at.get(i, "")[:1].isupper() for i in (content, lead)) and bool(at.get(deadline))


def _task_table(lines: list[str], at: int) -> tuple[list[str], int] | None:
    """The rows of a table of tasks whose header starts at ``lines[at]``, and the line after."""
    chunks = _chunks(lines[at])
    if len(chunks) < 3:
        return None
    starts = [c[0] for c in chunks]
    header = [c[1] for c in chunks]
    index = at + 1
    while index < len(lines) and lines[index].strip():  # a header wrapped over lines
        more = _chunks(lines[index])
        if not _fits(more, starts) or re.match(r"\d", more[0][1]) and more[0][0] <= starts[0] + 2:
            break
        for start, text in more:
            header[_column_of(starts, start)] += " " + text
        index += 1
    if not is_task_header(header):
        return None
    rows: list[list[str]] = []
    while index < len(lines):
        line = lines[index]
        if not line.strip():
            index += 1
            continue
        pieces = _chunks(line)
        if not _fits(pieces, starts):
            break
        first_at, first = pieces[0]
        if _column_of(starts, first_at) == 0 and re.fullmatch(r"\d+[.)]?", first):
            rows.append([""] * len(starts))
        elif rows and _starts_a_row(pieces, starts, header, rows[-1]):
            rows.append([""] * len(starts))  # a row whose number was not read (a scan)
        elif not rows or _column_of(starts, first_at) == 0:
            break
        for start, text in pieces:
            cell = rows[-1][_column_of(starts, start)]
            rows[-1][_column_of(starts, start)] = f"{cell} {text}".strip()
        index += 1
    if not rows:
        return None
    return [table_row(header), *(table_row(r) for r in rows)], index


def _two_columns(line: str) -> tuple[str, str] | None:
    """(left, right) of a line of a heading block or of "Nơi nhận" beside the signer."""
    match = re.match(r"^(\s*)(\S.*?)?(\s{4,})(\S.*)$", line)
    if match is None:
        return None
    right_at = match.end(3)
    if right_at < RIGHT_COLUMN:
        return None
    return (match.group(2) or "").strip(), match.group(4).strip()


def page_lines(text: str) -> list[str]:
    """A page's layout text read in order: blocks in two columns left then right, a table of
    tasks as rows."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        folded = fold_same_length(line).lower()
        if any(word in folded for word in HEADER_WORDS):
            table = _task_table(lines, index)
            if table is not None:
                out.extend(table[0])
                index = table[1]
                continue
        if _two_columns(line) is None:
            if line.strip():  # pypdf's blank lines are paragraph spacing, not breaks
                out.append(line.strip())
            index += 1
            continue
        left, right = [], []
        while index < len(lines):
            pair = _two_columns(lines[index])
            if pair is None and lines[index].strip():
                break
            if pair is None:  # a blank line: the block goes on if the next line is in two
                following = next((x for x in lines[index + 1 :] if x.strip()), "")
                if _two_columns(following) is None:
                    break
                index += 1
                continue
            left.append(pair[0])
            right.append(pair[1])
            index += 1
        out.extend([*(x for x in left if x), *(x for x in right if x)])
    return out
