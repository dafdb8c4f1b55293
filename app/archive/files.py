"""Loading an archive's attachments as uploads are taken (app/core/attachments.py): the name
cleaned, only the accepted kinds of file and each what its name says, the type derived from the
name, never from the archive; each file belongs to something the archive loads."""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from pathlib import Path

from sqlalchemy.orm import Session

from app.archive import records
from app.archive.format import READ_CHUNK, ArchiveError, read_lines, refused
from app.archive.opening import amount
from app.archive.refs import Ids, People
from app.core.attachments import (
    AttachmentError,
    accepted_extension,
    check_content,
    check_size,
    clean_filename,
    content_type_of,
    stored_name_for,
)
from app.core.private import create_private, private_folder
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


def _accepted(item: records.Attachment, line: int) -> tuple[str, str]:
    """The file's name cleaned as an upload's, and its extension; refused otherwise."""
    name = clean_filename(item.filename)
    try:
        return name, accepted_extension(name)
    except AttachmentError as error:
        raise refused(PART, line, str(error)) from None


def check_attachments(archive, limit: int) -> None:
    """Before anything is written: each attachment's name and declared size, against the
    upload limit and against its file in the zip's directory."""
    for line, item in read_lines(archive, PART):
        name, _extension = _accepted(item, line)
        try:
            check_size(name, item.size, limit)
            info = archive.getinfo(item.member)
        except AttachmentError as error:
            raise refused(PART, line, str(error)) from None
        except KeyError:
            raise refused(
                PART, line, f"tệp lưu trữ thiếu tệp “{item.member}” của “{name}”."
            ) from None
        if info.file_size != item.size:
            raise refused(
                PART, line, f"tệp “{name}” khai báo {amount(item.size)}, trong tệp zip "
                f"{amount(info.file_size)}.",
            )  # fmt: skip


def load_attachments(
    session: Session, archive, attachment_dir: Path, ids: Ids, person: People, written: list[Path]
) -> int:
    private_folder(attachment_dir)
    files = 0
    for line, item in read_lines(archive, PART):
        owners = _owners(item, ids, line)
        name, extension = _accepted(item, line)
        stored = stored_name_for(extension)
        _copy_file(archive, item, name, extension, attachment_dir / stored, line, written)
        session.add(
            Attachment(
                filename=name, stored_name=stored, content_type=content_type_of(name),
                size=item.size, uploaded_by_id=person(item.by),
                created_at=item.created_at or utcnow(), **owners,
            )
        )  # fmt: skip
        files += 1
    return files


def _copy_file(archive, item, name, extension, path: Path, line: int, written: list[Path]) -> None:
    """The attachment's file copied under a temporary name, counted as it goes (never past its
    declared size), and given ``path`` once its checksum is the archive's."""
    partial = path.with_name(path.name + ".partial")
    written.append(partial)
    digest, size = hashlib.sha256(), 0
    try:
        with archive.open(item.member) as member, create_private(partial) as sink:
            while chunk := member.read(READ_CHUNK):
                if size == 0:
                    _check_content(name, extension, chunk, line)
                size += len(chunk)
                if size > item.size:
                    raise refused(PART, line, f"tệp “{name}” lớn hơn khai báo.")
                digest.update(chunk)
                sink.write(chunk)
    except (zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise refused(PART, line, f"tệp “{name}” bị hỏng ({error}).") from None
    if digest.hexdigest() != item.sha256 or size != item.size:
        raise ArchiveError(f"Tệp đính kèm “{name}” bị hỏng (sai tổng kiểm).")
    partial.replace(path)
    written[-1] = path


def _check_content(name: str, extension: str, head: bytes, line: int) -> None:
    try:
        check_content(name, extension, head[:64])
    except AttachmentError as error:
        raise refused(PART, line, str(error)) from None
