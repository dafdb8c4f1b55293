"""An office's records in one portable archive, and loading it into another instance.

``flask archive export FILE`` writes everything the follow-up is made of (issuers, units with
their names over time and their organisation changes, documents, tasks, their transfers and
events, progress reports, extensions and attachments) as JSON lines in a zip, with a format
version. Rows refer to each other by the ids they had here; people by username. Unlike
``flask backup`` (a copy of this database for this version), the archive does not depend on
the schema: it survives upgrades and can be loaded beside other data.

``flask archive import FILE`` loads an archive into this instance: units and issuers are
matched by name (created when missing), people by username (an action by someone with no
account here is kept without a name), documents and tasks are new rows (new ids, so new task
codes). Everything is checked first; any conflict (a document already here, a unit whose life
differs here) refuses the whole import with the list, and a failure part way through leaves
nothing behind: no row, no file.

Recurring duties (their schedules) are not carried: their periods already created are, as tasks.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import secrets
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.timeutil import utcnow
from app.models import (
    Attachment,
    Department,
    DepartmentName,
    Document,
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

FORMAT = "theo-doi-van-ban-chi-dao"
VERSION = 1
MANIFEST = "manifest.json"
MAX_LINE = 4 * 1024 * 1024  # one record, long texts and snapshots included
MAX_RECORDS = 5_000_000
READ_CHUNK = 1 << 20
PARTS = (
    "issuers",
    "units",
    "changes",
    "documents",
    "tasks",
    "transfers",
    "progress_reports",
    "events",
    "extensions",
    "attachments",
)


class ArchiveError(Exception):
    """Why an archive cannot be written or loaded; ``problems`` lists every conflict found."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


