"""The department/office workflow, documents, attachments and lists through the test client."""

import csv
import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from app.core.classification import classify_tasks
from app.core.timeutil import local_today
from app.dev.demo import seed_demo
from app.models import Attachment, Document, Event, Extension, Task
from app.tasks.queries import task_category
from conftest import FAST_HASH, login


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_progress_completion_and_confirmation(client, world, session):
    task = world.tnmt_task
    login(client, world.tnmt_member)
    response = client.post(
        f"/nhiem-vu/{task.id}/tien-do",
        data={
            "content": "Đã kiểm tra hiện trường",
            "version": task.version,
            "files": (io.BytesIO(b"%PDF-1.4 report"), "bao-cao.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    session.refresh(task)
    assert task.state == "in_progress"
    attachment = session.scalar(select(Attachment))
    assert attachment.filename == "bao-cao.pdf" and attachment.stored_name != "bao-cao.pdf"
    with client.get(f"/tep/{attachment.id}") as download:
        assert download.data == b"%PDF-1.4 report"

    # A member reports progress but, by default, only the head asks for completion.
    refused = client.post(
        f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh",
        data={"version": task.version, "comment": "Đã ban hành văn bản trả lời"},
    )
    assert refused.status_code == 403
    login(client, world.tnmt_head)
    client.post(
        f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh",
        data={"version": task.version, "comment": "Đã ban hành văn bản trả lời"},
    )
    session.refresh(task)
    assert task.state == "awaiting_confirmation"
    assert "Đề nghị hoàn thành</strong>: Đã ban hành văn bản trả lời" in page(
        client, f"/nhiem-vu/{task.id}"
    )

    login(client, world.vhtt_head)  # another department: neither task nor its file
    assert client.get(f"/tep/{attachment.id}").status_code == 403

    login(client, world.office)
    done_on = local_today() - dt.timedelta(days=1)
    client.post(
        f"/nhiem-vu/{task.id}/xac-nhan",
        data={"version": task.version, "done_on": done_on.isoformat()},
    )
    session.refresh(task)
    assert task.state == "done" and task.done_on == done_on
    assert task_category(task, local_today()).value == "done_late"
    html = page(client, f"/nhiem-vu/{task.id}")
    assert "Xác nhận hoàn thành" in html and "Đã kiểm tra hiện trường" in html
    assert "bao-cao.pdf" in html
    assert '<svg class="icon"' in html  # the paperclip is drawn, not a glyph a font may lack
    assert f"Mã {task.code}" in html
    assert "Đổi tình trạng" not in html


def test_overdue_list_and_dashboard_follow_the_state(client, world, session):
    login(client, world.office)
    assert f'data-task="{world.tnmt_task.id}"' in page(client, "/nhiem-vu/qua-han")
    assert 'data-department="Phòng Tài nguyên và Môi trường"' in page(client, "/")
    client.post(
        f"/nhiem-vu/{world.tnmt_task.id}/xac-nhan",
        data={"version": world.tnmt_task.version, "done_on": local_today().isoformat()},
    )
    assert f'data-task="{world.tnmt_task.id}"' not in page(client, "/nhiem-vu/qua-han")
    dashboard = page(client, "/")
    late_card = dashboard.split('data-stat="late"')[1].split("</a>")[0]
    assert late_card.rstrip().endswith(">0")


def test_bad_attachment_is_refused_and_nothing_saved(client, world, session):
    login(client, world.tnmt_head)
    task = world.tnmt_task
    response = client.post(
        f"/nhiem-vu/{task.id}/tien-do",
        data={
            "content": "Kèm tệp",
            "version": task.version,
            "files": (io.BytesIO(b"MZ..."), "virus.exe"),
        },
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "không được chấp nhận" in response.get_data(as_text=True)
    session.refresh(task)
    assert task.state == "open" and session.scalar(select(Attachment)) is None


def test_extension_moves_the_deadline_only_on_approval(client, world, session):
    task = world.tnmt_task
    old = task.deadline
    new = local_today() + dt.timedelta(days=30)
    login(client, world.tnmt_head)
    client.post(
        f"/nhiem-vu/{task.id}/gia-han",
        data={"version": task.version, "new_deadline": new.isoformat(), "reason": "Chờ ý kiến Sở"},
    )
    extension = session.scalar(select(Extension))
    assert extension.status == "pending" and task.deadline == old
    login(client, world.office)
    refused = client.post(
        f"/gia-han/{extension.id}", data={"decision": "refuse", "note": ""}, follow_redirects=True
    )
    assert "Cần ghi lý do từ chối" in refused.get_data(as_text=True)
    client.post(f"/gia-han/{extension.id}", data={"decision": "approve", "note": "Đồng ý"})
    session.refresh(task)
    session.refresh(extension)
    assert extension.status == "approved" and task.deadline == new
    assert task.original_deadline == old
    event = session.scalar(select(Event).where(Event.task_id == task.id, Event.kind == "deadline"))
    assert event.effective_on == local_today() and event.user_id == world.office.id
    statuses = classify_tasks(session, local_today() - dt.timedelta(days=1))
    assert statuses[task.id][1].category.value == "late"  # before the approval it was late
    # The history says it in the office's words, not as internal fields.
    html = page(client, f"/nhiem-vu/{task.id}")
    assert f"Gia hạn đến {new:%d/%m/%Y}" in html
    assert "Loại thời hạn" not in html and "Số ngày làm việc:" not in html


def test_send_back_and_cancel_need_reasons(client, world, session):
    task = world.qldt_task
    login(client, world.qldt_head)
    client.post(f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh", data={"version": task.version})
    login(client, world.office)
    session.refresh(task)
    client.post(
        f"/nhiem-vu/{task.id}/tra-lai",
        data={"back-version": task.version, "back-reason": "Thiếu báo cáo kết quả"},
    )
    session.refresh(task)
    assert task.state == "in_progress"
    empty = client.post(
        f"/nhiem-vu/{task.id}/huy",
        data={"cancel-version": task.version, "cancel-reason": ""},
        follow_redirects=True,
    )
    assert "bắt buộc" in empty.get_data(as_text=True)
    client.post(
        f"/nhiem-vu/{task.id}/huy",
        data={"cancel-version": task.version, "cancel-reason": "Văn bản đã bị thay thế"},
    )
    session.refresh(task)
    assert task.state == "cancelled" and task.cancel_reason == "Văn bản đã bị thay thế"


def test_a_stale_action_is_refused_with_what_changed(client, world, session):
    task = world.tnmt_task
    stale_version = task.version
    last_event = session.scalar(select(Event.id).where(Event.task_id == task.id))
    login(client, world.office)
    client.post(
        f"/nhiem-vu/{task.id}/sua",
        data={
            "version": stale_version,
            "last_event": last_event,
            "content": task.content,
            "lead": world.tnmt.id,
            "deadline_kind": "none",
            "note": "Chuyển thường xuyên",
        },
    )
    session.refresh(task)
    assert task.deadline is None and task.version > stale_version
    # A second office user still has the old page open and confirms completion.
    response = client.post(
        f"/nhiem-vu/{task.id}/xac-nhan",
        data={
            "version": stale_version,
            "last_event": last_event,
            "done_on": local_today().isoformat(),
        },
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "chưa được lưu" in html and "Thời hạn" in html and "Thường xuyên" in html
    session.refresh(task)
    assert task.state == "open"


def test_concurrent_edit_page_shows_the_conflict(client, world, session):
    task = world.qldt_task
    form = {
        "version": task.version,
        "last_event": 0,
        "content": "Nội dung A",
        "lead": world.qldt.id,
        "deadline_kind": "date",
        "deadline": task.deadline.isoformat(),
    }
    login(client, world.office)
    assert client.post(f"/nhiem-vu/{task.id}/sua", data=form).status_code == 302
    second = client.post(f"/nhiem-vu/{task.id}/sua", data={**form, "content": "Nội dung B"})
    assert second.status_code == 409
    html = second.get_data(as_text=True)
    assert 'id="conflict"' in html and "Nội dung A" in html
    session.refresh(task)
    assert task.content == "Nội dung A"


def test_create_document_with_two_tasks(client, world, session):
    login(client, world.office)
    issuer = world.tnmt_task.document.issuer
    data = {
        "number": "1044/TB-UBND",
        "kind": "Thông báo kết luận",
        "issuer": issuer.id,
        "issued_on": "2026-02-13",
        "summary": "Kết luận phiên họp",
        "tasks-0-content": "Rà soát đất công",
        "tasks-0-lead": world.tnmt.id,
        "tasks-0-cooperators": [world.qldt.id],
        "tasks-0-deadline_kind": "working_days",
        "tasks-0-working_days": 1,
        "tasks-1-content": "Chỉnh trang vỉa hè",
        "tasks-1-lead": world.qldt.id,
        "tasks-1-deadline_kind": "date",
        "tasks-1-deadline": "2026-02-17",
        "tasks-2-content": "",
        "tasks-2-lead": 0,
        "pdf": (io.BytesIO(b"%PDF-1.4 doc"), "1044.pdf"),
    }
    session.expunge_all()  # as in a real request, nothing is cached in the session
    response = client.post("/van-ban/moi", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    document = session.scalar(select(Document).where(Document.number == "1044/TB-UBND"))
    first, second = document.tasks
    # 1 working day after Friday 13/2/2026 skips Tết: Monday 23/2/2026; 17/2 (mùng 1) too.
    assert first.deadline == dt.date(2026, 2, 23) and first.deadline_working_days == 1
    assert second.deadline == dt.date(2026, 2, 23)
    assert [d.id for d in first.cooperating_departments] == [world.qldt.id]
    assert document.attachments[0].filename == "1044.pdf"
    again = client.post(
        "/van-ban/moi",
        data={
            **data,
            "issued_on": "2026-05-04",
            "tasks-1-deadline": "2026-05-20",
            "pdf": (io.BytesIO(b""), ""),
        },
        content_type="multipart/form-data",
    )
    assert again.status_code == 400
    assert "Đã có văn bản số 1044/TB-UBND ngày 13/02/2026" in again.get_data(as_text=True)


def test_edit_document_adds_a_task_and_records_events(client, world, session):
    document = world.qldt_task.document
    login(client, world.office)
    assert "Kiểm tra công trình" in page(client, f"/van-ban/{document.id}")
    client.post(
        f"/van-ban/{document.id}",
        data={
            "number": document.number,
            "issuer": document.issuer_id,
            "issued_on": document.issued_on.isoformat(),
            "tasks-0-task_id": world.qldt_task.id,
            "tasks-0-content": world.qldt_task.content,
            "tasks-0-lead": world.qldt.id,
            "tasks-0-deadline_kind": "none",
            "tasks-1-content": "Nhiệm vụ bổ sung",
            "tasks-1-lead": world.vhtt.id,
            "tasks-1-deadline_kind": "none",
        },
    )
    session.refresh(document)
    assert [t.content for t in document.tasks][-1] == "Nhiệm vụ bổ sung"
    session.refresh(world.qldt_task)
    assert world.qldt_task.deadline is None
    kinds = [
        e.kind
        for e in session.scalars(
            select(Event).where(Event.task_id == world.qldt_task.id).order_by(Event.id)
        )
    ]
    assert kinds == ["created", "deadline"]


def test_search_ignores_diacritics_and_filters_live_in_the_url(client, world):
    login(client, world.office)
    found = page(client, "/nhiem-vu?q=giay+chung+nhan+vinh+trai")
    assert f'data-task="{world.tnmt_task.id}"' in found
    assert f'data-task="{world.qldt_task.id}"' not in found
    assert f'data-task="{world.tnmt_task.id}"' in page(client, "/nhiem-vu?q=GIẤY%20Chứng")
    by_department = page(client, f"/nhiem-vu?department={world.vhtt.id}")
    assert f'data-task="{world.vhtt_task.id}"' in by_department
    assert f'data-task="{world.tnmt_task.id}"' not in by_department
    pending = page(client, "/nhiem-vu?category=pending")
    assert f'data-task="{world.qldt_task.id}"' in pending
    assert f'data-task="{world.tnmt_task.id}"' not in pending
    # "%" is looked for literally, not as a LIKE wildcard that would match every task.
    assert 'id="total">0<' in page(client, "/nhiem-vu?q=%25")


def test_export_writes_the_list_and_never_a_formula(client, world, session):
    world.vhtt_task.content = '=HYPERLINK("http://x","bấm")'
    session.commit()
    login(client, world.office)
    response = client.get("/nhiem-vu/xuat.xlsx?sort=department")
    ws = load_workbook(io.BytesIO(response.data)).active
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "STT")
    assert ws.print_title_rows == f"${header}:${header}" and ws.freeze_panes == f"A{header + 1}"
    contents = [ws.cell(row=r, column=7) for r in range(header + 1, ws.max_row + 1)]
    assert len(contents) == 3
    formula = next(c for c in contents if str(c.value).startswith("="))
    assert formula.data_type == "s"
    assert ws.cell(row=header + 1, column=4).number_format == "DD/MM/YYYY"
    assert ws.cell(row=header + 1, column=2).value.startswith("NV-")
    for row in range(header + 1, ws.max_row + 1):  # one style for all, a date's format its own
        for column in range(1, 15):
            cell = ws.cell(row=row, column=column)
            assert cell.font.name == "Times New Roman" and cell.alignment.wrap_text, cell
            dated = isinstance(cell.value, dt.datetime)
            assert (cell.number_format == "DD/MM/YYYY") == dated, (cell, cell.number_format)
    login(client, world.vhtt_head)
    mine = load_workbook(io.BytesIO(client.get("/nhiem-vu/xuat.xlsx").data)).active
    assert mine.max_row == header + 1  # the header and VHTT's one task


def test_the_csv_export_has_the_rows_and_columns_of_the_xlsx_and_no_formula(client, world, session):
    world.vhtt_task.content = '=HYPERLINK("http://x","bấm")'
    session.commit()
    login(client, world.office)
    query = "?sort=department&category=open"
    response = client.get("/nhiem-vu/xuat.csv" + query)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel reads the Vietnamese
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    ws = load_workbook(io.BytesIO(client.get("/nhiem-vu/xuat.xlsx" + query).data)).active
    header = next(r[0].row for r in ws.iter_rows() if r[0].value == "STT")
    sheet = [[c.value for c in r] for r in ws.iter_rows(min_row=header)]
    assert rows[0] == sheet[0]
    assert [r[1] for r in rows[1:]] == [r[1] for r in sheet[1:]]  # same tasks, same order
    assert len(rows) > 1
    formula = next(r for r in rows if "HYPERLINK" in r[6])
    assert formula[6].startswith("'=")
    login(client, world.vhtt_head)
    mine = list(csv.reader(io.StringIO(client.get("/nhiem-vu/xuat.csv").data.decode("utf-8-sig"))))
    assert [r[7] for r in mine[1:]] == [world.vhtt.name]  # VHTT's one task only


def test_web_import_reports_errors_then_imports(app, client, world, session):
    login(client, world.office)
    template = client.get("/nhap-du-lieu/mau.xlsx")
    wb = load_workbook(io.BytesIO(template.data))
    row = [
        None,  # Mã nhiệm vụ
        "7/KH-UBND",
        "02/12/2024",
        "UBND thành phố",
        "",
        "",
        "Lập kế hoạch",
        "Phòng Không Có",
        "",
        "",
        "Chưa thực hiện",
        None,
        "",
    ]
    for column, value in enumerate(row, start=1):  # typed into the first empty row
        wb["Nhiệm vụ"].cell(row=2, column=column, value=value)
    bad = io.BytesIO()
    wb.save(bad)
    page = upload_and_run(app, client, bad.getvalue())
    assert page.status_code == 400
    assert "dòng 2, cột “Đơn vị chủ trì”" in page.get_data(as_text=True)
    wb["Nhiệm vụ"]["H2"] = "QLĐT"
    good = io.BytesIO()
    wb.save(good)
    response = upload_and_run(app, client, good.getvalue())
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Nhiệm vụ mới: 1" in html and "Xem trước" in html
    assert session.scalar(select(Document).where(Document.number == "7/KH-UBND")) is None
    job = re.search(r'name="job" value="(\d+)"', html).group(1)
    response = confirm_and_run(app, client, {"job": job})
    assert response.status_code == 200 and 'id="import-result"' in response.get_data(as_text=True)
    assert session.scalar(select(Document).where(Document.number == "7/KH-UBND")) is not None
    again = client.post("/nhap-du-lieu/xac-nhan", data={"job": job}, follow_redirects=True)
    assert "Không còn tệp chờ xác nhận" in again.get_data(as_text=True)  # used once


def upload_and_run(app, client, data: bytes, name: str = "bang.xlsx"):
    """Upload as the page does, let the scheduler's import worker run, read the job's page."""
    from app.importing.jobs import run_next

    response = client.post(
        "/nhap-du-lieu",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    waiting = client.get(response.headers["Location"])
    assert 'id="import-progress"' in waiting.get_data(as_text=True)  # queued: the page waits
    while run_next(app):
        pass
    return client.get(response.headers["Location"])


def confirm_and_run(app, client, form: dict):
    from app.importing.jobs import run_next

    response = client.post("/nhap-du-lieu/xac-nhan", data=form)
    assert response.status_code == 303, response.get_data(as_text=True)[:300]
    while run_next(app):
        pass
    return client.get(response.headers["Location"])


def test_admin_edits_the_working_day_table(client, world, session):
    login(client, world.admin)
    client.post(
        "/quan-tri/ngay-lam-viec",
        data={"day": "2027-02-13", "is_working_day": "1", "note": "Làm bù"},
    )
    html = page(client, "/quan-tri/ngay-lam-viec?year=2027")
    assert "13/02/2027" in html and "Làm bù" in html
    assert (
        client.get("/thoi-han?issued_on=2027-02-12&kind=working_days&days=1").get_json()["deadline"]
        == "2027-02-13"
    )


def test_admin_creates_a_department_user(client, world, session):
    login(client, world.admin)
    missing = client.post(
        "/quan-tri/nguoi-dung/moi",
        data={
            "username": "cv.moi",
            "full_name": "Chuyên viên Mới",
            "role": "department_member",
            "department": 0,
            "password": "den-vang-ngo-7",
            "is_active": "y",
        },
    )
    assert "phải thuộc một đơn vị" in missing.get_data(as_text=True)
    client.post(
        "/quan-tri/nguoi-dung/moi",
        data={
            "username": "cv.moi",
            "full_name": "Chuyên viên Mới",
            "role": "department_member",
            "department": world.vhtt.id,
            "password": "den-vang-ngo-7",
            "is_active": "y",
        },
    )
    client.post("/dang-xuat")
    response = client.post("/dang-nhap", data={"username": "cv.moi", "password": "den-vang-ngo-7"})
    assert response.status_code == 302
    assert client.get(f"/nhiem-vu/{world.vhtt_task.id}").status_code == 200
    assert client.get(f"/nhiem-vu/{world.tnmt_task.id}").status_code == 403


def test_sql_category_agrees_with_the_as_of_rule(session):
    """In every office of the demo; the city's tasks handed over on 01/07/2025 have a category
    of their own today, and no as-of status."""
    from app.core.office_scope import all_offices, use_office
    from app.models import Office
    from app.models.documents import TaskState

    today = local_today()
    seed_demo(session, today, FAST_HASH)
    session.commit()
    with all_offices():
        offices = session.scalars(select(Office.id)).all()
    handed = 0
    for office_id in offices:
        with use_office(office_id):
            statuses = classify_tasks(session, today)
            tasks = session.scalars(select(Task)).all()
            assert tasks
            for task in tasks:
                if task.id in statuses:
                    assert task_category(task, today) == statuses[task.id][1].category, task.id
                elif task.state == TaskState.HANDED_OVER:
                    assert task_category(task, today) == "handed_over"
                    handed += 1
    assert handed > 20


def test_english_is_available(client, world):
    login(client, world.office)
    client.get("/ngon-ngu/en")
    html = page(client, "/")
    assert "Overview" in html and "Tổng quan" not in html and "My account" in html
    overdue = page(client, "/nhiem-vu/qua-han")
    assert "Late · 10 days" in overdue and "ngày" not in overdue.split("<main")[1].split(
        'id="task-list"'
    )[1].split("</table>")[0].replace(world.tnmt_task.content, "")


def test_the_office_decides_whether_members_may_ask(client, world, session):
    from app.core.settings import load_settings, save_settings

    task = world.tnmt_task
    login(client, world.tnmt_member)
    html = page(client, f"/nhiem-vu/{task.id}")
    assert "de-nghi-hoan-thanh" not in html and "tien-do" in html
    data = {"version": task.version, "new_deadline": "2099-01-01", "reason": "Cần thêm thời gian"}
    assert client.post(f"/nhiem-vu/{task.id}/gia-han", data=data).status_code == 403
    login(client, world.admin)
    response = client.post(
        "/quan-tri/cai-dat",
        data={"governing_body": "", "office_name": "", "requests_by": "department"},
    )
    assert response.status_code == 302 and load_settings(session).members_may_ask
    login(client, world.tnmt_member)
    assert "de-nghi-hoan-thanh" in page(client, f"/nhiem-vu/{task.id}")
    client.post(f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh", data={"version": task.version})
    session.refresh(task)
    assert task.state == "awaiting_confirmation"
    save_settings(session, requests_by="head")
    session.commit()
    login(client, world.qldt_head)  # a cooperating unit never asks, whatever the setting
    assert client.post(f"/nhiem-vu/{task.id}/gia-han", data=data).status_code == 403


def test_dates_are_typed_as_dd_mm_yyyy_everywhere(client, world, session):
    """Every date field shows and takes dd/mm/yyyy (ISO from older links still works)."""
    from app.web.forms import parse_date

    assert parse_date("16/12/2024") == dt.date(2024, 12, 16)
    assert parse_date("1/2/2025") == dt.date(2025, 2, 1)
    assert parse_date("2024-12-16") == dt.date(2024, 12, 16)
    for bad in ("31/02/2024", "12/16/2024", "16.12.2024", "01/01/0001", "31/12/9999", "x" * 50):
        assert parse_date(bad) is None, bad
    login(client, world.office)
    data = {
        "number": "77/TB-UBND",
        "issuer": world.tnmt_task.document.issuer_id,
        "issued_on": "16/12/2024",
        "tasks-0-content": "Kiểm tra hiện trường",
        "tasks-0-lead": world.tnmt.id,
        "tasks-0-deadline_kind": "date",
        "tasks-0-deadline": "10/1/2025",
    }
    response = client.post("/van-ban/moi", data=data)
    assert response.status_code == 302
    document = session.scalar(select(Document).where(Document.number == "77/TB-UBND"))
    assert document.issued_on == dt.date(2024, 12, 16)
    assert document.tasks[0].deadline == dt.date(2025, 1, 10)
    html = page(client, f"/van-ban/{document.id}")
    assert 'value="16/12/2024"' in html and 'value="10/01/2025"' in html
    assert 'type="date"' not in html and "data-date" in html
    refused = client.post(
        "/van-ban/moi", data={**data, "number": "78/TB-UBND", "issued_on": "31/02/2024"}
    )
    assert refused.status_code == 400
    assert "Ngày không hợp lệ: nhập dd/mm/yyyy" in refused.get_data(as_text=True)
    # the lists, the report and the deadline preview take the same form
    assert 'value="01/12/2024"' in page(client, "/nhiem-vu?issued_from=01/12/2024")
    assert 'id="as_of" name="as_of" value="16/12/2024"' in page(client, "/bao-cao?as_of=16/12/2024")
    preview = client.get("/thoi-han?issued_on=24/01/2025&kind=working_days&days=10").get_json()
    assert preview["text"] == "14/02/2025"
    assert (
        client.get("/thoi-han?issued_on=24/01/2025&kind=working_days&days=2000000").status_code
        == 400
    )
    for other in (
        "/nhiem-vu/qua-han",
        f"/nhiem-vu/{world.tnmt_task.id}",
        f"/nhiem-vu/{world.tnmt_task.id}/sua",
        "/bao-cao",
    ):
        assert 'type="date"' not in page(client, other), other


def test_document_kinds_are_suggested_once(client, world, session):
    login(client, world.office)
    html = page(client, "/van-ban/moi")
    kinds = re.findall(
        r'<option value="([^"]+)">', html.split('id="kinds"')[1].split("</datalist>")[0]
    )
    assert kinds and len(kinds) == len(set(kinds)) and "Thông báo kết luận" in kinds


def test_web_import_asks_about_a_near_duplicate_then_updates_it(app, client, world, session):
    task = world.tnmt_task
    login(client, world.office)
    wb = load_workbook(io.BytesIO(client.get("/nhap-du-lieu/mau.xlsx").data))
    document = task.document
    row = [
        None,
        document.number,
        document.issued_on,
        document.issuer.name,
        "",
        "",
        task.content.replace("Rà soát hồ sơ", "Rà soát lại hồ sơ"),  # a few words apart
        world.tnmt.name,
        "",
        task.deadline,
        "Chưa thực hiện",
        None,
        "",
    ]
    for column, value in enumerate(row, start=1):
        wb["Nhiệm vụ"].cell(row=2, column=column, value=value)
    data = io.BytesIO()
    wb.save(data)
    response = upload_and_run(app, client, data.getvalue())
    html = response.get_data(as_text=True)
    assert 'id="import-suspects"' in html and f"Giống nhiệm vụ {task.code}" in html
    job = re.search(r'name="job" value="(\d+)"', html).group(1)
    unchosen = confirm_and_run(app, client, {"job": job})  # past the browser's "required"
    again = unchosen.get_data(as_text=True)
    assert unchosen.status_code == 400 and "gần giống nhiệm vụ" in again
    assert session.scalar(select(func.count(Task.id))) == 3  # nothing written
    response = upload_and_run(app, client, data.getvalue())
    job = re.search(r'name="job" value="(\d+)"', response.get_data(as_text=True)).group(1)
    chosen = confirm_and_run(app, client, {"job": job, "choice-2": "update"})
    assert chosen.status_code == 200
    session.refresh(task)
    assert task.content.startswith("Rà soát lại hồ sơ")
    assert session.scalar(select(func.count(Task.id))) == 3  # updated, not duplicated


def test_export_rows_read_as_plain_rows_say_what_the_tasks_say(session, world, factory):
    """The export reads columns, not Task objects: each row must still be the task's own
    values (code, document, units with cooperators in their order, category, days late)."""
    from app.models.documents import TaskState
    from app.tasks.changes import change_state
    from app.tasks.export import COLUMNS, export_rows
    from app.tasks.queries import TaskFilter, days_late, task_category

    today = local_today()
    extra = factory.task(world.qldt, today - dt.timedelta(days=30), today - dt.timedelta(days=3),
                         cooperators=[world.vhtt, world.tnmt], note="ghi chú")  # fmt: skip
    change_state(session, extra, TaskState.DONE, effective_on=today - dt.timedelta(days=1))
    factory.task(world.vhtt, today - dt.timedelta(days=5), None, content="Thường xuyên")
    session.commit()
    rows = export_rows(session, world.office, TaskFilter(sort="department"), today)
    tasks = {t.code: t for t in session.scalars(select(Task))}
    assert len(rows) == len(tasks) == 5
    for number, row in enumerate(rows, start=1):
        assert len(row) == len(COLUMNS)
        task = tasks[row[1]]
        assert row == [
            number, task.code, task.document.number, task.document.issued_on,
            task.document.issuer.name, task.document.summary, task.content,
            task.lead_department.name,
            "; ".join(d.name for d in task.cooperating_departments),
            task.deadline or "Thường xuyên", task.state_label,
            task_category(task, today).label, days_late(task, today) or None, task.note,
        ]  # fmt: skip
    assert any("; " in row[8] for row in rows)


def test_csv_downloads_name_their_charset_once(client, world):
    """Werkzeug adds the charset to a text/ type: a charset in the type as well doubled it."""
    login(client, world.office)
    for url in ("/nhiem-vu/xuat.csv", "/bao-cao/bieu-chi-tiet.csv", "/thong-ke.csv"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8", url


@pytest.mark.parametrize(
    ("language", "late_word", "days_word"), [("vi", "Chậm", "ngày"), ("en", "Late", "days")]
)
def test_list_rows_link_their_tasks_and_say_their_state_in_the_users_language(
    app, client, world, session, language, late_word, days_word
):
    """The rows' links and words are worked out once a page: each must still be the row's."""
    import re

    from flask import url_for

    from app.models.documents import TaskState

    login(client, world.office)
    client.get(f"/ngon-ngu/{language}")
    html = client.get("/nhiem-vu?category=open").get_data(as_text=True)
    rows = re.findall(r'<tr data-task="(\d+)">(.*?)</tr>', html, re.S)
    assert len(rows) >= 2
    english = {"Chưa thực hiện": "Not started", "Đang thực hiện": "In progress"}
    for task_id, row in rows:
        task = session.get(Task, int(task_id))
        with app.test_request_context():
            assert f'<a href="{url_for("tasks.detail", task_id=task.id)}">' in row
        state = TaskState(task.state).label
        word = state if language == "vi" else english.get(state, state)
        assert f'<small class="text-muted">{word}</small></td>' in row, row
    late = [row for _, row in rows if 'data-category="late"' in row]
    badges = [re.search(r'<span class="badge[^>]*>([^<]*)<', r).group(1) for r in late]
    assert badges and all(
        b.startswith(f"{late_word} · ") and b.endswith(days_word) for b in badges
    ), badges


def test_the_kind_filter_offers_each_kind_of_document_once(app, client, world, session, factory):
    """Found by a loose index scan for the office, by the visible documents for a unit."""
    import re

    today = dt.date.today()
    for kind in ("Kế hoạch", "Chỉ thị", "", "Kế hoạch", "Công văn", "Chỉ thị"):
        document = factory.document(today)
        document.kind = kind
        factory.task(world.tnmt, today, None, document=document)
    session.commit()
    expected = sorted({k for (k,) in session.execute(select(Document.kind).distinct()) if k})
    assert {"Kế hoạch", "Chỉ thị", "Công văn"} <= set(expected)
    login(client, world.office)
    html = client.get("/nhiem-vu").get_data(as_text=True)
    select_html = re.search(r'<select[^>]*name="kind".*?</select>', html, re.S).group(0)
    offered = re.findall(r'<option value="([^"]+)"', select_html)
    assert offered == expected


@pytest.mark.parametrize(
    ("page", "pages", "links"),
    [
        (1, 1, [1]),
        (1, 80, [1, 2, 3, None, 80]),
        (40, 80, [1, None, 38, 39, 40, 41, 42, None, 80]),
        (5, 9, [1, None, 3, 4, 5, 6, 7, None, 9]),
        (4, 6, [1, 2, 3, 4, 5, 6]),
        (80, 80, [1, None, 78, 79, 80]),
    ],
)
def test_the_pager_links_the_ends_and_two_pages_either_side(page, pages, links):
    from app.tasks.queries import Page

    assert Page([], pages * 50, page, 50).window == links
