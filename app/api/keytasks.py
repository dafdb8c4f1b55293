"""The API's endpoints on key task groups, their evaluations and the units' grades, with the
web's permissions: only the office records; a department reads the groups holding its tasks
and its own unit's grades."""

from __future__ import annotations

import datetime as dt

from flask import jsonify, request
from flask_login import current_user
from sqlalchemy import select

from app.api import schemas
from app.api.blueprint import bp
from app.api.common import ApiError, _date, _parse
from app.api.serialize import department_ref, dump
from app.core.permissions import sees_everything, visible_tasks
from app.core.timeutil import local_today
from app.extensions import db
from app.keytasks.access import can_view_group, can_view_unit, may_keep, visible_groups
from app.keytasks.evaluations import (
    Decision,
    EvaluationError,
    Subject,
    evaluation_on,
    history,
    record,
)
from app.keytasks.grades import Figures, load_grades, load_rules, propose
from app.keytasks.groups import (
    GroupError,
    GroupValues,
    group_progress,
    member_ids,
    save_group,
    set_tasks,
    unit_figures,
)
from app.keytasks.sentence import build_section, period_of
from app.models import Department, Evaluation, KeyTaskGroup, Task
from app.reports.statistics import PeriodError, UnitStatistics, build_statistics
from app.web.forms import YEARS
from app.web.inputs import positive_int
from app.web.wiring import deny

MAX_GROUPS = 500


def _share(value) -> float | None:
    return float(value) if value is not None else None


def figures_model(figures: Figures) -> schemas.Figures:
    return schemas.Figures(
        total=figures.total,
        done_on_time=figures.done_on_time,
        done_late=figures.done_late,
        done_no_deadline=figures.done_no_deadline,
        in_time=figures.in_time,
        overdue=figures.overdue,
        on_time_share=_share(figures.on_time_share),
        done_late_share=_share(figures.done_late_share),
        overdue_share=_share(figures.overdue_share),
        update_rate=_share(figures.update_rate),
    )


def evaluation_model(row: Evaluation | None) -> schemas.Evaluation | None:
    if row is None:
        return None
    return schemas.Evaluation(
        id=row.id,
        grade=row.grade,
        effective_on=row.effective_on,
        decided_by=row.decided_by,
        note=row.note,
        reason=row.reason,
        revises_id=row.revises_id,
        proposal=row.proposal,
        recorded_by=row.recorded_by.full_name if row.recorded_by else None,
        recorded_at=row.recorded_at.replace(tzinfo=dt.UTC),
    )


def group_model(group: KeyTaskGroup, as_of: dt.date, detail: bool = False):
    figures = group_progress(db.session, group.id, as_of).figures
    subject = Subject.of_group(group)
    values = {
        "id": group.id,
        "name": group.name,
        "issuer": schemas.IssuerRef(id=group.issuer.id, name=group.issuer.name),
        "period_from": group.period_from,
        "period_to": group.period_to,
        "given_on": group.given_on,
        "note": group.note,
        "as_of": as_of,
        "figures": figures_model(figures),
        "proposal": propose(figures, load_rules(db.session, "group"), load_grades(db.session)),
        "evaluation": evaluation_model(evaluation_on(db.session, subject, as_of)),
    }
    if not detail:
        return schemas.KeyTaskGroup(**values)
    ids = member_ids(db.session, group.id)
    visible = db.session.scalars(
        select(Task.id).where(Task.id.in_(ids), visible_tasks(current_user)).order_by(Task.id)
    ).all()
    evaluations = [evaluation_model(e) for e in history(db.session, subject)]
    return schemas.KeyTaskGroupDetail(**values, task_ids=visible, evaluations=evaluations)


def _as_of() -> dt.date:
    value = request.args.get("as_of")
    return _date(value, "as_of") if value else local_today()


def _load_group(group_id: int) -> KeyTaskGroup:
    group = db.session.get(KeyTaskGroup, group_id)
    if group is None:
        raise ApiError(404, "Không có nhóm nhiệm vụ này.")
    if not can_view_group(db.session, current_user, group):
        deny(f"api key task group {group_id}")
    return group


def _year() -> int | None:
    if not request.args.get("year"):
        return None
    year = positive_int(request.args["year"], YEARS.stop - 1)
    if year is None or year not in YEARS:
        raise ApiError(400, f"Năm phải từ {YEARS.start} đến {YEARS.stop - 1}.", "year")
    return year


@bp.get("/key-task-groups")
def list_key_task_groups():
    """The groups the caller may read, with their figures and grade as of ``as_of``."""
    as_of, year = _as_of(), _year()
    query = select(KeyTaskGroup).where(visible_groups(current_user))
    if year:
        query = query.where(
            KeyTaskGroup.period_from <= dt.date(year, 12, 31),
            KeyTaskGroup.period_to >= dt.date(year, 1, 1),
        )
    groups = db.session.scalars(query.order_by(KeyTaskGroup.id).limit(MAX_GROUPS))
    items = [group_model(g, as_of) for g in groups]
    return jsonify(dump(schemas.KeyTaskGroupList(items=items)))


@bp.get("/key-task-groups/<int:group_id>")
def get_key_task_group(group_id: int):
    return jsonify(dump(group_model(_load_group(group_id), _as_of(), detail=True)))


