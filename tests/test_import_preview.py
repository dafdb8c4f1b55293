"""The import's preview and result pages say, row by row, what each row was read as (its lead
and cooperating units, the deadline computed, the document it goes to), their counts agree with
their lists, and the result links the documents it created."""

from __future__ import annotations

import io
import re
from html import unescape

from openpyxl import Workbook
from sqlalchemy import select
from test_import import ROWS, UNITS
from test_web_workflow import confirm_and_run, upload_and_run

from app.importing.columns import TASK_COLUMNS
from app.models import Document
from conftest import login

SERIES_ROW = [None, "9/KH-UBND", "02/01/2025", "UBND thành phố", "Kế hoạch", "",
              "Báo cáo tiến độ giải phóng mặt bằng", "TNMT", "", None, "Chưa thực hiện", None,
              "", "hằng quý, trước ngày 15 của tháng cuối quý"]  # fmt: skip


def workbook(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = "Nhiệm vụ"
    ws.append(list(TASK_COLUMNS.values()))
    for row in rows:
        ws.append(row)
    units = wb.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Tên viết tắt", "Thứ tự", "Email"])
    for unit in UNITS:
        units.append(unit)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def counts_and_lists(html: str) -> tuple[dict[str, int], dict[str, int]]:
    """The summary's counts ("Nhiệm vụ mới: 4") and the lists' ("Nhiệm vụ mới (5)")."""
    counted = {k: int(n) for k, n in re.findall(r"<li>(Nhiệm vụ[^<:]*): (\d+)", html)}
    listed = {k: int(n) for k, n in re.findall(r"<summary>(Nhiệm vụ[^<(]*) \((\d+)\)", html)}
    return counted, listed


def rows_of(html: str) -> dict[int, dict[str, str]]:
    out = {}
    for number, body in re.findall(r'<tr data-row="(\d+)">(.*?)</tr>', html, re.S):
        cells = dict(re.findall(r'class="import-(\w+)">(.*?)</td>', body, re.S))
        out[int(number)] = {k: re.sub(r"\s+", " ", unescape(re.sub("<[^>]+>", "", v))).strip()
                            for k, v in cells.items()}  # fmt: skip
    return out


def test_preview_and_result_show_each_row_and_counts_agree(app, client, session, world):
    login(client, world.office)
    rows = [[None, *r, ""] for r in ROWS] + [SERIES_ROW]
    preview = upload_and_run(app, client, workbook(rows))
    html = unescape(preview.get_data(as_text=True))
    counted, listed = counts_and_lists(html)
    # The recurring duty was listed with the new tasks: "Nhiệm vụ mới: 5" above a list of 6.
    assert counted["Nhiệm vụ mới"] == listed["Nhiệm vụ mới"] == 5
    assert counted["Nhiệm vụ định kỳ mới"] == listed["Nhiệm vụ định kỳ mới"] == 1
    for label, number in listed.items():
        assert counted[label] == number, label
    shown = rows_of(html)
    assert '<td data-label="Dòng">2</td>' in html  # a new task has no code before it is written
    assert shown[2]["lead"] == "Phòng Tài nguyên và Môi trường"
    assert shown[2]["cooperators"] == "Phòng Quản lý đô thị thành phố"
    assert shown[2]["deadline"] == "02/12/2024"  # 30/11/2024 is a Saturday: moved to Monday
    assert shown[2]["document"] == "1044/TB-UBND ngày 05/11/2024 · UBND thành phố"
    assert shown[5]["deadline"] == "15/10/2024 (10 ngày làm việc)"  # from 01/10/2024
    assert shown[3]["deadline"] == "Thường xuyên"
    assert shown[7]["deadline"].startswith("Định kỳ: hằng quý")
    assert (
        "<a "
        not in preview.get_data(as_text=True).split('id="import-preview"')[1].split("</details>")[0]
    )  # nothing written yet: no links
    job = re.search(r'name="job" value="(\d+)"', html).group(1)
    result = confirm_and_run(app, client, {"job": job})
    page = result.get_data(as_text=True)
    counted, listed = counts_and_lists(unescape(page))
    assert counted["Nhiệm vụ mới"] == listed["Nhiệm vụ mới"] == 5
    for label, number in listed.items():
        assert counted[label] == number, label
    numbers = {r[1] for r in rows}
    documents = session.scalars(
        select(Document).where(Document.number.in_(numbers)).order_by(Document.id)
    ).all()
    links = re.findall(r'<ul id="import-documents">(.*?)</ul>', page, re.S)[0]
    assert [int(i) for i in re.findall(r'href="/van-ban/(\d+)"', links)] == [
        d.id for d in documents
    ]
    assert len(documents) == 4 and "1044/TB-UBND</a> ngày 05/11/2024" in links
    for document in documents:
        assert client.get(f"/van-ban/{document.id}").status_code == 200
    assert f'href="/van-ban/{documents[0].id}">1044/TB-UBND</a>' in page.split("import-rows")[1]
