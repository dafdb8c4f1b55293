"""``--office CODE`` on every command: the command works within that office (every query and
every new row, ``app.core.office_scope``); without it, within the installation's only office.
Added here to every command the features declare, so that no command forgets it."""

from __future__ import annotations

import functools

import click
from flask import current_app
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from app.core.office_scope import OfficeScopeError, all_offices, use_office

# Commands of the whole installation: they choose offices themselves (or need none).
INSTALLATION_COMMANDS = frozenset({"seed-demo", "offices", "scheduler", "backup", "restore"})

OFFICE_HELP = "Mã cơ quan theo dõi (xem: flask offices list); bỏ trống khi chỉ có một cơ quan."
SEVERAL_OFFICES = (
    "Cài đặt này có nhiều cơ quan theo dõi: chọn một bằng --office MÃ (xem: flask offices list)."
)


def office_id_of(code: str) -> int:
    from app.extensions import db
    from app.models import Office

    with all_offices():
        office_id = db.session.scalar(
            select(Office.id).where(func.lower(Office.code) == code.strip().lower())
        )
    if office_id is None:
        raise click.BadParameter(
            f"không có cơ quan mã “{code}” (xem: flask offices list)", param_hint="--office"
        )
    return office_id


def with_office(command: click.Command) -> None:
    """Give ``command`` (a leaf) the ``--office`` option, once."""
    if any(p.name == "office" for p in command.params):
        return
    callback = command.callback
    command.params.append(click.Option(["--office"], metavar="MÃ", help=OFFICE_HELP))

    @functools.wraps(callback)
    def within_office(*args, office: str | None = None, **kwargs):
        if current_app:
            return _run_within(callback, office, args, kwargs)
        app = click.get_current_context().ensure_object(ScriptInfo).load_app()
        with app.app_context():
            return _run_within(callback, office, args, kwargs)

    command.callback = within_office


def _run_within(callback, office: str | None, args, kwargs):
    try:
        if office is None:
            return callback(*args, **kwargs)
        with use_office(office_id_of(office)):
            return callback(*args, **kwargs)
    except OfficeScopeError as error:
        raise click.UsageError(SEVERAL_OFFICES) from error


def add_office_option(command: click.Command, path: tuple[str, ...] = ()) -> None:
    """Every leaf under ``command`` but the installation's own."""
    if command.name in INSTALLATION_COMMANDS and not path:
        return
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_office_option(sub, (*path, command.name))
        return
    with_office(command)
