from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class CalendarDay(db.Model):
    """A day whose working status the government changed for the year.

    ``is_working_day`` False: a compensatory day off (ngày nghỉ bù / hoán đổi);
    True: a make-up working day on a weekend (ngày làm bù). Anything not listed
    follows the weekend and the public holidays of the ``holidays`` package.
    """

    __tablename__ = "calendar_days"

    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    is_working_day: Mapped[bool]
    note: Mapped[str] = mapped_column(String(255), default="")
