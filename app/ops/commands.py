"""``flask backup``, ``flask restore`` and ``flask check-config``: running the server."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.ops.config_check import ERROR, WARNING, check_configuration


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path: str) -> None:
    """Sao lưu cơ sở dữ liệu (bản chụp nhất quán, kể cả khi đang có người ghi) và tệp đính
    kèm vào một tệp .tar.gz."""
    from pathlib import Path

    from app.ops.backup import BackupError, make_backup

    try:
        manifest = make_backup(current_app._get_current_object(), Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    rows = sum(t["rows"] for t in manifest["tables"].values())
    click.echo(
        f"Đã sao lưu vào {path}: {len(manifest['tables'])} bảng, {rows} dòng, "
        f"{len(manifest['attachments'])} tệp đính kèm (phiên bản {manifest['revision']})."
    )


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
@with_appcontext
def restore_command(path: str) -> None:
    """Khôi phục một bản sao lưu vào cài đặt trống, rồi kiểm tra từng bảng và tệp."""
    from pathlib import Path

    from app.ops.backup import BackupError, restore_backup

    try:
        result = restore_backup(current_app._get_current_object(), Path(path))
    except BackupError as error:
        raise click.ClickException(str(error)) from None
    if result.mismatches:
        for line in result.mismatches:
            click.echo(f"[LỖI] {line}")
        raise SystemExit(1)
    click.echo(
        f"Đã khôi phục và kiểm tra: {result.tables} bảng, {result.rows} dòng, "
        f"{result.files} tệp đính kèm khớp với bản sao lưu."
    )


@click.command("check-config")
def check_config_command() -> None:
    """Kiểm tra cấu hình máy chủ: cơ sở dữ liệu, SMTP, BASE_URL, thư mục, bộ lập lịch."""
    found = check_configuration(current_app)
    for finding in found:
        click.echo(finding.line())
    errors = sum(f.level == ERROR for f in found)
    warnings = sum(f.level == WARNING for f in found)
    if errors:
        click.echo(f"Có {errors} lỗi cần sửa trước khi đưa vào sử dụng ({warnings} cảnh báo).")
        raise SystemExit(1)
    click.echo(f"Cấu hình dùng được ({warnings} cảnh báo).")


COMMANDS = (check_config_command, backup_command, restore_command)
