"""Uploaded files: checked for type and size, stored under ``instance/attachments``."""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from flask import current_app
from werkzeug.datastructures import FileStorage

from app.core.private import private_folder, write_private
from app.models import Attachment, User

ALLOWED_EXTENSIONS = {
    ".pdf",
    ".doc",
    ".docx",
    ".xls",
    ".xlsx",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
}
# A file input's ``accept``: every type save_upload takes (its label says "PDF, Word, Excel, ảnh").
ACCEPT = ",".join(sorted(ALLOWED_EXTENSIONS))
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Word and Excel files
ZIP = b"PK\x03\x04"  # .docx and .xlsx are zip archives
SIGNATURES = {
    ".pdf": (b"%PDF-",),
    ".doc": (OLE,),
    ".xls": (OLE,),
    ".docx": (ZIP,),
    ".xlsx": (ZIP,),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".gif": (b"GIF87a", b"GIF89a"),
    ".webp": (b"RIFF",),
}


def content_matches(extension: str, data: bytes) -> bool:
    """The file is what its name says (a page renamed .pdf is not a PDF)."""
    if extension == ".webp" and data[8:12] != b"WEBP":
        return False
    return data.startswith(SIGNATURES.get(extension, (b"",)))


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is for the user."""


def storage_dir() -> Path:
    configured = current_app.config.get("ATTACHMENT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "attachments"
    return private_folder(path)


def save_upload(upload: FileStorage, user: User | None, **owner) -> Attachment:
    """Validate and store one upload; ``owner``: document_id, task_id, progress_report_id."""
    name = Path(upload.filename or "").name
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise AttachmentError(
            f"Tệp “{name}” không được chấp nhận: chỉ nhận PDF, Word, Excel hoặc ảnh."
        )
    data = upload.read()
    limit = current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
    if len(data) > limit:
        raise AttachmentError(f"Tệp “{name}” lớn hơn {limit // (1024 * 1024)} MB.")
    if not data:
        raise AttachmentError(f"Tệp “{name}” rỗng.")
    if not content_matches(extension, data):
        raise AttachmentError(
            f"Nội dung tệp “{name}” không phải là tệp {extension[1:].upper()} như tên tệp ghi."
        )
    stored = secrets.token_hex(16) + extension
    write_private(storage_dir() / stored, data)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Attachment(
        filename=name[:255],
        stored_name=stored,
        content_type=content_type,
        size=len(data),
        uploaded_by=user,
        **owner,
    )


def attachment_path(attachment: Attachment) -> Path:
    return storage_dir() / attachment.stored_name
