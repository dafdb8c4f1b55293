"""Uploaded files: checked for type and size, stored under ``instance/attachments``."""

from __future__ import annotations

import mimetypes
import secrets
from pathlib import Path

from flask import abort, current_app, send_file
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


# Shown in the browser: PDF and the raster images. Anything else (Word, Excel, an SVG that
# came in by an older version or an archive) is sent as a download, never rendered inline.
INLINE_TYPES = frozenset({"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp"})


def content_matches(extension: str, data: bytes) -> bool:
    """The file is what its name says (a page renamed .pdf is not a PDF)."""
    if extension == ".webp" and data[8:12] != b"WEBP":
        return False
    return data.startswith(SIGNATURES.get(extension, (b"",)))


class AttachmentError(ValueError):
    """A file that cannot be accepted; the message is for the user."""


def clean_filename(name: str) -> str:
    """The name a file is kept and sent back under: its last part only (a browser may send
    ``C:\\…\\a.pdf``, an archive ``../../a.pdf``), without control or direction characters,
    at most 255 characters with its extension kept."""
    name = "".join(ch for ch in str(name) if ch.isprintable()).replace("\\", "/")
    name = Path(name).name.strip()
    if len(name) > 255:
        suffix = Path(name).suffix[:32]
        name = name[: 255 - len(suffix)] + suffix
    return name


def accepted_extension(name: str) -> str:
    """The (lower-case) extension of a file name the product accepts, or ``AttachmentError``."""
    extension = Path(name).suffix.lower()
    if extension not in ALLOWED_EXTENSIONS:
        raise AttachmentError(
            f"Tệp “{name}” không được chấp nhận: chỉ nhận PDF, Word, Excel hoặc ảnh."
        )
    return extension


def max_bytes() -> int:
    return current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)


def check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise AttachmentError(f"Tệp “{name}” lớn hơn {limit // (1024 * 1024)} MB.")
    if size <= 0:
        raise AttachmentError(f"Tệp “{name}” rỗng.")


def check_content(name: str, extension: str, head: bytes) -> None:
    """``head``: the file's first bytes (a few dozen are enough)."""
    if not content_matches(extension, head):
        raise AttachmentError(
            f"Nội dung tệp “{name}” không phải là tệp {extension[1:].upper()} như tên tệp ghi."
        )


def content_type_of(name: str) -> str:
    """The type a file is served with: from its (accepted) extension, never from the sender."""
    return mimetypes.guess_type(name)[0] or "application/octet-stream"


def storage_dir() -> Path:
    configured = current_app.config.get("ATTACHMENT_DIR")
    path = Path(configured) if configured else Path(current_app.instance_path) / "attachments"
    return private_folder(path)


def stored_name_for(extension: str) -> str:
    return secrets.token_hex(16) + extension


def save_upload(upload: FileStorage, user: User | None, **owner) -> Attachment:
    """Validate and store one upload; ``owner``: document_id, task_id, progress_report_id."""
    name = clean_filename(upload.filename or "")
    extension = accepted_extension(name)
    data = upload.read()
    check_size(name, len(data), max_bytes())
    check_content(name, extension, data[:64])
    stored = stored_name_for(extension)
    write_private(storage_dir() / stored, data)
    return Attachment(
        filename=name,
        stored_name=stored,
        content_type=content_type_of(name),
        size=len(data),
        uploaded_by=user,
        **owner,
    )


def attachment_path(attachment) -> Path:
    return storage_dir() / attachment.stored_name


def send_stored(item) -> object:
    """A stored file as the answer (an attachment, or a file of a received package): a 404
    when its file is gone; shown in the browser when it is a PDF or an image, else downloaded."""
    path = attachment_path(item)
    if not path.exists():
        abort(404)
    return send_file(
        path,
        download_name=clean_filename(item.filename) or f"tep-{item.id}",
        mimetype=item.content_type,
        as_attachment=item.content_type not in INLINE_TYPES,
    )
