"""Files read by "Đọc văn bản", kept (``UPLOADS_DIR``, ``app.web.uploads``) for this session
until the document they were read into is saved."""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app, session
from werkzeug.datastructures import FileStorage

from app.web.uploads import keep, kept_folder

KEEP_SECONDS = 24 * 3600
MAX_KEPT = 20  # files read and waiting for their document's save, per session


def _folder() -> Path:
    return kept_folder(current_app, "drafts")


def keep_file(data: bytes, filename: str) -> str:
    token = keep(_folder(), data, KEEP_SECONDS)
    kept = dict(session.get("drafts") or {})
    kept[token] = Path(filename).name[:200]
    session["drafts"] = dict(list(kept.items())[-MAX_KEPT:])
    return token


def drafted_name(token: str | None) -> str | None:
    """The name of the file read into this form, when it is this session's and still kept."""
    if not token or not token.isalnum():
        return None
    name = (session.get("drafts") or {}).get(token)
    return name if name and (_folder() / token).exists() else None


def drafted_file(token: str | None) -> FileStorage | None:
    name = drafted_name(token)
    if name is None:
        return None
    data = (_folder() / token).read_bytes()
    return FileStorage(io.BytesIO(data), filename=name)
