"""Loading an archive into this instance: checked whole first (``plan``), then written part by
part, each archived ref mapped to the new row's id; a failure part way leaves no file behind."""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.archive.format import (
    READ_CHUNK,
    ArchiveError,
    date_of,
    moment_of,
    open_archive,
    read_lines,
)
from app.archive.plan import name_key, plan
from app.documents.operations import new_document
from app.models import (
    Attachment,
    Department,
    DepartmentName,
    Event,
    Extension,
    Issuer,
    ProgressReport,
    Task,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
    User,
    task_cooperators,
)


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    matched_units: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    unknown_people: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # written: to remove if the commit fails


def import_archive(session: Session, source: Path, attachment_dir: Path) -> ImportReport:
    """Load the archive; raises ``ArchiveError`` (and leaves no file behind) on any conflict or
    damage. Flushes; the caller commits, or rolls back and calls ``discard(report.files)``."""
    report = ImportReport()
    written: list[Path] = []
    try:
        with open_archive(source) as archive:
            _load(session, archive, attachment_dir, report, written)
    except Exception as error:
        for path in written:
            path.unlink(missing_ok=True)
        if isinstance(error, ArchiveError):
            raise
        if isinstance(error, (KeyError, TypeError, ValueError)):
            raise ArchiveError(f"Tệp lưu trữ có bản ghi không hợp lệ ({error!r}).") from None
        raise
    report.files = written
    return report


class _People:
    """The account here of an archived username (None when there is none: kept as unknown)."""

    def __init__(self, session: Session) -> None:
        self.ids = {u.username: u.id for u in session.scalars(select(User))}
        self.unknown: set[str] = set()

    def __call__(self, username):
        if username is None:
            return None
        if username not in self.ids:
            self.unknown.add(username)
        return self.ids.get(username)


@dataclass
class _Ids:
    """For each part, the id here of each archived ref."""

    issuers: dict[int, int] = field(default_factory=dict)
    units: dict[int, int] = field(default_factory=dict)
    changes: dict[int, int] = field(default_factory=dict)
    documents: dict[int, int] = field(default_factory=dict)
    tasks: dict[int, int] = field(default_factory=dict)
    reports: dict[int, int] = field(default_factory=dict)


def _load(session, archive, attachment_dir, report: ImportReport, written: list[Path]) -> None:
    issuers = list(read_lines(archive, "issuers"))
    units = list(read_lines(archive, "units"))
    changes = list(read_lines(archive, "changes"))
    documents = list(read_lines(archive, "documents"))
    unit_map, issuer_here = plan(session, issuers, units, documents)
    person = _People(session)
    ids = _Ids()
    # Issuers and units: matched, or created.
    ids.issuers = _load_issuers(session, issuers, issuer_here)
    ids.units = _load_units(session, units, unit_map, report)
    ids.changes = _load_changes(session, changes, ids, person)
    _load_former_names(session, units, ids)
    ids.documents = _load_documents(session, documents, ids)
    ids.tasks = _load_tasks(session, archive, ids)
    _load_transfers(session, archive, ids)
    ids.reports = _load_progress_reports(session, archive, ids, person)
    events = _load_events(session, archive, ids, person)
    _load_extensions(session, archive, ids, person)
    files = _load_attachments(session, archive, attachment_dir, ids, person, written)
    session.flush()
    report.unknown_people = sorted(person.unknown)
    report.counts = {
        "issuers": len(issuers), "units": len(units), "changes": len(changes),
        "documents": len(documents), "tasks": len(ids.tasks),
        "progress_reports": len(ids.reports), "events": events, "attachments": files,
    }  # fmt: skip


def _load_issuers(session, issuers: list[dict], issuer_here: dict[str, Issuer]) -> dict[int, int]:
    issuer_ids: dict[int, int] = {}
    for item in issuers:
        issuer = issuer_here.get(name_key(item["name"]))
        if issuer is None:
            issuer = Issuer(
                name=item["name"], short_name=item.get("short_name") or "",
                display_order=item.get("order") or 0,
            )  # fmt: skip
            session.add(issuer)
            session.flush()
            issuer_here[name_key(issuer.name)] = issuer
        issuer_ids[item["ref"]] = issuer.id
    return issuer_ids


