"""``flask archive export|import``: the whole follow-up record in one file, from the shell."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db

archive = AppGroup(
    "archive",
    help="Tệp lưu trữ toàn bộ hồ sơ theo dõi (JSON lines và tệp đính kèm trong một tệp zip): "
    "sao lưu vượt qua các lần nâng cấp, hoặc chuyển nhiệm vụ sang một cơ quan khác.",
)


@archive.command("export")
@click.argument("path", type=click.Path(dir_okay=False))
def archive_export(path: str) -> None:
    """Ghi toàn bộ hồ sơ vào tệp lưu trữ PATH."""
    from pathlib import Path

    from app.archive import ArchiveError, export_archive
    from app.ops.backup import attachments_dir

    try:
        counts = export_archive(db.session, Path(path), attachments_dir(current_app))
    except ArchiveError as error:
        raise click.ClickException(str(error)) from None
    click.echo(
        f"Đã ghi {path}: {counts['units']} đơn vị, {counts['documents']} văn bản, "
        f"{counts['tasks']} nhiệm vụ, {counts['events']} sự kiện, "
        f"{counts['progress_reports']} báo cáo tiến độ, {counts['attachments']} tệp đính kèm."
    )


@archive.command("import")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
def archive_import(path: str) -> None:
    """Nạp tệp lưu trữ PATH vào đây: đơn vị, cơ quan ban hành khớp theo tên; có xung đột
    thì không ghi gì và liệt kê."""
    from pathlib import Path

    from app.archive import ArchiveError, discard, import_archive
    from app.ops.backup import attachments_dir

    try:
        report = import_archive(db.session, Path(path), attachments_dir(current_app))
    except ArchiveError as error:
        db.session.rollback()
        click.echo(str(error), err=True)
        for problem in error.problems[:100]:
            click.echo(f"  - {problem}", err=True)
        if len(error.problems) > 100:
            click.echo(f"  … và {len(error.problems) - 100} xung đột khác", err=True)
        raise SystemExit(1) from None
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        discard(report.files)  # nothing of the archive stays: rows nor files
        raise
    counts = report.counts
    click.echo(
        f"Đã nạp {path}: {counts['documents']} văn bản, {counts['tasks']} nhiệm vụ, "
        f"{counts['events']} sự kiện, {counts['attachments']} tệp đính kèm."
    )
    click.echo(
        f"Đơn vị khớp theo tên: {len(report.matched_units)}; đơn vị mới: "
        f"{len(report.created_units)}"
        + (f" ({', '.join(report.created_units)})" if report.created_units else "")
    )
    if report.unknown_people:
        click.echo(
            "Không có tài khoản ở đây (ghi nhận không tên người thực hiện): "
            + ", ".join(report.unknown_people)
        )


COMMANDS = (archive,)
