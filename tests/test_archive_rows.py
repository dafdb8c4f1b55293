"""``flask archive import`` of hostile records: each row passes the same kind of validation as
the API's bodies or the whole archive is refused with its part and line, never a traceback,
and nothing of it stays behind (no row, no file). Attachments are taken as uploads are."""

from __future__ import annotations

from pathlib import Path

import pytest
from archive_cases import PDF, attachment_record, honest_parts, write_archive
from sqlalchemy import func, select

from app.extensions import db
from app.models import Attachment, Department, Document, Event, Issuer, Task, User
from app.models.people import Role


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def run_import(app, path: Path):
    db.session.remove()
    return app.test_cli_runner().invoke(args=["archive", "import", str(path)])


def assert_refused(app, path: Path, *expected: str) -> str:
    """The import refused with every ``expected`` text; no row and no file left."""
    result = run_import(app, path)
    output = result.output
    assert result.exit_code == 1, output
    assert result.exception is None or isinstance(result.exception, SystemExit), output
    assert "Traceback" not in output
    for text in expected:
        assert text in output, output
    db.session.remove()
    assert [count(m) for m in (Issuer, Department, Document, Task, Event, Attachment)] == [0] * 6
    folder = Path(app.config["ATTACHMENT_DIR"])
    assert not folder.exists() or not any(folder.iterdir())
    return output


def changed(part: str, index: int = 0, **fields):
    parts = honest_parts()
    parts[part][index].update(fields)
    return parts


def test_the_honest_archive_is_loaded(app, session, tmp_path):
    session.add(User(username="tnmt.cv", full_name="Chuyên viên", role=Role.DEPARTMENT_MEMBER))
    session.commit()
    result = run_import(app, write_archive(tmp_path / "a.zip"))
    assert result.exit_code == 0, result.output
    task = db.session.scalar(select(Task))
    assert task.state == "open" and [d.name for d in task.cooperating_departments] == [
        "Phòng Quản lý đô thị thành phố"
    ]
    attachment = db.session.scalar(select(Attachment))
    assert attachment.filename == "Thông báo 45.pdf"
    assert (Path(app.config["ATTACHMENT_DIR"]) / attachment.stored_name).read_bytes() == PDF


