"""Status packages answering a document taken in from the e-office: 03 when the office takes
it in, 04 when its tasks are assigned, 05 when the first progress report arrives, 06 when all
its tasks are done; each written once, in that order, with the ``edXML:`` prefixes the national
validator requires, and queued for delivery (``outbox.py``)."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from lxml import etree
from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from app.core.timeutil import local_now
from app.edxml.bounds import NS
from app.models import Document, ProgressReport, Task
from app.models.documents import TaskState
from app.models.edxml import STATUS_LABELS, IntakeEntry, StatusMessage

E = f"{{{NS}}}"
DESCRIPTIONS = {
    "03": "Văn bản đã được tiếp nhận vào hệ thống theo dõi nhiệm vụ.",
    "04": "Văn bản đã được phân công cho các đơn vị thực hiện.",
    "05": "Đơn vị đã báo cáo tiến độ thực hiện.",
    "06": "Các nhiệm vụ của văn bản đã hoàn thành.",
}


def _sub(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, E + name)
    if text:
        element.text = text
    return element


def status_xml(entry: IntakeEntry, code: str, when: dt.datetime, staff: str = "") -> bytes:
    """The status package ``code`` answering ``entry``'s document."""
    config = current_app.config
    envelope = etree.Element(E + "edXMLEnvelope", nsmap={"edXML": NS})
    status = _sub(_sub(envelope, "edXMLHeader"), "Status")
    response = _sub(status, "ResponseFor")
    _sub(response, "OrganId", entry.sender_organ_id)
    _sub(response, "Code", entry.number)
    _sub(response, "PromulgationDate", entry.issued_on.strftime("%Y/%m/%d"))
    _sub(response, "DocumentId", entry.document_key)
    sender = _sub(status, "From")
    _sub(sender, "OrganId", config.get("EDXML_ORGAN_ID") or "")
    _sub(sender, "OrganName", config.get("EDXML_ORGAN_NAME") or "")
    _sub(sender, "OrganAdd", config.get("EDXML_ORGAN_ADDRESS") or "")
    _sub(status, "StatusCode", code)
    _sub(status, "Description", DESCRIPTIONS.get(code, STATUS_LABELS.get(code, "")))
    _sub(status, "Timestamp", when.strftime("%Y/%m/%d %H:%M:%S"))
    info = _sub(status, "StaffInfo")
    _sub(info, "Department", config.get("EDXML_ORGAN_NAME") or "")
    _sub(info, "Staff", staff)
    _sub(envelope, "edXMLBody")
    data = etree.tostring(envelope, xml_declaration=True, encoding="UTF-8")
    if config.get("EDXML_SIGN_CERT") and config.get("EDXML_SIGN_KEY"):
        from app.edxml.signature import sign

        data = sign(data, config["EDXML_SIGN_CERT"], config["EDXML_SIGN_KEY"])
    return data


def codes_due(session: Session, document: Document) -> list[str]:
    """The codes the document has earned so far, in order."""
    codes = ["03"]
    count = session.scalar(select(func.count(Task.id)).where(Task.document_id == document.id))
    if not count:
        return codes
    codes.append("04")
    reported = session.scalar(
        select(exists().where(ProgressReport.task_id == Task.id, Task.document_id == document.id))
    )
    if reported:
        codes.append("05")
    states = set(session.scalars(select(Task.state).where(Task.document_id == document.id)))
    if TaskState.DONE in states and states <= {TaskState.DONE, TaskState.CANCELLED}:
        codes.append("06")
    return codes


def queue_for(session: Session, entry: IntakeEntry, staff: str = "") -> list[str]:
    """Write the status packages ``entry``'s document has earned and not yet been sent."""
    if entry.document is None:
        return []
    sent = set(
        session.scalars(
            select(StatusMessage.code).where(StatusMessage.document_id == entry.document_id)
        )
    )
    added = []
    when = local_now()
    for code in codes_due(session, entry.document):
        if code in sent:
            continue
        session.add(
            StatusMessage(
                document_id=entry.document_id,
                code=code,
                response_for=entry.document_key,
                xml=status_xml(entry, code, when, staff).decode("utf-8"),
            )
        )
        session.flush()
        added.append(code)
    return added


def queue_due(session: Session, limit: int = 2000) -> int:
    """On the tick: the statuses earned since (progress reported, tasks done)."""
    entries = session.scalars(
        select(IntakeEntry)
        .where(
            IntakeEntry.state == "taken",
            IntakeEntry.document_id.is_not(None),
            ~exists().where(
                StatusMessage.document_id == IntakeEntry.document_id, StatusMessage.code == "06"
            ),
        )
        .order_by(IntakeEntry.id.desc())
        .limit(limit)
    )
    return sum(len(queue_for(session, entry)) for entry in entries)
