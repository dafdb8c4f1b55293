"""What an organisation change checks before touching anything: its date, the units' names
and the length of what is typed; ``ReorganisationError`` says what is wrong, for the user."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Department, UnitChange, UnitChangePart

MAX_UNITS = 50  # units in one merger or split
NAME_LENGTH = 255
DECISION_LENGTH = 2000


class ReorganisationError(ValueError):
    """A change that cannot be saved; the message says why, for the user."""


def format_day(day: dt.date) -> str:
    return f"{day:%d/%m/%Y}"


def last_change_on(session: Session, unit: Department) -> dt.date | None:
    """The date of the latest change that involved the unit (a rename is a part of its change
    too, as the unit it renamed)."""
    return session.scalar(
        select(func.max(UnitChange.effective_on))
        .join(UnitChangePart, UnitChangePart.change_id == UnitChange.id)
        .where(UnitChangePart.department_id == unit.id)
    )


def check_date(session: Session, units: Sequence[Department], on: dt.date, today: dt.date):
    if on > today:
        raise ReorganisationError(
            f"Ngày hiệu lực {format_day(on)} sau hôm nay: "
            "thay đổi chỉ được nhập khi đã có hiệu lực."
        )
    for unit in units:
        if unit.ended_on is not None:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” đã thôi hoạt động từ ngày {format_day(unit.ended_on)}."
            )
        if unit.created_on is not None and on <= unit.created_on:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” được thành lập ngày {format_day(unit.created_on)}: "
                "thay đổi phải có hiệu lực sau ngày đó."
            )
        last = last_change_on(session, unit)
        if last is not None and on < last:
            raise ReorganisationError(
                f"Đơn vị “{unit.name}” đã có thay đổi ngày {format_day(last)}: "
                "các thay đổi của một đơn vị phải theo thứ tự ngày."
            )


def clean_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ReorganisationError("Tên đơn vị không được để trống.")
    if len(name) > NAME_LENGTH:
        raise ReorganisationError(f"Tên đơn vị dài quá {NAME_LENGTH} ký tự.")
    return name


def name_key(name: str) -> str:
    """A unit's name for comparing: spaces squeezed, case folded (Vietnamese letters too)."""
    return " ".join((name or "").split()).casefold()


def unit_named(session: Session, name: str) -> Department | None:
    """The unit (current or ended) bearing ``name`` today, case and spacing aside."""
    key = name_key(name)
    return next((d for d in session.scalars(select(Department)) if name_key(d.name) == key), None)


def check_free(session: Session, name: str, unit: Department | None = None) -> None:
    holder = unit_named(session, name)
    if holder is not None and holder is not unit:
        raise ReorganisationError(f"Tên “{name}” đã là tên của một đơn vị khác.")