HOSTILE_ROWS = {
    "an unknown state": (
        changed("tasks", state="pwned"),
        "Phần “tasks”, dòng 1: trường “state”: “pwned” không được nhận",
    ),
    "a unit twice among the cooperators": (
        changed("tasks", cooperators=[2, 2]),
        "Phần “tasks”, dòng 1: trường “cooperators”: giá trị 2 có hai lần.",
    ),
    "a unit ref twice": (
        changed("units", 1, ref=1),
        "Phần “units”, dòng 2: ref 1 trùng với dòng 1.",
    ),
    "a task ref twice": (
        {**honest_parts(), "tasks": honest_parts()["tasks"] * 2},
        "Phần “tasks”, dòng 2: ref 1 đã có ở một dòng trước.",
    ),
    "a unit named twice": (
        changed("units", 1, name="phòng tài nguyên và  môi trường"),
        "Phần “units”, dòng 2: tên “phòng tài nguyên và  môi trường” trùng với dòng 1.",
    ),
    "a unit that is not in the archive": (
        changed("tasks", lead=7),
        "Phần “tasks”, dòng 1: đơn vị 7 không có trong tệp.",
    ),
    "a date that is no date": (
        changed("documents", issued_on="2024-13-01"),
        "Phần “documents”, dòng 1: trường “issued_on”: phải là ngày dạng YYYY-MM-DD.",
    ),
    "a year no form accepts": (
        changed("tasks", deadline="9999-12-31"),
        "Phần “tasks”, dòng 1: trường “deadline”: năm phải từ 1900 đến 2199.",
    ),
    "a moment with a time zone": (
        changed("tasks", created_at="2024-11-05T08:00:00+07:00"),
        "trường “created_at”: thời điểm ghi không kèm múi giờ",
    ),
    "a number given as text": (
        changed("tasks", working_days="5"),
        "Phần “tasks”, dòng 1: trường “working_days”: phải là số nguyên.",
    ),
    "a boolean given as a number": (
        changed("units", active=1),
        "Phần “units”, dòng 1: trường “active”: phải là true hoặc false.",
    ),
    "an unknown field": (
        changed("documents", secret="x"),
        "Phần “documents”, dòng 1: trường “secret”: trường này không thuộc định dạng.",
    ),
    "an empty content": (
        changed("tasks", content="   "),
        "Phần “tasks”, dòng 1: trường “content”: thiếu (bắt buộc).",
    ),
    "a name longer than its column": (
        changed("issuers", name="Ủ" * 256),
        "Phần “issuers”, dòng 1: trường “name”: dài quá 255 ký tự.",
    ),
    "a state in an event's snapshot": (
        changed("events", after={"state": "pwned"}),
        "Phần “events”, dòng 1: trường “after.state”: “pwned” không được nhận",
    ),
    "an unknown extension status": (
        {
            **honest_parts(),
            "extensions": [
                {
                    "task": 1,
                    "requested_on": "2024-11-10",
                    "requested_deadline": "2025-01-31",
                    "reason": "Cần thêm thời gian",
                    "status": "maybe",
                }
            ],
        },
        "Phần “extensions”, dòng 1: trường “status”: “maybe” không được nhận",
    ),  # fmt: skip
    "a line that is not a record": (
        {**honest_parts(), "transfers": [[1, 2, 3]]},
        "Phần “transfers”, dòng 1: không phải một bản ghi (đối tượng JSON).",
    ),
    "a file that belongs to nothing": (
        changed("attachments", document=None),
        "Phần “attachments”, dòng 1: tệp đính kèm không thuộc văn bản, nhiệm vụ hay báo cáo",
    ),
    "a file of a document that is not in the archive": (
        changed("attachments", document=9),
        "Phần “attachments”, dòng 1: văn bản 9 không có trong tệp.",
    ),
    "a file of a report of another task": (
        {
            **honest_parts(),
            "tasks": [*honest_parts()["tasks"], {**honest_parts()["tasks"][0], "ref": 2}],
            "attachments": [attachment_record(1, PDF, task=2, progress_report=1)],
        },
        "Phần “attachments”, dòng 1: tệp của một báo cáo tiến độ ghi một nhiệm vụ khác.",
    ),  # fmt: skip
    "an SVG": (
        changed("attachments", filename="ban-do.svg", content_type="image/svg+xml"),
        "Phần “attachments”, dòng 1: Tệp “ban-do.svg” không được chấp nhận",
    ),
}


@pytest.mark.parametrize("case", HOSTILE_ROWS, ids=list(HOSTILE_ROWS))
def test_a_row_the_api_would_refuse_refuses_the_archive_with_its_line(app, tmp_path, case):
    parts, expected = HOSTILE_ROWS[case]
    assert_refused(app, write_archive(tmp_path / "a.zip", parts), expected)


def test_a_file_that_is_not_what_its_name_says_is_refused(app, tmp_path):
    page = b"<html><script>alert(1)</script></html>"
    parts = honest_parts(page)
    path = write_archive(tmp_path / "a.zip", parts, files={"files/1": page})
    assert_refused(
        app, path, "Phần “attachments”, dòng 1: Nội dung tệp “Thông báo 45.pdf” không phải"
    )


def test_a_file_name_with_a_path_is_cleaned_and_the_type_comes_from_the_name(app, tmp_path):
    parts = changed("attachments", filename="../../x.pdf", content_type="text/html")
    result = run_import(app, write_archive(tmp_path / "a.zip", parts))
    assert result.exit_code == 0, result.output
    attachment = db.session.scalar(select(Attachment))
    assert (attachment.filename, attachment.content_type) == ("x.pdf", "application/pdf")
    assert attachment.stored_name.endswith(".pdf")


@pytest.mark.parametrize("version", [0, -1, True, 1.0, "1", None, 2])
def test_only_a_supported_version_is_read(app, tmp_path, version):
    path = write_archive(tmp_path / "a.zip", version=version)
    expected = "phiên bản 2: phiên bản này" if version == 2 else "không phải một phiên bản hợp lệ"
    assert_refused(app, path, expected)
