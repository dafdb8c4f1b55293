"""``flask archive export`` / ``import``: an office's records moved to another instance."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.office_scope import use_office
from app.dev.demo import city_office_id, seed_demo
from app.extensions import db
from app.models import Attachment, Document, Event, Task, User
from app.models.history import EventKind
from app.models.people import Role
from app.reports.detail import build_detail
from app.reports.summary import build_summary, summary_text
from tests.conftest import FAST_HASH, _truncate_postgres

TODAY = dt.date(2026, 11, 27)


def first_days(today: dt.date, months: int = 24) -> list[dt.date]:
    days, day = [], today.replace(day=1)
    for _ in range(months):
        days.append(day)
        day = (day - dt.timedelta(days=1)).replace(day=1)
    return days


def picture(session) -> dict:
    """Everything an as-of report says on the first day of each of the last 24 months."""
    out = {}
    for day in first_days(TODAY):
        table = build_detail(session, day)
        out[day] = (
            summary_text(build_summary(session, day)),
            [
                (r.task.document.number, r.task.content, r.lead.name, r.deadline, r.progress)
                for s in table.sections
                for g in s.groups
                for r in g.rows
            ],
        )
    return out


def empty_instance(app, database_url: str, request) -> None:
    """The same application, its database and attachments emptied (a new installation)."""
    db.session.remove()
    db.engine.dispose()
    if database_url.startswith("sqlite"):
        path = Path(database_url.removeprefix("sqlite:///"))
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
    else:
        _truncate_postgres(database_url)
    shutil.rmtree(app.config["ATTACHMENT_DIR"], ignore_errors=True)


@pytest.fixture
def demo_with_file(app, session):
    """The demo; the tests work in its city office of 2024 (ended 01/07/2025, its open tasks
    handed over to the wards and the province), the office the archive carries."""
    users = seed_demo(session, TODAY, FAST_HASH)
    folder = Path(app.config["ATTACHMENT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "abc123").write_bytes(b"%PDF-1.4 van ban goc\n")
    with use_office(city_office_id()):
        document = session.scalar(select(Document).order_by(Document.id))
        session.add(
            Attachment(
                document_id=document.id, filename="Thông báo 1044.pdf", stored_name="abc123",
                content_type="application/pdf", size=21, uploaded_by_id=users["vanphong"].id,
            )
        )  # fmt: skip
        session.commit()
        yield users


def test_export_then_import_into_an_empty_instance_says_the_same_on_every_date(
    app, session, demo_with_file, database_url, request, tmp_path
):
    before = picture(session)
    counts_before = {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Document, Task, Event, Attachment)
    }
    transfer_comments = sorted(
        session.scalars(select(Event.comment).where(Event.kind == EventKind.TRANSFERRED))
    )
    assert transfer_comments  # the demo's merger handed tasks over
    runner = app.test_cli_runner()
    target = tmp_path / "ho-so.zip"
    result = runner.invoke(args=["archive", "export", "--office", "TPLS", str(target)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert manifest["version"] == 1 and manifest["counts"]["tasks"] == counts_before["Task"]

    empty_instance(app, database_url, request)
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0
    clerk = User(username="vanphong", full_name="Nguyễn Thị Hằng", role=Role.OFFICE)
    db.session.add(clerk)
    db.session.commit()

    result = runner.invoke(args=["archive", "import", str(target)])
    assert result.exit_code == 0, result.output
    assert "Không có tài khoản ở đây" in result.output  # the heads' accounts are not here
    session = db.session
    assert picture(session) == before
    assert {
        model.__name__: session.scalar(select(func.count()).select_from(model))
        for model in (Document, Task, Event, Attachment)
    } == counts_before
    assert (
        sorted(session.scalars(select(Event.comment).where(Event.kind == EventKind.TRANSFERRED)))
        == transfer_comments
    )
    # actions by someone with an account here keep their author
    assert session.scalar(select(func.count()).select_from(Event).where(Event.user_id == clerk.id))
    attachment = session.scalar(select(Attachment))
    stored = Path(app.config["ATTACHMENT_DIR"]) / attachment.stored_name
    assert stored.read_bytes() == b"%PDF-1.4 van ban goc\n"
    assert attachment.filename == "Thông báo 1044.pdf"
    # the unit history came along: the merged units and their end
    result = runner.invoke(args=["units", "history"])
    assert "01/03/2025: Hợp nhất Ban Quản lý dự án đầu tư xây dựng thành phố" in result.output


def test_importing_into_an_instance_that_has_the_documents_is_refused_whole(
    app, session, demo_with_file, tmp_path
):
    runner = app.test_cli_runner()
    target = tmp_path / "ho-so.zip"
    assert runner.invoke(args=["archive", "export", "--office", "TPLS", str(target)]).exit_code == 0
    tasks = session.scalar(select(func.count()).select_from(Task))
    files = sorted(Path(app.config["ATTACHMENT_DIR"]).iterdir())
    result = runner.invoke(args=["archive", "import", str(target)])
    assert result.exit_code == 1
    assert "xung đột, chưa ghi gì" in result.output
    assert "Văn bản 81-TB/TU ngày 23/06/2024 của Tỉnh ủy Lạng Sơn đã có ở đây." in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Task)) == tasks
    assert sorted(Path(app.config["ATTACHMENT_DIR"]).iterdir()) == files


def _rewrite(source: Path, target: Path, change) -> None:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info.filename, change(info.filename, old.read(info.filename)))


def test_a_damaged_or_newer_archive_leaves_nothing_behind(
    app, session, demo_with_file, database_url, request, tmp_path
):
    runner = app.test_cli_runner()
    good = tmp_path / "ho-so.zip"
    assert runner.invoke(args=["archive", "export", "--office", "TPLS", str(good)]).exit_code == 0
    empty_instance(app, database_url, request)

    damaged = tmp_path / "hong.zip"
    _rewrite(good, damaged, lambda name, data: b"%PDF-1.4 sua doi!!!!\n" if name == "files/1"
             else data)  # fmt: skip
    result = runner.invoke(args=["archive", "import", str(damaged)])
    assert result.exit_code == 1 and "bị hỏng (sai tổng kiểm)" in result.output
    db.session.remove()
    assert db.session.scalar(select(func.count()).select_from(Task)) == 0
    folder = Path(app.config["ATTACHMENT_DIR"])
    assert not folder.exists() or not any(folder.iterdir())

    def newer(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["version"] = 2
        return json.dumps(manifest).encode()

    future = tmp_path / "moi.zip"
    _rewrite(good, future, newer)
    result = runner.invoke(args=["archive", "import", str(future)])
    assert result.exit_code == 1 and "phiên bản 2" in result.output

    (tmp_path / "khong-phai.zip").write_bytes(b"not a zip")
    result = runner.invoke(args=["archive", "import", str(tmp_path / "khong-phai.zip")])
    assert result.exit_code == 1 and "không phải một tệp lưu trữ" in result.output
