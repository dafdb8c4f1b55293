"""Finding a unit by what people type: its name or short name, else as the document reader
matches it (``app.units.matching``)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Department


def department_by_name(session: Session, name: str) -> Department | None:
    """A unit by its name or short name, accents and case aside; a current unit before one an
    organisation change ended."""
    from app.core.textnorm import fold

    everyone = list(session.scalars(select(Department).order_by(Department.ended_on.is_not(None))))
    for department in everyone:
        if fold(name) in (fold(department.name), fold(department.short_name)):
            return department
    from app.units.matching import UnitFinder

    return UnitFinder(everyone).whole(name)  # "Phòng LĐ-TB&XH", "Phòng Văn hóa và Thông tin" …
