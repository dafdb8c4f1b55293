"""The inbox folder (``EDXML_INBOX_DIR``) an e-office connector drops packages into: each
``.xml`` (or ``.edxml``) file there is taken into the queue on the scheduler's tick, then moved
to ``received/``; a refused one is moved to ``refused/`` beside a ``.txt`` saying why."""

from __future__ import annotations

import datetime as dt
import logging
import os
from pathlib import Path

from flask import current_app
from sqlalchemy.orm import Session

from app.core.private import private_folder
from app.edxml.bounds import Refused
from app.edxml.intake import receive

log = logging.getLogger("app.scheduler")
MAX_PER_TICK = 50  # the rest wait for the next tick
SUFFIXES = (".xml", ".edxml")


def inbox_dir() -> Path | None:
    configured = current_app.config.get("EDXML_INBOX_DIR")
    return Path(configured) if configured else None


def waiting(folder: Path) -> list[Path]:
    """The packages waiting in ``folder``, oldest first (files being written, named
    ``*.part`` or ``.*`` by the connector, are left for later)."""
    found = []
    with os.scandir(folder) as entries:
        for item in entries:
            name = item.name
            if name.startswith(".") or not name.lower().endswith(SUFFIXES):
                continue
            if item.is_file(follow_symlinks=False):
                found.append((item.stat().st_mtime, Path(item.path)))
    return [path for _, path in sorted(found)[:MAX_PER_TICK]]


def take_inbox(session: Session, now: dt.datetime) -> dict:
    """Read each waiting package into the queue (inside the tick's transaction); the files
    are moved by ``move_done`` after the commit."""
    folder = inbox_dir()
    if folder is None or not folder.is_dir():
        return {"received": [], "again": [], "refused": []}
    outcome: dict[str, list] = {"received": [], "again": [], "refused": []}
    for path in waiting(folder):
        try:
            received = receive(session, path, "inbox")
        except Refused as refusal:
            outcome["refused"].append((str(path), str(refusal)))
            continue
        except OSError as error:  # the connector removed it meanwhile, …
            log.warning("edxml inbox: %s: %s", path, error)
            continue
        key = "received" if received.new else "again"
        outcome[key].append((str(path), received.entry.id))
    return outcome


def move_done(outcome: dict) -> None:
    """After the commit: received packages to ``received/``, refused ones to ``refused/``
    with their reason."""
    for key in ("received", "again"):
        for path, _entry in outcome.get(key, []):
            _move(Path(path), "received")
    for path, reason in outcome.get("refused", []):
        moved = _move(Path(path), "refused")
        if moved is not None:
            moved.with_name(moved.name + ".txt").write_text(reason + "\n", encoding="utf-8")


def _move(path: Path, sub: str) -> Path | None:
    target_dir = private_folder(path.parent / sub)
    target = target_dir / path.name
    n = 1
    while target.exists():
        target = target_dir / f"{path.stem}-{n}{path.suffix}"
        n += 1
    try:
        path.rename(target)
    except OSError as error:
        log.warning("edxml inbox: cannot move %s: %s", path, error)
        return None
    return target
