"""Drafting a document and its tasks from its text: ten documents written as offices write them
(tests/drafting_cases.py) read as text, as Word files and as PDFs printed by LibreOffice; the
command line's JSON; the document page's "Đọc văn bản"."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import subprocess

import pytest
from drafting_cases import CASES, score
from sqlalchemy import func, select

from app.documents.drafting import (
    UnreadableDocument,
    draft_from_text,
    read_deadline,
    text_from_file,
)
from app.models import Attachment, Document, Task
from browser_form import form_data
from conftest import FAST_HASH, PASSWORD, login


@pytest.fixture
def demo(session):
    from app.core.office_scope import use_office
    from app.dev.demo import city_office_id, seed_demo

    with use_office(city_office_id()):  # the demo has several offices: the city's data
        users = seed_demo(session, dt.date(2026, 11, 27), FAST_HASH)
        for user in users.values():
            user.set_password(PASSWORD, FAST_HASH)
        session.commit()
        yield users


def word_file(case) -> bytes:
    """The case as a Word file; the first ones with the heading block in a two-column table,
    as offices lay it out."""
    from docx import Document as WordDocument

    lines = case["text"].split("\n")
    document = WordDocument()
    if case.get("header_table"):
        left = [x for x in lines[:3]]
        right = [x for x in lines[3:6]]
        table = document.add_table(rows=1, cols=2)
        table.cell(0, 0).text = "\n".join(left)
        table.cell(0, 1).text = "\n".join(right)
        lines = lines[6:]
    for line in lines:
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def check(case, proposal) -> None:
    for key, value in case["document"].items():
        assert proposal["document"][key] == value, (case["name"], key, proposal["document"])
    result = score([(case, proposal)])
    if case["tasks"]:
        assert result["found"] == result["lead"] == result["cooperators"] == 100.0, (
            case["name"], result, proposal["tasks"])  # fmt: skip
        assert result["deadline"] == 100.0, (case["name"], proposal["tasks"])
    assert result["extra_tasks"] == 0, (case["name"], proposal["tasks"])


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_document_as_text(session, demo, case):
    check(case, draft_from_text(session, case["text"]).as_json())


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_each_document_as_a_word_file(session, demo, case):
    check(case, draft_from_text(session, text_from_file(word_file(case), "vb.docx")).as_json())


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    if not (shutil.which("soffice")):
        if os.environ.get("REQUIRE_OFFICE"):
            raise RuntimeError("REQUIRE_OFFICE is set but LibreOffice is missing")
        pytest.skip("LibreOffice is not installed")
    folder = tmp_path_factory.mktemp("drafts")
    paths = []
    for case in CASES:
        paths.append(folder / f"{case['name']}.docx")
        paths[-1].write_bytes(word_file(case))
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{folder / 'profile'}", "--headless",
         "--convert-to", "pdf", "--outdir", str(folder), *map(str, paths)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return {case["name"]: (folder / f"{case['name']}.pdf").read_bytes() for case in CASES}


def test_every_document_as_a_pdf_and_the_accuracy(session, demo, pdfs):
    results = []
    for case in CASES:
        proposal = draft_from_text(session, text_from_file(pdfs[case["name"]], "vb.pdf")).as_json()
        check(case, proposal)
        results.append((case, proposal))
    accuracy = score(results)
    print(f"\nreader on {len(CASES)} PDFs: {accuracy}")
    assert accuracy["found"] == 100.0


def test_a_scanned_pdf_or_a_foreign_file_is_said_so():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # an image-only scan has no text layer either
    scanned = io.BytesIO()
    writer.write(scanned)
    with pytest.raises(UnreadableDocument, match="bản quét"):
        text_from_file(scanned.getvalue(), "scan.pdf")
    with pytest.raises(UnreadableDocument, match="PDF"):
        text_from_file(b"\x89PNG\r\n", "anh.png")
    with pytest.raises(UnreadableDocument, match="hỏng"):
        text_from_file(b"%PDF-1.4 broken", "hong.pdf")


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("báo cáo trước ngày 5/12/2024", dt.date(2024, 12, 5)),
        ("hoàn thành chậm nhất ngày 05/12", dt.date(2024, 12, 5)),
        ("trước ngày 31 tháng 12 năm 2024", dt.date(2024, 12, 31)),
        ("hoàn thành trong tháng 2/2025", dt.date(2025, 2, 28)),
        ("trong tháng 2 năm 2024", dt.date(2024, 2, 29)),
        ("thực hiện trong quý IV/2024", dt.date(2024, 12, 31)),
        ("trong quý này", dt.date(2024, 12, 31)),
        ("trong năm 2025", dt.date(2025, 12, 31)),
        ("trong 10 ngày làm việc kể từ ngày ký", dt.date(2024, 11, 19)),
        ("trong vòng 7 ngày", dt.date(2024, 11, 12)),
        ("thực hiện thường xuyên", None),
        ("Thời gian hoàn thành: 15/01/2025", dt.date(2025, 1, 15)),
    ],
)
def test_deadline_phrases(session, phrase, expected):
    from app.core.deadlines import WorkCalendar

    found = read_deadline(phrase, dt.date(2024, 11, 5), WorkCalendar())
    assert found is not None and found.on == expected, (phrase, found)
    assert found.text in phrase


def test_the_command_line_prints_the_proposal_as_json(app, demo, tmp_path):
    path = tmp_path / "thong-bao.docx"
    path.write_bytes(word_file(CASES[0]))
    result = app.test_cli_runner().invoke(args=["documents", "draft", str(path)])
    assert result.exit_code == 0, result.output
    proposal = json.loads(result.output)
    assert set(proposal) == {"document", "tasks", "skipped"}
    assert set(proposal["document"]) == {
        "number", "issued_on", "issuer", "kind", "summary", "signer", "from_ocr"
    }  # fmt: skip
    assert {tuple(sorted(t)) for t in proposal["tasks"]} == {
        ("content", "cooperators", "deadline", "deadline_text", "lead", "source")
    }
    check(CASES[0], proposal)


def test_read_a_file_on_the_document_page_then_save_after_editing(client, session, demo):
    login(client, demo["vanphong"])
    page = client.post(
        "/van-ban/doc-van-ban",
        data={"source": (io.BytesIO(word_file(CASES[2])), "88-TB-UBND.docx")},
        content_type="multipart/form-data",
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and html.count("data-proposal") == 3
    assert 'value="88/TB-UBND"' in html and "Giao Phòng LĐ-TB&amp;XH" in html
    assert session.scalar(select(Document).where(Document.number == "88/TB-UBND")) is None
    before = session.scalar(select(func.count(Task.id)))
    data = form_data(html, "/van-ban/moi")
    data["tasks-1-content"] = "Rà soát lại danh sách hộ nghèo"  # the office corrects one
    saved = client.post("/van-ban/moi", data=data)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:2000]
    document = session.scalar(select(Document).where(Document.number == "88/TB-UBND"))
    assert document is not None and len(document.tasks) == 3
    assert session.scalar(select(func.count(Task.id))) == before + 3
    assert "Rà soát lại danh sách hộ nghèo" in [t.content for t in document.tasks]
    files = session.scalars(select(Attachment).where(Attachment.document_id == document.id))
    assert [f.filename for f in files] == ["88-TB-UBND.docx"]  # the file read is kept


def test_a_text_the_reader_cannot_understand_leaves_the_form_usable(client, session, demo):
    login(client, demo["vanphong"])
    page = client.post("/van-ban/doc-van-ban", data={"text": "Lorem ipsum dolor sit amet."})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Không tìm thấy nhiệm vụ nào" in html
    assert 'name="tasks-0-content"' in html  # an empty row to fill by hand
    empty = client.post("/van-ban/doc-van-ban", data={"text": ""})
    assert empty.status_code == 400 and "dán nội dung văn bản" in empty.get_data(as_text=True)
