"""What a feature declares for the scheduler (``app.scheduler``) to run: its jobs.

A feature owns its jobs in its ``jobs.py`` (a tuple ``JOBS`` of :class:`Job`); the scheduler
imports the declared list and runs them while it holds the lock. A feature never imports the
scheduler.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Job:
    """One duty of a feature, run by the scheduler.

    Without ``every`` it is a step of the scheduler's tick (every ``--interval`` seconds; also
    ``flask scheduler run --once`` and ``flask reminders send-due``): ``run(session, now)``
    (``now`` naive local time) inside the tick's transaction, committed with the heartbeat,
    then ``then(session, now, what run returned)`` after that commit. The tick returns what
    each step gave (``then``'s value when there is one), by ``name``, in the declared order.

    With ``every`` (seconds) it runs on its own: ``run(app)`` in an application context while
    the scheduler holds the lock (not in ``--once``). ``name`` is its APScheduler job id.
    """

    name: str
    run: Callable[..., Any]
    then: Callable[..., Any] | None = None
    every: int | None = None
