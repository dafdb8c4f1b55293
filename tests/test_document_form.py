"""The new-document form: no issuer chosen for the office, the file types it really takes, and
the edit page after saving shows the document's rows only (the empty row for "+ Thêm nhiệm
vụ" is a template, not a row)."""

import io
import re

from sqlalchemy import func, select
from test_edit_round_trip import database_rows, difference

from app.core.attachments import ALLOWED_EXTENSIONS
from app.models import Document
from browser_form import form_data
from conftest import login


def shown_rows(html: str) -> list[str]:
    """The task rows a browser running the page's script shows: neither the <template> the
    add button copies nor the <noscript> row count."""
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)
    html = re.sub(r"<noscript>.*?</noscript>", "", html, flags=re.S)
    return re.findall(r'name="(tasks-\d+)-content"', html)


def new_document(world, **more) -> dict:
    return {
        "number": "15/TB-UBND",
        "issuer": world.tnmt_task.document.issuer_id,
        "issued_on": world.tnmt_task.document.issued_on.strftime("%d/%m/%Y"),
        "tasks-0-content": "Rà soát đất công",
        "tasks-0-lead": world.tnmt.id,
        "tasks-0-deadline_kind": "none",
        "tasks-1-content": "Chỉnh trang vỉa hè",
        "tasks-1-lead": world.qldt.id,
        "tasks-1-deadline_kind": "working_days",
        "tasks-1-working_days": "10",
        **more,
    }


def test_no_issuer_is_chosen_until_the_office_chooses_one(client, world, session):
    login(client, world.office)
    html = client.get("/van-ban/moi").get_data(as_text=True)
    issuer = html.split('id="issuer"')[1].split("</select>")[0]
    options = re.findall(r"<option([^>]*)>([^<]*)</option>", issuer)
    assert options[0] == (' selected value=""', "— chọn —") and len(options) > 1
    assert [label for attrs, label in options if "selected" in attrs] == ["— chọn —"]
    fields = form_data(html, "/van-ban/moi")
    assert fields["issuer"] == ""  # what a browser posts when nothing is chosen
    for posted in ({**new_document(world), "issuer": ""}, {
        k: v for k, v in new_document(world).items() if k != "issuer"
    }):  # fmt: skip
        refused = client.post("/van-ban/moi", data=posted)
        assert refused.status_code == 400
        assert "Chọn cơ quan ban hành." in refused.get_data(as_text=True)
    assert (
        session.scalar(select(func.count(Document.id)).where(Document.number == "15/TB-UBND")) == 0
    )
    assert client.post("/van-ban/moi", data=new_document(world)).status_code == 302


def test_the_file_field_says_what_it_takes(client, world, session):
    login(client, world.office)
    html = client.get("/van-ban/moi").get_data(as_text=True)
    assert "Tệp văn bản (PDF)" not in html
    assert "Tệp văn bản (PDF, Word, Excel, ảnh)" in html
    accept = re.search(r'name="pdf"[^>]*accept="([^"]+)"|accept="([^"]+)"[^>]*name="pdf"', html)
    assert set((accept.group(1) or accept.group(2)).split(",")) == ALLOWED_EXTENSIONS
    saved = client.post(
        "/van-ban/moi",
        data={**new_document(world), "pdf": (io.BytesIO(b"PK\x03\x04 word"), "15-TB.docx")},
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    document = session.scalar(select(Document).where(Document.number == "15/TB-UBND"))
    assert [a.filename for a in document.attachments] == ["15-TB.docx"]


def test_after_saving_the_edit_page_shows_the_documents_rows_only(client, world, session):
    login(client, world.office)
    saved = client.post("/van-ban/moi", data=new_document(world), follow_redirects=True)
    html = saved.get_data(as_text=True)
    assert "Đã lưu văn bản 15/TB-UBND với 2 nhiệm vụ." in html
    assert shown_rows(html) == ["tasks-0", "tasks-1"]
    # "+ Thêm nhiệm vụ" copies an empty row with the next index; without JavaScript it shows.
    template = re.search(r'<template id="task-row-template">(.*?)</template>', html, re.S)
    assert 'name="tasks-2-content"' in template.group(1) and "recurrence" in template.group(1)
    assert 'name="tasks-2-content"' in html.split("<noscript>")[1]
    # The page posted back as the browser shows it changes nothing.
    url = saved.request.path
    before = database_rows(session)
    again = client.post(url, data=form_data(html, url))
    assert again.status_code == 302
    assert difference(before, database_rows(session)) == {}
    assert shown_rows(client.get(url).get_data(as_text=True)) == ["tasks-0", "tasks-1"]


def test_a_task_added_on_the_edit_page_is_saved(client, world, session):
    login(client, world.office)
    url = client.post("/van-ban/moi", data=new_document(world)).headers["Location"]
    fields = form_data(client.get(url).get_data(as_text=True), url)
    assert fields["tasks-2-content"] == ""  # the row shown without JavaScript
    fields["tasks-2-content"] = "Nhiệm vụ bổ sung"
    fields["tasks-2-lead"] = str(world.vhtt.id)
    fields["tasks-2-deadline_kind"] = "none"
    assert client.post(url, data=fields).status_code == 302
    document = session.scalar(select(Document).where(Document.number == "15/TB-UBND"))
    session.refresh(document)
    assert [t.content for t in document.tasks][-1] == "Nhiệm vụ bổ sung"
    assert len(document.tasks) == 3
