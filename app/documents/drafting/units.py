"""The units a document names: the ways a document writes a unit's name, finding them in a
sentence, and the units a document of a given day can name."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department
from app.units.matching import Mention, UnitFinder, unit_aliases

__all__ = ["Mention", "UnitFinder", "unit_aliases", "units_for"]


def units_for(session: Session, issued_on: dt.date | None):
    """The units a document issued on ``issued_on`` can name: those that existed that day (the
    active ones when the date is unknown), and the units a merger had ended by then, standing
    for their successor."""
    from app.units.reorganise import successor

    everyone = list(session.scalars(select(Department).order_by(Department.id)))
    if issued_on is None:
        return [d for d in everyone if d.is_active], []
    # (a unit switched off by hand, not by a change, is not offered)
    living = [d for d in everyone if d.exists_on(issued_on) and (d.is_active or d.ended_on)]
    carried = []
    for unit in everyone:
        if unit.ended_on is not None and unit.ended_on <= issued_on:
            heir = successor(session, unit)
            if heir is not None:
                carried.append((unit, heir))
    return living, carried
