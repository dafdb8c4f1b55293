"""Reading a workbook or a CSV into sheets of rows, keyed by the template's headers."""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from app.core.textnorm import fold
from app.importing.problems import CSV_SHEET, ImportFailed, Problem, failed
from app.importing.workbook_bounds import (
    MAX_CELL_CHARS,
    _check_expansion,
    _check_zip,
    _has_formulas,
)

HEADER_SEARCH_ROWS = 15


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


# What an import may read: checked before (size) and while (rows, cells) the file is parsed,
# so a small hostile file cannot make the server read gigabytes or millions of rows.
MAX_ROWS = 50_000  # rows with data, per sheet
MAX_COLUMNS = 1_000  # the last column with data a sheet may have
MAX_EMPTY_RUN = 1_000  # this many empty rows in a row end the sheet's data
MAX_REPORTED = 20  # problems listed for one file
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (and .doc)


def _bounded_rows(name: str, rows, problems: list[Problem]) -> list[tuple[Any, ...]]:
    """The sheet's rows up to the end of its data, refusing more than ``MAX_ROWS`` rows with
    data and cells longer than ``MAX_CELL_CHARS`` (listed with their place)."""
    out: list[tuple[Any, ...]] = []
    filled = empty_run = 0
    for number, row in enumerate(rows, start=1):
        if not any(v is not None and v != "" for v in row):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break  # the rest of a sheet (Excel's 1,048,576 rows) is not data
            out.append(row)
            continue
        empty_run = 0
        filled += 1
        if filled > MAX_ROWS:
            raise failed(
                f"trang “{name}” có hơn {MAX_ROWS:,} dòng dữ liệu; mỗi lần nhập tối đa "
                f"{MAX_ROWS:,} dòng: hãy chia tệp ra.".replace(",", ".")
            )
        for position, value in enumerate(row):
            if (
                isinstance(value, str)
                and len(value) > MAX_CELL_CHARS
                and len(problems) < MAX_REPORTED
            ):
                problems.append(
                    Problem(
                        f"ô dài {len(value):,} ký tự; tối đa {MAX_CELL_CHARS:,} ký tự.".replace(
                            ",", "."
                        ),
                        name,
                        number,
                        _column_letter(position),
                    )
                )
        out.append(row)
    while out and not any(v is not None and v != "" for v in out[-1]):
        out.pop()
    return out


def _column_letter(position: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(position + 1)


def _calamine_rows(sheet) -> Iterator[tuple[Any, ...]]:
    """A sheet read by calamine, row by row as openpyxl gives it: from cell A1, an empty cell
    None, a whole number an int, a date a datetime."""
    if sheet.start is None:
        return
    pad = (None,) * sheet.start[1]  # calamine's rows begin at the first column with data
    date, combine, midnight = dt.date, dt.datetime.combine, dt.time()
    for row in sheet.iter_rows():
        yield pad + tuple(
            None
            if v == ""
            else int(v)
            if type(v) is float and v.is_integer()
            else combine(v, midnight)
            if type(v) is date
            else v
            for v in row
        )


def _fast_sheets(data: bytes, damaged: str, problems: list[Problem]):
    """The worksheets read with calamine (Rust): about eight times faster than openpyxl."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001  (not a workbook calamine can open)
        raise failed(damaged) from exc
    sheets = []
    try:
        for meta in workbook.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue  # a chart sheet holds no cells
            try:
                sheet = workbook.get_sheet_by_name(meta.name)
            except Exception as exc:  # noqa: BLE001  (its XML cannot be read)
                raise failed(damaged) from exc
            if sheet.end is not None and sheet.end[1] >= MAX_COLUMNS:
                raise failed(
                    f"trang “{meta.name}” có dữ liệu ở cột thứ {sheet.end[1] + 1:,}; bảng theo "
                    f"dõi chỉ đọc tối đa {MAX_COLUMNS:,} cột: hãy xóa các cột thừa.".replace(
                        ",", "."
                    )
                )
            sheets.append((meta.name, _bounded_rows(meta.name, _calamine_rows(sheet), problems)))
    finally:
        workbook.close()
    return sheets


def _xlsx_sheets(data: bytes, filename: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """A workbook's sheets. Read with calamine, unless a worksheet holds a formula: calamine
    gives only a formula's last computed value (none in a file a program wrote), and the
    import keeps a formula as the text the office typed, so such a workbook is read with
    openpyxl."""
    _check_zip(data, filename)
    damaged = (
        f"tệp “{filename}” bị hỏng hoặc không đúng định dạng .xlsx; hãy mở bằng Excel và lưu lại."
    )
    problems: list[Problem] = []
    try:
        formulas = _has_formulas(data)
        if not formulas:
            _check_expansion(data, filename)
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:  # a damaged part
        raise failed(damaged) from exc
    except Exception as exc:  # noqa: BLE001  (malformed XML in a part: lxml's XMLSyntaxError)
        raise failed(damaged) from exc
    if not formulas:
        sheets = _fast_sheets(data, damaged, problems)
        if problems:
            raise ImportFailed(problems)
        return sheets
    from openpyxl import load_workbook  # loaded with the first spreadsheet read

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001  (a bad zip, malformed XML …: a damaged file)
        raise failed(damaged) from exc
    try:
        sheets = [
            (ws.title, _bounded_rows(ws.title, ws.iter_rows(values_only=True), problems))
            for ws in workbook.worksheets
        ]
    except ImportFailed:
        raise
    except Exception as exc:  # noqa: BLE001  (a sheet whose XML cannot be read)
        raise failed(damaged) from exc
    finally:
        workbook.close()
    if problems:
        raise ImportFailed(problems)
    return sheets


def _csv_sheets(data: bytes) -> list[tuple[str, list[tuple[Any, ...]]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise failed(
            "tệp CSV phải được lưu với mã hóa UTF-8 (trong Excel: Lưu thành → CSV UTF-8)."
        ) from exc
    head = text[:4096]
    delimiter = max(",;\t", key=head.count)  # Excel writes ";" where "," is a decimal mark
    problems: list[Problem] = []
    try:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = _bounded_rows(CSV_SHEET, (tuple(r) for r in reader), problems)
    except csv.Error as exc:
        raise failed(
            f"tệp CSV không đọc được: {exc} (một ô dài quá hoặc dấu ngoặc kép lệch)."
        ) from exc
    if problems:
        raise ImportFailed(problems)
    return [(CSV_SHEET, rows)]


def _raw_sheets(data: bytes, filename: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The sheets of a workbook or a CSV file, recognised by content (a real .xlsx renamed
    .xls is read as what it is), each bounded as above."""
    name = Path(filename).name
    suffix = Path(filename).suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return _xlsx_sheets(data, name)
    if data.startswith(OLE_MAGIC):
        raise failed("định dạng .xls cũ không được hỗ trợ; hãy mở tệp và lưu lại dưới dạng .xlsx.")
    if suffix in (".csv", ".txt"):
        return _csv_sheets(data)
    raise failed(f"tệp “{name}” không phải là bảng tính .xlsx hoặc .csv.")


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
