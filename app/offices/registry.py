"""The installation's offices: listed with what each follows up, created by an installation
administrator."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.office_scope import all_offices, forget_only_office
from app.models import Department, Office, Task
from app.models.documents import OPEN_STATES
from app.models.offices import OfficeLevel

CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$")


@dataclass(frozen=True)
class OfficeLine:
    office: Office
    above: Office | None
    open_tasks: int


def office_lines(session: Session) -> list[OfficeLine]:
    """Every office, the province's first, then by code: its open tasks as of now."""
    with all_offices():
        offices = session.scalars(
            select(Office).order_by(Office.parent_id.is_not(None), Office.code)
        ).all()
        counts = dict(
            session.execute(
                select(Task.office_id, func.count())
                .where(Task.state.in_(OPEN_STATES))
                .group_by(Task.office_id)
            ).all()
        )
    by_id = {o.id: o for o in offices}
    return [OfficeLine(o, by_id.get(o.parent_id), counts.get(o.id, 0)) for o in offices]


class OfficeError(ValueError):
    pass


def create_office(
    session: Session,
    code: str,
    name: str,
    level: str,
    parent: Office | None = None,
    parent_unit: Department | None = None,
    created_on: dt.date | None = None,
) -> Office:
    """A new office (flush only). ``parent_unit``: the unit of ``parent`` it stands for."""
    code, name = code.strip(), " ".join(name.split())
    if not CODE.match(code):
        raise OfficeError("Mã cơ quan gồm chữ không dấu, chữ số, dấu chấm, gạch (tối đa 32 ký tự).")
    if not name or len(name) > 255:
        raise OfficeError("Tên cơ quan không được trống và tối đa 255 ký tự.")
    if level not in set(OfficeLevel):
        raise OfficeError("Cấp của cơ quan không hợp lệ.")
    with all_offices():
        taken = session.scalar(select(Office.id).where(func.lower(Office.code) == code.lower()))
    if taken is not None:
        raise OfficeError(f"Mã cơ quan “{code}” đã có.")
    if parent_unit is not None and (parent is None or parent_unit.office_id != parent.id):
        raise OfficeError("Đơn vị đại diện phải là đơn vị của cơ quan cấp trên.")
    office = Office(
        code=code,
        name=name,
        level=level,
        parent_id=parent.id if parent else None,
        parent_unit_id=parent_unit.id if parent_unit else None,
        created_on=created_on,
        settings={},
    )
    session.add(office)
    session.flush()
    forget_only_office()
    return office


def office_for_unit(session: Session, unit_id: int) -> Office | None:
    """The office a unit stands for in the office above (a commune's People's Committee)."""
    with all_offices():
        return session.scalar(select(Office).where(Office.parent_unit_id == unit_id))
