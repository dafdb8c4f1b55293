"""``flask`` commands: everything the office does by hand can be done from the shell.

Each feature keeps its commands in its ``commands`` module, listed in ``COMMANDS`` there; the
shared parameter types are in ``app.cli.params``; every command takes ``--office``
(``app.cli.office_option``).
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

# The modules whose COMMANDS (click groups and commands) ``flask`` offers.
COMMAND_MODULES = (
    "app.auth.commands",  # users
    "app.units.commands",  # units
    "app.ops.commands",  # check-config, backup, restore
    "app.importing.commands",  # import-tasks, import-template
    "app.dev.commands",  # seed-demo, bench
    "app.archive.commands",  # archive
    "app.documents.commands",  # documents
    "app.recurring.commands",  # series
    "app.reports.commands",  # report
    "app.admin.commands",  # calendar
    "app.scheduler.commands",  # scheduler
    "app.reminders.commands",  # reminders
    "app.edxml.commands",  # edxml
    "app.offices.commands",  # offices
)


def register_commands(app: Flask) -> None:
    from app.cli.office_option import add_office_option

    for name in COMMAND_MODULES:
        for command in import_module(name).COMMANDS:
            add_office_option(command)
            app.cli.add_command(command)