def _load_units(session, units: list[dict], unit_map, report: ImportReport) -> dict[int, int]:
    unit_ids: dict[int, int] = {}
    for item in units:
        unit = unit_map[item["ref"]]
        if unit is None:
            unit = Department(
                name=item["name"], short_name=item.get("short_name") or "",
                display_order=item.get("order") or 0, email=item.get("email") or "",
                is_active=bool(item.get("active", True)),
                created_on=date_of(item.get("created_on")),
                ended_on=date_of(item.get("ended_on")),
            )  # fmt: skip
            session.add(unit)
            session.flush()
            report.created_units.append(unit.name)
        else:
            report.matched_units.append(unit.name)
        unit_ids[item["ref"]] = unit.id
    return unit_ids


def _load_changes(session, changes: list[dict], ids: _Ids, person: _People) -> dict[int, int]:
    change_ids: dict[int, int] = {}
    for item in changes:
        change = UnitChange(
            kind=item["kind"], effective_on=date_of(item["effective_on"]),
            decision=item.get("decision") or "", old_name=item.get("old_name"),
            new_name=item.get("new_name"), entered_by_id=person(item.get("entered_by")),
            entered_at=moment_of(item.get("entered_at")),
        )  # fmt: skip
        change.parts = [
            UnitChangePart(department_id=ids.units[p["unit"]], role=p["role"])
            for p in item.get("parts", [])
        ]
        session.add(change)
        session.flush()
        change_ids[item["ref"]] = change.id
    return change_ids


def _load_former_names(session, units: list[dict], ids: _Ids) -> None:
    for item in units:
        for old in item.get("names", []):
            session.add(
                DepartmentName(
                    department_id=ids.units[item["ref"]], name=old["name"],
                    until=date_of(old["until"]), change_id=ids.changes.get(old.get("change")),
                )
            )  # fmt: skip


def _load_documents(session, documents: list[dict], ids: _Ids) -> dict[int, int]:
    return _add_in_batches(
        session,
        (
            (item["ref"], new_document(
                session, number=item["number"], kind=item.get("kind") or "",
                issuer_id=ids.issuers[item["issuer"]], issued_on=date_of(item["issued_on"]),
                summary=item.get("summary") or "", signer=item.get("signer") or "",
                created_at=moment_of(item.get("created_at")),
            ))
            for item in documents
        ),
    )  # fmt: skip


def _load_tasks(session, archive, ids: _Ids) -> dict[int, int]:
    task_units: list[tuple[int, list[int]]] = []  # archived task ref, its cooperating units

    def tasks():
        for item in read_lines(archive, "tasks"):
            task_units.append((item["ref"], item.get("cooperators", [])))
            yield item["ref"], Task(
                document_id=ids.documents[item["document"]], content=item["content"],
                lead_department_id=ids.units[item["lead"]], deadline_kind=item["deadline_kind"],
                deadline_working_days=item.get("working_days"),
                deadline=date_of(item.get("deadline")),
                original_deadline=date_of(item.get("original_deadline")), state=item["state"],
                done_on=date_of(item.get("done_on")), closed_on=date_of(item.get("closed_on")),
                cancel_reason=item.get("cancel_reason") or "", note=item.get("note") or "",
                period=item.get("period"), created_at=moment_of(item.get("created_at")),
                updated_at=moment_of(item.get("updated_at")),
            )  # fmt: skip

    task_ids = _add_in_batches(session, tasks())
    cooperations = [
        {"task_id": task_ids[ref], "department_id": ids.units[u]}
        for ref, units_of in task_units
        for u in units_of
    ]
    if cooperations:
        session.execute(task_cooperators.insert(), cooperations)
    return task_ids


def _load_transfers(session, archive, ids: _Ids) -> None:
    for item in read_lines(archive, "transfers"):
        session.add(
            TaskTransfer(
                task_id=ids.tasks[item["task"]], effective_on=date_of(item["effective_on"]),
                from_department_id=ids.units[item["from"]],
                to_department_id=ids.units[item["to"]],
                change_id=ids.changes.get(item.get("change")),
            )
        )  # fmt: skip


def _load_progress_reports(session, archive, ids: _Ids, person: _People) -> dict[int, int]:
    return _add_in_batches(
        session,
        (
            (item["ref"], ProgressReport(
                task_id=ids.tasks[item["task"]], department_id=ids.units[item["unit"]],
                user_id=person(item.get("by")), reported_on=date_of(item["reported_on"]),
                content=item["content"], created_at=moment_of(item.get("created_at")),
            ))
            for item in read_lines(archive, "progress_reports")
        ),
    )  # fmt: skip


