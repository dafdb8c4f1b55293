"""``flask series preview``: the next deadlines a recurring phrase gives."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from app.cli.params import DATE
from app.core.deadlines import load_calendar
from app.core.timeutil import local_today
from app.extensions import db

series = AppGroup("series", help="Nhiệm vụ định kỳ.")


@series.command("preview")
@click.argument("phrase")
@click.option("--from", "start", type=DATE, help="Từ ngày (mặc định: hôm nay).")
@click.option("--count", default=6, show_default=True, type=click.IntRange(1, 120))
def series_preview(phrase: str, start: dt.date | None, count: int) -> None:
    """In các thời hạn tiếp theo của một cách ghi định kỳ (dd/mm/yyyy, mỗi dòng một)."""
    from app.recurring.recurrence import PhraseError, occurrences, parse_phrase

    try:
        rule = parse_phrase(phrase)
    except PhraseError as error:
        raise click.ClickException(str(error)) from None
    for occurrence in occurrences(rule, start or local_today(), count, load_calendar(db.session)):
        click.echo(f"{occurrence.deadline:%d/%m/%Y}")


COMMANDS = (series,)
