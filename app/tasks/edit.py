"""The office's edit page of one task."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app.core.deadlines import load_calendar, resolve_deadline, written_if_moved
from app.core.permissions import is_office
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department
from app.models.documents import DeadlineKind
from app.tasks.actions import commit_or_conflict
from app.tasks.blueprint import bp, load_task
from app.tasks.changes import update_task
from app.tasks.forms import TaskEditForm
from app.tasks.history import HISTORY_PAGE, last_event_id, timeline
from app.web.forms import department_choices
from app.web.inputs import deadline_problem, positive_int
from app.web.wiring import deny


@bp.route("/nhiem-vu/<int:task_id>/sua", methods=["GET", "POST"])
@login_required
def edit(task_id: int):
    task = load_task(task_id)
    if not is_office(current_user):
        deny(f"edit task {task_id}")
    form = TaskEditForm()
    choices = department_choices(
        db.session, [task.lead_department_id, *(d.id for d in task.cooperating_departments)]
    )
    form.lead.choices = choices
    form.cooperators.choices = choices
    conflict = []
    if request.method == "GET":
        form.process(
            data={
                "version": task.version,
                "last_event": last_event_id(db.session, task),
                "content": task.content,
                "lead": task.lead_department_id,
                "cooperators": [d.id for d in task.cooperating_departments],
                "deadline_kind": task.deadline_kind,
                "deadline": task.deadline_written or task.deadline,  # as the document wrote it
                "working_days": task.deadline_working_days,
                "note": task.note,
            }
        )
    elif form.validate_on_submit():
        if (positive_int(form.version.data) or 0) != task.version:
            since = positive_int(form.last_event.data) or 0
            conflict = timeline(db.session, task, since_event_id=since, limit=HISTORY_PAGE)
            flash(
                _(
                    "Nhiệm vụ vừa được người khác cập nhật; thay đổi của bạn chưa được lưu. "
                    "Xem các thay đổi bên dưới, rồi sửa lại trên bản mới nhất."
                ),
                "warning",
            )
            form.version.data, form.last_event.data = task.version, last_event_id(db.session, task)
            return render_template("tasks/edit.html", form=form, task=task, conflict=conflict), 409
        kind = form.deadline_kind.data
        if kind == DeadlineKind.DATE and not form.deadline.data:
            form.deadline.errors.append(_("Chọn ngày của thời hạn."))
        elif kind == DeadlineKind.WORKING_DAYS and not form.working_days.data:
            form.working_days.errors.append(_("Nhập số ngày làm việc."))
        else:
            today = local_today()
            new_deadline = resolve_deadline(
                load_calendar(db.session),
                kind,
                task.document.issued_on,
                form.deadline.data,
                form.working_days.data,
            )
            problem = deadline_problem(new_deadline, task.document.issued_on)
            if problem:
                form.deadline.errors.append(problem)
                return render_template("tasks/edit.html", form=form, task=task, conflict=conflict)
            lead = db.session.get(Department, form.lead.data)
            cooperators = [db.session.get(Department, i) for i in form.cooperators.data]
            update_task(
                db.session,
                task,
                effective_on=today,
                by=current_user,
                content=form.content.data.strip(),
                lead=lead,
                cooperators=cooperators,
                note=(form.note.data or "").strip(),
                deadline_kind=kind,
                deadline=new_deadline,
                working_days=form.working_days.data,
                written=written_if_moved(
                    form.deadline.data if kind == DeadlineKind.DATE else None, new_deadline
                ),
            )
            if commit_or_conflict(task):
                flash(_("Đã lưu nhiệm vụ."), "success")
                return redirect(url_for("tasks.detail", task_id=task.id))
    return render_template("tasks/edit.html", form=form, task=task, conflict=conflict)
