"""A realistic province-sized database, written fast with bulk inserts.

Departments and districts with Vietnamese names, documents spread over the years, tasks with
deadlines, progress, extensions and completions, and the full event history the as-of rule
reads (about five events per task). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.dev.generate.history import CANCELLED_SHARE, History, insert_rows, next_id
from app.dev.generate.names import ISSUERS, department_names
from app.models import Department, Event, Issuer, User
from app.models.people import Role

BENCH_PASSWORD = "bench-password"
MAX_BACKLOG = 1 - CANCELLED_SHARE  # every past-due task that is not cancelled still open


def generate(
    session: Session,
    tasks: int,
    departments: int,
    years: int,
    today: dt.date,
    seed: int = 2024,
    progress=None,
    backlog: float | None = None,
) -> dict[str, int]:
    """Add the data (the caller commits). Returns counts of what was written.

    ``backlog`` is the share of tasks past their deadline that are still open today (a real
    office carries thousands); by default 1.5%, an office that finishes nearly everything."""
    if backlog is not None and not 0 <= backlog <= MAX_BACKLOG:
        raise ValueError(f"backlog must be between 0 and {MAX_BACKLOG}")
    # 3% of tasks are cancelled first; the rest of the past-due ones finish with this chance.
    past_due_finish = 0.985 if backlog is None else 1 - backlog / (1 - CANCELLED_SHARE)
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    dep_ids, weights = _add_departments(session, departments)
    issuer_start = _add_issuers(session)
    office_id, user_count = _add_users(session, dep_ids)
    say(f"{len(dep_ids)} departments, {user_count} users")

    start_day = today - dt.timedelta(days=365 * years)
    span = (today - start_day).days
    history = History(session, rng, today, office_id, dep_ids, weights, past_due_finish)
    numbers: dict[tuple[int, int], int] = {}
    written = 0
    while written < tasks:
        issued = start_day + dt.timedelta(days=int(rng.random() ** 0.8 * span))
        issuer_index = rng.randrange(len(ISSUERS))
        key = (issuer_index, issued.year)
        numbers[key] = numbers.get(key, 0) + 1
        number = f"{numbers[key]}/{ISSUERS[issuer_index][2]}"
        history.add_document(issued, number, issuer_start + issuer_index)
        for _ in range(min(rng.randint(1, 5), tasks - written)):
            history.add_task(issued)
            written += 1
        history.doc_id += 1
        if len(history.task_rows) >= 20000:
            history.flush()
            say(f"{written} tasks")
    history.flush()
    _reset_sequences(session)
    session.commit()
    with session.get_bind().connect() as connection:  # statistics for the query planner
        connection.execute(text("ANALYZE"))
        connection.commit()
    return {
        "departments": len(dep_ids),
        "tasks": written,
        "events": session.scalar(select(func.count(Event.id))),
    }


def _add_departments(session: Session, departments: int) -> tuple[list[int], list[float]]:
    """The departments' ids, and the share of the tasks each one leads."""
    dep_start = next_id(session, Department)
    dep_rows = [
        {
            "id": dep_start + i,
            "name": name,
            "short_name": f"ĐV{i + 1:03d}",
            "display_order": i + 1,
            "email": f"dv{i + 1:03d}@langson.example.vn",
            "is_active": True,
        }
        for i, name in enumerate(department_names(departments))
    ]
    insert_rows(session, Department.__table__, dep_rows)
    dep_ids = [r["id"] for r in dep_rows]
    # Skewed workload: a few departments carry most tasks, as in real provinces.
    weights = [1.0 / (rank + 1) for rank in range(len(dep_ids))]
    weights[0] *= 1.3  # the busiest (land and environment) carries a 2,000-row table
    return dep_ids, weights


def _add_issuers(session: Session) -> int:
    """The issuers; the id of the first."""
    issuer_start = next_id(session, Issuer)
    insert_rows(
        session,
        Issuer.__table__,
        [
            {"id": issuer_start + i, "name": name, "short_name": short, "display_order": i + 1}
            for i, (name, short, _) in enumerate(ISSUERS)
        ],
    )
    return issuer_start


def _add_users(session: Session, dep_ids: list[int]) -> tuple[int, int]:
    """An office user and a head for each department: (the office user's id, users added)."""
    user_start = next_id(session, User)
    from werkzeug.security import generate_password_hash

    password = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    users = [
        {
            "id": user_start,
            "username": "bench.office",
            "full_name": "Văn phòng (bench)",
            "email": "bench.office@langson.example.vn",
            "password_hash": password,
            "role": Role.OFFICE,
            "department_id": None,
            "is_active": True,
            "created_at": dt.datetime(2020, 1, 1),
        }
    ]
    for i, dep_id in enumerate(dep_ids):
        users.append(
            {
                "id": user_start + 1 + i,
                "username": f"bench.dv{i + 1:03d}",
                "full_name": f"Trưởng đơn vị {i + 1:03d}",
                "email": f"truong.dv{i + 1:03d}@langson.example.vn",
                "password_hash": password,
                "role": Role.DEPARTMENT_HEAD,
                "department_id": dep_id,
                "is_active": True,
                "created_at": dt.datetime(2020, 1, 1),
            }
        )
    insert_rows(session, User.__table__, users)
    return user_start, len(users)


def _reset_sequences(session: Session) -> None:
    """PostgreSQL's id sequences past the ids written here."""
    if session.get_bind().dialect.name == "postgresql":
        for table in (
            "departments",
            "issuers",
            "users",
            "documents",
            "tasks",
            "events",
            "progress_reports",
            "extensions",
        ):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
