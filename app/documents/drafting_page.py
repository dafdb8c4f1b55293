"""“Đọc văn bản” on the new-document page: the document's file (or its pasted text) is read and
the form is filled with what was found, each proposed task showing the sentence it came from.
Nothing is saved until the office saves the form; the file read is kept with the document."""

from __future__ import annotations

from pathlib import Path

from flask import current_app, flash
from flask_babel import gettext as _

from app.core.attachments import ALLOWED_EXTENSIONS, DEFAULT_MAX_BYTES
from app.core.timeutil import local_today
from app.documents.blueprint import bp
from app.documents.drafting import MAX_TEXT, UnreadableDocument, draft_from_text
from app.documents.drafting.isolated import read_file_text
from app.documents.forms import DocumentForm, DraftForm
from app.documents.kept_files import keep_file
from app.documents.views import OFFICE_ROLES, _page, _prepare
from app.extensions import db
from app.models.documents import DeadlineKind
from app.web.wiring import roles_required


def _form_from(draft) -> DocumentForm:
    tasks = []
    for task in draft.tasks:
        row = {
            "content": task.content,
            "lead": task.lead.id if task.lead else 0,
            "cooperators": [d.id for d in task.cooperators],
            "deadline_kind": DeadlineKind.DATE,
        }
        deadline = task.deadline
        if deadline is not None and deadline.kind == "working_days":
            row.update(deadline_kind=DeadlineKind.WORKING_DAYS, working_days=deadline.working_days)
        elif deadline is not None and deadline.kind == "recurring":
            row["recurrence"] = deadline.text  # a series: its periods carry the deadlines
        elif deadline is not None and deadline.kind == "none":
            row["deadline_kind"] = DeadlineKind.NONE
        elif deadline is not None:
            row["deadline"] = deadline.on
        tasks.append(row)
    data = {
        "number": draft.number,
        "kind": draft.kind,
        "issuer": draft.issuer.id if draft.issuer else None,
        "issued_on": draft.issued_on or local_today(),
        "summary": draft.summary,
        "signer": draft.signer,
        "tasks": tasks or [{}],
    }
    return DocumentForm(formdata=None, data=data)


@bp.post("/van-ban/doc-van-ban")
@roles_required(*OFFICE_ROLES)
def read_document():
    reader = DraftForm()
    text, token = "", None
    if reader.validate_on_submit():
        upload = reader.source.data
        if upload and upload.filename:
            limit = current_app.config.get("ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES)
            data = upload.read(limit + 1)
            try:
                if len(data) > limit:
                    raise UnreadableDocument(_("Tệp quá lớn."))
                text = read_file_text(
                    data,
                    upload.filename,
                    current_app.config.get("DRAFT_READ_SECONDS"),
                    current_app.config.get("DRAFT_READ_MEMORY_MB"),
                )
                if Path(upload.filename).suffix.lower() in ALLOWED_EXTENSIONS:
                    token = keep_file(data, upload.filename)
            except UnreadableDocument as error:
                reader.source.errors = [str(error)]
        else:
            text = (reader.text.data or "")[:MAX_TEXT]
    if not text.strip():
        if not reader.source.errors:
            reader.text.errors = [_("Chọn tệp văn bản hoặc dán nội dung văn bản.")]
        form = DocumentForm(formdata=None, data={"issued_on": local_today()})
        _prepare(form)
        return _page(form, None, 400, draft_form=reader)
    draft = draft_from_text(db.session, text)
    form = _form_from(draft)
    form.draft_file.data = token
    _prepare(form)
    if draft.tasks or draft.skipped:
        flash(
            _(
                "Đã đọc văn bản: %(n)s nhiệm vụ đề xuất, %(left)s câu chưa thành nhiệm vụ (xem "
                "cuối danh sách). Hãy kiểm tra, sửa rồi bấm Lưu; chưa có gì được lưu.",
                n=len(draft.tasks),
                left=len(draft.skipped),
            ),
            "info",
        )
    return _page(form, None, 200, draft_form=reader, draft=draft)
