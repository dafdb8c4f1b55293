"""The queue "Văn bản đến chờ xử lý": the packages received, uploading one, an entry's page
(its fields, signature, files, what a recall/update/replacement would change), taking a
document in through the document form, applying or dismissing an entry."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.attachments import send_stored
from app.core.timeutil import utcnow
from app.documents.drafting_page import _form_from
from app.documents.views import OFFICE_ROLES, _page, _prepare
from app.edxml.blueprint import bp
from app.edxml.bounds import Limits, Refused
from app.edxml.forms import ConfirmForm, UploadForm
from app.edxml.intake import receive
from app.edxml.taking import apply_change, draft_for, what_changes
from app.extensions import db
from app.models import Issuer
from app.models.edxml import IntakeEntry, IntakeFile
from app.web.wiring import roles_required

LIST_LIMIT = 200


def _entry(entry_id: int) -> IntakeEntry:
    entry = db.session.get(IntakeEntry, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.get("/van-ban-den")
@roles_required(*OFFICE_ROLES)
def queue(form: UploadForm | None = None, status: int = 200):
    pending = db.session.scalars(
        select(IntakeEntry)
        .where(IntakeEntry.state == "pending")
        .order_by(IntakeEntry.received_at, IntakeEntry.id)
        .limit(LIST_LIMIT)
    ).all()
    handled = db.session.scalars(
        select(IntakeEntry)
        .where(IntakeEntry.state != "pending")
        .order_by(IntakeEntry.handled_at.desc(), IntakeEntry.id.desc())
        .limit(50)
    ).all()
    page = render_template(
        "edxml/queue.html", pending=pending, handled=handled, form=form or UploadForm()
    )
    return page, status


@bp.post("/van-ban-den/tai-len")
@roles_required(*OFFICE_ROLES)
def upload():
    form = UploadForm()
    if not form.validate_on_submit():
        return queue(form, 400)
    upload = form.package.data
    if not upload or not getattr(upload, "filename", ""):
        form.package.errors = [_("Chọn tệp gói tin edXML.")]
        return queue(form, 400)
    limit = Limits.from_config(current_app.config).package_bytes
    data = upload.read(limit + 1)
    try:
        received = receive(db.session, data, "upload", current_user)
    except Refused as refusal:
        db.session.rollback()
        form.package.errors = [str(refusal)]
        return queue(form, 400)
    db.session.commit()
    if received.new:
        flash(_("Đã nhận gói tin: %(line)s", line=received.line()), "success")
    else:
        flash(_("Gói tin này đã được nhận trước đây."), "info")
    return redirect(url_for("edxml.entry", entry_id=received.entry.id))


@bp.get("/van-ban-den/<int:entry_id>")
@roles_required(*OFFICE_ROLES)
def entry(entry_id: int):
    item = _entry(entry_id)
    return render_template(
        "edxml/entry.html", entry=item, changes=what_changes(item), form=ConfirmForm()
    )


@bp.get("/van-ban-den/<int:entry_id>/tep/<int:file_id>")
@roles_required(*OFFICE_ROLES)
def entry_file(entry_id: int, file_id: int):
    item = db.session.get(IntakeFile, file_id)
    if item is None or item.entry_id != entry_id:
        abort(404)
    return send_stored(item)


@bp.get("/van-ban-den/<int:entry_id>/tiep-nhan")
@roles_required(*OFFICE_ROLES)
def take_in_form(entry_id: int):
    item = _entry(entry_id)
    if item.state != "pending" or item.business_type != "0":
        flash(_("Mục này không còn chờ tiếp nhận."), "warning")
        return redirect(url_for("edxml.entry", entry_id=item.id))
    draft, problem = draft_for(db.session, item)
    form = _form_from(draft)
    form.edxml_entry.data = str(item.id)
    _prepare(form)
    if problem:
        flash(_("Không đọc được tệp văn bản: %(why)s", why=problem), "warning")
    flash(
        _(
            "Văn bản đến %(number)s: %(n)s nhiệm vụ đề xuất. Hãy kiểm tra, sửa rồi bấm Lưu "
            "để tiếp nhận; chưa có gì được lưu.",
            number=item.number,
            n=len(draft.tasks),
        ),
        "info",
    )
    return _page(form, None, 200, draft=draft)


@bp.post("/van-ban-den/<int:entry_id>/ap-dung")
@roles_required(*OFFICE_ROLES)
def apply(entry_id: int):
    item = _entry(entry_id)
    if ConfirmForm().validate_on_submit():
        try:
            changed = apply_change(db.session, item, current_user)
        except ValueError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            db.session.commit()
            flash(_("Đã áp dụng: %(n)s thay đổi.", n=changed), "success")
    return redirect(url_for("edxml.entry", entry_id=item.id))


@bp.post("/van-ban-den/<int:entry_id>/bo-qua")
@roles_required(*OFFICE_ROLES)
def dismiss(entry_id: int):
    item = _entry(entry_id)
    if ConfirmForm().validate_on_submit() and item.state == "pending":
        item.state, item.handled_at, item.handled_by_id = "dismissed", utcnow(), current_user.id
        db.session.commit()
        flash(_("Đã bỏ qua mục này."), "info")
    return redirect(url_for("edxml.queue"))


@bp.post("/van-ban-den/<int:entry_id>/them-co-quan")
@roles_required(*OFFICE_ROLES)
def add_issuer(entry_id: int):
    """The sender, unknown until now, added as an issuer (with its mã định danh)."""
    item = _entry(entry_id)
    if ConfirmForm().validate_on_submit() and item.issuer is None and item.sender_name:
        issuer = db.session.scalar(select(Issuer).where(Issuer.name == item.sender_name))
        if issuer is None:
            issuer = Issuer(name=item.sender_name, organ_id=item.sender_organ_id or None)
            db.session.add(issuer)
        item.issuer = issuer
        db.session.commit()
        flash(_("Đã thêm cơ quan ban hành %(name)s.", name=issuer.name), "success")
    return redirect(url_for("edxml.entry", entry_id=item.id))
