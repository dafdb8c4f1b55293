"""A province of 66 offices on PostgreSQL: python bench/offices.py [--generate] [--url URL]
[--province-tasks N --communes N --commune-tasks N --years N] [--repeat N].

Generates (once, with --generate: ``flask bench generate --communes``) the province's office
with 50,000 tasks and 65 commune and ward offices below it with 3,000 tasks each (about 3,000
users, 1.3 million events), serves it with gunicorn and the production configuration on
loopback, and times every page an office's staff opens, for the province's office and for one
commune's, against the single-office benchmark's targets (``bench/run.py``), then the
province's table across its communes (target < 1 s) in process and over HTTP. Prints medians
(min – max). Requests go only to 127.0.0.1 and every loop is bounded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import Client, describe, flask, production_server, timed  # noqa: E402

PAGE, REPORT, FILE, DIGESTS = 0.100, 1.0, 3.0, 5.0
# (label, address with {busiest}/{task}/{document}, target in seconds, target's source)
PAGES = [
    ("dashboard", "/", PAGE, "(2)"),
    ("task list (open, most urgent first)", "/nhiem-vu", PAGE, "(1)"),
    ("task list, late, page 2", "/nhiem-vu?page=2&category=late", PAGE, "(1)"),
    ("overdue list, busiest unit, by days late",
     "/nhiem-vu/qua-han?department={busiest}&sort=days_late", PAGE, "(1)"),
    ("a task's page", "/nhiem-vu/{task}", PAGE, "(1)"),
    ("a document's page", "/van-ban/{document}", PAGE, "(1)"),
    ("the office's queue", "/cho-van-phong-xu-ly", PAGE, "(1)"),
    ("new document form", "/van-ban/moi", PAGE, "(1)"),
    ("key task groups", "/nhom-nhiem-vu", PAGE, "(1)"),
    ("statistics page, this month", "/thong-ke", REPORT, "(3)"),
    ("statistics, a unit's open tasks", "/thong-ke/nhiem-vu?department={busiest}&group=not_done",
     REPORT, "(3)"),
    ("report page (monthly section, changes, key tasks)", "/bao-cao", REPORT, "(3)"),
    ("12-month trend fragment", "/tong-quan/xu-huong?fragment=1", REPORT, "(10)"),
    ("detailed table XLSX, busiest unit", "/bao-cao/bieu-chi-tiet.xlsx?department={busiest}",
     FILE, "(4)"),
    ("overdue list JSON API", "/api/v1/tasks?department={busiest}&category=late", None, ""),
]  # fmt: skip
PROVINCE_PAGES = [
    ("province's table across its communes (page)", "/bao-cao/toan-tinh", REPORT, "issue 32"),
    ("the same, two years back", "/bao-cao/toan-tinh?as_of={two_years}", REPORT, "issue 32"),
    ("the same as XLSX", "/bao-cao/toan-tinh.xlsx", FILE, "(4)"),
    ("its drill-down: a commune's overdue tasks from the first document",
     "/thong-ke/nhiem-vu?period=custom&group=overdue&department={commune_unit}"
     "&from={first}&to={today}&as_of={today}", REPORT, "(3)"),
]  # fmt: skip


def generate(url: str, args, env: dict) -> None:
    from sqlalchemy import create_engine, text

    from app.config import normalize_database_url

    admin = create_engine(
        normalize_database_url(url.rsplit("/", 1)[0] + "/postgres"), isolation_level="AUTOCOMMIT"
    )
    name = url.rsplit("/", 1)[1]
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    flask(["db", "upgrade"], env)
    started = time.perf_counter()
    command = ["bench", "generate", "--tasks", str(args.province_tasks), "--years",
               str(args.years), "--communes", str(args.communes), "--commune-tasks",
               str(args.commune_tasks)]  # fmt: skip
    print(flask(command, env).strip().splitlines()[-1])
    print(f"generated in {time.perf_counter() - started:.0f} s")


def office_facts(session, office_id: int) -> dict:
    """The ids a page address needs in one office: its busiest unit (most open tasks), an
    open task of it and that task's document."""
    from sqlalchemy import func, select

    from app.core.office_scope import use_office
    from app.models import Task
    from app.models.documents import OPEN_STATES

    with use_office(office_id):
        busiest = session.scalar(
            select(Task.lead_department_id)
            .where(Task.state.in_(OPEN_STATES))
            .group_by(Task.lead_department_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        task, document = session.execute(
            select(Task.id, Task.document_id)
            .where(Task.lead_department_id == busiest, Task.state.in_(OPEN_STATES))
            .order_by(Task.id)
            .limit(1)
        ).one()
        counts = {
            "tasks": session.scalar(select(func.count(Task.id))),
            "open": session.scalar(select(func.count(Task.id)).where(Task.state.in_(OPEN_STATES))),
        }
    return {"busiest": busiest, "task": task, "document": document, **counts}


def first_document(session, office_id: int) -> str:
    from sqlalchemy import func, select

    from app.core.office_scope import use_office
    from app.models import Document

    with use_office(office_id):
        return session.scalar(select(func.min(Document.issued_on))).isoformat()


def in_process(session, province_id: int, commune_id: int, repeat: int) -> dict:
    """The province's table and each office's weekly digests, timed in this process."""
    from app.core.office_scope import use_office
    from app.core.timeutil import local_today
    from app.models import Office
    from app.offices.province_table import province_rows
    from app.reminders.decide import decide_digests

    today = local_today()
    out = {}
    with use_office(province_id):
        province = session.get(Office, province_id)
        out["table"] = describe(timed(lambda: province_rows(session, province, today), repeat))
        two_years = today - dt.timedelta(days=730)
        out["table_2y"] = describe(
            timed(lambda: province_rows(session, province, two_years), repeat)
        )
    for key, office_id in (("province", province_id), ("commune", commune_id)):
        with use_office(office_id):

            def digests() -> None:
                decide_digests(session, today, "bench")
                session.rollback()

            out[f"digests_{key}"] = describe(timed(digests, max(repeat // 2, 3)))
    return out


def over_http(base: str, username: str, facts: dict, pages, repeat: int, token: str) -> dict:
    client = Client(base)
    client.login(username, "bench-password")
    out = {}
    for label, address, _target, _source in pages:
        path = address.format(**facts)
        headers = {"Authorization": f"Bearer {token}"} if path.startswith("/api/") else None
        reps = repeat if _target in (PAGE, None) else max(repeat // 2, 3)
        out[label] = describe(timed(lambda p=path, h=headers: client.get(p, h), reps))
    return out


def token_for(session, username: str) -> str:
    from sqlalchemy import select

    from app.core.office_scope import all_offices, use_office
    from app.models import ApiToken, User

    with all_offices():
        user = session.scalar(select(User).where(User.username == username))
    with use_office(user.office_id):
        row, token = ApiToken.issue(user, "bench")
        session.add(row)
        session.commit()
    return token


def table_lines(results: dict, pages, office: str) -> list[str]:
    lines = []
    for label, _address, target, source in pages:
        r = results[label]
        goal = f"< {target * 1000:,.0f} ms {source}" if target else ""
        mark = "" if not target else (" ✓" if r["median"] < target else " ✗")
        lines.append(
            f"| {office}: {label} | {r['median'] * 1000:,.1f} ms{mark} | "
            f"{r['min'] * 1000:,.1f} – {r['max'] * 1000:,.1f} | {goal} |"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/bench_offices")
    parser.add_argument("--generate", action="store_true", help="(re)build the data first")
    parser.add_argument("--province-tasks", type=int, default=50_000)
    parser.add_argument("--communes", type=int, default=65)
    parser.add_argument("--commune-tasks", type=int, default=3_000)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--commune", default="XA05", help="the commune office timed")
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--workers", type=int)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": args.url, "SECRET_KEY": "bench",
           "BASE_URL": "http://127.0.0.1"}  # fmt: skip
    env.pop("SMTP_HOST", None)
    if args.generate:
        generate(args.url, args, env)
    else:
        flask(["db", "upgrade"], env)

    from sqlalchemy import func, select

    from app import create_app
    from app.core.office_scope import all_offices
    from app.core.timeutil import local_today
    from app.extensions import db
    from app.models import Event, Office, Task, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": args.url, "SECRET_KEY": "bench",
                      "OUTBOX_DIR": "/tmp/bench-outbox"})  # fmt: skip
    with app.app_context():
        session = db.session
        with all_offices():
            province = session.scalar(select(Office).where(Office.code == "TINH"))
            commune = session.scalar(select(Office).where(Office.code == args.commune))
            size = {
                "offices": session.scalar(select(func.count(Office.id))),
                "users": session.scalar(select(func.count(User.id))),
                "tasks": session.scalar(select(func.count(Task.id))),
                "events": session.scalar(select(func.count(Event.id))),
            }
        facts = {
            "province": office_facts(session, province.id),
            "commune": office_facts(session, commune.id),
        }
        two_years = local_today() - dt.timedelta(days=730)
        facts["province"]["two_years"] = f"{two_years:%d/%m/%Y}"
        facts["province"]["today"] = local_today().isoformat()
        facts["province"]["commune_unit"] = commune.parent_unit_id
        facts["province"]["first"] = first_document(session, province.id)
        number = int(re.sub(r"\D", "", args.commune))
        commune_user = f"bench.x{number:02d}.office"
        tokens = {"province": token_for(session, "bench.office"),
                  "commune": token_for(session, commune_user)}  # fmt: skip
        processed = in_process(session, province.id, commune.id, args.repeat)
        session.remove()

    with production_server(env, args.workers) as (_gunicorn, base):
        province_pages = PAGES + PROVINCE_PAGES
        http = {
            "province": over_http(base, "bench.office", facts["province"], province_pages,
                                  args.repeat, tokens["province"]),
            "commune": over_http(base, commune_user, facts["commune"], PAGES, args.repeat,
                                 tokens["commune"]),
        }  # fmt: skip

    print(f"\n66-office benchmark on PostgreSQL ({size}), {os.cpu_count()} cores")
    print(f"province: {facts['province']}\ncommune {args.commune}: {facts['commune']}\n")
    print("| measure | median | min – max (ms) | target |")
    print("| --- | --- | --- | --- |")
    for line in table_lines(http["province"], province_pages, "province"):
        print(line)
    for line in table_lines(http["commune"], PAGES, f"commune {args.commune}"):
        print(line)
    for key, label, target in (
        ("table", "province's table across its communes, in process", REPORT),
        ("table_2y", "the same as of two years back, in process", REPORT),
        ("digests_province", "deciding the weekly digests, the province", DIGESTS),
        ("digests_commune", f"deciding the weekly digests, commune {args.commune}", DIGESTS),
    ):
        r = processed[key]
        mark = " ✓" if r["median"] < target else " ✗"
        print(
            f"| {label} | {r['median'] * 1000:,.1f} ms{mark} | {r['min'] * 1000:,.1f} – "
            f"{r['max'] * 1000:,.1f} | < {target * 1000:,.0f} ms |"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"size": size, "facts": facts, "http": http, "in_process": processed},
                indent=2,
                default=str,
            )  # fmt: skip
        )


if __name__ == "__main__":
    main()
