"""``flask documents draft``: what the office would get from reading a directive."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

documents = AppGroup("documents", help="Văn bản chỉ đạo.")


@documents.command("draft")
@click.argument("path", type=click.Path(dir_okay=False, exists=True))
def documents_draft(path: str) -> None:
    """Đọc một văn bản (.pdf, .docx, .txt) và in đề xuất (số, ngày, cơ quan, nhiệm vụ)
    dạng JSON; không lưu gì."""
    import json
    from pathlib import Path

    from app.documents.drafting import UnreadableDocument, draft_from_text
    from app.documents.drafting.isolated import read_file_text

    try:
        text = read_file_text(Path(path).read_bytes(), Path(path).name)
    except UnreadableDocument as error:
        raise click.ClickException(str(error)) from None
    draft = draft_from_text(db.session, text)
    click.echo(json.dumps(draft.as_json(), ensure_ascii=False, indent=2))


COMMANDS = (documents,)
