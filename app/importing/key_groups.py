"""The import's optional column "Nhóm nhiệm vụ trọng tâm": the key task groups a row's task
belongs to, named as the groups are (accents and case aside), several separated by ";" or a line
break. Only existing groups: a name that is none is the row's error. Once the import is written
the tasks (new, updated or unchanged) join the groups they are not in yet; undoing an import
removes the tasks it created, with their places in groups."""

from __future__ import annotations

import re

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from app.core.textnorm import fold
from app.importing.columns import TASK_COLUMNS
from app.importing.problems import Problem
from app.importing.results import ImportResult
from app.models import KeyTaskGroup, key_task_members
from app.models.documents import task_id_from_code

SEPARATORS = re.compile(r"[;\n]+")
MAX_GROUPS_PER_ROW = 20


def check_key_groups(session: Session, rows: list, problems: list[Problem]) -> None:
    """Each row's group names read into ids (``row.key_groups``); an unknown one is refused."""
    named = [row for row in rows if row.key_groups_text]
    if not named:
        return
    index = {fold(g.name): g.id for g in session.scalars(select(KeyTaskGroup))}
    column = TASK_COLUMNS["key_groups"]
    for row in named:
        names = [n.strip() for n in SEPARATORS.split(row.key_groups_text) if n.strip()]
        if len(names) > MAX_GROUPS_PER_ROW:
            problems.append(row.row.problem(column, f"nhiều nhất {MAX_GROUPS_PER_ROW} nhóm."))
            continue
        ids = []
        for name in names:
            found = index.get(fold(name))
            if found is None:
                message = f"không có nhóm nhiệm vụ trọng tâm “{name[:60]}”."
                problems.append(row.row.problem(column, message))
            elif found not in ids:
                ids.append(found)
        row.key_groups = ids


def join_key_groups(session: Session, result: ImportResult) -> int:
    """Put each written row's task in its groups; the number of places added."""
    wanted = set()
    for outcome in result.outcomes:
        task_id = task_id_from_code(outcome.code) if outcome.code else None
        if task_id and outcome.key_groups and outcome.action in ("new", "updated", "unchanged"):
            wanted.update((group_id, task_id) for group_id in outcome.key_groups)
    if not wanted:
        return 0
    task_ids = sorted({task_id for _group, task_id in wanted})
    have = set()
    for start in range(0, len(task_ids), 500):
        chunk = task_ids[start : start + 500]
        query = select(key_task_members.c.group_id, key_task_members.c.task_id).where(
            key_task_members.c.task_id.in_(chunk)
        )
        have.update((group_id, task_id) for group_id, task_id in session.execute(query))
    new = sorted(wanted - have)
    if new:
        session.execute(insert(key_task_members), [{"group_id": g, "task_id": t} for g, t in new])
        session.flush()
    return len(new)
