"""The offices that may take an ended office's work and their units on a day, and a first
proposal of where each task goes (``app.offices.handover``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.core.office_scope import all_offices
from app.models import Department, Office, Task
from app.units.checks import name_key


@dataclass(frozen=True)
class Place:
    """Where a task goes: the successor office and the unit of it that leads the task."""

    office: Office
    unit: Department


def successor_offices(session: Session, office: Office, day: dt.date) -> list[Office]:
    """The offices that may take the work of ``office`` ending on ``day``: every other office
    existing that day, the ones above first, then by code."""
    with all_offices():
        offices = session.scalars(
            select(Office)
            .where(
                Office.id != office.id,
                or_(Office.created_on.is_(None), Office.created_on <= day),
                or_(Office.ended_on.is_(None), Office.ended_on > day),
            )
            .order_by(Office.parent_id.is_not(None), Office.code)
        ).all()
    return list(offices)


def units_on(session: Session, offices: Iterable[Office], day: dt.date) -> dict[int, list]:
    """Each office's units existing (and in use) on ``day``, in their order: office id →
    units."""
    ids = [o.id for o in offices]
    found: dict[int, list[Department]] = {i: [] for i in ids}
    if not ids:
        return found
    with all_offices():
        units = session.scalars(
            select(Department)
            .where(
                Department.office_id.in_(ids),
                Department.is_active.is_(True),
                or_(Department.created_on.is_(None), Department.created_on <= day),
                or_(Department.ended_on.is_(None), Department.ended_on > day),
            )
            .order_by(Department.display_order, Department.name)
        ).all()
    for unit in units:
        found[unit.office_id].append(unit)
    return found


def proposed_places(
    tasks: Iterable[Task], offices: Iterable[Office], units: Mapping[int, list]
) -> dict[int, Place]:
    """A first proposal: a task goes to the one successor unit bearing its lead unit's name
    (case and spacing aside); none when no successor or several have such a unit."""
    by_name: dict[str, list[Place]] = {}
    for office in offices:
        for unit in units.get(office.id, []):
            by_name.setdefault(name_key(unit.name), []).append(Place(office, unit))
    proposed = {}
    for task in tasks:
        matches = by_name.get(name_key(task.lead_department.name), [])
        if len(matches) == 1:
            proposed[task.id] = matches[0]
    return proposed
