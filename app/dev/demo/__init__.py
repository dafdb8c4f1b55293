"""Demo data: the departments of the Lạng Sơn report, documents around today, and the
"Lạng Sơn 12/2024" scenario whose summary as of 16/12/2024 is the seed report's section.

Everything goes through ``tasks.changes`` so the demo has the same history as real use.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.core.settings import save_settings
from app.dev.demo.keytasks import add_key_tasks
from app.dev.demo.people import DEMO_PASSWORD, DEPARTMENTS, ISSUERS, add_users
from app.dev.demo.recent import add_recent_documents, add_recurring_duties
from app.dev.demo.reorganisation import SUCCESSOR, add_reorganisation
from app.dev.demo.scenario import SCENARIO_DATE, add_scenario
from app.dev.demo.writer import Demo
from app.models import Department, Issuer, User

__all__ = ["DEMO_PASSWORD", "SCENARIO_DATE", "SUCCESSOR", "has_data", "seed_demo"]


def has_data(session: Session) -> bool:
    return session.scalar(select(Department.id).limit(1)) is not None


def seed_demo(session: Session, today: dt.date, password_method: str = "scrypt") -> dict[str, User]:
    """Load the demo; the caller commits. Refuses to run on a database that has data."""
    if has_data(session):
        raise ValueError("the database already has data")
    departments = {}
    for order, (name, short, code) in enumerate(DEPARTMENTS, start=1):
        departments[code] = Department(
            name=name, short_name=short, display_order=order, email=f"{code}@langson.example.vn"
        )
        session.add(departments[code])
    issuers = []
    for order, (name, short) in enumerate(ISSUERS, start=1):
        issuers.append(Issuer(name=name, short_name=short, display_order=order))
        session.add(issuers[-1])
    users = add_users(session, departments, password_method)
    session.flush()
    demo = Demo(
        session, load_calendar(session), random.Random(1321), departments, issuers, users, {}
    )
    add_scenario(demo)
    add_reorganisation(demo, today)
    add_recent_documents(demo, today)
    add_recurring_duties(demo, today)
    add_key_tasks(demo, today)
    save_settings(
        session, governing_body="UBND thành phố Lạng Sơn", office_name="Văn phòng HĐND và UBND"
    )
    session.flush()
    return users
