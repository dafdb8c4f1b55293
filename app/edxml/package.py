"""What a package says: a document (``DocumentPackage``) or a status answering one
(``StatusPackage``), read from the nodes ``stream.py`` built, with every element looked up by
its local name among its siblings (in any order, with or without the namespace's prefix), and
checked: the required elements, the dates, the DocumentId against its parts, the manifest
against the attachments, and each attachment's bytes against its ContentType."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import BinaryIO

from app.edxml.bounds import Limits, Refused, attachment_extension, check_sniffed
from app.edxml.stream import Content, Node, Parsed, parse_stream

BUSINESS_TYPES = ("0", "1", "2", "3")  # new, recall, update, replace
STATUS_CODES = ("01", "02", "03", "04", "05", "06", "13", "15", "16")
_DATE = re.compile(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(?:[ T].*)?$")
_DATE_DMY = re.compile(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?:[ T].*)?$")
_TIME = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?")


@dataclass
class Organ:
    organ_id: str = ""
    organ_name: str = ""

    def as_json(self) -> dict:
        return {"organ_id": self.organ_id, "organ_name": self.organ_name}


@dataclass
class PackageAttachment:
    name: str
    content_type: str
    extension: str
    content: Content

    @property
    def sha256(self) -> str:
        return self.content.sha256

    @property
    def size(self) -> int:
        return self.content.size


@dataclass
class DocumentPackage:
    sender: Organ
    receivers: list[Organ]
    code_number: str
    code_notation: str
    promulgation_date: dt.date
    place: str
    document_type_name: str
    subject: str
    content: str
    due_date: dt.date | None
    signer_position: str
    signer_name: str
    document_id: str
    business_doc_type: str
    business_reason: str
    attachments: list[PackageAttachment] = field(default_factory=list)
    signed: bool = False
    kind = "document"

    @property
    def number(self) -> str:
        """The document's số ký hiệu as the product writes it: ``1044/TB-UBND``."""
        if not self.code_notation:
            return self.code_number
        return f"{self.code_number}/{self.code_notation}"

    def as_json(self) -> dict:
        return {
            "kind": "document",
            "sender": self.sender.as_json(),
            "receivers": [r.as_json() for r in self.receivers],
            "code_number": self.code_number,
            "code_notation": self.code_notation,
            "promulgation_date": self.promulgation_date.isoformat(),
            "document_type_name": self.document_type_name,
            "subject": self.subject,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "signer": {"position": self.signer_position, "full_name": self.signer_name},
            "document_id": self.document_id,
            "business_doc_type": self.business_doc_type,
            "attachments": [
                {"name": a.name, "content_type": a.content_type, "sha256": a.sha256}
                for a in self.attachments
            ],
        }


@dataclass
class StatusPackage:
    status_code: str
    response_for: Organ
    response_code: str
    response_document_id: str
    sender: Organ
    timestamp: dt.datetime
    description: str
    staff: str
    signed: bool = False
    kind = "status"
    attachments: tuple = ()

    def as_json(self) -> dict:
        return {
            "kind": "status",
            "status_code": self.status_code,
            "response_for": {
                "organ_id": self.response_for.organ_id,
                "code": self.response_code,
                "document_id": self.response_document_id,
            },
            "from": self.sender.as_json(),
            "timestamp": self.timestamp.isoformat(),
        }


def parse_date(text: str, element: str, required: bool = True) -> dt.date | None:
    """``yyyy/MM/dd`` or ``dd/MM/yyyy`` (``-`` too, a time after it ignored)."""
    text = text.strip()
    if not text:
        if required:
            raise Refused(f"Thiếu ngày ở phần tử <{element}>.")
        return None
    found = _DATE.match(text)
    parts = (found.group(1), found.group(2), found.group(3)) if found else None
    if parts is None and (found := _DATE_DMY.match(text)):
        parts = (found.group(3), found.group(2), found.group(1))
    try:
        if parts is None:
            raise ValueError
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
    except ValueError:
        raise Refused(
            f"Phần tử <{element}> ghi ngày “{text[:40]}” không đọc được "
            "(cần yyyy/MM/dd hoặc dd/MM/yyyy)."
        ) from None


