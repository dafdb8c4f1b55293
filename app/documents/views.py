"""Documents with their tasks on one page, and the spreadsheet import."""

from __future__ import annotations

import io

from flask import (
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.attachments import ACCEPT, AttachmentError, save_upload
from app.core.deadlines import load_calendar, resolve_deadline, written_if_moved
from app.core.timeutil import local_today
from app.documents.blueprint import bp
from app.documents.forms import DocumentForm, DraftForm, TaskRowForm
from app.documents.kept_files import drafted_file, drafted_name
from app.documents.operations import SameDocumentExists, hand_over_if_ended, save_document
from app.edxml.outbox import status_messages
from app.edxml.taking import take_in
from app.extensions import db
from app.models import Department, Document, Issuer
from app.models.documents import DeadlineKind
from app.models.people import Role
from app.recurring.recurrence import PhraseError, parse_phrase
from app.recurring.series import create_due_tasks, create_series, document_series
from app.tasks.changes import add_task, update_task
from app.web.forms import department_choices, edit_form, options
from app.web.inputs import deadline_problem, positive_int
from app.web.wiring import roles_required

OFFICE_ROLES = (Role.OFFICE, Role.ADMIN)
COMMON_KINDS = ("Thông báo kết luận", "Chỉ thị", "Công văn", "Kế hoạch", "Quyết định")


def _prepare(form: DocumentForm, document: Document | None = None) -> None:
    issuers = db.session.scalars(select(Issuer).order_by(Issuer.display_order, Issuer.name))
    form.issuer.choices = options([("", "— " + _("chọn") + " —")]) + options(
        (i.id, i.name) for i in issuers
    )
    units = _units(document)
    for row in form.tasks:
        _offer_units(row.form, units)


def _units(document: Document | None):
    """The units a row may name: the active ones and those the document's tasks name."""
    stored = document.tasks if document is not None else []
    return department_choices(
        db.session,
        {t.lead_department_id for t in stored}
        | {d.id for t in stored for d in t.cooperating_departments},
    )


def _offer_units(row: TaskRowForm, units) -> None:
    row.lead.choices = options([(0, "— " + _("chọn đơn vị") + " —")]) + units
    row.cooperators.choices = units


def _rows(form: DocumentForm, resolve: bool = True):
    """Validated task rows (blank rows skipped); errors are attached to the fields. With
    ``resolve`` false (the form itself was refused), the rows are only checked: their
    deadlines are not computed from values that may be out of range."""
    valid, ok = [], True
    calendar = load_calendar(db.session)
    for row in form.tasks:
        f = row.form
        if not (f.content.data or "").strip():
            continue
        allowed = {c.value for c in f.cooperators.choices}
        if not f.lead.data:
            f.lead.errors = [_("Chọn đơn vị chủ trì.")]
            ok = False
        elif f.lead.data not in allowed:
            f.lead.errors = [_("Chọn đơn vị chủ trì trong danh sách.")]
            ok = False
        if any(i not in allowed for i in f.cooperators.data or []):
            f.cooperators.errors = [_("Chọn đơn vị phối hợp trong danh sách.")]
            ok = False
        phrase = (f.recurrence.data or "").strip()
        if phrase and not (f.task_id.data or "").isdigit():
            try:
                parse_phrase(phrase)  # a recurring duty: its periods carry the deadlines
            except PhraseError as error:
                f.recurrence.errors = [str(error)]
                ok = False
            if ok:
                valid.append((f, "series", None, None))
            continue
        kind = f.deadline_kind.data
        if kind == DeadlineKind.DATE and not f.deadline.data:
            f.deadline.errors = [_("Chọn ngày hoặc đổi loại thời hạn.")]
            ok = False
        if kind == DeadlineKind.WORKING_DAYS and not f.working_days.data:
            f.working_days.errors = [_("Nhập số ngày làm việc.")]
            ok = False
        if ok and resolve:
            deadline = resolve_deadline(
                calendar, kind, form.issued_on.data, f.deadline.data, f.working_days.data
            )
            problem = deadline_problem(deadline, form.issued_on.data)
            if problem:
                f.deadline.errors = [problem]
                ok = False
                continue
            on = f.deadline.data if kind == DeadlineKind.DATE else None
            valid.append((f, kind, deadline, written_if_moved(on, deadline)))
    return valid, ok


def _save(form: DocumentForm, document: Document | None):
    rows, ok = _rows(form)
    if not ok:
        return None
    if not rows and document is None:
        flash(_("Văn bản cần có ít nhất một nhiệm vụ."), "danger")
        return None
    try:
        document = save_document(
            db.session,
            document,
            issuer_id=form.issuer.data,
            number=form.number.data,
            issued_on=form.issued_on.data,
            kind=form.kind.data,
            summary=form.summary.data,
            signer=form.signer.data,
        )
    except SameDocumentExists as same:
        duplicate = same.existing
        form.number.errors = [
            _(
                "Đã có văn bản số %(number)s ngày %(day)s của cơ quan này.",
                number=duplicate.number,
                day=duplicate.issued_on.strftime("%d/%m/%Y"),
            )
        ]
        return None
    chosen_units = _save_tasks(document, rows, local_today())
    # An older document's open task named a unit a merger has ended since: handed over.
    hand_over_if_ended(db.session, chosen_units, current_user)
    upload = form.pdf.data
    if upload and getattr(upload, "filename", ""):
        db.session.add(save_upload(upload, current_user, document_id=document.id))
    kept = drafted_file(form.draft_file.data)
    if kept is not None:
        db.session.add(save_upload(kept, current_user, document_id=document.id))
    entry_id = positive_int(form.edxml_entry.data)
    if entry_id is not None:  # taken in from the e-office's queue: linked, status queued
        take_in(db.session, entry_id, document, current_user)
    return document


def _save_tasks(document: Document, rows, today) -> list[Department | None]:
    """The form's task rows written: recurring duties, new tasks, changed tasks. Returns the
    units they name."""
    existing = {t.id: t for t in document.tasks}
    chosen_units: list[Department | None] = []
    for f, kind, deadline, written in rows:
        lead = db.session.get(Department, f.lead.data)
        cooperators = [db.session.get(Department, i) for i in f.cooperators.data or []]
        chosen_units += [lead, *cooperators]
        if kind == "series":
            create_series(
                db.session, document, content=f.content.data.strip(), lead=lead,
                cooperators=cooperators, phrase=f.recurrence.data.strip(),
                starts_on=max(document.issued_on, today), by=current_user,
                ends_on=f.recurrence_ends.data, max_count=f.recurrence_count.data,
                lead_working_days=f.recurrence_lead.data,
            )  # fmt: skip
            continue
        task = existing.get(int(f.task_id.data)) if (f.task_id.data or "").isdigit() else None
        working_days = f.working_days.data if kind == DeadlineKind.WORKING_DAYS else None
        if task is None:
            add_task(
                db.session,
                document,
                content=f.content.data.strip(),
                lead=lead,
                cooperators=cooperators,
                deadline_kind=kind,
                deadline=deadline,
                working_days=working_days,
                written=written,
                by=current_user,
            )
            continue
        update_task(
            db.session,
            task,
            effective_on=today,
            by=current_user,
            content=f.content.data.strip(),
            lead=lead,
            cooperators=cooperators,
            deadline_kind=kind,
            deadline=deadline,
            working_days=working_days,
            written=written,
        )
    return chosen_units


def _spare_row(form: DocumentForm, document: Document | None) -> TaskRowForm:
    """The empty row "+ Thêm nhiệm vụ" copies (and the page shows without JavaScript), with
    the next row's index. It is not one of the form's rows: a page saved unchanged, or shown
    again after saving, has only the rows it had."""
    spare = TaskRowForm(formdata=None, prefix=f"tasks-{form.tasks.last_index + 1}-")
    _offer_units(spare, _units(document))
    return spare


def _page(form: DocumentForm, document: Document | None, status: int = 200, **extra):
    stored = {k.strip() for k in db.session.scalars(select(Document.kind).distinct()) if k}
    kinds = sorted(stored | set(COMMON_KINDS))  # each kind once
    draft_form = extra.pop("draft_form", None) or (DraftForm() if document is None else None)
    page = render_template(
        "documents/form.html",
        form=form,
        document=document,
        spare=_spare_row(form, document),
        accept=ACCEPT,
        kinds=kinds,
        draft_form=draft_form,
        kept_file=drafted_name(form.draft_file.data),
        document_series=document_series,
        edxml_messages=status_messages(db.session, document.id) if document else [],
        **extra,
    )
    return page, status


def _submit(form: DocumentForm, document: Document | None):
    try:
        saved = _save(form, document)
    except AttachmentError as error:
        db.session.rollback()
        form.pdf.errors = [str(error)]
        saved = None
    if saved is None:
        db.session.rollback()
        return _page(form, document, 400)
    db.session.commit()
    create_due_tasks(db.session, local_today(), [s.id for s in document_series(saved)])
    flash(
        _("Đã lưu văn bản %(number)s với %(n)s nhiệm vụ.", number=saved.number, n=len(saved.tasks)),
        "success",
    )
    return redirect(url_for("documents.edit", document_id=saved.id))


@bp.route("/van-ban/moi", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def new():
    form = DocumentForm()
    _prepare(form)
    if request.method == "GET":
        form.issued_on.data = local_today()
    if form.validate_on_submit():
        return _submit(form, None)
    if request.method == "POST":
        _rows(form, resolve=False)  # the rows' errors too: the summary lists every one
        return _page(form, None, 400)
    return _page(form, None)


@bp.route("/van-ban/<int:document_id>", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def edit(document_id: int):
    document = db.session.get(Document, document_id)
    if document is None:
        abort(404)
    if request.method == "GET":
        form = edit_form(DocumentForm, document, issuer=document.issuer_id)
        while len(form.tasks):
            form.tasks.pop_entry()
        for task in document.tasks:
            form.tasks.append_entry(
                {
                    "task_id": task.id,
                    "content": task.content,
                    "lead": task.lead_department_id,
                    "cooperators": [d.id for d in task.cooperating_departments],
                    "deadline_kind": task.deadline_kind,
                    # The date the document wrote (the form works out the working day again).
                    "deadline": (task.deadline_written or task.deadline)
                    if task.deadline_kind == DeadlineKind.DATE
                    else None,
                    "working_days": task.deadline_working_days,
                }
            )
        _prepare(form, document)
        return _page(form, document)
    form = DocumentForm()
    _prepare(form, document)
    if form.validate_on_submit():
        return _submit(form, document)
    _rows(form, resolve=False)  # the rows' errors too: the summary lists every one
    return _page(form, document, 400)


@bp.get("/nhap-du-lieu/mau.xlsx")
@roles_required(*OFFICE_ROLES)
def import_template():
    from app.importing.template import write_current_template  # openpyxl, when first asked

    out = io.BytesIO()
    write_current_template(db.session, out)
    return send_file(
        io.BytesIO(out.getvalue()),
        as_attachment=True,
        download_name="mau-nhap-nhiem-vu.xlsx",
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
