"""A large import while people keep saving: python bench/import_under_load.py
--database sqlite|postgresql [--rows 20000] [--writers 8] [--workers 4].

Builds a fresh database with the demo data, writes a spreadsheet of ``--rows`` new tasks, serves
the application with gunicorn on loopback and, while ``flask import-tasks`` imports the file,
has ``--writers`` department heads post progress reports as fast as they can. Prints the
import's time and peak memory and what the saves got: saved, "try again" (503), errors (500).
Requests go only to 127.0.0.1 and every loop is bounded by the import's end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from run import Client, flask, free_port  # noqa: E402


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        path = REPO / "instance" / "load.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import sqlalchemy as sa

    admin = sa.create_engine(
        "postgresql+psycopg://postgres@127.0.0.1:5432/postgres", isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        connection.execute(sa.text('DROP DATABASE IF EXISTS "loadtest" WITH (FORCE)'))
        connection.execute(sa.text('CREATE DATABASE "loadtest"'))
    admin.dispose()
    return "postgresql://postgres@127.0.0.1:5432/loadtest"


# The demo's working office (the province; the city's ended with the 2025 reform): the
# benches read its names and import into it.
DEMO_OFFICE = "LS"


def office_id(session, office) -> int:
    from sqlalchemy import select

    from app.core.office_scope import all_offices

    with all_offices():
        return session.scalar(select(office.id).where(office.code == DEMO_OFFICE))


def demo_names(url: str) -> tuple[list[str], str, list[tuple[str, list[int]]]]:
    """The units' names, an issuer's name and (head's username, open task ids) of each
    department head with open tasks, from the database at ``url``."""
    from sqlalchemy import select

    from app import create_app
    from app.core.office_scope import use_office
    from app.extensions import db
    from app.models import Department, Issuer, Office, Task, User
    from app.models.documents import OPEN_STATES
    from app.models.people import Role

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context(), use_office(office_id(db.session, Office)):
        departments = [
            d.name
            for d in db.session.scalars(select(Department).where(Department.ended_on.is_(None)))
        ]
        issuer = db.session.scalars(select(Issuer)).first().name
        heads = []
        for user in db.session.scalars(select(User).where(User.role == Role.DEPARTMENT_HEAD)):
            tasks = db.session.scalars(
                select(Task.id).where(
                    Task.lead_department_id == user.department_id, Task.state.in_(OPEN_STATES)
                )
            ).all()
            if tasks:
                heads.append((user.username, list(tasks)))
        db.session.remove()
        db.engine.dispose()
    return departments, issuer, heads


def save_task_sheet(path: Path, rows) -> None:
    """The import template's task sheet (its header, then ``rows``) as an .xlsx file."""
    from openpyxl import Workbook

    from app.importing.columns import TASK_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(list(TASK_COLUMNS.values()))
    for row in rows:
        sheet.append(row)
    book.save(path)


def write_sheet(url: str, rows: int, path: Path) -> list[tuple[str, list[int]]]:
    """The spreadsheet of new tasks, and (head's username, open task ids) for the writers."""
    departments, issuer, heads = demo_names(url)
    start = dt.date(2026, 1, 5)

    def row(n: int) -> list:
        issued = start + dt.timedelta(days=n % 300)
        return [None, f"{n // 4 + 1}/KH-TN", issued, issuer, "Kế hoạch",
                f"Kế hoạch số {n // 4 + 1}",
                f"Nhiệm vụ thử tải số {n + 1}: rà soát, báo cáo kết quả thực hiện",
                departments[n % len(departments)], "", issued + dt.timedelta(days=30),
                "Chưa thực hiện", None, ""]  # fmt: skip

    save_task_sheet(path, (row(n) for n in range(rows)))
    return heads


FIELD = r'name="(csrf_token|version|last_event)"[^>]*value="([^"]*)"'


def writer(base: str, username: str, tasks: list[int], stop: threading.Event, tally: Counter,
           lock: threading.Lock) -> None:  # fmt: skip
    client = Client(base)
    client.login(username, "demo1234")
    n = 0
    while not stop.is_set():
        task_id = tasks[n % len(tasks)]
        n += 1
        try:
            page = client.get(f"/nhiem-vu/{task_id}").decode()
        except urllib.error.HTTPError as error:
            with lock:
                tally[f"read {error.code}"] += 1
            continue
        form = page.split(f'action="/nhiem-vu/{task_id}/tien-do"')[1].split("</form>")[0]
        fields = dict(re.findall(FIELD, form))
        data = urllib.parse.urlencode({**fields, "content": f"Báo cáo lúc {time.time():.3f}"})
        request = urllib.request.Request(
            f"{base}/nhiem-vu/{task_id}/tien-do", data=data.encode(), method="POST"
        )
        try:
            with client.opener.open(request, timeout=120) as response:
                code = response.status
        except urllib.error.HTTPError as error:
            code = error.code
        with lock:
            tally[code] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args()
    url = fresh_database(args.database)
    env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": url, "SECRET_KEY": "bench",
           "BASE_URL": "http://127.0.0.1"}  # fmt: skip
    env.pop("SMTP_HOST", None)
    flask(["db", "upgrade"], env)
    flask(["seed-demo"], env)
    sheet = REPO / "instance" / "load.xlsx"
    heads = write_sheet(url, args.rows, sheet)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
         "--timeout", "60", "--log-level", "warning", "app:create_app()"],
        cwd=REPO, env=env,
    )  # fmt: skip
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/dang-nhap", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        stop, lock, tally = threading.Event(), threading.Lock(), Counter()
        threads = [
            threading.Thread(target=writer, args=(base, *heads[i % len(heads)], stop, tally, lock))
            for i in range(args.writers)
        ]
        for thread in threads:
            thread.start()
        time.sleep(2)  # the writers are saving before the import starts
        started = time.perf_counter()
        importer = subprocess.Popen(
            [sys.executable, "-m", "flask", "import-tasks", str(sheet), "--office", DEMO_OFFICE],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        peak = 0
        while importer.poll() is None:
            try:
                status = Path(f"/proc/{importer.pid}/status").read_text()
                peak = max(peak, int(re.search(r"VmHWM:\s+(\d+)", status).group(1)))
            except (OSError, AttributeError):
                pass
            time.sleep(0.2)
        out, err = importer.communicate(timeout=60)
        elapsed = time.perf_counter() - started
        time.sleep(2)
        stop.set()
        for thread in threads:
            thread.join(180)
    finally:
        server.terminate()
        server.wait(30)
    print(out.strip().splitlines()[-6:] if importer.returncode == 0 else err[-2000:])
    saved = sum(n for code, n in tally.items() if isinstance(code, int) and code < 400)
    print(
        f"\n{args.database}: import of {args.rows:,} rows in {elapsed:.1f} s "
        f"(peak RSS of the import process {peak / 1024:.0f} MB); "
        f"{args.writers} writers: {sum(tally.values())} saves, {saved} saved, "
        f"{tally.get(503, 0)} asked to try again (503), {tally.get(500, 0)} errors (500); "
        f"all answers: {dict(tally)}"
    )


if __name__ == "__main__":
    main()
