"""A column of the files the product writes and reads is declared once: the exports' task
columns are the import's, and the import reads the header row an export writes."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from app.importing.columns import TASK_COLUMNS, TASK_REQUIRED, TASK_TABLE
from app.importing.reader import extract_sheet, read_file
from app.printing import columns
from app.reports.detail import SHEET_TABLE
from app.tasks.export import TABLE, tasks_workbook


@pytest.mark.parametrize("table", [TABLE, SHEET_TABLE], ids=["task list", "detailed table"])
def test_an_exported_task_column_is_the_import_column_of_the_same_key(table):
    shared = [column for column in table if column.key in TASK_COLUMNS]
    assert len(shared) >= 10
    for column in shared:
        assert column.title == TASK_COLUMNS[column.key]
        assert column.title == getattr(columns, column.key.upper()).title


def test_the_import_finds_every_task_column_in_the_header_row_of_an_exported_list():
    day = dt.date(2026, 11, 27)
    row = [1, "NV-00001", "12/UBND", day, "UBND", "Trích yếu", "Nội dung", "Phòng A", "", day]
    row += ["Đang thực hiện", "Chậm", 3, "Ghi chú"]
    (name, rows), *_ = read_file(io.BytesIO(tasks_workbook([row], day)), "danh-sach.xlsx")
    sheet, problems = extract_sheet(name, rows, TASK_COLUMNS, TASK_REQUIRED)
    assert problems == [] and len(sheet.rows) == 1
    shared = {c.key for c in TABLE} & {c.key for c in TASK_TABLE}
    assert set(sheet.rows[0].cells) == shared and len(shared) == 11


def test_a_table_changes_a_columns_layout_never_its_key_or_title():
    deadline = columns.DEADLINE.but(whole=False, centred=True)
    assert (deadline.key, deadline.title) == (columns.DEADLINE.key, columns.DEADLINE.title)
    assert not deadline.whole and deadline.centred and columns.DEADLINE.whole
    with pytest.raises(TypeError):
        columns.DEADLINE.but(title="Hạn")


def test_the_task_csv_writes_every_cell_as_csv_safe_does():
    """The CSV export's fast path (texts, whole numbers and None to the csv module as they
    are, dates' texts worked out once) writes the same file as csv_safe on every cell."""
    import csv
    import datetime as dt
    import io

    from app.printing.cells import csv_safe
    from app.tasks.export import COLUMNS, tasks_csv

    day = dt.date(2024, 2, 29)
    rows = [
        [1, "NV-1", "=1+1", day, None, "+x", "@a", "\tA", "-", "", 0, -3, 10**20, "đúng"],
        [2, True, False, 1.5, dt.datetime(2024, 1, 2, 3, 4), day, "Thường xuyên", -0.5, None,
         "\rB", "ok", dt.date(1900, 1, 1), 7, "'a"],
    ]  # fmt: skip
    expected = io.StringIO()
    writer = csv.writer(expected)
    writer.writerow(COLUMNS)
    writer.writerows([csv_safe(value) for value in row] for row in rows)
    assert tasks_csv(rows) == expected.getvalue().encode("utf-8-sig")
    assert "'=1+1" in tasks_csv(rows).decode("utf-8-sig") and "29/02/2024" in expected.getvalue()
