"""The detailed table for the Lạng Sơn 12/2024 scenario, read back from XLSX, DOCX and CSV."""

import csv
import datetime as dt
import io

import pytest
from docx import Document as DocxDocument
from openpyxl import load_workbook
from sqlalchemy import select

from app.core.office_scope import use_office
from app.dev.demo import SCENARIO_DATE, city_office_id, seed_demo
from app.models import Department
from app.reports.detail import build_detail, compare
from app.reports.files import to_csv, to_docx, to_xlsx
from conftest import FAST_HASH, login

SEED_GROUPS = {
    "I": [
        ("Phòng Tài nguyên và Môi trường", 7),
        ("Phòng Văn hóa – Thông tin thành phố", 3),
        ("Trung tâm Văn hóa - Thể thao thành phố", 1),
        ("Phòng Lao động – Thương binh và Xã hội thành phố", 1),
        ("Phòng Quản lý đô thị thành phố", 1),
    ],
    "II": [
        ("Phòng Tài nguyên và Môi trường", 18),
        ("Trung tâm Phát triển quỹ đất", 2),
        ("Phòng Quản lý đô thị thành phố", 2),
    ],
}


@pytest.fixture
def scenario(session):
    seed_demo(session, dt.date(2026, 11, 27), FAST_HASH)
    with use_office(city_office_id()):  # the demo has several offices: the city's data
        # A task whose content a user typed as a formula must come back as text.
        task = build_detail(session, SCENARIO_DATE).sections[0].groups[0].rows[0].task
        task.content = '=HYPERLINK("http://evil.example","bấm vào")'
        session.commit()
        yield task


def parse_rows(rows):
    """(section, [(department, count, [task numbers])]) from the first two columns of rows."""
    sections, current, group = {}, None, None
    for first, second in rows:
        if first in ("I", "II"):
            current = sections.setdefault(first, [])
        elif first in (None, "") and second and ": " in str(second):
            name, count = str(second).rsplit(": ", 1)
            group = [name, int(count.split()[0]), []]
            current.append(group)
        elif isinstance(first, int) or (isinstance(first, str) and first.isdigit()):
            group[2].append(int(first))
    return {
        key: [(name, count, numbers) for name, count, numbers in groups]
        for key, groups in sections.items()
    }


def check_groups(parsed):
    for key, expected in SEED_GROUPS.items():
        assert [(name, count) for name, count, _ in parsed[key]] == expected
        for _, count, numbers in parsed[key]:
            assert len(numbers) == count  # the subtotal counts the rows under it
        numbers = [n for _, _, ns in parsed[key] for n in ns]
        assert numbers == list(range(1, sum(c for _, c in expected) + 1))


def test_xlsx_has_exactly_13_and_22_rows_in_their_groups(session, scenario):
    wb = load_workbook(io.BytesIO(to_xlsx(build_detail(session, SCENARIO_DATE), with_code=True)))
    ws = wb.active
    assert ws["A1"].value.startswith("BIỂU CHI TIẾT TÌNH HÌNH THỰC HIỆN")
    assert ws["A2"].value == "(Tính đến ngày 16/12/2024)"
    assert [c.value for c in ws[4]][:4] == ["STT", "Mã nhiệm vụ", "Số ký hiệu", "Ngày ban hành"]
    assert ws.freeze_panes == "A5" and ws.auto_filter.ref.startswith("A4:N")
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
    assert ws.print_title_rows == "$4:$4" and "&P" in ws.oddFooter.center.text
    rows = [(r[0].value, r[1].value) for r in ws.iter_rows(min_row=5)]
    check_groups(parse_rows(rows))
    cells = [c for row in ws.iter_rows(min_row=5) for c in row if c.value is not None]
    formula = [c for c in cells if str(c.value).startswith("=HYPERLINK")]
    assert len(formula) == 1 and formula[0].data_type == "s"
    dates = [c for c in cells if c.column == 4 and c.row > 5 and isinstance(c.value, dt.datetime)]
    assert dates and dates[0].number_format == "DD/MM/YYYY"


