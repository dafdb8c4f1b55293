"""Files uploaded now and used by a later request or by the scheduler (an import's file, a
document read into the form), kept by a random name for a limited time in ``UPLOADS_DIR`` (the
instance folder by default). Several application servers share that folder as they share the
attachments folder: the request that uses a file may be served by another server than the one
it was uploaded to, and the scheduler that imports it may run on a third."""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from flask import Flask

from app.core.private import private_folder


def kept_folder(app: Flask, name: str) -> Path:
    """The folder ``name`` (``imports``, ``drafts``) of the files kept between requests."""
    return private_folder(Path(app.config.get("UPLOADS_DIR") or app.instance_path) / name)


def keep(folder: Path, data: bytes, keep_seconds: int) -> str:
    """Store ``data`` in ``folder`` under a new random name (returned), removing files older
    than ``keep_seconds`` first."""
    folder.mkdir(parents=True, exist_ok=True)
    stale = time.time() - keep_seconds
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < stale:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / token).write_bytes(data)
    return token