def _snapshot(values: dict | None, ids: _Ids) -> dict | None:
    """An event's before/after, its unit and report ids those of this instance."""
    if not isinstance(values, dict):
        return values
    values = dict(values)
    if values.get("lead_department_id") is not None:
        values["lead_department_id"] = ids.units[values["lead_department_id"]]
    if isinstance(values.get("cooperating_department_ids"), list):
        values["cooperating_department_ids"] = sorted(
            ids.units[i] for i in values["cooperating_department_ids"]
        )
    if values.get("progress_report_id") is not None:
        values["progress_report_id"] = ids.reports[values["progress_report_id"]]
    return values


def _load_events(session, archive, ids: _Ids, person: _People) -> int:
    events = 0
    for item in read_lines(archive, "events"):  # in recorded order: the ids keep it
        session.add(
            Event(
                task_id=ids.tasks[item["task"]], user_id=person(item.get("by")),
                kind=item["kind"], effective_on=date_of(item["effective_on"]),
                created_at=moment_of(item.get("created_at")), state=item.get("state"),
                sets_deadline=bool(item.get("sets_deadline")),
                deadline=date_of(item.get("deadline")),
                before=_snapshot(item.get("before"), ids),
                after=_snapshot(item.get("after"), ids), comment=item.get("comment") or "",
            )
        )  # fmt: skip
        events += 1
        if events % 1000 == 0:
            session.flush()
    return events


def _load_extensions(session, archive, ids: _Ids, person: _People) -> None:
    for item in read_lines(archive, "extensions"):
        session.add(
            Extension(
                task_id=ids.tasks[item["task"]],
                requested_by_id=person(item.get("requested_by")),
                requested_on=date_of(item["requested_on"]),
                previous_deadline=date_of(item.get("previous_deadline")),
                requested_deadline=date_of(item["requested_deadline"]), reason=item["reason"],
                status=item["status"], decided_by_id=person(item.get("decided_by")),
                decided_on=date_of(item.get("decided_on")),
                decision_note=item.get("decision_note") or "",
                created_at=moment_of(item.get("created_at")),
            )
        )  # fmt: skip


def _load_attachments(
    session, archive, attachment_dir: Path, ids: _Ids, person: _People, written: list[Path]
) -> int:
    attachment_dir.mkdir(parents=True, exist_ok=True)
    files = 0
    for item in read_lines(archive, "attachments"):
        stored = secrets.token_hex(16)
        path = attachment_dir / stored
        written.append(path)
        size = _copy_file(archive, item, path)
        session.add(
            Attachment(
                document_id=ids.documents.get(item.get("document")),
                task_id=ids.tasks.get(item.get("task")),
                progress_report_id=ids.reports.get(item.get("progress_report")),
                filename=item["filename"], stored_name=stored,
                content_type=item["content_type"], size=size,
                uploaded_by_id=person(item.get("by")),
                created_at=moment_of(item.get("created_at")),
            )
        )  # fmt: skip
        files += 1
    return files


def _copy_file(archive, item: dict, path: Path) -> int:
    """The attachment's file copied to ``path``, its size and checksum checked; its size."""
    digest = hashlib.sha256()
    size = 0
    try:
        member = archive.open(item["member"])
    except KeyError:
        raise ArchiveError(f"Tệp lưu trữ thiếu tệp đính kèm “{item['filename']}”.") from None
    with member, path.open("wb") as sink:
        while chunk := member.read(READ_CHUNK):
            size += len(chunk)
            if size > int(item["size"]):
                raise ArchiveError(f"Tệp đính kèm “{item['filename']}” lớn hơn khai báo.")
            digest.update(chunk)
            sink.write(chunk)
    if digest.hexdigest() != item["sha256"] or size != int(item["size"]):
        raise ArchiveError(f"Tệp đính kèm “{item['filename']}” bị hỏng (sai tổng kiểm).")
    return size


def _add_in_batches(session: Session, pairs, size: int = 1000) -> dict[int, int]:
    """Add (archived ref, new row) pairs, flushing every ``size``; ref → new id."""
    ids: dict[int, int] = {}
    batch = []
    for ref, row in pairs:
        session.add(row)
        batch.append((ref, row))
        if len(batch) >= size:
            session.flush()
            ids.update((r, obj.id) for r, obj in batch)
            batch = []
    session.flush()
    ids.update((r, obj.id) for r, obj in batch)
    return ids


def discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