@bp.post("/key-task-groups")
def post_key_task_group():
    if not may_keep(current_user):
        deny("api create key task group")
    group = _save_group(None)
    return jsonify(dump(group_model(group, local_today(), detail=True))), 201


@bp.put("/key-task-groups/<int:group_id>")
def put_key_task_group(group_id: int):
    """Replace a group's fields and tasks (the whole body, as on creation)."""
    group = _load_group(group_id)
    if not may_keep(current_user):
        deny(f"api change key task group {group_id}")
    group = _save_group(group)
    return jsonify(dump(group_model(group, local_today(), detail=True)))


def _save_group(group: KeyTaskGroup | None) -> KeyTaskGroup:
    body = _parse(schemas.NewKeyTaskGroup)
    values = GroupValues(
        body.name,
        body.issuer_id,
        body.period_from,
        body.period_to,
        body.given_on,
        body.note,
        body.display_order,
    )
    try:
        group = save_group(db.session, values, group)
        set_tasks(db.session, group, body.task_ids)
    except GroupError as error:
        db.session.rollback()
        raise ApiError(400, str(error)) from None
    db.session.commit()
    return group


def _decision(body) -> Decision:
    return Decision(body.grade, body.effective_on, body.note, body.decided_by, body.reason)


def _record(subject: Subject, body, proposal: str, figures: Figures) -> None:
    try:
        record(db.session, subject, _decision(body), local_today(), current_user, proposal, figures)
    except EvaluationError as error:
        db.session.rollback()
        raise ApiError(400, str(error)) from None
    db.session.commit()


@bp.post("/key-task-groups/<int:group_id>/evaluations")
def post_group_evaluation(group_id: int):
    group = _load_group(group_id)
    if not may_keep(current_user):
        deny(f"api evaluate key task group {group_id}")
    body = _parse(schemas.NewEvaluation)
    figures = group_progress(db.session, group.id, body.effective_on).figures
    proposal = propose(figures, load_rules(db.session, "group"), load_grades(db.session))
    _record(Subject.of_group(group), body, proposal, figures)
    return jsonify(dump(group_model(group, body.effective_on, detail=True))), 201


@bp.get("/key-tasks/section")
def key_task_section():
    """The report's key-task section for a year or a period, as of a date (as the report page:
    the office, admins and leaders)."""
    if not sees_everything(current_user):
        deny("api key task section")
    args = request.args
    period_from = _date(args["from"], "from") if args.get("from") else None
    period_to = _date(args["to"], "to") if args.get("to") else None
    try:
        period_from, period_to, label = period_of(_year(), period_from, period_to)
    except ValueError as error:
        raise ApiError(400, str(error), "year") from None
    as_of = _as_of()
    section = build_section(db.session, period_from, period_to, as_of, label)
    groups = [group_model(line.group, as_of) for line in section.lines]
    model = schemas.KeyTaskSection(
        period_from=period_from, period_to=period_to, as_of=as_of, text=section.text, groups=groups
    )
    return jsonify(dump(model))


def _unit(department_id: int, period_from: dt.date, period_to: dt.date, as_of: dt.date):
    try:
        stats = build_statistics(db.session, period_from, period_to, as_of)
    except PeriodError as error:
        raise ApiError(400, str(error), "as_of") from None
    row = next((r for r in stats.rows if r.department.id == department_id), None)
    figures = unit_figures(row or UnitStatistics(None))
    proposal = propose(figures, load_rules(db.session, "unit"), load_grades(db.session))
    return figures, proposal


def unit_model(department: Department, period_from, period_to, as_of):
    figures, proposal = _unit(department.id, period_from, period_to, as_of)
    subject = Subject(period_from, period_to, department_id=department.id)
    return schemas.UnitEvaluation(
        department=department_ref(department),
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        figures=figures_model(figures),
        proposal=proposal,
        evaluation=evaluation_model(evaluation_on(db.session, subject, as_of)),
        evaluations=[evaluation_model(e) for e in history(db.session, subject)],
    )


@bp.get("/unit-evaluations")
def get_unit_evaluation():
    """A unit's proposed and recorded grades for a period (a department: its own only)."""
    args = request.args
    for name in ("department", "from", "to"):
        if not args.get(name):
            raise ApiError(400, "Trường này là bắt buộc.", name)
    department = db.session.get(Department, positive_int(args["department"]) or 0)
    if department is None:
        raise ApiError(404, "Không có đơn vị này.")
    if not can_view_unit(current_user, department.id):
        deny(f"api unit evaluation {department.id}")
    period_from, period_to = _date(args["from"], "from"), _date(args["to"], "to")
    as_of = _date(args["as_of"], "as_of") if args.get("as_of") else min(period_to, local_today())
    return jsonify(dump(unit_model(department, period_from, period_to, as_of)))


@bp.post("/unit-evaluations")
def post_unit_evaluation():
    if not may_keep(current_user):
        deny("api evaluate unit")
    body = _parse(schemas.NewUnitEvaluation)
    department = db.session.get(Department, body.department_id)
    day = max(body.effective_on, body.period_from)
    figures, proposal = _unit(department.id, body.period_from, body.period_to, day)
    subject = Subject(body.period_from, body.period_to, department_id=department.id)
    _record(subject, body, proposal, figures)
    model = unit_model(department, body.period_from, body.period_to, body.effective_on)
    return jsonify(dump(model)), 201
