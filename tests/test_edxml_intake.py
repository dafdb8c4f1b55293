"""Receiving edXML packages into the queue "Văn bản đến chờ xử lý": from the inbox folder on
a scheduler tick, the upload page, the API and the command line; once per document; taken in
through the document reader and form; the status packages written back, read again by the
same reader; recall, update and replacement applied only on confirmation."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest
from drafting_cases import CASES
from edxml_builder import DOCX_TYPE, PDF, Attached, Spec, build, docx_bytes
from sqlalchemy import func, select

from app.core.attachments import storage_dir
from app.core.timeutil import local_now, local_today
from app.edxml import jobs
from app.edxml.intake import receive
from app.edxml.outbox import deliver_pending
from app.edxml.package import read_package
from app.edxml.taking import draft_for
from app.models import ApiToken, Document, Issuer, Task
from app.models.edxml import IntakeEntry, StatusMessage
from app.tasks.workflow import confirm_completion, report_progress
from conftest import login

CASE = CASES[0]  # Thông báo kết luận 1047/TB-UBND: three tasks for three units


def _spec(**kwargs) -> Spec:
    word = docx_bytes(CASE["text"])
    spec = Spec(
        number="1047",
        notation="TB-UBND",
        date="2024/11/05",
        organ_id="000.00.12.H37",
        organ_name="UBND thành phố Lạng Sơn",
        attachments=[Attached("1047-TB-UBND.docx", word, DOCX_TYPE), Attached("pl.pdf", PDF)],
    )
    for key, value in kwargs.items():
        setattr(spec, key, value)
    return spec


@pytest.fixture
def inbox(app, tmp_path):
    folder = tmp_path / "inbox"
    folder.mkdir()
    app.config.update(EDXML_INBOX_DIR=str(folder), EDXML_OUTBOX_DIR=str(tmp_path / "status"))
    app.config.update(EDXML_ORGAN_ID="000.00.12.H37.01", EDXML_ORGAN_NAME="Văn phòng UBND")
    return folder


def tick(session) -> dict:
    """One scheduler tick (every tick job, the heartbeat, the commit): the edXML job's part."""
    from app.scheduler.jobs import TICK_JOBS
    from app.scheduler.runner import tick as scheduler_tick

    assert any(job.run is jobs.run for job in TICK_JOBS)
    return scheduler_tick(local_now())["edxml"]


def _issuer(session) -> Issuer:
    name = "UBND thành phố Lạng Sơn"
    issuer = session.scalar(select(Issuer).where(Issuer.name == name)) or Issuer(name=name)
    issuer.organ_id = "000.00.12.H37"
    session.add(issuer)
    session.commit()
    return issuer


def test_a_package_dropped_in_the_inbox_is_queued_in_one_tick(session, world, inbox):
    issuer = _issuer(session)
    (inbox / "vb1.xml").write_bytes(build(_spec(), style="none", outside=True))
    (inbox / "hong.xml").write_bytes(b"<edXMLEnvelope><Subject>")
    (inbox / ".dang-ghi.xml").write_bytes(b"...")  # a connector still writing: left alone
    result = tick(session)
    assert result["inbox"] == {"received": 1, "again": 0, "refused": 1}
    entry = session.scalar(select(IntakeEntry))
    assert (entry.number, entry.issuer, entry.issued_on) == (
        "1047/TB-UBND",
        issuer,
        dt.date(2024, 11, 5),
    )
    assert entry.signature == "unsigned" and [f.filename for f in entry.files] == [
        "1047-TB-UBND.docx",
        "pl.pdf",
    ]
    assert (inbox / "received" / "vb1.xml").exists() and not (inbox / "vb1.xml").exists()
    reason = (inbox / "refused" / "hong.xml.txt").read_text(encoding="utf-8")
    assert "không phải XML hợp lệ" in reason
    assert (inbox / ".dang-ghi.xml").exists()
    # the same package again, by another way in: recognised, not duplicated
    (inbox / "vb1-lan2.xml").write_bytes(build(_spec(), style="prefix", shuffle=3))
    assert tick(session)["inbox"] == {"received": 0, "again": 1, "refused": 0}
    again = receive(session, build(_spec()), "cli")
    assert not again.new and again.entry.id == entry.id
    assert session.scalar(select(func.count(IntakeEntry.id))) == 1


def test_the_sender_is_matched_by_organ_id_then_by_name(session, world, inbox):
    by_name = Issuer(name="UBND tỉnh Lạng Sơn", short_name="UBND tỉnh")
    session.add(by_name)
    session.commit()
    entry = receive(session, build(Spec(organ_id="000.00.00.H37")), "cli").entry
    assert entry.issuer == by_name  # no issuer has the id: the name
    by_name.organ_id = "000.00.00.H37"
    session.add(Issuer(name="Tên khác hẳn", organ_id="000.00.00.H99"))
    session.commit()
    other = receive(session, build(Spec(organ_id="000.00.00.H99", number="2")), "cli").entry
    assert other.issuer.name == "Tên khác hẳn"


