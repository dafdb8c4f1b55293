"""Bounds a workbook is held to before a cell of it is built: its unpacked size and parts,
and the text its cells expand to through shared strings; and whether it holds a formula
(which decides the reader). Each refusal is a Vietnamese message naming the limit."""

from __future__ import annotations

import io
import re
import zipfile
from collections import Counter

from app.importing.problems import failed

MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024  # all the parts of an .xlsx, unpacked
MAX_ZIP_ENTRIES = 1_000
MAX_CELL_CHARS = 20_000  # the longest text of a cell (a task's content)
# What the cells may expand to: a cell of a workbook may refer to a shared string instead of
# holding its text, and calamine builds each such cell's text whole; 24,000 cells referring to
# one 45 MB string would ask for a terabyte. Counted from the XML before a cell is built.
MAX_EXPANDED_CHARS = 30_000_000  # 50,000 rows of 600 characters
# A cell's formula element (``<f>``, ``<x:f>``), not a data validation's list (``<xm:f>``).
_FORMULA = re.compile(rb"<(?:(?!xm:)\w+:)?f[\s>/]")


def _check_zip(data: bytes, filename: str) -> None:
    """Refuse, before parsing, a workbook that unpacks to more than the import may read."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise failed(f"tệp “{filename}” bị hỏng, không mở được như một bảng tính .xlsx.") from exc
    if len(entries) > MAX_ZIP_ENTRIES:
        raise failed(
            f"tệp “{filename}” có quá nhiều phần ({len(entries)}); không phải bảng tính thường."
        )
    unpacked = sum(entry.file_size for entry in entries)
    if unpacked > MAX_UNCOMPRESSED_BYTES:
        raise failed(
            f"tệp “{filename}” khi giải nén lớn {unpacked // (1024 * 1024)} MB, vượt giới hạn "
            f"{MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} MB của một lần nhập (có thể do một ô "
            "chứa văn bản cực dài): hãy kiểm tra và lưu lại tệp."
        )


def _shared_string_lengths(archive: zipfile.ZipFile, names: dict[str, str]) -> list[int]:
    """The length of each shared string, read as a stream (nothing but the lengths kept)."""
    from lxml import etree

    lengths: list[int] = []
    name = names.get("xl/sharedstrings.xml")
    if name is None:
        return lengths
    with archive.open(name) as part:
        for _, item in etree.iterparse(part, events=("end",), tag="{*}si", huge_tree=True):
            lengths.append(sum(len(text.text or "") for text in item.iter("{*}t")))
            item.clear()
            while item.getprevious() is not None:
                del item.getparent()[0]
    return lengths


def _worksheet_parts(archive: zipfile.ZipFile, names: dict[str, str]) -> list[str]:
    """Every part a reader may take for a worksheet: those under xl/worksheets/ and those the
    workbook's relationships name as worksheets, wherever they are."""
    from lxml import etree

    parts = {name for name in names.values() if name.startswith("xl/worksheets/")}
    rels = names.get("xl/_rels/workbook.xml.rels")
    if rels is not None:
        with archive.open(rels) as part:
            for _, relation in etree.iterparse(part, events=("end",), tag="{*}Relationship"):
                if (relation.get("Type") or "").endswith("/worksheet"):
                    target = (relation.get("Target") or "").lstrip("/")
                    target = target if target.startswith("xl/") else f"xl/{target}"
                    if target.lower() in names:
                        parts.add(names[target.lower()])
    return sorted(parts)


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


# A value element (``<v>``, ``<x:v>``, with or without attributes) holding a whole number:
# for a cell of type "s", the index of its shared string.
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>\s*(\d{1,9})\s*<")


def _check_expansion(data: bytes, filename: str) -> None:
    """Refuse, before a cell is built, a workbook whose cells refer to shared strings longer
    than a cell may be, or that expand to more text than an import may read. Every value
    element holding a whole number is counted as if it referred to that shared string (a
    number cell rarely does, and counting it too errs on the safe side); the worksheets are
    bounded by ``_check_zip``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = {
            entry.filename.replace("\\", "/").lower(): entry.filename
            for entry in archive.infolist()
        }
        lengths = _shared_string_lengths(archive, names)
        if not lengths:
            return
        total = 0
        for part_name in _worksheet_parts(archive, names):
            references = Counter(_VALUE.findall(archive.read(part_name)))
            for index, count in references.items():
                position = int(index)
                length = lengths[position] if position < len(lengths) else 0
                if length > MAX_CELL_CHARS:
                    raise failed(
                        f"tệp “{filename}”: một ô chứa văn bản dài {_number(length)} ký tự; "
                        f"tối đa {_number(MAX_CELL_CHARS)} ký tự."
                    )
                total += length * count
            if total > MAX_EXPANDED_CHARS:
                raise failed(
                    f"tệp “{filename}”: các ô chứa hơn {_number(MAX_EXPANDED_CHARS)} ký tự "
                    "văn bản, vượt giới hạn của một lần nhập: hãy chia tệp ra."
                )


def _has_formulas(data: bytes) -> bool:
    """Whether a worksheet of the workbook holds a formula (its ``<f>`` element), read from the
    unpacked XML a megabyte at a time (``_check_zip`` has bounded its size)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for entry in archive.infolist():
            if not entry.filename.startswith("xl/worksheets/"):
                continue
            tail = b""
            with archive.open(entry) as part:
                while chunk := part.read(1 << 20):
                    if _FORMULA.search(tail + chunk):
                        return True
                    tail = chunk[-16:]
    return False
