"""``flask import-tasks`` and ``flask import-template``: the import from the shell."""

from __future__ import annotations

import io
import sys

import click
from flask.cli import with_appcontext

from app.core.timeutil import local_today
from app.extensions import db


def _print_problems(problems) -> None:
    click.echo(f"Không nhập được tệp: {len(problems)} lỗi, chưa có dữ liệu nào được ghi.", err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)


@click.command("import-tasks")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Chỉ xem trước: không ghi gì.")
@click.option(
    "--similar",
    type=click.Choice(["ask", "update", "new"]),
    default="ask",
    show_default=True,
    help="Dòng không mã, nội dung gần giống nhiệm vụ đã có: báo lỗi (ask), cập nhật "
    "nhiệm vụ đó (update) hay tạo mới (new).",
)
@with_appcontext
def import_tasks_command(path: str, dry_run: bool, similar: str) -> None:
    """Nhập văn bản, nhiệm vụ (và đơn vị, cơ quan ban hành) từ tệp .xlsx hoặc .csv."""
    from pathlib import Path

    from app.importing import ImportFailed, preview_import
    from app.importing.jobs import IMPORT, claim, execute, queue, result_from_json

    choice = None if similar == "ask" else similar
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise click.ClickException(f"không mở được tệp “{path}”: {error.strerror}.") from None
    if dry_run:
        try:
            result = preview_import(db.session, io.BytesIO(data), Path(path).name,
                                    today=local_today(), similar=choice)  # fmt: skip
        except ImportFailed as failure:
            _print_problems(failure.problems)
            sys.exit(1)
    else:
        # The same path as the web's import jobs: one at a time, committed in batches with
        # a journal that a failure undoes, progress on the terminal.
        job = queue(db.session, None, IMPORT, Path(path).name, "cli",
                    {"similar": choice} if choice else None)  # fmt: skip
        db.session.commit()
        if claim(db.session, job.id) is None:
            db.session.delete(job)
            db.session.commit()
            raise click.ClickException("một lần nhập khác đang chạy; hãy chờ nó xong.")
        done = execute(db.session, job, data, echo=lambda line: click.echo(line, err=True))
        if done.error or (done.result or {}).get("problems") is not None:
            problems = (done.result or {}).get("problems") or [done.error]
            _print_problems(problems)
            sys.exit(1)
        result = result_from_json(done.result)
    click.echo("Xem trước (chưa ghi gì):" if dry_run else "Đã nhập xong:")
    for line in result.lines():
        click.echo(f"  {line}")
    for outcome in result.of("suspect"):
        click.echo(
            f"  dòng {outcome.row}: gần giống {outcome.similar_code} "
            f"“{outcome.similar_content[:80]}”"
        )


@click.command("import-template")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def import_template_command(path: str) -> None:
    """Ghi tệp mẫu .xlsx để nhập dữ liệu."""
    from app.importing.template import write_current_template

    write_current_template(db.session, path)
    click.echo(f"Đã ghi tệp mẫu: {path}")


COMMANDS = (import_tasks_command, import_template_command)
