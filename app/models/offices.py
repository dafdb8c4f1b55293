"""Offices (cơ quan theo dõi): the People's Committee offices that follow up tasks, each with
its own units, users, documents, tasks, issuers, settings, schedules and reports, in one
installation. The working-day calendar is shared.

Two levels: an office may stand, in the office above it, for one of that office's units (a
commune's People's Committee is a unit the province gives tasks to). ``parent_id`` is the
office above; ``parent_unit_id`` the unit that stands for this office there.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import JSON, Date, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.core.i18n import N_
from app.core.office_scope import bind_models, current_office_id
from app.core.timeutil import utcnow
from app.extensions import db


class OfficeLevel(enum.StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"
    DISTRICT = "district"  # before 1 July 2025: a district or provincial city

    @property
    def label(self) -> str:
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    OfficeLevel.PROVINCE: N_("Cấp tỉnh"),
    OfficeLevel.COMMUNE: N_("Cấp xã"),
    OfficeLevel.DISTRICT: N_("Cấp huyện (trước 01/7/2025)"),
}


class Office(db.Model):
    """One office following up tasks (Văn phòng UBND tỉnh, Văn phòng HĐND và UBND xã …)."""

    __tablename__ = "offices"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(16), default=OfficeLevel.COMMUNE)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id"), index=True)
    parent_unit_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id", use_alter=True, name="fk_offices_parent_unit_id_departments"),
        index=True,
    )
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    # The first day the office no longer exists (its open tasks handed to its successors).
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    # The office's settings (``app.core.settings.OfficeSettings``), by name; absent: default.
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    parent: Mapped[Office | None] = relationship(remote_side=[id])

    @property
    def level_label(self) -> str:
        return OfficeLevel(self.level).label

    def exists_on(self, day: dt.date) -> bool:
        return (self.created_on is None or self.created_on <= day) and (
            self.ended_on is None or day < self.ended_on
        )

    def __repr__(self) -> str:
        return f"<Office {self.code!r}>"


class OfficeScoped:
    """A table whose rows belong to one office (``app.core.office_scope`` filters them)."""

    @declared_attr
    def office_id(cls) -> Mapped[int]:  # noqa: N805  (declared_attr)
        return mapped_column(
            ForeignKey("offices.id"), index=True, default=current_office_id, nullable=False
        )


bind_models(OfficeScoped, Office)
