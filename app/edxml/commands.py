"""``flask edxml``: read a package without storing it, take packages into the office's queue,
and list the status packages sent back."""

from __future__ import annotations

import json
import sys

import click
from flask import current_app
from flask.cli import AppGroup

edxml = AppGroup("edxml", help="Văn bản điện tử edXML (QCVN 102:2016) từ hệ thống quản lý văn bản.")


@edxml.command("read")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
def edxml_read(path: str) -> None:
    """In những gì đọc được từ một gói tin edXML dạng JSON; không lưu gì. Gói tin bị từ chối:
    in {"refused": lý do} và thoát với mã 1."""
    from app.edxml.bounds import Limits, Refused
    from app.edxml.package import read_package

    try:
        with open(path, "rb") as source:
            package, parsed = read_package(source, Limits.from_config(current_app.config))
    except Refused as refusal:
        click.echo(json.dumps({"refused": str(refusal)}, ensure_ascii=False))
        sys.exit(1)
    parsed.close()
    click.echo(json.dumps(package.as_json(), ensure_ascii=False, indent=2))


@edxml.command("receive")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False, exists=True))
def edxml_receive(paths: tuple[str, ...]) -> None:
    """Đưa các gói tin edXML vào danh sách "Văn bản đến chờ xử lý"; in một dòng cho mỗi gói
    tin (mục đã tạo, đã nhận trước đây, hoặc lý do từ chối). Thoát với mã 1 nếu có gói tin bị
    từ chối."""
    from pathlib import Path

    from app.edxml.bounds import Refused
    from app.edxml.intake import receive
    from app.extensions import db

    refused = 0
    for path in paths:
        try:
            received = receive(db.session, Path(path), "cli")
        except Refused as refusal:
            db.session.rollback()
            refused += 1
            click.echo(f"{path}: từ chối – {refusal}")
            continue
        db.session.commit()
        click.echo(f"{path}: {received.line()}")
    if refused:
        sys.exit(1)


@edxml.command("outbox")
@click.option("--send", is_flag=True, help="Gửi ngay các gói trạng thái đến hạn.")
def edxml_outbox(send: bool) -> None:
    """Liệt kê các gói tin trạng thái đã viết và việc gửi chúng."""
    from sqlalchemy import select

    from app.edxml.outbox import deliver_pending
    from app.edxml.status import queue_due
    from app.extensions import db
    from app.models.edxml import StatusMessage

    if send:
        queue_due(db.session)
        db.session.commit()
        click.echo(f"Gửi: {deliver_pending(db.session)}")
    messages = db.session.scalars(select(StatusMessage).order_by(StatusMessage.id)).all()
    if not messages:
        click.echo("Chưa có gói tin trạng thái nào.")
    for message in messages:
        last = message.log[-1] if message.log else None
        tail = ""
        if last is not None:
            outcome = "được" if last.ok else last.detail
            tail = f" – lần cuối {last.at:%d/%m/%Y %H:%M} {last.target}: {outcome}"
        click.echo(
            f"#{message.id} {message.code} {message.response_for} – {message.state}, "
            f"{message.attempts} lần gửi{tail}"
        )


COMMANDS = (edxml,)
