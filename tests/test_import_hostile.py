"""Hostile and damaged files given to the import: each is refused with a clear message naming
the limit or the damage, before the server reads more than the limits allow; never a traceback
on the command line or a 500 on the web page. The files are generated here, not committed."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest
from sqlalchemy import func, select
from test_import import ROWS, workbook_bytes
from test_web_workflow import upload_and_run

from app.importing import ImportFailed, import_tasks, reader, workbook_bounds
from app.models import Task
from conftest import login

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
    '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
    '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.'
    'spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships"><sheets><sheet name="Nhiệm vụ" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.'
    'org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/'
    'sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    "</Relationships>"
)
SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheetData>'
)


def xlsx(sheet_rows: str, shared: str = "", dimension: str = "") -> bytes:
    """A minimal workbook written part by part, as an attacker would."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        sheet = SHEET_START.replace("<sheetData>", f"{dimension}<sheetData>")
        archive.writestr(
            "xl/worksheets/sheet1.xml", sheet + sheet_rows + "</sheetData></worksheet>"
        )
        strings = (
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>{shared}</t></si></sst>'
        )
        archive.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def refused(session, data: bytes, filename: str = "theo-doi.xlsx") -> str:
    with pytest.raises(ImportFailed) as failure:
        import_tasks(session, io.BytesIO(data), filename)
    return str(failure.value)


