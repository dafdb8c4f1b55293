"""Taking a package into the office's queue "Văn bản đến chờ xử lý": read within bounds,
its signature checked, its sender matched to an issuer (by mã định danh, then by name), its
files kept where attachments are, once per DocumentId (a recall, update or replacement once
per package). The same for every way a package arrives: the upload page, the inbox folder,
the API and ``flask edxml receive``."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.attachments import clean_filename, storage_dir, stored_name_for
from app.core.private import write_private
from app.edxml.bounds import CHUNK, Limits, Refused
from app.edxml.package import DocumentPackage, read_package
from app.edxml.signature import verify
from app.importing.issuers import AmbiguousIssuer, IssuerIndex
from app.models import Issuer, User
from app.models.edxml import IntakeEntry, IntakeFile


@dataclass
class Received:
    entry: IntakeEntry
    new: bool  # False: the same package (or document) was received before

    def line(self) -> str:
        entry = self.entry
        if not self.new:
            return f"đã nhận trước đây: mục #{entry.id} ({entry.number}, {entry.document_key})"
        return (
            f"mục #{entry.id}: {entry.business_label} {entry.number} ngày "
            f"{entry.issued_on:%d/%m/%Y} – {entry.sender_name or entry.sender_organ_id}"
        )


def _fingerprint(data: bytes | Path) -> str:
    digest = hashlib.sha256()
    if isinstance(data, bytes):
        digest.update(data)
    else:
        with data.open("rb") as handle:
            while chunk := handle.read(CHUNK * 16):
                digest.update(chunk)
    return digest.hexdigest()


def _open(data: bytes | Path):
    return io.BytesIO(data) if isinstance(data, bytes) else data.open("rb")


def match_issuer(session: Session, organ_id: str, name: str) -> Issuer | None:
    """The issuer a package's sender is: by mã định danh, else by name (None: not known)."""
    if organ_id:
        found = session.scalar(select(Issuer).where(Issuer.organ_id == organ_id).limit(1))
        if found is not None:
            return found
    if not name:
        return None
    try:
        return IssuerIndex(session.scalars(select(Issuer).order_by(Issuer.id))).find(name)
    except AmbiguousIssuer:
        return None


def _entry(package: DocumentPackage, fingerprint: str, source: str, user) -> IntakeEntry:
    signer = " ".join(p for p in (package.signer_position, package.signer_name) if p)
    return IntakeEntry(
        document_key=package.document_id[:255],
        business_type=package.business_doc_type,
        fingerprint="" if package.business_doc_type == "0" else fingerprint,
        source=source,
        received_by=user,
        sender_organ_id=package.sender.organ_id[:35],
        sender_name=package.sender.organ_name[:255],
        number=package.number[:64],
        kind=package.document_type_name[:128],
        issued_on=package.promulgation_date,
        subject=package.subject,
        content=package.content,
        due_date=package.due_date,
        signer=signer[:255],
        reason=package.business_reason,
    )


def _same(session: Session, entry: IntakeEntry) -> IntakeEntry | None:
    return session.scalar(
        select(IntakeEntry).where(
            IntakeEntry.document_key == entry.document_key,
            IntakeEntry.business_type == entry.business_type,
            IntakeEntry.fingerprint == entry.fingerprint,
        )
    )


def _keep_files(entry: IntakeEntry, package: DocumentPackage) -> list[Path]:
    written = []
    folder = storage_dir()
    for item in package.attachments:
        stored = stored_name_for(item.extension)
        write_private(folder / stored, item.content.read())
        written.append(folder / stored)
        name = clean_filename(item.name) or "tep-dinh-kem"
        if not name.lower().endswith(item.extension):
            name += item.extension
        entry.files.append(
            IntakeFile(
                filename=name[-255:],
                stored_name=stored,
                content_type=item.content_type.split(";")[0][:128] or "application/octet-stream",
                size=item.size,
                sha256=item.sha256,
            )
        )
    return written


def receive(
    session: Session, data: bytes | Path, source: str, user: User | None = None
) -> Received:
    """Take one package (its bytes or its file) into the queue; ``Refused`` with the reason.
    Flushed, not committed: the caller commits."""
    limits = Limits.from_config(current_app.config)
    if isinstance(data, Path) and data.stat().st_size > limits.package_bytes:
        raise Refused(f"Gói tin lớn hơn {limits.package_bytes // (1024 * 1024)} MB.")
    with _open(data) as source_file:
        package, parsed = read_package(source_file, limits)
    try:
        if not isinstance(package, DocumentPackage):
            raise Refused(
                "Gói tin là gói trạng thái (<Status>), không phải văn bản đến: không đưa vào "
                "danh sách chờ xử lý."
            )
        entry = _entry(package, _fingerprint(data), source, user)
        same = _same(session, entry)
        if same is not None:
            return Received(same, new=False)
        if parsed.signed:
            entry.signature, entry.signature_name = verify(data)
        entry.issuer = match_issuer(session, package.sender.organ_id, package.sender.organ_name)
        if package.business_doc_type != "0":
            entry.document = target_document(session, entry.document_key)
        written = _keep_files(entry, package)
        try:
            with session.begin_nested():
                session.add(entry)
        except IntegrityError:  # received at the same moment by another worker
            for path in written:
                path.unlink(missing_ok=True)
            same = _same(session, entry)
            if same is None:
                raise
            return Received(same, new=False)
        return Received(entry, new=True)
    finally:
        parsed.close()


def target_document(session: Session, document_key: str):
    """The document taken in from the package of this DocumentId, if it was."""
    taken = session.scalar(
        select(IntakeEntry)
        .where(
            IntakeEntry.document_key == document_key,
            IntakeEntry.business_type == "0",
            IntakeEntry.document_id.is_not(None),
        )
        .limit(1)
    )
    return taken.document if taken is not None else None