def parse_timestamp(text: str, element: str) -> dt.datetime:
    day = parse_date(text, element)
    clock = _TIME.search(text.strip()[8:])
    if clock is None:
        return dt.datetime.combine(day, dt.time())
    hour, minute, second = (int(g or 0) for g in clock.groups())
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError:
        raise Refused(f"Phần tử <{element}> ghi giờ “{text[:40]}” không đọc được.") from None


def _required(node: Node, *path: str) -> str:
    value = node.value(*path)
    if not value:
        raise Refused(f"Thiếu phần tử <{path[-1]}> (trong <{'/'.join((node.local, *path))}>).")
    return value


def _organ(node: Node | None) -> Organ:
    if node is None:
        return Organ()
    return Organ(node.value("OrganId"), node.value("OrganName"))


def _envelope(root: Node) -> Node:
    envelopes = root.findall("edXMLEnvelope")
    if len(envelopes) != 1:
        if root.findall("Status"):
            return root
        found = ", ".join(f"<{c.local}>" for c in root.children[:3]) or "không có phần tử nào"
        raise Refused(f"Gói tin cần đúng một phần tử <edXMLEnvelope> (gặp {found}).")
    return envelopes[0]


def _status(status: Node, signed: bool) -> StatusPackage:
    code = _required(status, "StatusCode")
    if code not in STATUS_CODES:
        raise Refused(f"Phần tử <StatusCode> ghi “{code[:8]}”: không phải mã trạng thái đã biết.")
    response = status.find("ResponseFor")
    if response is None:
        raise Refused("Thiếu phần tử <ResponseFor> (trong <Status>).")
    return StatusPackage(
        status_code=code,
        response_for=Organ(_required(response, "OrganId")),
        response_code=response.value("Code"),
        response_document_id=_required(response, "DocumentId"),
        sender=_organ(status.find("From")),
        timestamp=parse_timestamp(_required(status, "Timestamp"), "Timestamp"),
        description=status.value("Description"),
        staff=status.value("StaffInfo", "Staff") or status.value("StaffInfo"),
        signed=signed,
    )


def _check_document_id(document_id: str, sender: str, day: dt.date, code: str) -> None:
    """``{OrganId},{yyyy/MM/dd},{số}/{ký hiệu}`` names the document the package describes."""
    parts = [p.strip() for p in document_id.split(",")]
    if len(parts) != 3:
        raise Refused(
            f"Phần tử <DocumentId> “{document_id[:80]}” không đúng dạng "
            "“mã định danh,yyyy/MM/dd,số/ký hiệu”."
        )
    if parts[0] != sender:
        raise Refused(
            f"Phần tử <DocumentId> ghi cơ quan “{parts[0][:40]}” khác <From>/<OrganId> “{sender}”."
        )
    if parse_date(parts[1], "DocumentId") != day:
        raise Refused(
            f"Phần tử <DocumentId> ghi ngày “{parts[1][:20]}” khác <PromulgationDate> "
            f"{day:%d/%m/%Y}."
        )
    if parts[2].replace(" ", "").casefold() != code.replace(" ", "").casefold():
        raise Refused(
            f"Phần tử <DocumentId> ghi số ký hiệu “{parts[2][:60]}” khác <Code> “{code}”."
        )


def _attachments(root: Node, parsed: Parsed) -> list[PackageAttachment]:
    declared = {}
    for reference in root.descendants("Reference"):
        cid = _cid(reference.attrs.get("ContentId") or reference.value("ContentId"))
        declared[cid] = reference.value("AttachmentName") or reference.value("ContentType")
    found, seen = [], set()
    for node in root.descendants("Attachment"):
        cid = _cid(node.value("ContentId"))
        name = node.value("AttachmentName") or declared.get(cid) or cid or "tep-dinh-kem"
        content = parsed.contents.get(id(node))
        if content is None or content.size == 0:
            raise Refused(f"<Attachment> “{name}” không có nội dung.")
        content_type = node.value("ContentType") or _manifest_type(root, cid)
        extension = attachment_extension(name, content_type)
        check_sniffed(name, extension, content.head)
        found.append(PackageAttachment(name, content_type, extension, content))
        seen.add(cid)
    missing = [cid for cid in declared if cid and cid not in seen]
    if missing:
        raise Refused(
            f"<Reference> “{missing[0]}” của <edXMLManifest> không có <Attachment> tương ứng."
        )
    return found


