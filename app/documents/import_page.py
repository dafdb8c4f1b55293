"""The import page: upload, a preview run in the background, the choices, then the import run
in the background, each with its progress; the page can be reloaded or left and come back."""

from __future__ import annotations

from pathlib import Path

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app.core.timeutil import utcnow
from app.documents.blueprint import bp
from app.documents.forms import ImportForm
from app.documents.views import OFFICE_ROLES
from app.extensions import db
from app.importing.columns import NEW, UPDATE
from app.importing.jobs import IMPORT, PREVIEW, import_folder, queue, result_from_json
from app.importing.reader import MAX_ROWS
from app.models import ImportJob
from app.models.jobs import JobStatus
from app.models.people import Role
from app.web.inputs import positive_int
from app.web.uploads import keep
from app.web.wiring import roles_required

KEEP_SECONDS = 2 * 24 * 3600  # uploads older than this are removed
SCHEDULER_HINT_AFTER = 30  # seconds a job may wait before the page says who runs it


def _store_upload(data: bytes) -> str:
    return keep(import_folder(), data, KEEP_SECONDS)


def _recent_jobs():
    return db.session.scalars(
        select(ImportJob)
        .where(ImportJob.user_id == current_user.id)
        .order_by(ImportJob.id.desc())
        .limit(5)
    ).all()


@bp.route("/nhap-du-lieu", methods=["GET", "POST"])
@roles_required(*OFFICE_ROLES)
def import_file():
    """Upload: the file is kept and a preview is queued; the page of that job follows it."""
    form = ImportForm()
    problems = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            problems = [_("Chọn một tệp .xlsx hoặc .csv.")]
        else:
            token = _store_upload(upload.read())
            job = queue(db.session, current_user, PREVIEW, Path(upload.filename).name, token)
            db.session.commit()
            return redirect(url_for("documents.import_job", job_id=job.id), 303)
    return render_template(
        "documents/import.html",
        form=form,
        problems=problems,
        jobs=_recent_jobs(),
        max_rows=MAX_ROWS,
    ), 400 if problems else 200


def _own_job(job_id: int) -> ImportJob:
    job = db.session.get(ImportJob, job_id)
    if job is None:
        abort(404)
    if job.user_id != current_user.id and current_user.role != Role.ADMIN:
        abort(404)
    return job


@bp.get("/nhap-du-lieu/viec/<int:job_id>")
@roles_required(*OFFICE_ROLES)
def import_job(job_id: int):
    job = _own_job(job_id)
    result = problems = None
    if job.status in (JobStatus.DONE, JobStatus.FAILED) and job.result:
        problems = job.result.get("problems")
        if problems is None:
            result = result_from_json(job.result)
    waited = (utcnow() - job.created_at).total_seconds()
    followed_by = None
    if job.kind == PREVIEW and job.choices and job.choices.get("import_job"):
        followed_by = job.choices["import_job"]
    return render_template(
        "documents/import_job.html",
        job=job,
        result=result,
        problems=problems,
        form=ImportForm(),
        working=job.status in (JobStatus.QUEUED, JobStatus.RUNNING),
        hint=job.status == JobStatus.QUEUED and waited > SCHEDULER_HINT_AFTER,
        followed_by=followed_by,
    ), 400 if job.status == JobStatus.FAILED else 200


@bp.post("/nhap-du-lieu/xac-nhan")
@roles_required(*OFFICE_ROLES)
def import_confirm():
    """The office confirms a preview, with its choices for rows like existing tasks: the
    import itself is queued."""
    form = ImportForm()
    preview_id = positive_int(request.form.get("job"))
    preview = db.session.get(ImportJob, preview_id) if preview_id else None
    usable = (
        form.validate_on_submit()
        and preview is not None
        and preview.kind == PREVIEW
        and preview.user_id == current_user.id
        and preview.status == JobStatus.DONE
        and not (preview.choices or {}).get("import_job")
        and (import_folder() / preview.stored_name).exists()
    )
    if not usable:
        flash(_("Không còn tệp chờ xác nhận: hãy tải tệp lên lại."), "warning")
        return redirect(url_for("documents.import_file"))
    rows = {}
    for key, value in request.form.items():
        row = positive_int(key[7:]) if key.startswith("choice-") else None
        if row and value in (UPDATE, NEW):
            rows[str(row)] = value
    job = queue(
        db.session, current_user, IMPORT, preview.filename, preview.stored_name, {"rows": rows}
    )
    preview.choices = {**(preview.choices or {}), "import_job": job.id}
    db.session.commit()
    return redirect(url_for("documents.import_job", job_id=job.id), 303)
