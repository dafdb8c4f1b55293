"""List exports and the overdue page on a real backlog: python bench/export_speed.py
[--database sqlite|postgresql] [--tasks 20000] [--backlog 0.3] [--runs 5].

A fresh database gets ``flask bench generate`` with a backlog (the share of past-due tasks
still open), then, in one process, for the overdue list and for the open list, each timed
``--runs`` times (median reported):

- ``read``: the list's rows read from the database (``export_rows``);
- ``xlsx``: those rows written as the application's XLSX (``tasks_workbook``);
- ``csv``: those rows written as the application's CSV (``tasks_csv``);
- ``openpyxl``: openpyxl in write-only mode writing the same rows and columns, the floor for
  the XLSX; ``csv module``: the csv module writing them, the floor for the CSV;
- ``request``: the whole download (``GET /nhiem-vu/xuat.xlsx``/``.csv``: query and file),
  the XLSX's also as a ratio to the openpyxl floor (the issue's measure of the download);

the overdue page (``GET /nhiem-vu/qua-han``, 50 rows) as server time, and one gunicorn
worker's memory (deploy/gunicorn.conf.py) after start, after a page and after each export.
The issue's targets: each export at most 2× its floor; the overdue page under about 15 ms at
20,000 tasks with about 4,000 overdue; a worker back near its resting size after an export.
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from import_under_load import fresh_database  # noqa: E402
from run import flask  # noqa: E402


def median_time(function, runs: int) -> float:
    function()  # warm-up
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def floor_xlsx(rows: list[list]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def floor_csv(rows: list[list]) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--tasks", type=int, default=20000)
    parser.add_argument("--departments", type=int, default=30)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--backlog", type=float, default=0.3)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    url = fresh_database(args.database)
    env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": url, "SECRET_KEY": "bench"}
    flask(["db", "upgrade"], env)
    flask(["bench", "generate", "--tasks", str(args.tasks), "--departments",
           str(args.departments), "--years", str(args.years), "--backlog",
           str(args.backlog)], env)  # fmt: skip

    from sqlalchemy import select

    from app import create_app
    from app.core.timeutil import local_today
    from app.dev.generate import BENCH_PASSWORD
    from app.extensions import db
    from app.models import User
    from app.tasks.export import export_rows, tasks_csv, tasks_workbook
    from app.tasks.queries import TaskFilter

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench",
                      "WTF_CSRF_ENABLED": False})  # fmt: skip
    today = local_today()
    client = app.test_client()
    answer = client.post("/dang-nhap", data={"username": "bench.office",
                                             "password": BENCH_PASSWORD})  # fmt: skip
    assert answer.status_code == 302, answer.status_code
    print(f"{args.tasks} tasks, {args.database}, median of {args.runs}")
    print(f"{'list':>8} {'rows':>6} {'read s':>7} {'xlsx s':>7} {'openpyxl':>9} {'×':>5}"
          f" {'csv s':>7} {'csv module':>10} {'×':>5} {'GET xlsx':>9} {'×':>5}"
          f" {'GET csv':>8}")  # fmt: skip
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "bench.office"))
        for category in ("late", "open"):
            flt = TaskFilter(category=category)
            rows = export_rows(db.session, office, flt, today)
            xlsx = median_time(lambda rows=rows: tasks_workbook(rows, today), args.runs)
            floor = median_time(lambda rows=rows: floor_xlsx(rows), args.runs)
            text = median_time(lambda rows=rows: tasks_csv(rows), args.runs)
            reading = median_time(lambda flt=flt: export_rows(db.session, office, flt, today),
                                  args.runs)  # fmt: skip
            text_floor = median_time(lambda rows=rows: floor_csv(rows), args.runs)

            def download(ext: str, category: str = category) -> None:
                answer = client.get(f"/nhiem-vu/xuat.{ext}?category={category}")
                assert answer.status_code == 200, answer.status_code

            get_xlsx = median_time(lambda: download("xlsx"), args.runs)
            get_csv = median_time(lambda: download("csv"), args.runs)
            print(f"{category:>8} {len(rows):>6} {reading:>7.3f} {xlsx:>7.2f} {floor:>9.2f}"
                  f" {xlsx / floor:>5.1f}"
                  f" {text:>7.3f} {text_floor:>10.3f} {text / text_floor:>5.1f}"
                  f" {get_xlsx:>9.2f} {get_xlsx / floor:>5.1f} {get_csv:>8.2f}",
                  flush=True)  # fmt: skip

    def overdue_page() -> None:
        answer = client.get("/nhiem-vu/qua-han")
        assert answer.status_code == 200, answer.status_code

    page = median_time(overdue_page, max(args.runs, 20))
    print(f"overdue page (50 rows): {page * 1000:.1f} ms server time")
    worker_memory(env)


def worker_memory(env: dict) -> None:
    """One gunicorn worker (deploy/gunicorn.conf.py): its RSS after start, after a page and
    after each export."""
    from run import Client, production_server, worker_rss

    from app.dev.generate import BENCH_PASSWORD

    urls = ["/nhiem-vu/qua-han", "/nhiem-vu/xuat.xlsx?category=late",
            "/nhiem-vu/xuat.csv?category=late", "/nhiem-vu/xuat.xlsx?category=open",
            "/nhiem-vu/xuat.xlsx?category=late"]  # fmt: skip
    with production_server(env, workers=1, quiet=True) as (gunicorn, base):
        print(f"worker RSS after start: {worker_rss(gunicorn.pid) // 1024} MB")
        client = Client(base)
        client.login("bench.office", BENCH_PASSWORD)
        for url in urls:
            client.get(url)
            time.sleep(0.5)  # the worker has finished with the response
            print(f"worker RSS after {url}: {worker_rss(gunicorn.pid) // 1024} MB")


if __name__ == "__main__":
    main()
