"""Loading an archive into this instance: checked whole first (``plan``), then written part by
part, each record validated (``records``) and each archived ref mapped to the new row's id;
any refusal names its part and line, and a failure part way leaves no row and no file behind."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from app.archive.files import check_attachments, load_attachments
from app.archive.format import ArchiveError, read_lines, refused
from app.archive.load_keytasks import load_evaluations, load_key_task_groups
from app.archive.load_tasks import (
    load_events,
    load_extensions,
    load_progress_reports,
    load_tasks,
    load_transfers,
)
from app.archive.opening import open_archive
from app.archive.plan import name_key, plan
from app.archive.refs import Ids, People, add_in_batches
from app.core.attachments import max_bytes
from app.core.timeutil import utcnow
from app.documents.operations import new_document
from app.models import Department, DepartmentName, Issuer, UnitChange, UnitChangePart


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
    limit = max_bytes()
    try:
        with source.open("rb") as raw, open_archive(raw, limit) as archive:
            check_attachments(archive, limit)
            _load(session, archive, attachment_dir, report, written)
    except Exception as error:
        discard(written)
        if isinstance(error, ArchiveError):
            raise
        if isinstance(error, (IntegrityError, DataError)):  # what the checks did not foresee
            reason = str(error.orig).splitlines()[0][:300]
            raise ArchiveError(
                f"Tệp lưu trữ có dữ liệu cơ sở dữ liệu không nhận: {reason}"
            ) from None
        raise
    report.files = written
    return report


def _held(archive, part: str, key: Callable | None = None) -> list:
    """The records of a part the plan reads whole; a ref (or a ``key``, the unit's name) that
    comes twice is refused with its line."""
    held, refs, keys = [], {}, {}
    for line, record in read_lines(archive, part):
        earlier = refs.setdefault(record.ref, line)
        if earlier != line:
            raise refused(part, line, f"ref {record.ref} trùng với dòng {earlier}.")
        if key is not None:
            earlier = keys.setdefault(key(record), line)
            if earlier != line:
                raise refused(part, line, f"tên “{record.name}” trùng với dòng {earlier}.")
        held.append(record)
    return held


def _load(session, archive, attachment_dir, report: ImportReport, written: list[Path]) -> None:
    issuers = _held(archive, "issuers")
    units = _held(archive, "units", key=lambda unit: name_key(unit.name))
    changes = _held(archive, "changes")
    documents = _held(archive, "documents")
    unit_map, issuer_here = plan(session, issuers, units, documents)
    person = People(session)
    ids = Ids()
    # Issuers and units: matched, or created.
    ids.issuers = _load_issuers(session, issuers, issuer_here)
    ids.units = _load_units(session, units, unit_map, report)
    ids.changes = _load_changes(session, changes, ids, person)
    _load_former_names(session, units, ids)
    ids.documents = _load_documents(session, documents, ids)
    ids.tasks = load_tasks(session, archive, ids)
    load_transfers(session, archive, ids)
    ids.reports = load_progress_reports(session, archive, ids, person)
    events = load_events(session, archive, ids, person)
    load_extensions(session, archive, ids, person)
    files = load_attachments(session, archive, attachment_dir, ids, person, written)
    ids.groups = load_key_task_groups(session, archive, ids)
    evaluations = load_evaluations(session, archive, ids, person)
    session.flush()
    report.unknown_people = sorted(person.unknown)
    report.counts = {
        "issuers": len(issuers), "units": len(units), "changes": len(changes),
        "documents": len(documents), "tasks": len(ids.tasks),
        "progress_reports": len(ids.reports), "events": events, "attachments": files,
        "key_task_groups": len(ids.groups), "evaluations": evaluations,
    }  # fmt: skip


def _load_issuers(session, issuers: list, issuer_here: dict[str, Issuer]) -> dict[int, int]:
    issuer_ids: dict[int, int] = {}
    for item in issuers:
        issuer = issuer_here.get(name_key(item.name))
        if issuer is None:
            issuer = Issuer(
                name=item.name, short_name=item.short_name, display_order=item.order,
                organ_id=item.organ_id,
            )  # fmt: skip
            session.add(issuer)
            session.flush()
            issuer_here[name_key(issuer.name)] = issuer
        issuer_ids[item.ref] = issuer.id
    return issuer_ids


def _load_units(session, units: list, unit_map, report: ImportReport) -> dict[int, int]:
    unit_ids: dict[int, int] = {}
    for item in units:
        unit = unit_map[item.ref]
        if unit is None:
            unit = Department(
                name=item.name, short_name=item.short_name, display_order=item.order,
                email=item.email, is_active=item.active, created_on=item.created_on,
                organ_id=item.organ_id,
                ended_on=item.ended_on,
            )  # fmt: skip
            session.add(unit)
            session.flush()
            report.created_units.append(unit.name)
        else:
            report.matched_units.append(unit.name)
        unit_ids[item.ref] = unit.id
    return unit_ids


def _load_changes(session, changes: list, ids: Ids, person: People) -> dict[int, int]:
    change_ids: dict[int, int] = {}
    for line, item in enumerate(changes, 1):
        change = UnitChange(
            kind=item.kind, effective_on=item.effective_on, decision=item.decision,
            old_name=item.old_name, new_name=item.new_name,
            entered_by_id=person(item.entered_by), entered_at=item.entered_at or utcnow(),
        )  # fmt: skip
        change.parts = [
            UnitChangePart(department_id=ids.of("units", p.unit, "changes", line), role=p.role)
            for p in item.parts
        ]
        session.add(change)
        session.flush()
        change_ids[item.ref] = change.id
    return change_ids


def _load_former_names(session, units: list, ids: Ids) -> None:
    for line, item in enumerate(units, 1):
        for old in item.names:
            session.add(
                DepartmentName(
                    department_id=ids.units[item.ref], name=old.name, until=old.until,
                    change_id=ids.maybe("changes", old.change, "units", line),
                )
            )  # fmt: skip


def _load_documents(session, documents: list, ids: Ids) -> dict[int, int]:
    return add_in_batches(
        session,
        "documents",
        (
            (line, item.ref, new_document(
                session, number=item.number, kind=item.kind,
                issuer_id=ids.of("issuers", item.issuer, "documents", line),
                issued_on=item.issued_on, summary=item.summary, signer=item.signer,
                created_at=item.created_at or utcnow(),
            ))
            for line, item in enumerate(documents, 1)
        ),
    )  # fmt: skip


def discard(paths: Iterable[Path]) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()
