"""Files the product writes hold what nobody else on the server may read: password hashes and
session tokens (the database, its backups and archives), the office's documents (the
attachments). Each is created for its owner alone (0600, folders 0700), whatever the umask."""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
OTHERS = 0o077  # any right for the group or for others


def make_private(path: Path) -> None:
    """Take the group's and others' rights away from ``path`` (a file or a folder) when it is
    ours and has any; a path owned by someone else is left to its owner."""
    try:
        mode = path.stat().st_mode
        if mode & OTHERS and path.stat().st_uid == os.geteuid():
            path.chmod(PRIVATE_FOLDER if path.is_dir() else PRIVATE_FILE)
    except OSError:
        pass


def private_folder(path: Path) -> Path:
    """``path`` made (with its parents) and kept for its owner alone."""
    path.mkdir(parents=True, exist_ok=True, mode=PRIVATE_FOLDER)
    make_private(path)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to a new file that only its owner can read, from its first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    make_private(path)


def readable_by_others(folder: Path, limit: int = 10_000) -> list[Path]:
    """The paths under ``folder`` (itself included) that the group or others may read, of
    the first ``limit`` looked at, for ``flask check-config``."""
    found = []
    for count, path in enumerate([folder, *folder.rglob("*")]):
        if count >= limit:
            break
        try:
            if path.stat().st_mode & OTHERS:
                found.append(path)
        except OSError:
            continue
    return found


def create_private(path: Path):
    """A new file (never one that exists) that only its owner can read, open for binary
    writing from its first byte."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    return os.fdopen(descriptor, "wb")
