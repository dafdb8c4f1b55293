"""The API's endpoint the e-office (or its connector) posts an edXML package to."""

from __future__ import annotations

from flask import current_app, jsonify, request
from flask_login import current_user

from app.api.blueprint import bp
from app.api.common import ApiError
from app.core.permissions import is_office
from app.edxml.bounds import Limits, Refused, mb
from app.edxml.intake import receive
from app.extensions import db
from app.web.wiring import deny


@bp.post("/edxml")
def receive_edxml():
    if not is_office(current_user):
        deny("api receive edxml")
    limit = Limits.from_config(current_app.config).package_bytes
    if (request.content_length or 0) > limit:
        raise ApiError(413, f"Gói tin lớn hơn {mb(limit)}.")
    data = request.stream.read(limit + 1)
    if not data:
        raise ApiError(400, "Thân yêu cầu rỗng: gửi gói tin edXML (application/xml).")
    try:
        received = receive(db.session, data, "api", current_user)
    except Refused as refusal:
        db.session.rollback()
        raise ApiError(422, str(refusal)) from None
    db.session.commit()
    entry = received.entry
    body = {
        "entry": entry.id,
        "new": received.new,
        "document_id": entry.document_key,
        "business_doc_type": entry.business_type,
        "state": entry.state,
        "signature": entry.signature,
    }
    return jsonify(body), 201 if received.new else 200


# A package is posted whole, attachments inside: its own limit, not the forms' upload one.
receive_edxml.body_limit = lambda config: Limits.from_config(config).package_bytes
