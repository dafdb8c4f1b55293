"""The query planner's statistics on SQLite.

PostgreSQL gathers its own (autovacuum's ANALYZE). SQLite has none until ANALYZE runs, and
then plans by rules of thumb that the offices broke: with an index on every table's office,
it read a whole office's tasks through it to load a page of 50 tasks by their ids, because an
index equality looks as selective as a list of ids when nothing says otherwise. The
statistics are gathered by a bounded ANALYZE (``analysis_limit``: about a thousand rows an
index, a tenth of a second at 200,000 tasks) once a day by the scheduler (at its first pass
too), after each import and after the demo data is loaded.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

ANALYSIS_LIMIT = 1000  # rows read an index: estimates, but the planner needs no more
EVERY_SECONDS = 24 * 3600
_last: dict[str, float] = {}


def refresh_statistics(session: Session) -> bool:
    """Gather SQLite's statistics now (committed); False on another database."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    session.commit()  # ANALYZE writes: in a transaction of its own
    with bind.connect() as connection:
        connection.exec_driver_sql(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    _last[str(bind.url)] = time.monotonic()
    return True


def refresh_if_due(session: Session, now: bool = False) -> bool:
    """``refresh_statistics`` when this process has not done it for a day (the scheduler) or
    ``now`` (after an import); a failure is logged, never raised."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return False
    last = _last.get(str(bind.url))
    if not now and last is not None and time.monotonic() - last < EVERY_SECONDS:
        return False
    try:
        return refresh_statistics(session)
    except Exception:  # the statistics help, they are never worth a failed pass
        log.exception("gathering SQLite's statistics failed")
        session.rollback()
        return False
