"""Loading the key task groups (with the tasks they hold) and the evaluations of an archive:
each ref mapped to its new row; a group's task, a unit, a revised evaluation that the archive
does not have is refused with its part and line."""

from __future__ import annotations

from sqlalchemy import insert

from app.archive.format import read_lines, refused
from app.archive.refs import Ids, People, add_in_batches
from app.core.timeutil import utcnow
from app.models import Evaluation, KeyTaskGroup, key_task_members


def load_key_task_groups(session, archive, ids: Ids) -> dict[int, int]:
    members: list[dict] = []

    def rows():
        for line, item in read_lines(archive, "key_task_groups"):
            if item.period_from > item.period_to:
                raise refused("key_task_groups", line, "đầu kỳ sau cuối kỳ.")
            group = KeyTaskGroup(
                name=item.name, issuer_id=ids.of("issuers", item.issuer, "key_task_groups", line),
                period_from=item.period_from, period_to=item.period_to, given_on=item.given_on,
                display_order=item.order, note=item.note, created_at=item.created_at or utcnow(),
            )  # fmt: skip
            tasks = [ids.of("tasks", t, "key_task_groups", line) for t in item.tasks]
            members.append({"group": group, "tasks": tasks})
            yield line, item.ref, group

    group_ids = add_in_batches(session, "key_task_groups", rows())
    rows_of = [
        {"group_id": m["group"].id, "task_id": task_id} for m in members for task_id in m["tasks"]
    ]
    for start in range(0, len(rows_of), 5000):
        session.execute(insert(key_task_members), rows_of[start : start + 5000])
    return group_ids


def load_evaluations(session, archive, ids: Ids, person: People) -> int:
    count = 0
    for line, item in read_lines(archive, "evaluations"):
        if (item.group is None) == (item.unit is None):
            raise refused("evaluations", line, "một đánh giá là của một nhóm hoặc một đơn vị.")
        if item.ref in ids.evaluations:
            raise refused("evaluations", line, f"ref {item.ref} đã có ở một dòng trước.")
        row = Evaluation(
            group_id=ids.maybe("groups", item.group, "evaluations", line),
            department_id=ids.maybe("units", item.unit, "evaluations", line),
            period_from=item.period_from, period_to=item.period_to,
            effective_on=item.effective_on, grade=item.grade, note=item.note,
            decided_by=item.decided_by, reason=item.reason, proposal=item.proposal,
            revises_id=ids.maybe("evaluations", item.revises, "evaluations", line),
            figures=item.figures.model_dump() if item.figures else None,
            recorded_by_id=person(item.recorded_by), recorded_at=item.recorded_at or utcnow(),
        )  # fmt: skip
        session.add(row)
        session.flush()
        ids.evaluations[item.ref] = row.id
        count += 1
    return count
