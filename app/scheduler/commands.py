"""``flask scheduler run``: the application's clock, started from the shell."""

from __future__ import annotations

import datetime as dt

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli.params import DateTimeParam

scheduler = AppGroup("scheduler", help="Bộ lập lịch nhắc việc.")


@scheduler.command("run")
@click.option("--interval", default=60, show_default=True, help="Giây giữa hai lần kiểm tra.")
@click.option("--once", is_flag=True, help="Chạy một lần rồi thoát.")
@click.option("--now", type=DateTimeParam(), help="Giờ địa phương giả định (kiểm thử).")
def scheduler_run(interval: int, once: bool, now: dt.datetime | None) -> None:
    """Chạy bộ lập lịch (chỉ một tiến trình hoạt động, các tiến trình khác chờ)."""
    import logging

    from app.ops.config_check import refuse_to_start
    from app.scheduler.runner import run

    app = current_app._get_current_object()
    refuse_to_start(app)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # APScheduler says every run of the 2-second import poll: only its warnings matter.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    if not run(app, interval=interval, once=once, now=now):
        click.echo("Một bộ lập lịch khác đang chạy: không làm gì.")


COMMANDS = (scheduler,)
