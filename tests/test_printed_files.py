"""The files the product writes, printed: LibreOffice turns them into PDF, and the PDF's text
says what a civil servant would see on paper.

Needs Debian's LibreOffice and poppler-utils (.ci/run installs them; REQUIRE_OFFICE=1 makes
their absence a failure instead of a skip). The files do not depend on the database, so they
are made once, from the demo on SQLite.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
from html import unescape

import pytest
from sqlalchemy import select

from app.core.office_scope import use_office
from app.core.settings import load_settings
from app.dev.demo import SCENARIO_DATE, city_office_id, seed_demo
from app.extensions import db
from app.importing.template import write_template
from app.models import Department, User
from app.models.people import Role
from app.printing.cells import as_text
from app.printing.columns import titles
from app.printing.letterhead import letterhead
from app.reports.detail import (
    COLUMNS,
    SECTION_NUMBERS,
    SHEET_COLUMNS,
    SHEET_TABLE_PRINTED,
    build_detail,
    compare,
)
from app.reports.files import COMPARISON_COLUMNS, comparison_xlsx, to_docx, to_xlsx
from app.reports.statistics import COLUMNS as STATS_COLUMNS
from app.reports.statistics import build_statistics
from app.reports.statistics_files import to_docx as stats_docx
from app.reports.statistics_files import to_xlsx as stats_xlsx
from app.tasks.export import COLUMNS as LIST_COLUMNS
from app.tasks.export import export_rows, tasks_workbook
from app.tasks.queries import TaskFilter
from conftest import FAST_HASH, make_app

ATTACHED = "(Kèm theo Báo cáo số 1321/BC-UBND ngày 16/12/2024 của UBND thành phố Lạng Sơn)"
TITLE = "BIỂU CHI TIẾT TÌNH HÌNH THỰC HIỆN CÁC VĂN BẢN CHỈ ĐẠO, THÔNG BÁO KẾT LUẬN"

TOOLS = shutil.which("soffice") and shutil.which("pdftotext")
if not TOOLS:
    if os.environ.get("REQUIRE_OFFICE"):
        raise RuntimeError("REQUIRE_OFFICE is set but LibreOffice or pdftotext is missing")
    pytest.skip("LibreOffice (soffice) or pdftotext is not installed", allow_module_level=True)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def print_to_pdf(paths, outdir, profile) -> None:
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


def pages_of(pdf) -> list[str]:
    """Each page's text in the order the PDF draws it (a table cell's lines stay together)."""
    out = subprocess.run(
        ["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return out.split("\f")[:-1]


@pytest.fixture(scope="module")
def printed(sqlite_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("printed")
    path = folder / "tracker.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context(), use_office(city_office_id()):  # the city's data
        seed_demo(db.session, dt.date(2026, 11, 27), FAST_HASH)
        db.session.commit()
        head = letterhead(load_settings(db.session), "1321/BC-UBND", SCENARIO_DATE)
        table = build_detail(db.session, SCENARIO_DATE)
        rows = [r for s in table.sections for g in s.groups for r in g.rows]
        files = {
            "detail.docx": to_docx(table, head),
            "detail.xlsx": to_xlsx(table, head),
            "detail-code.xlsx": to_xlsx(table, head, with_code=True),
            "list.xlsx": tasks_workbook(
                export_rows(
                    db.session,
                    db.session.scalar(select(User).where(User.role == Role.OFFICE)),
                    TaskFilter(),
                    dt.date(2026, 11, 27),
                ),
                dt.date(2026, 11, 27),
                letterhead(load_settings(db.session)),
            ),
        }
        since = dt.date(2024, 11, 16)
        files["comparison.xlsx"] = comparison_xlsx(
            compare(db.session, since, SCENARIO_DATE), since, SCENARIO_DATE, head
        )
        stats = build_statistics(db.session, dt.date(2024, 1, 1), dt.date(2024, 12, 31))
        plain = letterhead(load_settings(db.session))
        files["stats.xlsx"] = stats_xlsx(stats, plain)
        files["stats.docx"] = stats_docx(stats, plain)
        stats_rows = [r.values() for r in [*stats.rows, stats.total]]
        template = io.BytesIO()
        write_template(template, db.session.scalars(select(Department)))
        files["template.xlsx"] = template.getvalue()
        numbered = [r.values(n) for n, r in enumerate(rows, start=1)]
        db.session.remove()
        db.engine.dispose()
    paths = []
    for name, data in files.items():  # detail.docx -> detail-docx.docx: one PDF name each
        paths.append(folder / f"{name.replace('.', '-')}.{name.rsplit('.', 1)[1]}")
        paths[-1].write_bytes(data)
    print_to_pdf(paths, folder / "pdf", folder / "profile")
    pages = {name: pages_of(folder / "pdf" / f"{name.replace('.', '-')}.pdf") for name in files}
    return {"pages": pages, "rows": numbered, "folder": folder, "stats": stats_rows}


def test_detail_docx_first_page_has_the_heading_and_every_column(printed):
    first = printed["pages"]["detail.docx"][0]
    assert "UBND THÀNH PHỐ LẠNG SƠN" in first and "VĂN PHÒNG HĐND VÀ UBND" in first
    assert squeeze(TITLE) in squeeze(first) and squeeze(ATTACHED) in squeeze(first)
    for title in COLUMNS:
        assert squeeze(title) in squeeze(first), title


def test_detail_docx_prints_the_seed_on_six_pages_at_most(printed):
    pages = printed["pages"]["detail.docx"]
    assert len(pages) <= 6, len(pages)
    # the header row is repeated on every page, and every page is numbered
    for number, page in enumerate(pages, start=1):
        assert squeeze("Nội dung nhiệm vụ") in squeeze(page)
        assert page.rstrip().endswith(str(number))


def test_detail_docx_rows_never_split_and_numbers_never_break(printed):
    pages = printed["pages"]["detail.docx"]
    squeezed = [squeeze(p) for p in pages]
    assert len(printed["rows"]) == 35
    for values in printed["rows"]:
        cells = [squeeze(as_text(v)) for v in values[1:] if as_text(v).strip()]
        common = set(range(len(pages)))
        for cell in cells:
            common &= {i for i, page in enumerate(squeezed) if cell in page}
        assert common, f"row {values[0]} ({values[1]}) is split between two pages"
        number = values[1]  # the document number is printed whole, on one line
        assert any(number in page.split() for page in pages), number


@pytest.mark.parametrize("name", ["detail.xlsx", "detail-code.xlsx"])
def test_detail_xlsx_prints_one_page_wide_with_title_and_page_numbers(printed, name):
    pages = printed["pages"][name]
    first = squeeze(pages[0])
    assert squeeze(TITLE) in first and squeeze(ATTACHED) in first
    assert squeeze("UBND THÀNH PHỐ LẠNG SƠN") in first
    for title in SHEET_COLUMNS if name == "detail-code.xlsx" else titles(SHEET_TABLE_PRINTED):
        assert squeeze(title) in first, title
    # The task code takes a column's width on paper: printed only when asked for.
    assert (squeeze("Mã nhiệm vụ") in first) == (name == "detail-code.xlsx")
    assert len(pages) <= (7 if name == "detail.xlsx" else 9), len(pages)
    for number, page in enumerate(pages, start=1):
        assert f"Trang {number}/{len(pages)}" in page
        assert squeeze("Nội dung nhiệm vụ") in squeeze(page)  # print titles


def _words(pdf) -> list[list[tuple[float, float, float, float, str]]]:
    """Each page's words with their boxes (xMin, yMin, xMax, yMax, text)."""
    out = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    word = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    return [
        [(float(a), float(b), float(c), float(d), unescape(t))
         for a, b, c, d, t in re.findall(word, page)]
        for page in out.split("<page ")[1:]
    ]  # fmt: skip


