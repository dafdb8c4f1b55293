"""A province of 66 offices for the benchmark: the province's office and its communes' and wards'.

The installation's office becomes the province's (Văn phòng UBND tỉnh), with its departments
and agencies and, as units, the People's Committees of the communes and wards; each commune
and ward is an office below it, standing for that unit, with its own divisions, users, issuers
and tasks. Every office's tasks are written as ``generate`` writes them (documents, deadlines,
progress, extensions, completions and their events), in bulk, within that office.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.office_scope import all_offices, use_office
from app.dev.generate import (
    add_departments,
    add_issuers,
    add_users,
    finish,
    finish_chance,
    write_tasks,
)
from app.dev.generate.history import History
from app.dev.generate.names import OTHERS, SO
from app.models import Department, Event, Office, Task, User
from app.models.offices import OfficeLevel
from app.offices.registry import create_office

WARDS = ["Tam Thanh", "Lương Văn Tri", "Kỳ Lừa", "Đông Kinh"]  # the city's four wards
DIVISIONS = [
    "Văn phòng HĐND và UBND",
    "Phòng Kinh tế",
    "Phòng Văn hóa – Xã hội",
    "Trung tâm Phục vụ hành chính công",
    "Công an",
    "Ban Chỉ huy Quân sự",
    "Trạm Y tế",
    "Ban Quản lý dự án",
    "Hội Nông dân",
    "Đoàn Thanh niên",
]
GIVEN_TO_COMMUNES = 0.5  # of the province's tasks, the share its communes lead


def commune_names(count: int) -> list[str]:
    """The communes' and wards' People's Committees: the four wards, then numbered communes."""
    names = [f"UBND phường {w}" for w in WARDS[:count]]
    names += [f"UBND xã {n:02d}" for n in range(1, count - len(names) + 1)]
    return names


def generate_offices(
    session: Session,
    province_tasks: int,
    communes: int,
    commune_tasks: int,
    years: int,
    today: dt.date,
    seed: int = 2024,
    progress=None,
    backlog: float | None = None,
    members: int = 33,
) -> dict[str, int]:
    """Write the province (the installation's only office so far) and ``communes`` offices
    below it; ``members`` users a commune beside its office user and division heads. Commits.
    Returns counts of what was written."""
    past_due_finish = finish_chance(backlog)
    rng = random.Random(seed)
    say = progress or (lambda message: None)
    with all_offices():
        province = session.scalars(select(Office).order_by(Office.id)).one()
    province.code, province.name = "TINH", "Văn phòng UBND tỉnh Lạng Sơn"
    province.level = OfficeLevel.PROVINCE
    units = commune_names(communes)
    with use_office(province.id):
        agencies = [f"Sở {s}" for s in SO] + OTHERS
        dep_ids, weights = add_departments(session, agencies + units)
        # The agencies carry half the work, skewed; the communes the other half, evenly.
        share = (1 - GIVEN_TO_COMMUNES) / sum(weights[: len(agencies)])
        weights = [w * share for w in weights[: len(agencies)]]
        weights += [GIVEN_TO_COMMUNES / len(units)] * len(units)
        issuer_start = add_issuers(session)
        user_id, _count = add_users(session, dep_ids)
        history = History(session, rng, today, user_id, dep_ids, weights, past_due_finish)
        write_tasks(history, province_tasks, years, issuer_start, say)
        session.flush()
    say(f"the province: {province_tasks} tasks")
    unit_ids = dep_ids[len(agencies) :]
    for number, (name, unit_id) in enumerate(zip(units, unit_ids, strict=True), start=1):
        code = f"x{number:02d}."
        office = create_office(
            session, f"XA{number:02d}", f"Văn phòng HĐND và {name}", OfficeLevel.COMMUNE,
            province, _unit(session, province.id, unit_id),
        )  # fmt: skip
        with use_office(office.id):
            dep_ids, weights = add_departments(session, DIVISIONS, code)
            issuer_start = add_issuers(session)
            user_id, _count = add_users(session, dep_ids, code, members)
            history = History(session, rng, today, user_id, dep_ids, weights, past_due_finish)
            write_tasks(history, commune_tasks, years, issuer_start, lambda message: None)
            session.flush()
        if number % 10 == 0:
            say(f"{number} communes")
    finish(session)
    return _counts(session)


def _unit(session: Session, office_id: int, unit_id: int) -> Department:
    with use_office(office_id):
        return session.get(Department, unit_id)


def _counts(session: Session) -> dict[str, int]:
    with all_offices():
        return {
            "offices": session.scalar(select(func.count(Office.id))),
            "users": session.scalar(select(func.count(User.id))),
            "tasks": session.scalar(select(func.count(Task.id))),
            "events": session.scalar(select(func.count(Event.id))),
        }
