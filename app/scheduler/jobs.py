"""The jobs the scheduler runs, each declared by the feature that owns it (its ``JOBS``), in
the order a tick runs them: the recurring duties' new periods first, then the reminders, then
the e-office's packages (the inbox folder, the status packages), then the one-time keys of
writes forgotten after a day; the imports on their own interval."""

from __future__ import annotations

from app.edxml.jobs import JOBS as EDXML_JOBS
from app.importing.jobs import JOBS as IMPORT_JOBS
from app.recurring.jobs import JOBS as RECURRING_JOBS
from app.reminders.jobs import JOBS as REMINDER_JOBS
from app.web.jobs import JOBS as WEB_JOBS

JOBS = RECURRING_JOBS + REMINDER_JOBS + EDXML_JOBS + WEB_JOBS + IMPORT_JOBS
TICK_JOBS = tuple(job for job in JOBS if job.every is None)
POLLED_JOBS = tuple(job for job in JOBS if job.every is not None)
