"""Loading an archive's tasks and what happened to them: transfers, progress reports, events
(their before/after in this instance's ids) and extensions, streamed part by part."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.archive import records
from app.archive.format import read_lines
from app.archive.refs import Ids, People, add_in_batches
from app.core.timeutil import utcnow
from app.models import Event, Extension, ProgressReport, Task, TaskTransfer, task_cooperators


def load_tasks(session: Session, archive, ids: Ids) -> dict[int, int]:
    task_units: list[tuple[int, list[int]]] = []  # archived task ref, its cooperating units

    def tasks():
        for line, item in read_lines(archive, "tasks"):
            task_units.append(
                (item.ref, [ids.of("units", u, "tasks", line) for u in item.cooperators])
            )
            yield line, item.ref, Task(
                document_id=ids.of("documents", item.document, "tasks", line),
                content=item.content, lead_department_id=ids.of("units", item.lead, "tasks", line),
                deadline_kind=item.deadline_kind, deadline_working_days=item.working_days,
                deadline=item.deadline, original_deadline=item.original_deadline,
                deadline_written=item.deadline_written,
                state=item.state, done_on=item.done_on, closed_on=item.closed_on,
                cancel_reason=item.cancel_reason, note=item.note, period=item.period,
                created_at=item.created_at or utcnow(), updated_at=item.updated_at or utcnow(),
            )  # fmt: skip

    task_ids = add_in_batches(session, "tasks", tasks())
    cooperations = [
        {"task_id": task_ids[ref], "department_id": unit}
        for ref, units_of in task_units
        for unit in units_of
    ]
    if cooperations:
        session.execute(task_cooperators.insert(), cooperations)
    return task_ids


def load_transfers(session: Session, archive, ids: Ids) -> None:
    for line, item in read_lines(archive, "transfers"):
        session.add(
            TaskTransfer(
                task_id=ids.of("tasks", item.task, "transfers", line),
                effective_on=item.effective_on,
                from_department_id=ids.of("units", item.from_, "transfers", line),
                to_department_id=ids.of("units", item.to, "transfers", line),
                change_id=ids.maybe("changes", item.change, "transfers", line),
            )
        )


def load_progress_reports(session: Session, archive, ids: Ids, person: People) -> dict[int, int]:
    def reports():
        for line, item in read_lines(archive, "progress_reports"):
            task_id = ids.of("tasks", item.task, "progress_reports", line)
            ids.report_tasks[item.ref] = task_id
            yield line, item.ref, ProgressReport(
                task_id=task_id, department_id=ids.of("units", item.unit, "progress_reports", line),
                user_id=person(item.by), reported_on=item.reported_on, content=item.content,
                created_at=item.created_at or utcnow(),
            )  # fmt: skip

    return add_in_batches(session, "progress_reports", reports())


def _snapshot(values: records.Snapshot | None, ids: Ids, line: int) -> dict | None:
    """An event's before/after as stored, its unit and report ids those of this instance."""
    if values is None:
        return None
    out = values.model_dump(mode="json", exclude_unset=True)
    if values.lead_department_id is not None:
        out["lead_department_id"] = ids.of("units", values.lead_department_id, "events", line)
    if values.cooperating_department_ids is not None:
        out["cooperating_department_ids"] = sorted(
            ids.of("units", unit, "events", line) for unit in values.cooperating_department_ids
        )
    if values.progress_report_id is not None:
        out["progress_report_id"] = ids.of("reports", values.progress_report_id, "events", line)
    return out


def load_events(session: Session, archive, ids: Ids, person: People) -> int:
    events = 0
    for line, item in read_lines(archive, "events"):  # in recorded order: the ids keep it
        session.add(
            Event(
                task_id=ids.of("tasks", item.task, "events", line), user_id=person(item.by),
                kind=item.kind, effective_on=item.effective_on,
                created_at=item.created_at or utcnow(), state=item.state,
                sets_deadline=item.sets_deadline, deadline=item.deadline,
                before=_snapshot(item.before, ids, line), after=_snapshot(item.after, ids, line),
                comment=item.comment,
            )
        )  # fmt: skip
        events += 1
        if events % 1000 == 0:
            session.flush()
    return events


def load_extensions(session: Session, archive, ids: Ids, person: People) -> None:
    for line, item in read_lines(archive, "extensions"):
        session.add(
            Extension(
                task_id=ids.of("tasks", item.task, "extensions", line),
                requested_by_id=person(item.requested_by), requested_on=item.requested_on,
                previous_deadline=item.previous_deadline,
                requested_deadline=item.requested_deadline, reason=item.reason,
                status=item.status, decided_by_id=person(item.decided_by),
                decided_on=item.decided_on, decision_note=item.decision_note,
                approved_deadline=item.approved_deadline,
                created_at=item.created_at or utcnow(),
            )
        )  # fmt: skip
