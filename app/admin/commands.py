"""``flask calendar …``: the working-day calendar (days off and make-up days) from the shell."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from app.cli.params import DATE
from app.core.deadlines import load_calendar
from app.extensions import db
from app.models import CalendarDay

calendar = AppGroup("calendar", help="Ngày nghỉ bù, ngày làm bù và ngày làm việc.")


@calendar.command("set")
@click.argument("day", type=DATE)
@click.option(
    "--working/--day-off",
    default=False,
    help="--working: ngày làm bù; --day-off: ngày nghỉ bù (mặc định).",
)
@click.option("--note", default="")
def calendar_set(day: dt.date, working: bool, note: str) -> None:
    """Ghi một ngày nghỉ bù hoặc làm bù do Chính phủ công bố."""
    entry = db.session.get(CalendarDay, day) or CalendarDay(day=day)
    entry.is_working_day, entry.note = working, note
    db.session.add(entry)
    db.session.commit()
    click.echo(f"{day:%d/%m/%Y}: {'ngày làm việc' if working else 'ngày nghỉ'}")


@calendar.command("add-days")
@click.argument("start", type=DATE)
@click.argument("count", type=int)
def calendar_add_days(start: dt.date, count: int) -> None:
    """Tính thời hạn COUNT ngày làm việc kể từ ngày START."""
    result = load_calendar(db.session).add_working_days(start, count)
    click.echo(f"{result:%d/%m/%Y}")


COMMANDS = (calendar,)