def test_one_huge_shared_string_is_refused_before_parsing(session):
    """213 KB on disk, 60 MB unpacked, referenced by 2,000 cells: refused from the zip's
    directory, with little memory, before any XML is read."""
    cells = "".join(f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, 2001))
    data = xlsx(cells, shared="x" * (60 * 1024 * 1024))
    assert len(data) < 500_000
    tracemalloc.start()
    try:
        message = refused(session, data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "giải nén lớn 60 MB" in message and "50 MB" in message
    assert peak < 5 * 1024 * 1024  # the 60 MB were never unpacked


READ_IN_A_PROCESS = """
import io, json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a runaway reader dies, not the host
from app.importing import reader
start = time.perf_counter()
try:
    sheets = reader.read_file(sys.argv[1])
    outcome = {"rows": sum(len(rows) for _, rows in sheets)}
except reader.ImportFailed as failure:
    outcome = {"refused": str(failure)}
outcome["seconds"] = time.perf_counter() - start
# the process's own high-water mark: ru_maxrss would carry the test runner's over exec
own = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
outcome["peak_mb"] = int(own) / 1024
print(json.dumps(outcome))
"""


def read_in_a_process(path) -> dict:
    """The reader run on a file in a process of its own: what it answered, its peak memory."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", READ_IN_A_PROCESS, str(path)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def shared_string_cells(count: int) -> str:
    return "".join(
        f'<row r="{i}"><c r="A{i}" t="s"><v>0</v></c></row>' for i in range(1, count + 1)
    )


@pytest.mark.parametrize(
    "case",
    ["45 MB string, 24,000 cells", "at the expansion limit", "just over the expansion limit"],
)
def test_shared_strings_are_bounded_by_what_the_cells_expand_to(tmp_path, case):
    """One shared string referred to by many cells is built once per cell by the reader: the
    limit is on what the cells expand to, counted before any cell is built. A 45 MB string in
    24,000 cells (under the 50 MB unpacked limit) grew the scheduler to 19.5 GB."""
    per_cell = workbook_bounds.MAX_CELL_CHARS
    at_limit = workbook_bounds.MAX_EXPANDED_CHARS // per_cell
    if case.startswith("45 MB"):
        data = xlsx(shared_string_cells(24_000), shared="x" * (45 * 1024 * 1024))
    elif case.startswith("at"):
        data = xlsx(shared_string_cells(at_limit), shared="ệ" * per_cell)
    else:
        data = xlsx(shared_string_cells(at_limit + 1), shared="ệ" * per_cell)
    path = tmp_path / "chia-se.xlsx"
    path.write_bytes(data)
    outcome = read_in_a_process(path)
    assert outcome["peak_mb"] < 300 and outcome["seconds"] < 30, outcome
    if case.startswith("45 MB"):
        assert "một ô chứa văn bản dài 47.185.920 ký tự" in outcome["refused"]
    elif case.startswith("at"):
        assert outcome["rows"] == at_limit  # a file at the limit is read
    else:
        assert "các ô chứa hơn 30.000.000 ký tự" in outcome["refused"]


@pytest.mark.parametrize("formula", [False, True], ids=["calamine", "openpyxl"])
def test_a_million_empty_rows_end_at_the_data(session, monkeypatch, formula):
    """Read by calamine (no row is handed on), or, for a workbook with a formula, by openpyxl
    (which stops a thousand empty rows after the last row with data)."""
    first = '<row r="1"><c r="A1"><f>1+1</f></c></row>' if formula else '<row r="1"/>'
    rows = first + "".join(f'<row r="{i}"/>' for i in range(2, 1_048_577))
    data = xlsx(rows, dimension='<dimension ref="A1:K1048576"/>')
    read = []
    original = reader._bounded_rows

    def counting(name, rows, problems):
        def counted():
            for row in rows:
                read.append(1)
                yield row

        return original(name, counted(), problems)

    monkeypatch.setattr(reader, "_bounded_rows", counting)
    assert "không tìm thấy dòng tiêu đề" in refused(session, data)
    # openpyxl: the formula's row, then a thousand empty rows; calamine: no row at all
    assert len(read) == (reader.MAX_EMPTY_RUN + 1 if formula else 0)


def test_too_many_rows_and_too_long_cells_name_the_limit(session, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ROWS", 3)
    assert "hơn 3 dòng dữ liệu" in refused(session, workbook_bytes().getvalue())
    monkeypatch.undo()
    rows = [list(r) for r in ROWS]
    rows[1][5] = "Nội dung " * 3000  # 27,000 characters
    message = refused(session, workbook_bytes(rows).getvalue())
    assert "dòng 3" in message and "cột “F”" in message and "tối đa 20.000 ký tự" in message


def test_malformed_xml_inside_a_valid_zip_is_a_clear_error(app, session, client, world, tmp_path):
    good = workbook_bytes().getvalue()
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            target.writestr(item, data)
    message = refused(session, broken.getvalue())
    assert "bị hỏng" in message
    path = tmp_path / "hong.xlsx"
    path.write_bytes(broken.getvalue())
    result = app.test_cli_runner().invoke(args=["import-tasks", str(path)])
    assert result.exit_code == 1 and "bị hỏng" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    login(client, world.office)
    page = upload_and_run(app, client, broken.getvalue(), "hong.xlsx")
    assert page.status_code == 400 and "bị hỏng" in page.get_data(as_text=True)


def test_a_real_workbook_renamed_xls_is_read_by_its_content(session):
    result = import_tasks(session, workbook_bytes(), "theo-doi.xls")
    assert result.created_tasks == len(ROWS)
    session.rollback()
    old = reader.OLE_MAGIC + b"\x00" * 600
    assert "định dạng .xls cũ" in refused(session, old, "cu.xls")
    assert session.scalar(select(func.count(Task.id))) == 0


def _trimmed(sheets):
    out = []
    for name, rows in sheets:
        trimmed = [list(row) for row in rows]
        for row in trimmed:
            while row and row[-1] is None:
                row.pop()
        out.append((name, trimmed))
    return out


def test_calamine_reads_every_kind_of_cell_where_and_as_openpyxl_does(monkeypatch):
    """Workbooks without formulas are read by calamine, the others by openpyxl: both give the
    same values at the same row and column (problems are located by them)."""
    import datetime as dt

    from openpyxl import Workbook
    from openpyxl.chart import BarChart

    book = Workbook()
    sheet = book.active
    sheet.title = "Nhiệm vụ"
    sheet["C3"] = "BẢNG THEO DÕI"  # data begins at row 3, column C
    sheet.append([None, None, "Số ký hiệu", "Ngày ban hành", "Thứ tự", "Tỷ lệ", "Xong"])
    values = [
        "  1044/TB-UBND ", dt.datetime(2024, 11, 5), 3, 2.5, True, dt.datetime(2024, 11, 5, 9, 30),
        dt.time(14, 0), "0012", "Rà soát hồ sơ cấp GCN – phường Vĩnh Trại", -7, 45000,
    ]  # fmt: skip
    sheet.append([None, None, *values])
    sheet.append([])
    sheet["K9"] = "cuối"
    sheet["D5"].number_format = "dd/mm/yyyy"
    second = book.create_sheet("Đơn vị")
    second.append(["Tên đơn vị", "Thứ tự"])
    second.append(["Phòng Tài nguyên và Môi trường", 1])
    book.create_sheet("Trống")
    chart = book.create_chartsheet("Biểu đồ")
    chart.add_chart(BarChart())
    data = io.BytesIO()
    book.save(data)
    data = data.getvalue()

    assert not reader._has_formulas(data)
    fast = reader._xlsx_sheets(data, "x.xlsx")
    monkeypatch.setattr(reader, "_has_formulas", lambda data: True)
    slow = reader._xlsx_sheets(data, "x.xlsx")
    assert [name for name, _ in fast] == ["Nhiệm vụ", "Đơn vị", "Trống"]
    assert _trimmed(fast) == _trimmed(slow)
    assert fast[0][1][4][2:13] == tuple(values[:2]) + (3, 2.5, True, *values[5:])


def test_a_formula_anywhere_sends_the_workbook_to_openpyxl_and_its_text_is_kept(session):
    rows = [list(r) for r in ROWS]
    assert reader._has_formulas(workbook_bytes(rows).getvalue())  # ROWS[1] holds a HYPERLINK
    rows[1][5] = "Xử lý lấn chiếm đất công"
    assert not reader._has_formulas(workbook_bytes(rows).getvalue())


def test_data_far_to_the_right_is_refused_before_rows_are_built(session):
    cells = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="ALM1"><v>1</v></c></row>'
    assert "cột thứ 1.001" in refused(session, xlsx(cells, shared="Số ký hiệu"))
    assert "1.000 cột" in refused(session, xlsx(cells, shared="Số ký hiệu"))


def test_malformed_xml_in_a_workbook_without_formulas_is_a_clear_error(session):
    """The same damage read by calamine (no formula in the file): the same message."""
    rows = [list(r) for r in ROWS]
    rows[1][5] = "Xử lý lấn chiếm đất công"
    good = workbook_bytes(rows).getvalue()
    assert not reader._has_formulas(good)
    broken = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]  # cut in the middle of an element
            target.writestr(item, data)
    assert "bị hỏng" in refused(session, broken.getvalue())
