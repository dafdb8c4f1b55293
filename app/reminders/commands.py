"""``flask reminders preview|send-due|retry-failed``: the reminder mails from the shell."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup

from app.cli.params import DATE, DateTimeParam
from app.core.timeutil import local_today
from app.extensions import db

reminders = AppGroup("reminders", help="Thư nhắc việc.")


@reminders.command("preview")
@click.option("--kind", type=click.Choice(["digest"]), default="digest")
@click.option("--department", required=True, help="Tên hoặc tên viết tắt của đơn vị.")
@click.option("--as-of", "as_of", type=DATE, help="Ngày (mặc định: hôm nay).")
def reminders_preview(kind: str, department: str, as_of: dt.date | None) -> None:
    """In thư tổng hợp của một đơn vị như người nhận sẽ đọc."""
    from app.reminders.compose import digest_mail
    from app.reminders.selection import digests
    from app.units.lookup import department_by_name

    found = department_by_name(db.session, department)
    if found is None:
        raise click.BadParameter(f"không có đơn vị “{department}”", param_hint="--department")
    found_digests = digests(db.session, as_of or local_today(), [found.id])
    if not found_digests:  # a unit no longer active (merged, dissolved) gets no digest
        click.echo(f"{found.name} không còn hoạt động: không có thư tổng hợp.")
        return
    digest = found_digests[0]
    if digest.is_empty:
        click.echo(f"{found.name} không có việc chậm, sắp đến hạn hay chưa báo cáo: không gửi thư.")
        return
    mail = digest_mail(digest, "Trưởng đơn vị", None)
    click.echo(f"Tiêu đề: {mail.subject}\n")
    click.echo(mail.text)


@reminders.command("send-due")
@click.option("--now", type=DateTimeParam(), help="Giờ địa phương giả định (kiểm thử).")
def reminders_send_due(now: dt.datetime | None) -> None:
    """Một lượt: quyết định thư đến hạn rồi gửi (dùng với cron)."""
    from app.scheduler.runner import tick_by_office

    given = tick_by_office(now)  # the whole tick, as the scheduler runs it
    for code, jobs in given.items():
        result = jobs["reminders"]
        decided = sum(result["decided"].values())
        office = f"{code}: " if len(given) > 1 else ""
        click.echo(
            f"{office}Thư mới: {decided}; đã gửi: {result['sent']['sent']}, "
            f"thử lại sau: {result['sent']['retry']}, lỗi: {result['sent']['failed']}"
        )


@reminders.command("retry-failed")
def reminders_retry_failed() -> None:
    """Đưa các thư gửi lỗi trở lại hàng gửi (bộ lập lịch sẽ gửi lại)."""
    from app.reminders.delivery import retry_failed

    count = retry_failed(db.session)
    db.session.commit()
    click.echo(f"Đã đưa {count} thư gửi lỗi trở lại hàng gửi.")


COMMANDS = (reminders,)
