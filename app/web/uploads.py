"""Files uploaded now and used by a later request (an import's file, a document read into the
form), kept under the instance folder by a random name for a limited time."""

from __future__ import annotations

import secrets
import time
from pathlib import Path


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
