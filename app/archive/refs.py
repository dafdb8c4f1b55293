"""While an archive is loaded: the id here of each archived ref, refused with its part and line
when it names nothing in the archive or comes twice, and the account here of each username."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.archive.format import refused
from app.models import User

WHAT = {
    "issuers": "cơ quan ban hành",
    "units": "đơn vị",
    "changes": "thay đổi tổ chức",
    "documents": "văn bản",
    "tasks": "nhiệm vụ",
    "reports": "báo cáo tiến độ",
    "groups": "nhóm nhiệm vụ trọng tâm",
    "evaluations": "đánh giá",
}


@dataclass
class Ids:
    """For each part, the id here of each archived ref."""

    issuers: dict[int, int] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    changes: dict[int, int] = field(default_factory=dict)
    documents: dict[int, int] = field(default_factory=dict)
    tasks: dict[int, int] = field(default_factory=dict)
    reports: dict[int, int] = field(default_factory=dict)
    report_tasks: dict[int, int] = field(default_factory=dict)  # a report's task, its id here
    groups: dict[int, int] = field(default_factory=dict)
    evaluations: dict[int, int] = field(default_factory=dict)

    def of(self, kind: str, ref: int, part: str, line: int) -> int:
        """The id here of the ``kind`` the record at ``part``, ``line`` names."""
        found = getattr(self, kind).get(ref)
        if found is None:
            raise refused(part, line, f"{WHAT[kind]} {ref} không có trong tệp.")
        return found

    def maybe(self, kind: str, ref: int | None, part: str, line: int) -> int | None:
        return None if ref is None else self.of(kind, ref, part, line)


class People:
    """The account here of an archived username (None when there is none: kept as unknown)."""

    def __init__(self, session: Session) -> None:
        self.ids = {u.username: u.id for u in session.scalars(select(User))}
        self.unknown: set[str] = set()

    def __call__(self, username: str | None) -> int | None:
        if username is None:
            return None
        if username not in self.ids:
            self.unknown.add(username)
        return self.ids.get(username)


def add_in_batches(session: Session, part: str, rows: Iterable, size: int = 1000) -> dict:
    """Add (line, archived ref, new row) triples, flushing every ``size``; ref → new id. A ref
    that comes twice is refused with its line."""
    ids: dict[int, int] = {}
    batch: dict[int, object] = {}
    for line, ref, row in rows:
        if ref in ids or ref in batch:
            raise refused(part, line, f"ref {ref} đã có ở một dòng trước.")
        session.add(row)
        batch[ref] = row
        if len(batch) >= size:
            session.flush()
            ids.update((r, obj.id) for r, obj in batch.items())
            batch = {}
    session.flush()
    ids.update((r, obj.id) for r, obj in batch.items())
    return ids
