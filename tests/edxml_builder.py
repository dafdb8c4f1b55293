"""Building edXML packages (QCVN 102:2016) as connectors write them, for the tests and the
bench: the namespace as a prefix (``edXML:``), as the default namespace, or left out;
AttachmentEncoded inside or beside the envelope; dates either way round; elements in any
order; signed with a test certificate or not."""

from __future__ import annotations

import base64
import io
import random
from dataclasses import dataclass, field

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def docx_bytes(text: str) -> bytes:
    from docx import Document as WordDocument

    document = WordDocument()
    for line in text.split("\n"):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@dataclass
class Attached:
    name: str
    data: bytes
    content_type: str = "application/pdf"
    manifest_type: str | None = None  # what the manifest says, when it differs


@dataclass
class Spec:
    organ_id: str = "000.00.00.H37"
    organ_name: str = "UBND tỉnh Lạng Sơn"
    to_id: str = "000.00.12.H37"
    to_name: str = "UBND thành phố Lạng Sơn"
    number: str = "1044"
    notation: str = "TB-UBND"
    date: str = "2024/11/05"
    type_name: str = "Thông báo"
    subject: str = "Kết luận của Chủ tịch UBND tỉnh về công tác quản lý đất đai"
    content: str = ""
    signer_position: str = "Chủ tịch"
    signer_name: str = "Hồ Tiến Thiệu"
    due_date: str = ""
    business: str = "0"
    reason: str = ""
    document_id: str | None = None  # None: built from the parts
    attachments: list[Attached] = field(default_factory=lambda: [Attached("vb.pdf", PDF)])


def _e(tag: str, text: str = "", children: list | None = None) -> tuple:
    return (tag, text, children or [])


def _header(spec: Spec) -> list:
    code = f"{spec.number}/{spec.notation}"
    document_id = spec.document_id
    if document_id is None:
        document_id = f"{spec.organ_id},{spec.date},{code}"
    organ = [_e("OrganId", spec.organ_id), _e("OrganName", spec.organ_name)]
    message = [
        _e("From", children=[*organ, _e("OrganizationInCharge", spec.organ_name)]),
        _e("To", children=[_e("OrganId", spec.to_id), _e("OrganName", spec.to_name)]),
        _e("Code", children=[_e("CodeNumber", spec.number), _e("CodeNotation", spec.notation)]),
        _e(
            "PromulgationInfo",
            children=[_e("Place", "Lạng Sơn"), _e("PromulgationDate", spec.date)],
        ),
        _e(
            "DocumentType",
            children=[_e("Type", "1"), _e("TypeDetail", "3"), _e("TypeName", spec.type_name)],
        ),
        _e("Subject", spec.subject),
        _e("Content", spec.content),
        _e(
            "SignerInfo",
            children=[
                _e("Competence", "TM. UBND"),
                _e("Position", spec.signer_position),
                _e("FullName", spec.signer_name),
            ],
        ),
        _e("DueDate", spec.due_date),
        _e("ToPlaces", children=[_e("Place", spec.to_name)]),
        _e("OtherInfo", children=[_e("Priority", "0"), _e("PageAmount", "2")]),
        _e("SteeringType", "1"),
        _e("DocumentId", document_id),
    ]
    business = [_e("BussinessDocType", spec.business), _e("BussinessDocReason", spec.reason)]
    trace = _e(
        "TraceHeaderList",
        children=[
            _e("TraceHeader", children=[*organ[:1], _e("Timestamp", spec.date + " 08:00:00")]),
            _e("Bussiness", children=[*business, _e("StaffInfo", children=[])]),
        ],
    )
    return [_e("MessageHeader", children=message), trace]


def _manifest(spec: Spec) -> tuple:
    references = []
    for i, item in enumerate(spec.attachments, 1):
        kind = item.manifest_type if item.manifest_type is not None else item.content_type
        references.append(
            _e(
                "Reference",
                children=[
                    _e("ContentId", f"cid:{i}"),
                    _e("ContentType", kind),
                    _e("AttachmentName", item.name),
                ],
            )
        )
    return _e("edXMLManifest", children=references)


def _attachments(spec: Spec) -> tuple:
    items = []
    for i, item in enumerate(spec.attachments, 1):
        encoded = base64.encodebytes(item.data).decode()
        items.append(
            _e(
                "Attachment",
                children=[
                    _e("ContentId", str(i)),
                    _e("AttachmentName", item.name),
                    _e("ContentType", item.content_type),
                    _e("ContentTransferEncoded", "base64"),
                    _e("Value", encoded),
                ],
            )
        )
    return _e("AttachmentEncoded", children=items)


def _write(node: tuple, prefix: str, out: list, shuffle: random.Random | None) -> None:
    tag, text, children = node
    name = f"{prefix}{tag}"
    if not children:
        out.append(f"<{name}>{_escape(text)}</{name}>" if text else f"<{name}/>")
        return
    out.append(f"<{name}>")
    ordered = list(children)
    if shuffle is not None:
        shuffle.shuffle(ordered)
    for child in ordered:
        _write(child, prefix, out, shuffle)
    out.append(f"</{name}>")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def build(
    spec: Spec | None = None,
    style: str = "prefix",
    outside: bool = False,
    shuffle: int | None = None,
) -> bytes:
    """A document package; ``style``: "prefix" (``edXML:``), "default" (xmlns=), "none"."""
    spec = spec or Spec()
    header = _e("edXMLHeader", children=_header(spec))
    body_children = [_manifest(spec)] + ([] if outside else [_attachments(spec)])
    envelope = _e("edXMLEnvelope", children=[header, _e("edXMLBody", children=body_children)])
    return _serialise([envelope, _attachments(spec)] if outside else [envelope], style, shuffle)


def _serialise(nodes: list, style: str, shuffle: int | None) -> bytes:
    prefix = "edXML:" if style == "prefix" else ""
    declaration = {
        "prefix": f' xmlns:edXML="{NS}"',
        "default": f' xmlns="{NS}"',
        "none": "",
    }[style]
    rng = random.Random(shuffle) if shuffle is not None else None
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n']
    for node in nodes:
        parts: list[str] = []
        _write(node, prefix, parts, rng)
        first = parts[0]
        parts[0] = first[:-1] + declaration + ">"
        out.extend(parts)
        out.append("\n")
    return "".join(out).encode("utf-8")