def _manifest_type(root: Node, cid: str) -> str:
    for reference in root.descendants("Reference"):
        if _cid(reference.attrs.get("ContentId") or reference.value("ContentId")) == cid:
            return reference.value("ContentType")
    return ""


def _cid(value: str) -> str:
    return value.strip().removeprefix("cid:").strip("<>").strip()


# The longest value the queue keeps of each element (a longer one is refused, not cut).
LONGEST = {
    "OrganId": 35,
    "OrganName": 255,
    "CodeNumber": 30,
    "CodeNotation": 33,
    "TypeName": 128,
    "DocumentId": 255,
    "Position": 120,
    "FullName": 120,
}


def _check_lengths(message: Node) -> None:
    for name, longest in LONGEST.items():
        for node in message.descendants(name):
            if len(node.text) > longest:
                raise Refused(f"Phần tử <{name}> dài quá {longest} ký tự.")


def _document(root: Node, header: Node, parsed: Parsed) -> DocumentPackage:
    message = header.find("MessageHeader")
    if message is None:
        raise Refused("Thiếu phần tử <MessageHeader> (trong <edXMLHeader>).")
    _check_lengths(message)
    sender = _organ(message.find("From"))
    if not sender.organ_id:
        raise Refused("Thiếu phần tử <OrganId> (trong <MessageHeader>/<From>).")
    number = _required(message, "Code", "CodeNumber")
    notation = message.value("Code", "CodeNotation")
    day = parse_date(_required(message, "PromulgationInfo", "PromulgationDate"), "PromulgationDate")
    code = f"{number}/{notation}" if notation else number
    document_id = message.value("DocumentId")
    if document_id:
        _check_document_id(document_id, sender.organ_id, day, code)
    else:
        document_id = f"{sender.organ_id},{day:%Y/%m/%d},{code}"
    # Bussiness under TraceHeaderList, under a TraceHeader, or right under the header.
    business = next(iter(header.descendants("Bussiness")), None)
    doc_type = business.value("BussinessDocType") if business else ""
    doc_type = doc_type or "0"
    if doc_type not in BUSINESS_TYPES:
        raise Refused(f"Phần tử <BussinessDocType> ghi “{doc_type[:8]}”: chỉ nhận 0, 1, 2 hoặc 3.")
    return DocumentPackage(
        sender=sender,
        receivers=[_organ(n) for n in message.findall("To")],
        code_number=number,
        code_notation=notation,
        promulgation_date=day,
        place=message.value("PromulgationInfo", "Place"),
        document_type_name=message.value("DocumentType", "TypeName"),
        subject=_required(message, "Subject"),
        content=message.value("Content"),
        due_date=parse_date(message.value("DueDate"), "DueDate", required=False),
        signer_position=message.value("SignerInfo", "Position"),
        signer_name=message.value("SignerInfo", "FullName"),
        document_id=document_id,
        business_doc_type=doc_type,
        business_reason=business.value("BussinessDocReason") if business else "",
        attachments=_attachments(parsed.root, parsed),
        signed=parsed.signed,
    )


def interpret(parsed: Parsed) -> DocumentPackage | StatusPackage:
    envelope = _envelope(parsed.root)
    status = envelope.find("Status") or envelope.find("edXMLHeader", "Status")
    if status is not None:
        return _status(status, parsed.signed)
    header = envelope.find("edXMLHeader")
    if header is None:
        raise Refused("Thiếu phần tử <edXMLHeader> (trong <edXMLEnvelope>).")
    return _document(parsed.root, header, parsed)


def read_package(source: BinaryIO, limits: Limits | None = None) -> tuple[object, Parsed]:
    """The package read from ``source`` and its parsed parts (the caller closes them), or
    ``Refused`` with the reason."""
    parsed = parse_stream(source, limits or Limits())
    try:
        return interpret(parsed), parsed
    except BaseException:
        parsed.close()
        raise
