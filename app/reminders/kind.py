"""What a reminder kind is: the shape of each declaration in ``kinds``, and the occasion on which
one is decided.

The modules that decide (``ways``, ``audience``, ``record``, ``compose``) are handed a kind's
declaration; only ``kinds`` and the modules above it look one up.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar
from app.core.timeutil import LOCAL_TZ
from app.models.reminders import ReminderKind


@dataclass(frozen=True)
class Kind:
    """One kind of reminder, declared once in ``kinds``."""

    value: ReminderKind  # what the tables store (reminders, schedules, preferences, runs)
    label: str  # N_(): its name on the admin's pages and on the unsubscribe page
    decide: Callable[[Occasion], int]  # the way it is decided (``ways``): the mails written
    select: Callable[[Occasion], Any]  # what it tells about, as of the occasion
    # Who receives it (``audience``): for a way that mails per unit, a function giving a unit's
    # recipients; else the list of recipients.
    audience: Callable[[Occasion], Any]
    template: str  # templates/reminders/<template>.txt and .html
    cron: str  # when it is decided unless an admin changed it (Asia/Ho_Chi_Minh, working days)
    params: Mapping[str, int] = field(default_factory=dict)  # defaults, editable by admins
    optional: bool = False  # a recipient may opt out (unless an admin made it mandatory)
    # The roles it may be addressed to: the kinds a user chooses among on their account page.
    roles: tuple[str, ...] = ()
    deputies: bool = False  # an absent unit head's deputy receives it instead of them
    subject: str = ""  # deadline notices: the subject, of {n} tasks ({days}: days late)
    intro: Callable[[str, int], str] | None = None  # deadline notices: opening words, per role


@dataclass
class Occasion:
    """One decision of one kind: a scheduled time come (``fire``), or an admin's request."""

    session: Session
    kind: Kind
    today: dt.date
    fire: dt.datetime | None = None  # the nominal scheduled time (naive local)
    calendar: WorkCalendar | None = None
    params: Mapping[str, Any] = field(default_factory=dict)  # the schedule's, defaults included
    department_ids: list[int] | None = None  # only these units (an admin's "send now")

    def param(self, name: str) -> int:
        return int(self.params.get(name, self.kind.params[name]))

    @property
    def fire_utc(self) -> dt.datetime:
        """The scheduled time as the naive UTC time the tables hold."""
        return self.fire.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)