@dataclass
class ImportReport:
    counts: dict[str, int] = field(default_factory=dict)
    matched_units: list[str] = field(default_factory=list)
    created_units: list[str] = field(default_factory=list)
    unknown_people: list[str] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)  # written: to remove if the commit fails


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _moment(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if value else utcnow()


# --- export ---------------------------------------------------------------------------------


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


def export_archive(session: Session, target: Path, attachment_dir: Path) -> dict[str, int]:
    """Write the archive to ``target`` (replaced only once complete); the number of records
    of each part."""
    usernames = dict(session.execute(select(User.id, User.username)).all())

    def who(user_id):
        return usernames.get(user_id)

    cooperators: dict[int, list[int]] = {}
    for task_id, department_id in session.execute(
        select(task_cooperators.c.task_id, task_cooperators.c.department_id).order_by(
            task_cooperators.c.task_id, task_cooperators.c.department_id
        )
    ):
        cooperators.setdefault(task_id, []).append(department_id)
    names: dict[int, list[dict]] = {}
    for row in session.scalars(select(DepartmentName).order_by(DepartmentName.id)):
        names.setdefault(row.department_id, []).append(
            {"name": row.name, "until": _iso(row.until), "change": row.change_id}
        )
    parts: dict[int, list[dict]] = {}
    for part in session.scalars(select(UnitChangePart).order_by(UnitChangePart.id)):
        parts.setdefault(part.change_id, []).append({"unit": part.department_id, "role": part.role})

    records: dict[str, Iterable[dict]] = {
        "issuers": (
            {"ref": i.id, "name": i.name, "short_name": i.short_name, "order": i.display_order}
            for i in _rows(session, Issuer, Issuer.id)
        ),
        "units": (
            {
                "ref": d.id,
                "name": d.name,
                "short_name": d.short_name,
                "order": d.display_order,
                "email": d.email,
                "active": d.is_active,
                "created_on": _iso(d.created_on),
                "ended_on": _iso(d.ended_on),
                "names": names.get(d.id, []),
            }  # fmt: skip
            for d in _rows(session, Department, Department.id)
        ),
        "changes": (
            {
                "ref": c.id,
                "kind": c.kind,
                "effective_on": _iso(c.effective_on),
                "decision": c.decision,
                "old_name": c.old_name,
                "new_name": c.new_name,
                "entered_by": who(c.entered_by_id),
                "entered_at": _iso(c.entered_at),
                "parts": parts.get(c.id, []),
            }  # fmt: skip
            for c in _rows(session, UnitChange, UnitChange.id)
        ),
        "documents": (
            {
                "ref": d.id,
                "number": d.number,
                "kind": d.kind,
                "issuer": d.issuer_id,
                "issued_on": _iso(d.issued_on),
                "summary": d.summary,
                "signer": d.signer,
                "created_at": _iso(d.created_at),
            }  # fmt: skip
            for d in _rows(session, Document, Document.id)
        ),
        "tasks": (
            {
                "ref": t.id,
                "document": t.document_id,
                "content": t.content,
                "lead": t.lead_department_id,
                "cooperators": cooperators.get(t.id, []),
                "deadline_kind": t.deadline_kind,
                "working_days": t.deadline_working_days,
                "deadline": _iso(t.deadline),
                "original_deadline": _iso(t.original_deadline),
                "state": t.state,
                "done_on": _iso(t.done_on),
                "closed_on": _iso(t.closed_on),
                "cancel_reason": t.cancel_reason,
                "note": t.note,
                "period": t.period,
                "created_at": _iso(t.created_at),
                "updated_at": _iso(t.updated_at),
            }  # fmt: skip
            for t in _rows(session, Task, Task.id)
        ),
        "transfers": (
            {
                "task": t.task_id,
                "effective_on": _iso(t.effective_on),
                "from": t.from_department_id,
                "to": t.to_department_id,
                "change": t.change_id,
            }  # fmt: skip
            for t in _rows(session, TaskTransfer, TaskTransfer.id)
        ),
        "progress_reports": (
            {
                "ref": r.id,
                "task": r.task_id,
                "unit": r.department_id,
                "by": who(r.user_id),
                "reported_on": _iso(r.reported_on),
                "content": r.content,
                "created_at": _iso(r.created_at),
            }  # fmt: skip
            for r in _rows(session, ProgressReport, ProgressReport.id)
        ),
        "events": (
            {
                "task": e.task_id,
                "by": who(e.user_id),
                "kind": e.kind,
                "effective_on": _iso(e.effective_on),
                "created_at": _iso(e.created_at),
                "state": e.state,
                "sets_deadline": e.sets_deadline,
                "deadline": _iso(e.deadline),
                "before": e.before,
                "after": e.after,
                "comment": e.comment,
            }  # fmt: skip
            for e in _rows(session, Event, Event.id)
        ),
        "extensions": (
            {
                "task": x.task_id,
                "requested_by": who(x.requested_by_id),
                "requested_on": _iso(x.requested_on),
                "previous_deadline": _iso(x.previous_deadline),
                "requested_deadline": _iso(x.requested_deadline),
                "reason": x.reason,
                "status": x.status,
                "decided_by": who(x.decided_by_id),
                "decided_on": _iso(x.decided_on),
                "decision_note": x.decision_note,
                "created_at": _iso(x.created_at),
            }  # fmt: skip
            for x in _rows(session, Extension, Extension.id)
        ),
    }
    counts: dict[str, int] = {}
    partial = target.with_name(target.name + ".partial")
    try:
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
            for part, items in records.items():
                counts[part] = _write_lines(archive, part, items)
            counts["attachments"] = _write_attachments(archive, session, attachment_dir, who)
            manifest = {
                "format": FORMAT,
                "version": VERSION,
                "exported_at": _iso(dt.datetime.now(dt.UTC).replace(microsecond=0)),
                "counts": counts,
            }
            archive.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.replace(target)
    finally:
        partial.unlink(missing_ok=True)
    return counts


def _write_lines(archive: zipfile.ZipFile, part: str, items: Iterable[dict]) -> int:
    count = 0
    with archive.open(f"{part}.jsonl", "w") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


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
                "created_at": _iso(a.created_at),
                "sha256": digest.hexdigest(),
                "member": member,
            }  # fmt: skip
        )
    return _write_lines(archive, "attachments", records)


# --- import ---------------------------------------------------------------------------------