CODE_TITLE = "Mã nhiệm vụ"


def _cells(wb) -> set:
    return {c.value for row in wb.active.iter_rows(max_row=12) for c in row}


def test_the_task_code_column_is_printed_only_when_asked_for(
    app, client, session, scenario, tmp_path
):
    """It takes a column's width on paper and means nothing to a reader; the office asks for it
    to correct the workbook and import it again (the page, the command)."""
    plain = load_workbook(io.BytesIO(to_xlsx(build_detail(session, SCENARIO_DATE)))).active
    assert [c.value for c in plain[4]][:3] == ["STT", "Số ký hiệu", "Ngày ban hành"]
    assert "NV-" not in " ".join(str(c.value) for row in plain.iter_rows() for c in row)
    from app.models import User

    office = session.scalar(select(User).where(User.username == "vanphong"))
    office.set_password("secret-pass", FAST_HASH)
    session.commit()
    login(client, office)
    page = client.get("/bao-cao?as_of=2024-12-16").get_data(as_text=True)
    assert 'id="table-with-code"' in page and 'name="code" value="1"' in page
    for query, with_code in (("", False), ("&code=1", True)):
        with client.get(f"/bao-cao/bieu-chi-tiet.xlsx?as_of=2024-12-16{query}") as response:
            assert (CODE_TITLE in _cells(load_workbook(io.BytesIO(response.data)))) == with_code
    out = str(tmp_path / "bieu.xlsx")
    for flag, with_code in (([], False), (["--with-code"], True)):
        result = app.test_cli_runner().invoke(
            args=["report", "table", "--as-of", "2024-12-16", "-o", out, *flag]
        )
        assert result.exit_code == 0, result.output
        assert (CODE_TITLE in _cells(load_workbook(out))) == with_code


def test_docx_has_the_same_rows_in_administrative_style(session, scenario):
    document = DocxDocument(io.BytesIO(to_docx(build_detail(session, SCENARIO_DATE))))
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape A4
    assert round(section.page_width.cm, 1) == 29.7
    assert document.paragraphs[0].runs[0].font.name == "Times New Roman"
    assert document.paragraphs[0].runs[0].font.size.pt == 14
    table = document.tables[0]
    header = table.rows[0]
    assert (
        header._tr.trPr.find(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader"
        )
        is not None
    )
    rows = []
    for row in table.rows[1:]:
        texts = [c.text for c in row.cells]
        first = texts[0] or None
        rows.append((first, texts[1]))
    check_groups(parse_rows(rows))
    assert "PAGE" in section.footer.paragraphs[0]._p.xml
    assert any(c.text.startswith("=HYPERLINK") for r in table.rows for c in r.cells)


def test_csv_never_starts_a_cell_with_a_formula(session, scenario):
    text = to_csv(build_detail(session, SCENARIO_DATE))
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == 1 + 13 + 22
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_one_department_and_the_extension_columns(session, scenario):
    tnmt = session.scalar(select(Department).where(Department.short_name == "TN&MT"))
    table = build_detail(session, SCENARIO_DATE, department_id=tnmt.id)
    assert [s.count for s in table.sections] == [7, 18]
    assert table.subtitle.endswith("— Phòng Tài nguyên và Môi trường)")
    extended = [r for s in table.sections for g in s.groups for r in g.rows if r.original_deadline]
    # The extension approved on 10/12/2024 moved a deadline: both are shown.
    assert len(extended) == 1 and "hạn ban đầu" in extended[0].deadline_text


