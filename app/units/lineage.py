"""The changes recorded, as the history prints them, and which living unit carries an ended
unit's work."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import Department, UnitChange, UnitChangePart
from app.models.units import ChangeKind
from app.units.checks import format_day


def history(session: Session, unit: Department | None = None) -> list[UnitChange]:
    """Changes in date order (of one unit, or all), with their parts."""
    query = (
        select(UnitChange)
        .options(selectinload(UnitChange.parts).selectinload(UnitChangePart.department))
        .order_by(UnitChange.effective_on, UnitChange.id)
    )
    if unit is not None:
        query = query.where(
            UnitChange.id.in_(
                select(UnitChangePart.change_id).where(UnitChangePart.department_id == unit.id)
            )
        )
    return list(session.scalars(query))


def describe(change: UnitChange) -> str:
    """One line, as the history prints it."""
    names = ", ".join(d.name for d in change.units("from"))
    targets = ", ".join(d.name for d in change.units("to"))
    if change.kind == ChangeKind.RENAME:
        text = f"Đổi tên “{change.old_name}” thành “{change.new_name}”"
    elif change.kind == ChangeKind.MERGE:
        text = f"Hợp nhất {names} vào {targets}"
    elif change.kind == ChangeKind.SPLIT:
        text = f"Chia tách {names} thành {targets}"
    else:
        text = f"Giải thể {names}"
    text = f"{format_day(change.effective_on)}: {text}"
    if change.decision:
        text += f" (căn cứ: {change.decision})"
    return text


def merger_of(session: Session, unit: Department) -> UnitChange | None:
    """The merger that ended ``unit`` (None while it lives, or when a split or dissolution
    ended it: then no single unit took its work over)."""
    if unit.ended_on is None:
        return None
    change = session.scalar(
        select(UnitChange)
        .join(UnitChangePart, UnitChangePart.change_id == UnitChange.id)
        .where(UnitChangePart.department_id == unit.id, UnitChangePart.role == "from")
        .order_by(UnitChange.id.desc())
        .limit(1)
    )
    if change is None or change.kind != ChangeKind.MERGE:
        return None
    return change


def successor(session: Session, unit: Department) -> Department | None:
    """The living unit that carries ``unit``'s work (following mergers), else None."""
    seen = set()
    while unit.ended_on is not None and unit.id not in seen:
        seen.add(unit.id)
        change = merger_of(session, unit)
        if change is None:
            return None
        unit = change.units("to")[0]
    return unit