def _open(source: Path) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        message = f"Tệp “{source.name}” không phải một tệp lưu trữ (zip): {error}"
        raise ArchiveError(message) from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        archive.close()
        raise ArchiveError("Tệp lưu trữ không có manifest.json hợp lệ.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise ArchiveError("Tệp này không phải tệp lưu trữ của ứng dụng theo dõi văn bản chỉ đạo.")
    version = manifest.get("version")
    if not isinstance(version, int) or version > VERSION:
        archive.close()
        raise ArchiveError(
            f"Tệp lưu trữ phiên bản {version}: phiên bản này của ứng dụng đọc đến phiên bản "
            f"{VERSION}. Hãy nâng cấp ứng dụng trước."
        )
    return archive


def _lines(archive: zipfile.ZipFile, part: str) -> Iterator[dict]:
    try:
        stream = archive.open(f"{part}.jsonl")
    except KeyError:
        raise ArchiveError(f"Tệp lưu trữ thiếu phần “{part}”.") from None
    with stream, io.BufferedReader(stream) as lines:
        for number, line in enumerate(iter(lambda: lines.readline(MAX_LINE + 1), b""), 1):
            if number > MAX_RECORDS or len(line) > MAX_LINE:
                raise ArchiveError(f"Phần “{part}”, dòng {number}: quá lớn.")
            try:
                item = json.loads(line)
            except ValueError:
                raise ArchiveError(f"Phần “{part}”, dòng {number}: không phải JSON.") from None
            if not isinstance(item, dict):
                raise ArchiveError(f"Phần “{part}”, dòng {number}: không phải một bản ghi.")
            yield item


def _key(name: str) -> str:
    return " ".join(str(name or "").split()).lower()


def _plan_units(session: Session, units: list[dict]) -> tuple[dict[int, Department], list[str]]:
    """The unit here for each archived unit (None: to create), and the conflicts."""
    here = {_key(d.name): d for d in session.scalars(select(Department))}
    former_here = {_key(n.name): n.department_id for n in session.scalars(select(DepartmentName))}
    planned: dict[int, Department | None] = {}
    problems = []
    for unit in units:
        match = here.get(_key(unit["name"]))
        label = unit["name"]
        if match is None:
            if _key(unit["name"]) in former_here:
                problems.append(f"Đơn vị “{label}”: ở đây là tên cũ của một đơn vị đã đổi tên.")
            for old in unit.get("names", []):
                if _key(old["name"]) in here:
                    problems.append(
                        f"Đơn vị “{label}” (trước đây “{old['name']}”): ở đây đã có đơn vị mang "
                        "tên cũ đó; hãy đổi tên đơn vị ở đây trước."
                    )
            planned[unit["ref"]] = None
            continue
        ended = _date(unit.get("ended_on"))
        if (ended is None) != (match.ended_on is None) or (ended and ended != match.ended_on):
            problems.append(
                f"Đơn vị “{label}”: thời điểm thôi hoạt động khác nhau giữa tệp "
                f"({_day(ended)}) và ở đây ({_day(match.ended_on)})."
            )
        if unit.get("names") and session.scalar(
            select(func.count())
            .select_from(DepartmentName)
            .where(DepartmentName.department_id == match.id)
        ):
            problems.append(f"Đơn vị “{label}”: đã có lịch sử đổi tên ở đây và trong tệp.")
        planned[unit["ref"]] = match
    return planned, problems


def _day(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "đang hoạt động"


def import_archive(session: Session, source: Path, attachment_dir: Path) -> ImportReport:
    """Load the archive; raises ``ArchiveError`` (and leaves no file behind) on any conflict or
    damage. Flushes; the caller commits, or rolls back and calls ``discard(report.files)``."""
    report = ImportReport()
    written: list[Path] = []
    try:
        with _open(source) as archive:
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


def _load(session, archive, attachment_dir, report: ImportReport, written: list[Path]) -> None:
    issuers = list(_lines(archive, "issuers"))
    units = list(_lines(archive, "units"))
    changes = list(_lines(archive, "changes"))
    documents = list(_lines(archive, "documents"))
    unit_map, problems = _plan_units(session, units)
    issuer_here = {_key(i.name): i for i in session.scalars(select(Issuer))}
    issuer_name = {i["ref"]: i["name"] for i in issuers}
    for document in documents:
        issuer = issuer_here.get(_key(issuer_name.get(document["issuer"], "")))
        if issuer is None:
            continue
        clash = session.scalar(
            select(Document.id).where(
                Document.issuer_id == issuer.id,
                Document.number == document["number"],
                Document.issued_on == _date(document["issued_on"]),
            )
        )
        if clash is not None:
            problems.append(
                f"Văn bản {document['number']} ngày {_date(document['issued_on']):%d/%m/%Y} "
                f"của {issuer.name} đã có ở đây."
            )
    if problems:
        raise ArchiveError(
            f"Không nhập tệp lưu trữ: {len(problems)} xung đột, chưa ghi gì.", problems
        )

    people = {u.username: u.id for u in session.scalars(select(User))}
    unknown: set[str] = set()

    def person(username):
        if username is None:
            return None
        if username not in people:
            unknown.add(username)
        return people.get(username)

    # Issuers and units: matched, or created.
    issuer_ids: dict[int, int] = {}
    for item in issuers:
        issuer = issuer_here.get(_key(item["name"]))
        if issuer is None:
            issuer = Issuer(
                name=item["name"], short_name=item.get("short_name") or "",
                display_order=item.get("order") or 0,
            )  # fmt: skip
            session.add(issuer)
            session.flush()
            issuer_here[_key(issuer.name)] = issuer
        issuer_ids[item["ref"]] = issuer.id
    unit_ids: dict[int, int] = {}
    for item in units:
        unit = unit_map[item["ref"]]
        if unit is None:
            unit = Department(
                name=item["name"], short_name=item.get("short_name") or "",
                display_order=item.get("order") or 0, email=item.get("email") or "",
                is_active=bool(item.get("active", True)),
                created_on=_date(item.get("created_on")), ended_on=_date(item.get("ended_on")),
            )  # fmt: skip
            session.add(unit)
            session.flush()
            report.created_units.append(unit.name)
        else:
            report.matched_units.append(unit.name)
        unit_ids[item["ref"]] = unit.id
    change_ids: dict[int, int] = {}
    for item in changes:
        change = UnitChange(
            kind=item["kind"], effective_on=_date(item["effective_on"]),
            decision=item.get("decision") or "", old_name=item.get("old_name"),
            new_name=item.get("new_name"), entered_by_id=person(item.get("entered_by")),
            entered_at=_moment(item.get("entered_at")),
        )  # fmt: skip
        change.parts = [
            UnitChangePart(department_id=unit_ids[p["unit"]], role=p["role"])
            for p in item.get("parts", [])
        ]
        session.add(change)
        session.flush()
        change_ids[item["ref"]] = change.id
    for item in units:
        for old in item.get("names", []):
            session.add(
                DepartmentName(
                    department_id=unit_ids[item["ref"]], name=old["name"],
                    until=_date(old["until"]), change_id=change_ids.get(old.get("change")),
                )
            )  # fmt: skip

    document_ids = _add_in_batches(
        session,
        (
            (item["ref"], Document(
                number=item["number"], kind=item.get("kind") or "",
                issuer_id=issuer_ids[item["issuer"]], issued_on=_date(item["issued_on"]),
                summary=item.get("summary") or "", signer=item.get("signer") or "",
                created_at=_moment(item.get("created_at")),
            ))
            for item in documents
        ),
    )  # fmt: skip

    task_units: list[tuple[int, list[int]]] = []  # archived task ref, its cooperating units

    def tasks():
        for item in _lines(archive, "tasks"):
            task_units.append((item["ref"], item.get("cooperators", [])))
            yield item["ref"], Task(
                document_id=document_ids[item["document"]], content=item["content"],
                lead_department_id=unit_ids[item["lead"]], deadline_kind=item["deadline_kind"],
                deadline_working_days=item.get("working_days"),
                deadline=_date(item.get("deadline")),
                original_deadline=_date(item.get("original_deadline")), state=item["state"],
                done_on=_date(item.get("done_on")), closed_on=_date(item.get("closed_on")),
                cancel_reason=item.get("cancel_reason") or "", note=item.get("note") or "",
                period=item.get("period"), created_at=_moment(item.get("created_at")),
                updated_at=_moment(item.get("updated_at")),
            )  # fmt: skip

    task_ids = _add_in_batches(session, tasks())
    cooperations = [
        {"task_id": task_ids[ref], "department_id": unit_ids[u]}
        for ref, units_of in task_units
        for u in units_of
    ]
    if cooperations:
        session.execute(task_cooperators.insert(), cooperations)
    for item in _lines(archive, "transfers"):
        session.add(
            TaskTransfer(
                task_id=task_ids[item["task"]], effective_on=_date(item["effective_on"]),
                from_department_id=unit_ids[item["from"]], to_department_id=unit_ids[item["to"]],
                change_id=change_ids.get(item.get("change")),
            )
        )  # fmt: skip
    report_ids = _add_in_batches(
        session,
        (
            (item["ref"], ProgressReport(
                task_id=task_ids[item["task"]], department_id=unit_ids[item["unit"]],
                user_id=person(item.get("by")), reported_on=_date(item["reported_on"]),
                content=item["content"], created_at=_moment(item.get("created_at")),
            ))
            for item in _lines(archive, "progress_reports")
        ),
    )  # fmt: skip

    def snapshot(values: dict | None) -> dict | None:
        """An event's before/after, its unit and report ids those of this instance."""
        if not isinstance(values, dict):
            return values
        values = dict(values)
        if values.get("lead_department_id") is not None:
            values["lead_department_id"] = unit_ids[values["lead_department_id"]]
        if isinstance(values.get("cooperating_department_ids"), list):
            values["cooperating_department_ids"] = sorted(
                unit_ids[i] for i in values["cooperating_department_ids"]
            )
        if values.get("progress_report_id") is not None:
            values["progress_report_id"] = report_ids[values["progress_report_id"]]
        return values

    events = 0
    for item in _lines(archive, "events"):  # in recorded order: the ids keep it
        session.add(
            Event(
                task_id=task_ids[item["task"]], user_id=person(item.get("by")),
                kind=item["kind"], effective_on=_date(item["effective_on"]),
                created_at=_moment(item.get("created_at")), state=item.get("state"),
                sets_deadline=bool(item.get("sets_deadline")),
                deadline=_date(item.get("deadline")), before=snapshot(item.get("before")),
                after=snapshot(item.get("after")), comment=item.get("comment") or "",
            )
        )  # fmt: skip
        events += 1
        if events % 1000 == 0:
            session.flush()
    for item in _lines(archive, "extensions"):
        session.add(
            Extension(
                task_id=task_ids[item["task"]], requested_by_id=person(item.get("requested_by")),
                requested_on=_date(item["requested_on"]),
                previous_deadline=_date(item.get("previous_deadline")),
                requested_deadline=_date(item["requested_deadline"]), reason=item["reason"],
                status=item["status"], decided_by_id=person(item.get("decided_by")),
                decided_on=_date(item.get("decided_on")),
                decision_note=item.get("decision_note") or "",
                created_at=_moment(item.get("created_at")),
            )
        )  # fmt: skip
    attachment_dir.mkdir(parents=True, exist_ok=True)
    files = 0
    for item in _lines(archive, "attachments"):
        stored = secrets.token_hex(16)
        path = attachment_dir / stored
        written.append(path)
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
        session.add(
            Attachment(
                document_id=document_ids.get(item.get("document")),
                task_id=task_ids.get(item.get("task")),
                progress_report_id=report_ids.get(item.get("progress_report")),
                filename=item["filename"], stored_name=stored,
                content_type=item["content_type"], size=size,
                uploaded_by_id=person(item.get("by")), created_at=_moment(item.get("created_at")),
            )
        )  # fmt: skip
        files += 1
    session.flush()
    report.unknown_people = sorted(unknown)
    report.counts = {
        "issuers": len(issuers), "units": len(units), "changes": len(changes),
        "documents": len(documents), "tasks": len(task_ids), "progress_reports": len(report_ids),
        "events": events, "attachments": files,
    }  # fmt: skip


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
