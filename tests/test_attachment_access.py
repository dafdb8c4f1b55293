"""``/tep/<id>``: a file is served to whoever may see what it belongs to (a task, the task of a
progress report, a document), and to nobody but the admin when it belongs to nothing; only PDF
and raster images are shown inline, under a name without any path."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.models import Attachment, ProgressReport
from conftest import login


def stored(app, session, data: bytes = b"%PDF-1.4 tep\n", **fields) -> Attachment:
    folder = Path(app.config["ATTACHMENT_DIR"])
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{len(list(folder.iterdir())):032x}"
    (folder / name).write_bytes(data)
    values = {"filename": "tep.pdf", "content_type": "application/pdf", "size": len(data)}
    attachment = Attachment(stored_name=name, **{**values, **fields})
    session.add(attachment)
    session.commit()
    return attachment


def status(client, url: str) -> int:
    with client.get(url) as response:
        return response.status_code


def test_a_file_that_belongs_to_nothing_is_for_the_admin_alone(app, session, client, world):
    orphan = stored(app, session)
    everyone = (world.office, world.leader, world.tnmt_head, world.tnmt_member, world.vhtt_head)
    for user in everyone:
        login(client, user)
        assert status(client, f"/tep/{orphan.id}") == 403, user.username
    login(client, world.admin)
    with client.get(f"/tep/{orphan.id}") as download:
        assert download.status_code == 200 and download.data == b"%PDF-1.4 tep\n"


def test_a_progress_reports_file_follows_the_reports_task(app, session, client, world):
    report = ProgressReport(
        task_id=world.tnmt_task.id, department_id=world.tnmt.id, user_id=world.tnmt_head.id,
        reported_on=world.tnmt_task.document.issued_on, content="Đã kiểm tra",
    )  # fmt: skip
    session.add(report)
    session.flush()
    attachment = stored(app, session, progress_report_id=report.id)
    login(client, world.vhtt_head)
    assert status(client, f"/tep/{attachment.id}") == 403
    login(client, world.tnmt_member)
    assert status(client, f"/tep/{attachment.id}") == 200


@pytest.mark.parametrize(
    ("filename", "content_type", "inline"),
    [
        ("ban-do.svg", "image/svg+xml", False),
        ("trang.html", "text/html", False),
        ("anh.png", "image/png", True),
        ("van-ban.pdf", "application/pdf", True),
    ],
)
def test_only_pdf_and_raster_images_are_shown_inline(
    app, session, client, world, filename, content_type, inline
):
    attachment = stored(
        app, session, b"<svg/>", task_id=world.tnmt_task.id, filename=filename,
        content_type=content_type,
    )  # fmt: skip
    login(client, world.tnmt_member)
    with client.get(f"/tep/{attachment.id}") as download:
        disposition = download.headers["Content-Disposition"]
        assert disposition.startswith("inline" if inline else "attachment"), disposition
        assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_a_file_name_with_a_path_is_sent_back_without_it(app, session, client, world):
    attachment = stored(app, session, task_id=world.tnmt_task.id, filename="../../x.pdf")
    login(client, world.tnmt_member)
    with client.get(f"/tep/{attachment.id}") as download:
        disposition = download.headers["Content-Disposition"]
    assert "x.pdf" in disposition and ".." not in disposition and "/" not in disposition