def _blocks(pdf) -> list[list[str]]:
    """The text blocks LibreOffice drew (a table cell is one when its column stands apart),
    each as its printed lines."""
    out = subprocess.run(
        ["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True, timeout=60
    ).stdout.decode("utf-8")
    return [
        [
            " ".join(unescape(w) for w in re.findall(r">([^<]+)</word>", line))
            for line in re.findall(r"<line[^>]*>(.*?)</line>", block, re.S)
        ]
        for block in re.findall(r"<block[^>]*>(.*?)</block>", out, re.S)
    ]


def _blank_lines_under_rows(pdf) -> list[float]:
    """For each table row followed by another on its page: the space between its lowest text
    and the next row's first line, in lines of text."""
    gaps = []
    for words in _words(pdf):
        header = next((w for w in words if w[4] == "STT"), None)
        if header is None:
            continue
        ordinals = sorted(
            (w for w in words if w[4].isdigit() and w[2] <= header[2] + 2 and w[1] > header[3]),
            key=lambda w: w[1],
        )
        for row, following in zip(ordinals, ordinals[1:], strict=False):
            lowest = max(w[3] for w in words if row[1] - 1 <= w[1] < following[1] - 1)
            gaps.append((following[1] - lowest) / (row[3] - row[1]))
    return gaps


@pytest.mark.parametrize("name", ["detail.xlsx", "detail.docx"])
def test_detail_unit_names_take_at_most_three_lines(printed, name):
    """A unit's name was printed over five lines of a narrow column ("Phòng / Tài / nguyên /
    và Môi / trường")."""
    pdf = printed["folder"] / "pdf" / f"{name.replace('.', '-')}.pdf"
    cells = [b for b in _blocks(pdf) if " ".join(b) == "Phòng Tài nguyên và Môi trường"]
    assert cells and max(len(lines) for lines in cells) <= 3, cells


def test_detail_xlsx_rows_are_as_tall_as_their_text(printed):
    """Row heights come from the wrapped text measured in the font's own widths and line
    height: no row keeps a blank line under its text (they kept one or two)."""
    gaps = _blank_lines_under_rows(printed["folder"] / "pdf" / "detail-xlsx.pdf")
    assert len(gaps) > 20
    assert max(gaps) < 1.1, gaps  # never two blank lines
    assert sum(g < 0.5 for g in gaps) >= 0.9 * len(gaps), gaps  # nine rows in ten: none
    # and none is shorter than its text: every cell's text is printed whole
    from openpyxl import load_workbook

    text = squeeze("".join(printed["pages"]["detail.xlsx"]))
    ws = load_workbook(printed["folder"] / "detail-xlsx.xlsx").active
    cells = [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
    assert [c for c in cells if squeeze(c) not in text] == []


def test_detail_sections_are_numbered_alike_in_xlsx_and_docx(printed):
    """The sections' numbers, as printed, are the same in both files, and look the same: bold,
    centred under STT."""
    from openpyxl import load_workbook

    heading = re.compile(r"^(\S+) CÁC ĐƠN VỊ CÒN CÓ NỘI DUNG", re.M)
    printed_numbers = {
        name: heading.findall("\n".join(printed["pages"][name]))
        for name in ("detail.xlsx", "detail.docx")
    }
    expected = list(SECTION_NUMBERS.values())
    assert printed_numbers == {"detail.xlsx": expected, "detail.docx": expected}
    ws = load_workbook(printed["folder"] / "detail-xlsx.xlsx").active
    cells = [row[0] for row in ws.iter_rows() if row[0].value in expected]
    assert [c.value for c in cells] == expected
    assert all(c.font.b and c.alignment.horizontal == "center" for c in cells)


def test_other_workbooks_print_one_page_wide(printed):
    first = squeeze(printed["pages"]["list.xlsx"][0])
    assert squeeze("DANH SÁCH NHIỆM VỤ") in first
    for title in LIST_COLUMNS:
        assert squeeze(title) in first, title
    comparison = printed["pages"]["comparison.xlsx"]
    assert squeeze("(Từ ngày 16/11/2024 đến ngày 16/12/2024)") in squeeze(comparison[0])
    for title in COMPARISON_COLUMNS:
        assert squeeze(title) in squeeze(comparison[0]), title
    assert f"Trang 1/{len(comparison)}" in comparison[0]
    template = squeeze(printed["pages"]["template.xlsx"][0])
    for title in ("Số ký hiệu", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Ghi chú"):
        assert squeeze(title) in template, title


@pytest.mark.parametrize("name", ["stats.xlsx", "stats.docx"])
def test_statistics_print_on_one_page_with_every_column_and_row(printed, name):
    pages = printed["pages"][name]
    assert len(pages) == 1, f"{len(pages)} pages"
    page = squeeze(pages[0])
    assert "UBND THÀNH PHỐ LẠNG SƠN" in pages[0]
    assert squeeze("KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO THEO ĐƠN VỊ") in page
    assert squeeze("từ ngày 01/01/2024 đến ngày 31/12/2024") in page
    for title in STATS_COLUMNS:
        assert squeeze(title) in page, title
    for values in printed["stats"]:
        # each row reads left to right as in the CSV (shares with a decimal comma)
        assert squeeze(" ".join(as_text(v) for v in values)) in page, values


def test_each_row_is_as_tall_as_its_tallest_wrapped_cell_short_cells_unmeasured():
    """Rows' heights skip measuring the texts too short to wrap (most cells): the result must
    be what measuring every cell gives, for the widest letters too."""
    from openpyxl import Workbook

    from app.printing.measure import (
        CELL_PADDING_CM,
        LINE_HEIGHT,
        TABLE_PT,
        ColumnText,
        wrapped_lines,
    )
    from app.printing.xlsx import set_widths_and_heights

    widths = [1.4, 2.6, 5.0]
    samples = ["W" * n for n in range(1, 30)] + ["i" * n for n in range(1, 60, 7)] + [
        "Phòng Tài nguyên và Môi trường", "Đã hoàn thành\nngày 12/12/2024", "NV-00012",
        "MWMW WMWM MWMW", "Rà soát, tổng hợp, báo cáo kết quả thực hiện " * 3, "",
    ]  # fmt: skip
    rows = {n: [samples[(n + k * 7) % len(samples)] for k in range(3)] for n in range(2, 60)}
    columns = [ColumnText(f"Cột {k}", [r[k] for r in rows.values()]) for k in range(3)]
    ws = Workbook().active
    set_widths_and_heights(ws, columns, 1, rows, widths=widths)
    line = TABLE_PT * LINE_HEIGHT
    for row, cells in rows.items():
        lines = max(
            (
                wrapped_lines(t, w - CELL_PADDING_CM)
                for t, w in zip(cells, widths, strict=True)
                if t
            ),
            default=1,
        )
        assert ws.row_dimensions[row].height == lines * line + 4, (row, cells)


@pytest.fixture(scope="module")
def province_printed(sqlite_template, tmp_path_factory):
    """The province's table across its communes (``test_province_table``'s small province),
    as XLSX and DOCX, printed."""
    from test_province_table import SECOND, Province

    from app.core.office_scope import use_office
    from app.models import Office
    from app.offices.province_table import province_rows
    from app.reports.province_files import to_docx as province_docx
    from app.reports.province_files import to_xlsx as province_xlsx
    from conftest import Factory

    folder = tmp_path_factory.mktemp("province")
    path = folder / "tracker.db"
    shutil.copy(sqlite_template, path)
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        world = Province(db.session, Factory(db.session))
        with use_office(world.province_id):
            table = province_rows(db.session, db.session.get(Office, 1), SECOND)
            head = letterhead(load_settings(db.session))
            files = {"xlsx": province_xlsx(table, head), "docx": province_docx(table, head)}
        rows = [r.values() for r in [*table.rows, table.total]]
        db.session.remove()
        db.engine.dispose()
    paths = [folder / f"province-{kind}.{kind}" for kind in files]
    for target, data in zip(paths, files.values(), strict=True):
        target.write_bytes(data)
    print_to_pdf(paths, folder / "pdf", folder / "profile")
    pages = {kind: pages_of(folder / "pdf" / f"province-{kind}.pdf") for kind in files}
    return {"pages": pages, "rows": rows}


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_the_province_table_prints_on_one_page_with_every_column_and_row(province_printed, kind):
    from app.offices.province_table import COLUMNS as PROVINCE_COLUMNS

    pages = province_printed["pages"][kind]
    assert len(pages) == 1, f"{len(pages)} pages"
    page = squeeze(pages[0])
    assert squeeze("TÌNH HÌNH THỰC HIỆN NHIỆM VỤ CỦA CÁC XÃ, PHƯỜNG") in page
    assert squeeze("số liệu tính đến ngày 15/11/2025") in page
    for title in PROVINCE_COLUMNS:
        assert squeeze(title) in page, title
    assert len(province_printed["rows"]) == 4
    for values in province_printed["rows"]:
        # each row reads left to right as in the CSV (shares with a decimal comma)
        assert squeeze(" ".join(as_text(v) for v in values)) in page, values
