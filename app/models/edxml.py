"""Documents from the e-office (edXML, QCVN 102:2016): the intake queue "Văn bản đến chờ xử
lý", the files each entry brought, and the status packages sent back to the sender with each
attempt to deliver them."""

from __future__ import annotations

import datetime as dt
import re

from sqlalchemy import Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.i18n import N_
from app.core.timeutil import utcnow
from app.extensions import db
from app.models.documents import Document, Issuer
from app.models.offices import OfficeScoped
from app.models.people import User

# A body's electronic identifier (mã định danh, Decision 20/2020/QĐ-TTg): groups of digits and
# capital letters separated by dots, e.g. ``000.00.00.H37``.
ORGAN_ID = re.compile(r"^[0-9A-Z]+(?:\.[0-9A-Z]+)*$")
ORGAN_ID_MAX = 35


def organ_id_problem(value: str) -> str | None:
    """Why ``value`` is not a mã định danh (None when it is one, or empty)."""
    if not value:
        return None
    if len(value) > ORGAN_ID_MAX:
        return f"Mã định danh dài quá {ORGAN_ID_MAX} ký tự."
    if not ORGAN_ID.match(value):
        return (
            f"Mã định danh “{value[:40]}” không đúng dạng: các nhóm chữ số và chữ in hoa cách "
            "nhau bởi dấu chấm, ví dụ 000.00.00.H37."
        )
    return None


BUSINESS_LABELS = {
    "0": N_("Văn bản mới"),
    "1": N_("Thu hồi"),
    "2": N_("Cập nhật"),
    "3": N_("Thay thế"),
}
ENTRY_STATES = {
    "pending": N_("Chờ xử lý"),
    "taken": N_("Đã tiếp nhận"),
    "applied": N_("Đã áp dụng"),
    "dismissed": N_("Đã bỏ qua"),
}
SIGNATURE_LABELS = {
    "unsigned": N_("không ký"),
    "invalid": N_("chữ ký không hợp lệ"),
    "valid": N_("đã ký số"),
    "unchecked": N_("chữ ký chưa kiểm tra được"),
}
STATUS_LABELS = {
    "03": N_("Đã tiếp nhận"),
    "04": N_("Đã phân công"),
    "05": N_("Đang xử lý"),
    "06": N_("Đã hoàn thành"),
}


class IntakeEntry(OfficeScoped, db.Model):
    """A package received: what it says, waiting for the office (``state``)."""

    __tablename__ = "edxml_entries"
    # Received once: a new document by its DocumentId, a recall/update/replacement by its
    # DocumentId and the package's own bytes (``fingerprint``, empty for a new document).
    __table_args__ = (
        UniqueConstraint(
            "office_id",
            "document_key",
            "business_type",
            "fingerprint",
            name="uq_edxml_entries_office_package",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_key: Mapped[str] = mapped_column(String(255))  # the package's DocumentId
    business_type: Mapped[str] = mapped_column(String(1), default="0")
    fingerprint: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(16))  # upload, inbox, api, cli
    received_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    received_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    state: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    sender_organ_id: Mapped[str] = mapped_column(String(35), default="")
    sender_name: Mapped[str] = mapped_column(String(255), default="")
    issuer_id: Mapped[int | None] = mapped_column(ForeignKey("issuers.id"))
    number: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(128), default="")
    issued_on: Mapped[dt.date] = mapped_column(Date)
    subject: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    signer: Mapped[str] = mapped_column(String(255), default="")
    reason: Mapped[str] = mapped_column(Text, default="")  # BussinessDocReason
    signature: Mapped[str] = mapped_column(String(16), default="unsigned")
    # valid: the signer's name; invalid, unchecked: why.
    signature_name: Mapped[str] = mapped_column(String(255), default="")
    # The document taken in from it, or (recall, update, replacement) the one it concerns.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("documents.id"), index=True)
    handled_at: Mapped[dt.datetime | None]
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    issuer: Mapped[Issuer | None] = relationship()
    document: Mapped[Document | None] = relationship()
    received_by: Mapped[User | None] = relationship(foreign_keys=[received_by_id])
    files: Mapped[list[IntakeFile]] = relationship(
        back_populates="entry", order_by="IntakeFile.id", cascade="all, delete-orphan"
    )

    @property
    def business_label(self) -> str:
        return BUSINESS_LABELS.get(self.business_type, self.business_type)

    @property
    def state_label(self) -> str:
        return ENTRY_STATES.get(self.state, self.state)

    @property
    def signature_label(self) -> str:
        return SIGNATURE_LABELS.get(self.signature, self.signature)


class IntakeFile(db.Model):
    """A file a package brought, kept where attachments are (app.core.attachments)."""

    __tablename__ = "edxml_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("edxml_entries.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(255))
    stored_name: Mapped[str] = mapped_column(String(64))
    content_type: Mapped[str] = mapped_column(String(128))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))

    entry: Mapped[IntakeEntry] = relationship(back_populates="files")


class StatusMessage(OfficeScoped, db.Model):
    """A status package answering a document (03 taken in, 04 assigned, 05 first progress,
    06 all done), written once and delivered with retries like mail."""

    __tablename__ = "edxml_status"
    __table_args__ = (
        UniqueConstraint("document_id", "code"),
        Index("ix_edxml_status_state_next", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    code: Mapped[str] = mapped_column(String(2))
    response_for: Mapped[str] = mapped_column(String(255))  # the answered DocumentId
    xml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(String(16), default="pending")  # pending, sent, failed
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[dt.datetime | None]
    sent_at: Mapped[dt.datetime | None]

    document: Mapped[Document] = relationship()
    log: Mapped[list[StatusAttempt]] = relationship(
        back_populates="message", order_by="StatusAttempt.id", cascade="all, delete-orphan"
    )

    @property
    def code_label(self) -> str:
        return STATUS_LABELS.get(self.code, self.code)


class StatusAttempt(db.Model):
    """One try at delivering a status package: where to, when, and what came of it."""

    __tablename__ = "edxml_status_attempts"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("edxml_status.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    target: Mapped[str] = mapped_column(String(255))
    ok: Mapped[bool] = mapped_column(default=False)
    detail: Mapped[str] = mapped_column(Text, default="")

    message: Mapped[StatusMessage] = relationship(back_populates="log")