def test_cli_writes_each_format(app, session, scenario, tmp_path):
    runner = app.test_cli_runner()
    for fmt in ("xlsx", "docx", "csv"):
        out = tmp_path / f"bieu.{fmt}"
        result = runner.invoke(
            args=["report", "table", "--as-of", "2024-12-16", "--format", fmt, "-o", str(out)]
        )
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 1000
    one = tmp_path / "tnmt.xlsx"
    result = runner.invoke(
        args=[
            "report",
            "table",
            "--as-of",
            "2024-12-16",
            "-o",
            str(one),
            "--department",
            "phong tai nguyen va moi truong",
        ]
    )
    assert result.exit_code == 0 and "07 nội dung" in result.output


def test_comparison_between_two_dates(session, scenario):
    changes = compare(session, dt.date(2024, 11, 16), SCENARIO_DATE)
    by_name = {c.department.name: c for c in changes}
    tnmt = by_name["Phòng Tài nguyên và Môi trường"]
    assert tnmt.new and all(t.document.issued_on > dt.date(2024, 11, 16) for t in tnmt.new)
    late_ids = {
        r.task.id for g in build_detail(session, SCENARIO_DATE).sections[0].groups for r in g.rows
    }
    assert {t.id for c in changes for t in c.newly_late} <= late_ids


def test_report_page_and_downloads(client, session, scenario):
    from app.models import User

    office = session.scalar(select(User).where(User.username == "vanphong"))
    office.set_password("secret-pass", FAST_HASH)
    session.commit()
    login(client, office)
    page = client.get("/bao-cao?as_of=2024-12-16").get_data(as_text=True)
    assert "chậm tham mưu giải quyết: 13 nội dung" in page and 'id="copy-section"' in page
    # The comparison date follows the as-of date: a month before it, not before today.
    assert "Thay đổi từ 16/11/2024 đến 16/12/2024" in page
    with client.get("/bao-cao/bieu-chi-tiet.xlsx?as_of=2024-12-16") as response:
        assert response.status_code == 200
        assert "bieu-chi-tiet-20241216.xlsx" in response.headers["Content-Disposition"]
        ws = load_workbook(io.BytesIO(response.data)).active
    texts = [c.value for row in ws.iter_rows(max_row=8) for c in row if c.value]
    assert texts[:2] == ["UBND THÀNH PHỐ LẠNG SƠN", "VĂN PHÒNG HĐND VÀ UBND"]
    assert "(Tính đến ngày 16/12/2024)" in texts
    assert not any("Kèm theo" in t for t in texts)  # no report number given: no line
    url = "/bao-cao/bieu-chi-tiet.docx?as_of=2024-12-16&report_number=1321/BC-UBND"
    with client.get(url + "&report_date=2024-12-16") as response:
        assert response.status_code == 200
        document = DocxDocument(io.BytesIO(response.data))
    assert "(Kèm theo Báo cáo số 1321/BC-UBND ngày 16/12/2024 của UBND thành phố Lạng Sơn)" in [
        p.text for p in document.paragraphs
    ]
    assert client.get(url + "x" * 64).status_code == 400
    with client.get("/bao-cao/so-sanh.xlsx?as_of=2024-12-16&since=2024-11-16") as response:
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.data)).active
    changes = [r for r in sheet.iter_rows(values_only=True) if r[2] == "Nhiệm vụ mới"]
    assert len(changes) == 18 and all(r[1] for r in changes)  # 15 + 2 + 1 issued since
    assert client.get("/bao-cao/so-sanh.xlsx?as_of=2024-12-16&since=2024-12-17").status_code == 400
    assert client.get("/bao-cao?as_of=2024-12-16&since=2024-12-17").status_code == 400
    with client.get("/bao-cao/bieu-chi-tiet.docx?as_of=2024-12-16") as response:
        assert response.status_code == 200
    assert client.get("/bao-cao?as_of=16-12-2024").status_code == 400
    head = session.scalar(select(User).where(User.username == "tnmt.truong"))
    head.set_password("secret-pass", FAST_HASH)
    session.commit()
    login(client, head)
    assert client.get("/bao-cao").status_code == 403
    assert client.get("/bao-cao/bieu-chi-tiet.xlsx").status_code == 403
