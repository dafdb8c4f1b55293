"""Demo data: the city office of 2024 (the departments of the Lạng Sơn report, the "Lạng Sơn
12/2024" scenario whose summary as of 16/12/2024 is the seed report's section, its 2025
reorganisation and its last documents), then, from 1 July 2025, the province's office, the
wards that replaced the city and two communes, each with its own units and people, and the
city office ended on that day with its open tasks handed over to the wards and the province.

Everything goes through ``tasks.changes`` so the demo has the same history as real use.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.core.office_scope import all_offices, use_office
from app.core.settings import save_settings
from app.dev.demo.keytasks import add_key_tasks
from app.dev.demo.offices import (
    CITY_CODE,
    CITY_NAME,
    PROVINCE_CODE,
    REFORM_DATE,
    add_local_offices,
    add_local_work,
    add_province,
    add_province_work,
)
from app.dev.demo.people import DEMO_PASSWORD, DEPARTMENTS, ISSUERS, add_users
from app.dev.demo.recent import add_recent_documents, add_recurring_duties
from app.dev.demo.reform import hand_over_city
from app.dev.demo.reorganisation import SUCCESSOR, add_reorganisation
from app.dev.demo.scenario import SCENARIO_DATE, add_scenario
from app.dev.demo.writer import Demo
from app.models import Department, Issuer, Office, User
from app.models.offices import OfficeLevel

__all__ = [
    "CITY_CODE",
    "CITY_LAST_DAY",
    "DEMO_PASSWORD",
    "PROVINCE_CODE",
    "REFORM_DATE",
    "SCENARIO_DATE",
    "SUCCESSOR",
    "city_office_id",
    "has_data",
    "seed_demo",
]

# The city office's last day: its "last two months" of documents end there.
CITY_LAST_DAY = REFORM_DATE - dt.timedelta(days=1)


def has_data(session: Session) -> bool:
    with all_offices():
        return session.scalar(select(Department.id).limit(1)) is not None


def city_office_id() -> int:
    """The demo's city office: the installation's first office."""
    return 1


def seed_demo(session: Session, today: dt.date, password_method: str = "scrypt") -> dict[str, User]:
    """Load the demo; the caller commits. Refuses to run on a database that has data. From
    1 July 2025 on (``today``), the offices of the two-level government too."""
    if has_data(session):
        raise ValueError("the database already has data")
    city = session.get(Office, city_office_id())
    city.code, city.name, city.level = CITY_CODE, CITY_NAME, OfficeLevel.DISTRICT
    with use_office(city.id):
        users = _seed_city(session, min(today, CITY_LAST_DAY), password_method)
    if today < REFORM_DATE:
        session.flush()
        return users
    province, more = add_province(session, city, password_method)
    users.update(more)
    offices, more = add_local_offices(session, province, password_method)
    users.update(more)
    hand_over_city(session, city, province, offices, today, users)
    add_province_work(session, province, today, users)
    add_local_work(session, offices, today, users)
    session.flush()
    return users


def _seed_city(session: Session, today: dt.date, password_method: str) -> dict[str, User]:
    """The city office's data, as of ``today`` (at the latest its last day)."""
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
