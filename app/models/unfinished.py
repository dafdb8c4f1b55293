"""Rows of an import that is still being written are nobody's yet.

A large import commits in batches (``app.importing.jobs``); until its last batch is written
the tasks and documents it created carry its job's id in ``import_job_id`` and every ORM
query leaves them out: lists, pages, reports, statistics, exports, the API and the feeds
never count half an import, and nobody can edit a row that an undo may still remove. The
job clears the mark in the transaction that records it as done; an undo deletes the rows.

The import's own session sees them (``session.info[SEES_UNFINISHED]``), as does a query
with the execution option ``include_unfinished``. The rule is added only while an import is
being written (one look at ``import_jobs`` per query): the rest of the time the queries are
left as they are, since the extra condition costs the overdue page and the monthly section
their covering indexes (``bench/unfinished_rule.py``: 1.8× and 1.3× with it always on). On
SQLite the look and the query read one snapshot; on PostgreSQL a job would have to be claimed
and write its first batch between two statements of one request to slip through.
"""

from __future__ import annotations

from sqlalchemy import event, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from app.models.documents import Document, Task

SEES_UNFINISHED = "sees_unfinished_import"
# Whether any import is being written: one look at a small indexed table (ix_import_jobs_status).
WRITING_LOOK = text(
    "SELECT 1 FROM import_jobs WHERE status = 'running' AND kind = 'import' LIMIT 1"
)


@event.listens_for(Session, "do_orm_execute")
def _leave_out_unfinished(state: ORMExecuteState) -> None:
    if (
        not state.is_select
        # a column or relationship load inherits the rule from the query that loaded its object
        # (the criteria propagate to loaders); adding it again would pile up one per load
        or state.is_column_load
        or state.is_relationship_load
        or state.execution_options.get("include_unfinished")
        or state.session.info.get(SEES_UNFINISHED)
    ):
        return
    if not _writing(state.session):
        return  # nothing is being written (nearly always): the queries stay as they are
    state.statement = state.statement.options(
        with_loader_criteria(Task, lambda cls: cls.import_job_id.is_(None), include_aliases=True),
        with_loader_criteria(
            Document, lambda cls: cls.import_job_id.is_(None), include_aliases=True
        ),
    )


def _writing(session: Session) -> bool:
    connection = session.connection()
    try:
        return connection.execute(WRITING_LOOK).first() is not None
    except OperationalError:
        # A SQLite database taken below the import jobs' migration (a refused downgrade leaves
        # the later tables dropped): no job can be writing. PostgreSQL's DDL is transactional.
        if connection.dialect.name != "sqlite":
            raise
        return False
