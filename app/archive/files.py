"""Loading an archive's attachments as uploads are taken (app/core/attachments.py): the name
cleaned, only the accepted kinds of file and each what its name says, the type derived from the
name, never from the archive; each file belongs to something the archive loads."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy.orm import Session

from app.archive import records
from app.archive.format import READ_CHUNK, ArchiveError, read_lines, refused
from app.archive.refs import Ids, People
from app.core.attachments import (
    AttachmentError,
    accepted_extension,
    check_content,
    clean_filename,
    content_type_of,
    stored_name_for,
)
from app.core.private import create_private
from app.core.timeutil import utcnow
from app.models import Attachment

PART = "attachments"


def _owners(item: records.Attachment, ids: Ids, line: int) -> dict[str, int | None]:
    """What the file belongs to, here; refused when it belongs to nothing (nobody but the admin
    could open it) or to a report of another task."""
    owners = {
        "document_id": ids.maybe("documents", item.document, PART, line),
        "task_id": ids.maybe("tasks", item.task, PART, line),
        "progress_report_id": ids.maybe("reports", item.progress_report, PART, line),
    }
    if item.progress_report is not None:
        report_task = ids.report_tasks[item.progress_report]
        if owners["task_id"] not in (None, report_task):
            raise refused(PART, line, "tệp của một báo cáo tiến độ ghi một nhiệm vụ khác.")
        owners["task_id"] = report_task
    if not any(owners.values()):
        raise refused(PART, line, "tệp đính kèm không thuộc văn bản, nhiệm vụ hay báo cáo nào.")
    return owners


def load_attachments(
    session: Session, archive, attachment_dir: Path, ids: Ids, person: People, written: list[Path]
) -> int:
    attachment_dir.mkdir(parents=True, exist_ok=True)
    files = 0
    for line, item in read_lines(archive, PART):
        owners = _owners(item, ids, line)
        name = clean_filename(item.filename)
        try:
            extension = accepted_extension(name)
        except AttachmentError as error:
            raise refused(PART, line, str(error)) from None
        stored = stored_name_for(extension)
        path = attachment_dir / stored
        written.append(path)
        size = _copy_file(archive, item, name, extension, path, line)
        session.add(
            Attachment(
                filename=name, stored_name=stored, content_type=content_type_of(name), size=size,
                uploaded_by_id=person(item.by), created_at=item.created_at or utcnow(), **owners,
            )
        )  # fmt: skip
        files += 1
    return files


def _copy_file(archive, item, name: str, extension: str, path: Path, line: int) -> int:
    """The attachment's file copied to ``path``, its size and checksum checked; its size."""
    digest = hashlib.sha256()
    size = 0
    try:
        member = archive.open(item.member)
    except KeyError:
        raise refused(PART, line, f"tệp lưu trữ thiếu tệp đính kèm “{name}”.") from None
    with member, create_private(path) as sink:
        while chunk := member.read(READ_CHUNK):
            if size == 0:
                try:
                    check_content(name, extension, chunk[:64])
                except AttachmentError as error:
                    raise refused(PART, line, str(error)) from None
            size += len(chunk)
            if size > item.size:
                raise ArchiveError(f"Tệp đính kèm “{name}” lớn hơn khai báo.")
            digest.update(chunk)
            sink.write(chunk)
    if digest.hexdigest() != item.sha256 or size != item.size:
        raise ArchiveError(f"Tệp đính kèm “{name}” bị hỏng (sai tổng kiểm).")
    return size
