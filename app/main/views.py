"""Service endpoints: the health check and the icon browsers ask every site for."""

import datetime as dt
import logging

from flask import current_app, send_from_directory
from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from app.core.timeutil import utcnow
from app.extensions import db
from app.main.blueprint import bp
from app.models.reminders import Reminder, ReminderStatus
from app.ops.config_check import scheduler_heartbeat


@bp.get("/healthz")
def healthz():
    """For monitoring: 200 when the database answers, the scheduler ran within two of its
    intervals and no mail has failed for good (after every retry: someone must look, then
    ``flask reminders retry-failed``); 503 otherwise. The body says the scheduler's last run
    and the mail waiting or failed; a database error is logged, never shown."""
    try:
        db.session.execute(select(1))
        seen, interval = scheduler_heartbeat(db.session)
        counts = dict(
            db.session.execute(
                select(Reminder.status, func.count(Reminder.id))
                .where(
                    Reminder.status.in_(
                        (ReminderStatus.PENDING, ReminderStatus.SENDING, ReminderStatus.FAILED)
                    )
                )
                .group_by(Reminder.status)
            ).all()
        )
    except DBAPIError:
        db.session.rollback()
        logging.getLogger(__name__).exception("healthz: the database does not answer")
        return {"status": "error", "database": {"ok": False}}, 503
    late = seen is None or utcnow() - seen > dt.timedelta(seconds=2 * interval)
    failed = counts.get(ReminderStatus.FAILED, 0)
    healthy = not late and not failed
    body = {
        "status": "ok" if healthy else "error",
        "database": {"ok": True},
        "scheduler": {
            "ok": not late,
            "last_run": seen.replace(tzinfo=dt.UTC).isoformat() if seen else None,
            "interval_seconds": interval,
        },
        "mail": {
            "ok": not failed,
            "pending": counts.get(ReminderStatus.PENDING, 0)
            + counts.get(ReminderStatus.SENDING, 0),
            "failed": failed,
        },
    }
    return body, 200 if healthy else 503


@bp.get("/favicon.ico")
def favicon():
    """The icon (app/static/favicon.ico, drawn from favicon.svg) at the address every browser
    asks for, signed in or not: no 404 in the logs for each page opened."""
    return send_from_directory(
        current_app.static_folder,
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=7 * 24 * 3600,
    )
