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
    past_due_finish = finish_chance(backlog)
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    dep_ids, weights = add_departments(session, department_names(departments))
    issuer_start = add_issuers(session)
    office_id, user_count = add_users(session, dep_ids)
    say(f"{len(dep_ids)} departments, {user_count} users")

    history = History(session, rng, today, office_id, dep_ids, weights, past_due_finish)
    written = write_tasks(history, tasks, years, issuer_start, say)
    finish(session)
    return {
        "departments": len(dep_ids),
        "tasks": written,
        "events": session.scalar(select(func.count(Event.id))),
    }


def finish_chance(backlog: float | None) -> float:
    """The chance that a task past its deadline was finished, for a ``backlog`` share left
    open (3% of tasks are cancelled first)."""
    if backlog is not None and not 0 <= backlog <= MAX_BACKLOG:
        raise ValueError(f"backlog must be between 0 and {MAX_BACKLOG}")
    return 0.985 if backlog is None else 1 - backlog / (1 - CANCELLED_SHARE)


def write_tasks(history: History, tasks: int, years: int, issuer_start: int, say) -> int:
    """``tasks`` tasks over the last ``years`` years, one to five a document, more of them
    recent, numbered per issuer and year; written in batches. Returns the count."""
    rng, today = history.rng, history.today
    start_day = today - dt.timedelta(days=365 * years)
    span = (today - start_day).days
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
    return written


def finish(session: Session) -> None:
    """Sequences past the ids written, the transaction committed, the planner's statistics."""
    _reset_sequences(session)
    session.commit()
    with session.get_bind().connect() as connection:  # statistics for the query planner
        connection.execute(text("ANALYZE"))
        connection.commit()


def add_departments(
    session: Session, names: list[str], code: str = ""
) -> tuple[list[int], list[float]]:
    """The units of the current office (``code``: the office's mark in their e-mail
    addresses): their ids, and the share of the tasks each one leads."""
    dep_start = next_id(session, Department)
    dep_rows = [
        {
            "id": dep_start + i,
            "name": name,
            "short_name": f"ĐV{i + 1:03d}",
            "display_order": i + 1,
            "email": f"{code}dv{i + 1:03d}@langson.example.vn",
            "is_active": True,
        }
        for i, name in enumerate(names)
    ]
    insert_rows(session, Department.__table__, dep_rows)
    dep_ids = [r["id"] for r in dep_rows]
    # Skewed workload: a few departments carry most tasks, as in real provinces.
    weights = [1.0 / (rank + 1) for rank in range(len(dep_ids))]
    weights[0] *= 1.3  # the busiest (land and environment) carries a 2,000-row table
    return dep_ids, weights


def add_issuers(session: Session) -> int:
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


def add_users(
    session: Session, dep_ids: list[int], code: str = "", members: int = 0
) -> tuple[int, int]:
    """An office user, a head for each department and ``members`` more members spread over
    them, in the current office, named ``bench.<code>…``: (the office user's id, users added)."""
    user_start = next_id(session, User)
    from werkzeug.security import generate_password_hash

    password = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    created = dt.datetime(2020, 1, 1)

    def user(offset, name, full_name, role, dep_id):
        return {
            "id": user_start + offset,
            "username": f"bench.{code}{name}",
            "full_name": full_name,
            "email": f"{code}{name}@langson.example.vn",
            "password_hash": password,
            "role": role,
            "department_id": dep_id,
            "is_active": True,
            "created_at": created,
        }

    users = [user(0, "office", "Văn phòng (bench)", Role.OFFICE, None)]
    for i, dep_id in enumerate(dep_ids):
        number = f"{i + 1:03d}"
        users.append(user(len(users), f"dv{number}", f"Trưởng đơn vị {number}",
                          Role.DEPARTMENT_HEAD, dep_id))  # fmt: skip
    for i in range(members):
        number = f"{i + 1:03d}"
        users.append(user(len(users), f"cv{number}", f"Chuyên viên {number}",
                          Role.DEPARTMENT_MEMBER, dep_ids[i % len(dep_ids)]))  # fmt: skip
    insert_rows(session, User.__table__, users)
    return user_start, len(users)


def _reset_sequences(session: Session) -> None:
    """PostgreSQL's id sequences past the ids written here."""
    if session.get_bind().dialect.name == "postgresql":
        for table in (
            "offices",
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