def _take_in(client, session, world, entry) -> Document:
    """The office opens the entry, reads its tasks, saves the document form as proposed."""
    login(client, world.office)
    page = client.get(f"/van-ban-den/{entry.id}")
    assert page.status_code == 200 and "không ký" in page.get_data(as_text=True)
    page = client.get(f"/van-ban-den/{entry.id}/tiep-nhan")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "rà soát toàn bộ hồ sơ giao đất" in text
    draft, problem = draft_for(session, entry)
    assert problem == "" and len(draft.tasks) >= 2  # the units the world has
    draft.tasks = [t for t in draft.tasks if t.lead is not None]
    data = {
        "number": entry.number,
        "issuer": str(entry.issuer_id),
        "issued_on": "2024-11-05",
        "kind": draft.kind,
        "summary": entry.subject,
        "edxml_entry": str(entry.id),
    }
    for i, task in enumerate(draft.tasks):
        data[f"tasks-{i}-content"] = task.content
        data[f"tasks-{i}-lead"] = str(task.lead.id)
        data[f"tasks-{i}-deadline_kind"] = "none"
    saved = client.post("/van-ban/moi", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[-3000:]
    session.expire_all()
    return session.scalar(select(Document).where(Document.number == entry.number))


def test_taken_in_drafted_saved_and_the_status_sent_back_in_order(
    app, client, session, world, inbox
):
    _issuer(session)
    (inbox / "vb1.xml").write_bytes(build(_spec(), style="default"))
    tick(session)
    entry = session.scalar(select(IntakeEntry))
    document = _take_in(client, session, world, entry)
    assert len(document.tasks) >= 2
    assert sorted(a.filename for a in document.attachments) == ["1047-TB-UBND.docx", "pl.pdf"]
    entry = session.get(IntakeEntry, entry.id)
    assert entry.state == "taken" and entry.document_id == document.id
    tick(session)
    task = document.tasks[0]
    report_progress(session, task, world.tnmt_head, "Đang rà soát", local_today())
    session.commit()
    tick(session)
    for task in document.tasks:
        confirm_completion(session, task, world.office, local_today(), local_today())
    session.commit()
    tick(session)
    messages = session.scalars(select(StatusMessage).order_by(StatusMessage.id)).all()
    assert [m.code for m in messages] == ["03", "04", "05", "06"]
    assert all(m.state == "sent" and m.log and m.log[-1].ok for m in messages)
    written = sorted((inbox.parent / "status").glob("*.xml"))
    codes = []
    for path in written:
        assert b"<edXML:Status>" in path.read_bytes()  # the prefixes the validator requires
        package, parsed = read_package(io.BytesIO(path.read_bytes()))
        parsed.close()
        assert package.kind == "status"
        assert package.response_for.organ_id == "000.00.12.H37"
        assert package.response_document_id == entry.document_key
        assert package.response_code == "1047/TB-UBND"
        assert package.sender.organ_id == "000.00.12.H37.01"
        codes.append(package.status_code)
    assert codes == ["03", "04", "05", "06"]
    read = app.test_cli_runner().invoke(args=["edxml", "read", str(written[0])])
    assert read.exit_code == 0, read.output
    assert json.loads(read.output) == {
        "kind": "status",
        "status_code": "03",
        "response_for": {
            "organ_id": "000.00.12.H37",
            "code": "1047/TB-UBND",
            "document_id": entry.document_key,
        },
        "from": {"organ_id": "000.00.12.H37.01", "organ_name": "Văn phòng UBND"},
        "timestamp": json.loads(read.output)["timestamp"],
    }
    page = client.get(f"/van-ban/{document.id}").get_data(as_text=True)
    assert "Trạng thái đã báo cho cơ quan gửi" in page and "đã gửi" in page


def test_a_delivery_that_fails_is_retried_and_logged(session, world, inbox, app, tmp_path):
    _issuer(session)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    app.config["EDXML_OUTBOX_DIR"] = str(blocker)
    app.config["EDXML_STATUS_URL"] = "http://127.0.0.1:9/edxml"  # nothing listens there
    entry = receive(session, build(_spec()), "cli").entry
    document = Document(issuer=entry.issuer, number=entry.number, issued_on=entry.issued_on)
    session.add(document)
    entry.document, entry.state = document, "taken"
    session.commit()
    tick(session)
    message = session.scalar(select(StatusMessage))
    assert message.code == "03" and message.state == "pending" and message.attempts == 1
    assert len(message.log) == 2 and not any(a.ok for a in message.log)
    assert message.next_attempt_at is not None
    app.config["EDXML_OUTBOX_DIR"] = str(tmp_path / "status")
    app.config["EDXML_STATUS_URL"] = ""
    assert deliver_pending(session)["sent"] == 0  # not due yet
    assert deliver_pending(session, message.next_attempt_at)["sent"] == 1
    session.refresh(message)
    assert message.state == "sent" and message.attempts == 2 and message.log[-1].ok


def test_the_upload_page_and_the_api_refuse_with_the_element_named(client, session, world, inbox):
    login(client, world.office)
    page = client.post(
        "/van-ban-den/tai-len",
        data={"package": (io.BytesIO(build(Spec(number=""))), "vb.xml")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 400 and "&lt;CodeNumber&gt;" in page.get_data(as_text=True)
    page = client.post(
        "/van-ban-den/tai-len",
        data={"package": (io.BytesIO(build(Spec())), "vb.xml")},
        content_type="multipart/form-data",
    )
    assert page.status_code == 302
    assert "1044/TB-UBND" in client.get("/van-ban-den").get_data(as_text=True)
    row, secret = ApiToken.issue(world.office, "edxml")
    session.add(row)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/xml"}
    answer = client.post("/api/v1/edxml", data=build(Spec()), headers=headers)
    assert answer.status_code == 200 and answer.get_json()["new"] is False
    answer = client.post("/api/v1/edxml", data=build(Spec(number="7")), headers=headers)
    assert answer.status_code == 201 and answer.get_json()["new"] is True
    answer = client.post("/api/v1/edxml", data=b"<a>", headers=headers)
    assert answer.status_code == 422 and "XML" in answer.get_json()["error"]["message"]
    answer = client.post("/api/v1/edxml", data=build(Spec(date="31/02/2024")), headers=headers)
    assert answer.status_code == 422
    assert "<PromulgationDate>" in answer.get_json()["error"]["message"]
    other, secret = ApiToken.issue(world.tnmt_head, "x")
    session.add(other)
    session.commit()
    denied = client.post(
        "/api/v1/edxml", data=build(Spec()), headers={"Authorization": f"Bearer {secret}"}
    )
    assert denied.status_code == 403


def test_the_command_line_receives_and_lists(app, session, world, inbox, tmp_path):
    path = tmp_path / "vb.xml"
    path.write_bytes(build(Spec()))
    bad = tmp_path / "bad.xml"
    bad.write_bytes(build(Spec(business="9")))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["edxml", "receive", str(path), str(bad)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "mục #" in lines[0] and "<BussinessDocType>" in lines[1]
    again = runner.invoke(args=["edxml", "receive", str(path)])
    assert again.exit_code == 0 and "đã nhận trước đây" in again.output
    assert "Chưa có gói tin trạng thái" in runner.invoke(args=["edxml", "outbox"]).output
    read = runner.invoke(args=["edxml", "read", str(bad)])
    assert read.exit_code == 1 and '"refused"' in read.output


def _taken(client, session, world, inbox) -> tuple[IntakeEntry, Document]:
    _issuer(session)
    entry = receive(session, build(_spec()), "cli").entry
    session.commit()
    return entry, _take_in(client, session, world, entry)


def test_a_recall_cancels_open_tasks_only_after_confirmation(client, session, world, inbox):
    entry, document = _taken(client, session, world, inbox)
    recall = receive(
        session, build(_spec(business="1", reason="Ban hành nhầm đối tượng")), "cli"
    ).entry
    session.commit()
    assert recall.document_id == document.id and recall.state == "pending"
    page = client.get(f"/van-ban-den/{recall.id}").get_data(as_text=True)
    assert "Những gì sẽ thay đổi" in page and "Hủy" in page
    session.expire_all()
    assert all(t.state == "open" for t in session.get(Document, document.id).tasks)
    assert client.post(f"/van-ban-den/{recall.id}/ap-dung").status_code == 302
    session.expire_all()
    tasks = session.get(Document, document.id).tasks
    assert all(
        t.state == "cancelled" and "Ban hành nhầm đối tượng" in t.cancel_reason for t in tasks
    )
    assert session.get(IntakeEntry, recall.id).state == "applied"


def test_an_update_and_a_replacement_apply_on_confirmation(client, session, world, inbox):
    entry, document = _taken(client, session, world, inbox)
    update = receive(session, build(_spec(business="2", subject="Trích yếu đã sửa")), "cli")
    replace = receive(
        session,
        build(_spec(business="3", attachments=[Attached("ban-moi.pdf", PDF)])),
        "cli",
    )
    session.commit()
    page = client.get(f"/van-ban-den/{update.entry.id}").get_data(as_text=True)
    assert "Trích yếu đã sửa" in page
    session.expire_all()
    assert session.get(Document, document.id).summary != "Trích yếu đã sửa"
    client.post(f"/van-ban-den/{update.entry.id}/ap-dung")
    client.post(f"/van-ban-den/{replace.entry.id}/ap-dung")
    session.expire_all()
    document = session.get(Document, document.id)
    assert document.summary == "Trích yếu đã sửa"
    names = [a.filename for a in document.attachments]
    assert "ban-moi.pdf" in names and "1047-TB-UBND.docx" in names  # the old one kept


def test_receiving_a_package_keeps_nothing_when_refused(session, world, inbox, app):
    folder = Path(app.config["ATTACHMENT_DIR"])
    before = set(folder.glob("*")) if folder.exists() else set()
    with pytest.raises(Exception, match="PDF"):
        receive(session, build(Spec(attachments=[Attached("a.pdf", b"nope")])), "cli")
    after = set(folder.glob("*")) if folder.exists() else set()
    assert after == before
    assert session.scalar(select(func.count(Task.id))) == 3  # the world's tasks only


def test_status_packages_are_posted_to_the_configured_endpoint(session, world, app):
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    received = []

    class Endpoint(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's API)
            length = int(self.headers["Content-Length"])
            received.append((self.headers.get("Authorization"), self.rfile.read(length)))
            self.send_response(200 if len(received) > 1 else 503)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Endpoint)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        app.config.update(
            EDXML_OUTBOX_DIR="",
            EDXML_STATUS_URL=f"http://127.0.0.1:{server.server_port}/edxml/status",
            EDXML_STATUS_TOKEN="bi-mat",
        )
        entry = receive(session, build(_spec()), "cli").entry
        document = Document(issuer=entry.issuer or _issuer(session), number=entry.number,
                            issued_on=entry.issued_on)  # fmt: skip
        session.add(document)
        entry.document, entry.state = document, "taken"
        session.commit()
        tick(session)  # the endpoint answers 503 first: retried later
        message = session.scalar(select(StatusMessage))
        assert message.state == "pending" and "503" in message.log[0].detail
        deliver_pending(session, message.next_attempt_at)
        session.refresh(message)
        assert message.state == "sent" and message.log[-1].detail == "HTTP 200"
    finally:
        server.shutdown()
        server.server_close()
    assert received[-1][0] == "Bearer bi-mat"
    package, parsed = read_package(io.BytesIO(received[-1][1]))
    parsed.close()
    assert (package.status_code, package.response_document_id) == ("03", entry.document_key)


def test_the_api_takes_a_package_larger_than_the_upload_limit(app, client, session, world):
    """The e-office posts whole packages: one above the forms' upload limit (20 MB here made
    1 MB) but within the package limit is taken; one above the package limit is refused."""
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    app.config["EDXML_MAX_BYTES"] = 4 * 1024 * 1024
    big = Attached("vb.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 8 * 1024)  # 2 MB
    row, secret = ApiToken.issue(world.office, "edxml")
    session.add(row)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}", "Content-Type": "application/xml"}
    package = build(Spec(attachments=[big]))
    assert 1024 * 1024 < len(package) < 4 * 1024 * 1024
    answer = client.post("/api/v1/edxml", data=package, headers=headers)
    assert answer.status_code == 201, answer.get_json()
    too_big = build(Spec(number="8", attachments=[big, big]))
    assert len(too_big) > 4 * 1024 * 1024
    answer = client.post("/api/v1/edxml", data=too_big, headers=headers)
    assert answer.status_code == 413 and "MB" in answer.get_json()["error"]["message"]


def test_a_received_file_is_served_as_a_task_attachment_is(client, session, world, inbox):
    """A PDF opens in the browser, a Word file downloads, both byte for byte; a file of
    another entry, or one whose stored file is gone, is a 404."""
    word = docx_bytes("Giao Phòng Tài nguyên và Môi trường rà soát.")
    spec = Spec(attachments=[Attached("vb.pdf", PDF), Attached("pl.docx", word, DOCX_TYPE)])
    entry = receive(session, build(spec), "upload", world.office).entry
    session.commit()
    login(client, world.office)
    by_name = {f.filename: f for f in entry.files}
    pdf = client.get(f"/van-ban-den/{entry.id}/tep/{by_name['vb.pdf'].id}")
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Disposition"].startswith("inline")
    pdf.close()
    docx = client.get(f"/van-ban-den/{entry.id}/tep/{by_name['pl.docx'].id}")
    assert docx.status_code == 200 and docx.data == word
    assert docx.headers["Content-Disposition"].startswith("attachment")
    docx.close()
    assert client.get(f"/van-ban-den/{entry.id + 1}/tep/{by_name['vb.pdf'].id}").status_code == 404
    with client.application.app_context():
        (storage_dir() / by_name["vb.pdf"].stored_name).unlink()
    assert client.get(f"/van-ban-den/{entry.id}/tep/{by_name['vb.pdf'].id}").status_code == 404
