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


COMMANDS = (edxml,)
