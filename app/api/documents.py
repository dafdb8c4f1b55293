"""The API's endpoint that creates a document with its tasks."""

from __future__ import annotations

from flask import jsonify
from flask_login import current_user

from app.api import schemas
from app.api.blueprint import bp
from app.api.common import ApiError, _parse
from app.api.serialize import document_model, dump, task_model
from app.core.deadlines import load_calendar, resolve_deadline, written_if_moved
from app.core.permissions import is_office
from app.core.timeutil import local_today
from app.documents import operations
from app.extensions import db
from app.models import Department
from app.models.documents import DeadlineKind
from app.units.reorganise import successor
from app.web.inputs import deadline_problem
from app.web.wiring import deny


def _living_on(day, unit: Department, field: str) -> None:
    """A document issued on ``day`` cannot name a unit an organisation change had ended."""
    if unit.ended_on is not None and unit.ended_on <= day:
        heir = successor(db.session, unit)
        instead = f": hãy giao cho “{heir.name}”" if heir is not None else ""
        raise ApiError(
            400,
            f"Đơn vị “{unit.name}” đã thôi hoạt động từ ngày {unit.ended_on:%d/%m/%Y}{instead}.",
            field,
        )


@bp.post("/documents")
def create_document():
    if not is_office(current_user):
        deny("api create document")
    body = _parse(schemas.NewDocument)
    calendar = load_calendar(db.session)
    rows = []
    for index, item in enumerate(body.tasks):
        if item.working_days:
            kind, on = DeadlineKind.WORKING_DAYS, None
        elif item.deadline is not None:
            kind, on = DeadlineKind.DATE, item.deadline
        else:
            kind, on = DeadlineKind.NONE, None
        deadline = resolve_deadline(calendar, kind, body.issued_on, on, item.working_days)
        problem = deadline_problem(deadline, body.issued_on)
        if problem:
            raise ApiError(400, problem, f"tasks[{index}].deadline")
        cooperators = [
            db.session.get(Department, i) for i in dict.fromkeys(item.cooperating_department_ids)
        ]
        lead = db.session.get(Department, item.lead_department_id)
        _living_on(body.issued_on, lead, f"tasks[{index}].lead_department_id")
        for unit in cooperators:
            _living_on(body.issued_on, unit, f"tasks[{index}].cooperating_department_ids")
        written = written_if_moved(on, deadline)
        planned = (item.content, lead, cooperators, kind, deadline, item.working_days, written)
        rows.append(operations.PlannedTask(*planned))
    try:
        document = operations.create_document(
            db.session,
            rows,
            current_user,
            issuer_id=body.issuer_id,
            number=body.number,
            issued_on=body.issued_on,
            kind=body.kind,
            summary=body.summary,
            signer=body.signer,
        )
    except operations.SameDocumentExists as same:
        raise ApiError(
            409,
            f"Đã có văn bản số {body.number} ngày {same.existing.issued_on:%d/%m/%Y} "
            "của cơ quan này.",
            "number",
        ) from None
    db.session.commit()
    today = local_today()
    created = schemas.CreatedDocument(
        **document_model(document).model_dump(),
        tasks=[task_model(t, today) for t in document.tasks],
    )
    return jsonify(dump(created)), 201
