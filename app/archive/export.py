"""Writing the archive: every part as JSON lines in a zip, the attachments' files beside them,
and the manifest last (the file replaces the target only once complete)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.archive.format import FORMAT, MANIFEST, READ_CHUNK, VERSION, ArchiveError, iso, write_lines
from app.core.private import write_private
from app.models import (
    Attachment,
    Department,
    DepartmentName,
    Document,
    Evaluation,
    Event,
    Extension,
    Issuer,
    KeyTaskGroup,
    ProgressReport,
    Task,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
    User,
    key_task_members,
    task_cooperators,
)


def _rows(session: Session, model, order) -> Iterator:
    """Every row of ``model`` in ``order``, read in pages (the memory stays flat)."""
    last = None
    while True:
        query = select(model).order_by(order).limit(1000)
        if last is not None:
            query = query.where(order > last)
        page = session.scalars(query).all()
        if not page:
            return
        yield from page
        last = getattr(page[-1], order.key)
        session.expunge_all()


@dataclass
class _Lookups:
    """What the records name beside their own row: people by username, a task's cooperating
    units, a unit's former names, an organisation change's parts."""

    usernames: dict[int, str]
    cooperators: dict[int, list[int]]
    names: dict[int, list[dict]]
    parts: dict[int, list[dict]]
    members: dict[int, list[int]]  # a key task group's tasks

    def who(self, user_id):
        return self.usernames.get(user_id)


def _lookups(session: Session) -> _Lookups:
    usernames = dict(session.execute(select(User.id, User.username)).all())
    cooperators: dict[int, list[int]] = {}
    for task_id, department_id in session.execute(
        select(task_cooperators.c.task_id, task_cooperators.c.department_id)
        .join(Task, Task.id == task_cooperators.c.task_id)  # this office's (the scope)
        .order_by(task_cooperators.c.task_id, task_cooperators.c.department_id)
    ):
        cooperators.setdefault(task_id, []).append(department_id)
    names: dict[int, list[dict]] = {}
    for row in session.scalars(select(DepartmentName).order_by(DepartmentName.id)):
        names.setdefault(row.department_id, []).append(
            {"name": row.name, "until": iso(row.until), "change": row.change_id}
        )
    parts: dict[int, list[dict]] = {}
    for part in session.scalars(select(UnitChangePart).order_by(UnitChangePart.id)):
        parts.setdefault(part.change_id, []).append({"unit": part.department_id, "role": part.role})
    members: dict[int, list[int]] = {}
    query = (
        select(key_task_members.c.group_id, key_task_members.c.task_id)
        .join(Task, Task.id == key_task_members.c.task_id)  # this office's (the scope)
        .order_by(key_task_members.c.group_id, key_task_members.c.task_id)
    )
    for group_id, task_id in session.execute(query):
        members.setdefault(group_id, []).append(task_id)
    return _Lookups(usernames, cooperators, names, parts, members)


def _unit(d: Department, known: _Lookups) -> dict:
    return {
        "ref": d.id,
        "name": d.name,
        "short_name": d.short_name,
        "order": d.display_order,
        "email": d.email,
        "organ_id": d.organ_id,
        "active": d.is_active,
        "created_on": iso(d.created_on),
        "ended_on": iso(d.ended_on),
        "names": known.names.get(d.id, []),
    }  # fmt: skip


def _change(c: UnitChange, known: _Lookups) -> dict:
    return {
        "ref": c.id,
        "kind": c.kind,
        "effective_on": iso(c.effective_on),
        "decision": c.decision,
        "old_name": c.old_name,
        "new_name": c.new_name,
        "entered_by": known.who(c.entered_by_id),
        "entered_at": iso(c.entered_at),
        "parts": known.parts.get(c.id, []),
    }  # fmt: skip


def _document(d: Document, _known: _Lookups) -> dict:
    return {
        "ref": d.id,
        "number": d.number,
        "kind": d.kind,
        "issuer": d.issuer_id,
        "issued_on": iso(d.issued_on),
        "summary": d.summary,
        "signer": d.signer,
        "created_at": iso(d.created_at),
    }  # fmt: skip


def _task(t: Task, known: _Lookups) -> dict:
    return {
        "ref": t.id,
        "document": t.document_id,
        "content": t.content,
        "lead": t.lead_department_id,
        "cooperators": known.cooperators.get(t.id, []),
        "deadline_kind": t.deadline_kind,
        "working_days": t.deadline_working_days,
        "deadline": iso(t.deadline),
        "original_deadline": iso(t.original_deadline),
        "deadline_written": iso(t.deadline_written),
        "state": t.state,
        "done_on": iso(t.done_on),
        "closed_on": iso(t.closed_on),
        "cancel_reason": t.cancel_reason,
        "note": t.note,
        "period": t.period,
        "created_at": iso(t.created_at),
        "updated_at": iso(t.updated_at),
    }  # fmt: skip


def _transfer(t: TaskTransfer, _known: _Lookups) -> dict:
    return {
        "task": t.task_id,
        "effective_on": iso(t.effective_on),
        "from": t.from_department_id,
        "to": t.to_department_id,
        "change": t.change_id,
    }  # fmt: skip


def _progress_report(r: ProgressReport, known: _Lookups) -> dict:
    return {
        "ref": r.id,
        "task": r.task_id,
        "unit": r.department_id,
        "by": known.who(r.user_id),
        "reported_on": iso(r.reported_on),
        "content": r.content,
        "created_at": iso(r.created_at),
    }  # fmt: skip


def _event(e: Event, known: _Lookups) -> dict:
    return {
        "task": e.task_id,
        "by": known.who(e.user_id),
        "kind": e.kind,
        "effective_on": iso(e.effective_on),
        "created_at": iso(e.created_at),
        "state": e.state,
        "sets_deadline": e.sets_deadline,
        "deadline": iso(e.deadline),
        "before": e.before,
        "after": e.after,
        "comment": e.comment,
    }  # fmt: skip


def _extension(x: Extension, known: _Lookups) -> dict:
    return {
        "task": x.task_id,
        "requested_by": known.who(x.requested_by_id),
        "requested_on": iso(x.requested_on),
        "previous_deadline": iso(x.previous_deadline),
        "requested_deadline": iso(x.requested_deadline),
        "reason": x.reason,
        "status": x.status,
        "decided_by": known.who(x.decided_by_id),
        "decided_on": iso(x.decided_on),
        "decision_note": x.decision_note,
        "approved_deadline": iso(x.approved_deadline),
        "created_at": iso(x.created_at),
    }  # fmt: skip


def _group(g: KeyTaskGroup, known: _Lookups) -> dict:
    return {
        "ref": g.id,
        "name": g.name,
        "issuer": g.issuer_id,
        "period_from": iso(g.period_from),
        "period_to": iso(g.period_to),
        "given_on": iso(g.given_on),
        "order": g.display_order,
        "note": g.note,
        "tasks": known.members.get(g.id, []),
        "created_at": iso(g.created_at),
    }  # fmt: skip


def _evaluation(e: Evaluation, known: _Lookups) -> dict:
    return {
        "ref": e.id,
        "group": e.group_id,
        "unit": e.department_id,
        "period_from": iso(e.period_from),
        "period_to": iso(e.period_to),
        "effective_on": iso(e.effective_on),
        "grade": e.grade,
        "note": e.note,
        "decided_by": e.decided_by,
        "revises": e.revises_id,
        "reason": e.reason,
        "proposal": e.proposal,
        "figures": e.figures,
        "recorded_by": known.who(e.recorded_by_id),
        "recorded_at": iso(e.recorded_at),
    }  # fmt: skip


# Each part but the attachments: its rows, and each row's record.
_PARTS = {
    "issuers": (
        Issuer,
        lambda i, _known: {
            "ref": i.id,
            "name": i.name,
            "short_name": i.short_name,
            "order": i.display_order,
            "organ_id": i.organ_id,
        },
    ),  # fmt: skip
    "units": (Department, _unit),
    "changes": (UnitChange, _change),
    "documents": (Document, _document),
    "tasks": (Task, _task),
    "transfers": (TaskTransfer, _transfer),
    "progress_reports": (ProgressReport, _progress_report),
    "events": (Event, _event),
    "extensions": (Extension, _extension),
    "key_task_groups": (KeyTaskGroup, _group),
    "evaluations": (Evaluation, _evaluation),
}


def _records(session: Session, model, record, known: _Lookups) -> Iterator[dict]:
    for row in _rows(session, model, model.id):
        yield record(row, known)


def export_archive(session: Session, target: Path, attachment_dir: Path) -> dict[str, int]:
    """Write the archive to ``target`` (replaced only once complete); the number of records
    of each part."""
    known = _lookups(session)
    records: dict[str, Iterable[dict]] = {
        part: _records(session, model, record, known) for part, (model, record) in _PARTS.items()
    }
    counts: dict[str, int] = {}
    partial = target.with_name(target.name + ".partial")
    try:
        # password hashes, session and calendar tokens: the owner's alone, from the first byte
        write_private(partial, b"")
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, items in records.items():
                counts[part] = write_lines(archive, part, items)
            counts["attachments"] = _write_attachments(archive, session, attachment_dir, known.who)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": iso(dt.datetime.now(dt.UTC).replace(microsecond=0)),
                "counts": counts,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _write_attachments(archive, session, attachment_dir: Path, who) -> int:
    records = []
    for a in _rows(session, Attachment, Attachment.id):
        path = attachment_dir / a.stored_name
        if not path.is_file():
            raise ArchiveError(f"Thiếu tệp đính kèm “{a.filename}” ({path}).")
        digest = hashlib.sha256()
        member = f"files/{a.id}"
        with path.open("rb") as source, archive.open(member, "w", force_zip64=True) as sink:
            while chunk := source.read(READ_CHUNK):
                digest.update(chunk)
                sink.write(chunk)
        records.append(
            {
                "ref": a.id,
                "document": a.document_id,
                "task": a.task_id,
                "progress_report": a.progress_report_id,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                "by": who(a.uploaded_by_id),
                "created_at": iso(a.created_at),
                "sha256": digest.hexdigest(),
                "member": member,
            }  # fmt: skip
        )
    return write_lines(archive, "attachments", records)
