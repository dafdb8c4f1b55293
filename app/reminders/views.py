"""Reminder pages: one-click unsubscribe, and the admin's log, preview and schedules."""

from __future__ import annotations

import datetime as dt

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from app.core.timeutil import local_now, local_today
from app.extensions import csrf, db
from app.models import Department, Reminder, ReminderPreference, User
from app.models.people import Role
from app.models.reminders import ReminderStatus
from app.reminders import selection
from app.reminders.blueprint import bp
from app.reminders.compose import digest_mail, iso_week
from app.reminders.cron_words import DAY_NAMES, posted_cron
from app.reminders.cron_words import read as read_cron
from app.reminders.decide import decide_digests
from app.reminders.delivery import retry_failed
from app.reminders.kinds import LABELS, OPTIONAL
from app.reminders.preferences import made_mandatory
from app.reminders.record import read_unsubscribe_token
from app.reminders.schedule import load_schedules, save_schedule, validate_cron
from app.web.inputs import positive_int
from app.web.wiring import roles_required


@bp.route("/nhac-viec/huy-dang-ky/<token>", methods=["GET", "POST"])
@csrf.exempt  # a signed one-click link, also POSTed by mail clients (RFC 8058)
def unsubscribe(token: str):
    """GET shows a confirmation; POST (the button, or a mail client's one-click) applies it."""
    parsed = read_unsubscribe_token(token)
    user = db.session.get(User, parsed[0]) if parsed else None
    if user is None or parsed[1] not in OPTIONAL:
        abort(404)
    kind = parsed[1]
    if kind in made_mandatory(db.session):  # a link in a mail from before the admin's choice
        return render_template(
            "reminders/unsubscribe.html", user=user, label=LABELS[kind], mandatory=True
        )
    done = False
    if request.method == "POST":
        preference = db.session.get(ReminderPreference, (user.id, kind)) or ReminderPreference(
            user_id=user.id, kind=kind
        )
        preference.subscribed = False
        db.session.add(preference)
        db.session.commit()
        done = True
    return render_template("reminders/unsubscribe.html", user=user, label=LABELS[kind], done=done)


def _next_monday(today: dt.date) -> dt.date:
    return today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)


@bp.get("/quan-tri/nhac-viec")
@roles_required(Role.ADMIN)
def log():
    status = request.args.get("status") or None
    query = select(Reminder).order_by(Reminder.id.desc()).limit(300)
    if status:
        query = query.where(Reminder.status == status)
    counts = dict(
        db.session.execute(select(Reminder.status, func.count()).group_by(Reminder.status)).all()
    )
    return render_template(
        "reminders/log.html",
        reminders=db.session.scalars(query).all(),
        counts=counts,
        status=status,
        statuses=ReminderStatus,
        labels=LABELS,
        form=FlaskForm(),
    )


@bp.get("/quan-tri/nhac-viec/<int:reminder_id>")
@roles_required(Role.ADMIN)
def show(reminder_id: int):
    reminder = db.session.get(Reminder, reminder_id) or abort(404)
    return render_template(
        "reminders/show.html", reminder=reminder, labels=LABELS, form=FlaskForm()
    )


@bp.get("/quan-tri/nhac-viec/xem-truoc")
@roles_required(Role.ADMIN)
def preview():
    day = _next_monday(local_today())
    digests = [d for d in selection.digests(db.session, day) if not d.is_empty]
    mails = [(d, digest_mail(d, _("Trưởng đơn vị"), None)) for d in digests]
    return render_template("reminders/preview.html", mails=mails, day=day, form=FlaskForm())


@bp.post("/quan-tri/nhac-viec/gui-ngay/<int:department_id>")
@roles_required(Role.ADMIN)
def send_now(department_id: int):
    form = FlaskForm()
    department = db.session.get(Department, department_id) or abort(404)
    if not form.validate_on_submit():
        abort(400)
    today = local_today()
    created = decide_digests(db.session, today, f"manual-{today.isoformat()}", [department.id])
    db.session.commit()
    # Queued only: the scheduler process delivers within its next tick (a slow or silent SMTP
    # server never holds this page).
    flash(
        _(
            "Đã xếp %(n)s thư cho %(dept)s vào hàng gửi; bộ lập lịch sẽ gửi trong vòng một phút.",
            n=created,
            dept=department.name,
        )
        if created
        else _("Không có thư mới cho %(dept)s.", dept=department.name),
        "success" if created else "info",
    )
    return redirect(url_for("reminders.log"))


@bp.post("/quan-tri/nhac-viec/gui-lai")
@roles_required(Role.ADMIN)
def retry():
    """Send failed reminders again: one (``reminder``) or all of them."""
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    one = positive_int(request.form.get("reminder"))
    count = retry_failed(db.session, [one] if one else None)
    db.session.commit()
    if count:
        flash(_("Đã đưa %(n)s thư gửi lỗi trở lại hàng gửi.", n=count), "success")
    else:
        flash(_("Không có thư gửi lỗi."), "info")
    return redirect(url_for("reminders.show", reminder_id=one) if one else url_for("reminders.log"))


@bp.route("/quan-tri/nhac-viec/lich", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def schedules():
    form = FlaskForm()
    errors = {}
    if request.method == "POST" and form.validate_on_submit():
        for schedule in load_schedules(db.session):
            cron, words_problem = posted_cron(request.form, schedule.kind, schedule.cron)
            if words_problem:
                errors[schedule.kind] = _(words_problem)
                continue
            problem = validate_cron(cron)
            if problem:
                errors[schedule.kind] = _("Lịch không hợp lệ: %(why)s", why=problem)
                continue
            enabled = request.form.get(f"enabled-{schedule.kind}") == "on"
            mandatory = request.form.get(f"mandatory-{schedule.kind}") == "on"
            params = dict(schedule.params)
            for name in params:
                value = request.form.get(f"param-{schedule.kind}-{name}", type=int)
                if value is not None and 0 < value <= 365:
                    params[name] = value
            # unchanged, the page saved as it is writes nothing
            save_schedule(
                db.session,
                schedule,
                cron,
                enabled,
                params,
                local_now(),
                mandatory and schedule.kind in OPTIONAL,
            )
        if not errors:
            db.session.commit()
            flash(_("Đã lưu lịch nhắc việc."), "success")
            return redirect(url_for("reminders.schedules"))
        db.session.rollback()
    return render_template(
        "reminders/schedules.html",
        schedules=load_schedules(db.session),
        labels=LABELS,
        optional=OPTIONAL,
        read_cron=read_cron,
        days=DAY_NAMES,
        form=form,
        errors=errors,
        week=iso_week(local_today()),
    )
