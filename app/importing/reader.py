"""Reading a workbook or a CSV into sheets of rows, keyed by the template's headers."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from app.textnorm import fold

CSV_SHEET = "CSV"
HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, located as a person would look for it."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append("tệp CSV" if self.sheet == CSV_SHEET else f"trang “{self.sheet}”")
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class Row:
    sheet: str
    number: int  # the row number the user sees in the spreadsheet
    cells: dict[str, Any]

    def problem(self, column: str | None, message: str) -> Problem:
        return Problem(message, self.sheet, self.number, column)


@dataclass
class Sheet:
    name: str
    rows: list[Row] = field(default_factory=list)


def _raw_sheets(data: bytes, filename: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    suffix = Path(filename).suffix.lower()
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                [
                    Problem(
                        "tệp CSV phải được lưu với mã hóa UTF-8 (trong Excel: Lưu thành → "
                        "CSV UTF-8)."
                    )
                ]
            ) from exc
        head = text[:4096]
        delimiter = max(",;\t", key=head.count)  # Excel writes ";" where "," is a decimal mark
        return [(CSV_SHEET, [tuple(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)])]
    if suffix == ".xls":
        raise ImportFailed(
            [Problem("định dạng .xls cũ không được hỗ trợ; hãy mở tệp và lưu lại dưới dạng .xlsx.")]
        )
    if suffix not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportFailed(
            [Problem(f"tệp “{Path(filename).name}” không phải là bảng tính .xlsx hoặc .csv.")]
        )
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ImportFailed(
            [
                Problem(
                    f"không đọc được tệp “{Path(filename).name}” như một bảng tính Excel ({exc})."
                )
            ]
        ) from exc
    try:
        return [(ws.title, list(ws.iter_rows(values_only=True))) for ws in workbook.worksheets]
    finally:
        workbook.close()


def read_file(source: str | Path | BinaryIO, filename: str | None = None):
    """``(sheets by name, order of sheet names)`` of raw rows from a path or an uploaded file."""
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise ImportFailed([Problem(f"không mở được tệp “{path}”: {exc.strerror}.")]) from exc
        filename = filename or path.name
    else:
        data = source.read()
        filename = filename or getattr(source, "name", "upload.xlsx")
    return _raw_sheets(data, filename)


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _find_header(raw_rows, wanted: dict[str, str]) -> tuple[int, dict[str, int]] | None:
    """The first row near the top naming at least two known columns, with their positions."""
    for index, raw in enumerate(raw_rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        for position, value in enumerate(raw):
            header = wanted.get(fold(str(value))) if value is not None else None
            if header and header not in positions:
                positions[header] = position
        if len(positions) >= 2:
            return index, positions
    return None


def extract_sheet(
    name: str,
    raw_rows: list[tuple[Any, ...]],
    columns: dict[str, str],
    required: tuple[str, ...],
) -> tuple[Sheet | None, list[Problem]]:
    """Find the header row (it may sit under a title) and key each data row by column."""
    wanted = {fold(header): header for header in columns.values()}
    required_headers = [columns[key] for key in required]
    found = _find_header(raw_rows, wanted)
    if found is None:
        return None, [
            Problem(
                "không tìm thấy dòng tiêu đề; dòng tiêu đề phải có các cột "
                + ", ".join(f"“{h}”" for h in required_headers)
                + ".",
                name,
            )
        ]
    index, positions = found
    missing = [h for h in required_headers if h not in positions]
    if missing:
        return None, [Problem(f"thiếu cột bắt buộc “{h}”.", name, index + 1, h) for h in missing]
    key_of = {header: key for key, header in columns.items()}
    sheet = Sheet(name)
    for offset, raw in enumerate(raw_rows[index + 1 :], start=index + 2):
        cells = {
            key_of[header]: _clean(raw[pos]) if pos < len(raw) else None
            for header, pos in positions.items()
        }
        if any(v is not None for v in cells.values()):
            sheet.rows.append(Row(name, offset, cells))
    return sheet, []
