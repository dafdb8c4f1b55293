"""Service endpoints."""

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from app.core.timeutil import utcnow
from app.extensions import db
from app.main.blueprint import bp
from app.models.reminders import Reminder, ReminderStatus
from app.ops.config_check import scheduler_heartbeat


@bp.get("/healthz")
def healthz():
    """For monitoring: 200 when the database answers and the scheduler ran within two of its
    intervals; 503 otherwise. The body says the scheduler's last run and the mail waiting or
    failed."""
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
    except DBAPIError as error:
        db.session.rollback()
        reason = str(error.orig).strip().splitlines()[0][:200] if error.orig else "unreachable"
        return {"status": "error", "database": {"ok": False, "error": reason}}, 503
    late = seen is None or utcnow() - seen > dt.timedelta(seconds=2 * interval)
    body = {
        "status": "error" if late else "ok",
        "database": {"ok": True},
        "scheduler": {
            "ok": not late,
            "last_run": seen.replace(tzinfo=dt.UTC).isoformat() if seen else None,
            "interval_seconds": interval,
        },
        "mail": {
            "pending": counts.get(ReminderStatus.PENDING, 0)
            + counts.get(ReminderStatus.SENDING, 0),
            "failed": counts.get(ReminderStatus.FAILED, 0),
        },
    }
    return body, 503 if late else 200
