"""Province-scale benchmark: python bench/run.py --database sqlite|postgresql [--generate]
[--tasks N --departments N --years N --backlog SHARE].

Generates (once) a database of 200,000 tasks, 120 departments, 5 years and about 1,000,000
events, serves it with gunicorn on loopback, and measures the pages, reports, digests and API
that the office uses, with several repetitions; prints medians, spread and the targets.
Requests go only to 127.0.0.1 and every loop is bounded. ``bench/offices.py``: the same targets
for a province of 66 offices (its office and 65 communes') on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

TARGETS = {
    "overdue_page": ("(1) overdue list page, dept filter, by days late", 0.100),
    "dashboard": ("(2) dashboard page", 0.100),
    "summary_2y": ("(3) report summary as of 2 years back", 1.0),
    "table_xlsx": ("(4) detailed table XLSX, one department", 3.0),
    "digests": ("(5) deciding the weekly digests, all departments", 5.0),
    "overdue_api": ("(6) overdue list, JSON API", None),
    "overdue_sql": ("(7) bare SQL of (1)", None),
    "trend": ("(10) 12-month trend of chậm and chưa (build_trend)", 1.0),
    "trend_page": ("(10b) the dashboard's trend fragment (HTML over HTTP)", None),
    "stats_year": ("(11) statistics by unit, a whole year (build_statistics)", None),
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def flask(args: list[str], env: dict) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "flask", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


class Client:
    """A signed-in browser session (cookies, CSRF) with urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def get(self, path: str, headers: dict | None = None) -> bytes:
        request = urllib.request.Request(self.base + path, headers=headers or {})
        with self.opener.open(request, timeout=60) as response:
            return response.read()

    def login(self, username: str, password: str) -> None:
        page = self.get("/dang-nhap").decode()
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode(
            {"csrf_token": token, "username": username, "password": password}
        ).encode()
        with self.opener.open(self.base + "/dang-nhap", data=data, timeout=60) as response:
            if "/dang-nhap" in response.url:
                raise SystemExit("benchmark login failed")


def timed(function, repeat: int) -> list[float]:
    function()  # warm-up (caches, connections)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def describe(times: list[float]) -> dict:
    ordered = sorted(times)
    return {
        "median": statistics.median(ordered),
        "min": ordered[0],
        "max": ordered[-1],
        "p95": ordered[max(int(len(ordered) * 0.95) - 1, 0)],
        "n": len(ordered),
    }


def process_kb(pid: int, field: str = "VmRSS") -> int:
    """A process's resident set now (``VmRSS``) or at its peak (``VmHWM``), in kB."""
    match = re.search(rf"{field}:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
    return int(match.group(1)) if match else 0


def _workers(master_pid: int) -> list[int]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
    return [int(child) for child in children.split()]


def worker_peak_rss(master_pid: int) -> int:
    """Largest VmHWM (peak resident set, kB) among the gunicorn master's children."""
    return max((process_kb(w, "VmHWM") for w in _workers(master_pid)), default=0)


def worker_rss(master_pid: int) -> int:
    """Largest resident set (kB) among the gunicorn master's children now."""
    return max((process_kb(w) for w in _workers(master_pid)), default=0)


@contextmanager
def production_server(env: dict, workers: int | None = None, quiet: bool = False):
    """gunicorn with the production configuration (deploy/gunicorn.conf.py) on a free loopback
    port, once it answers and every worker has loaded the application; yields the master
    process and the base URL, and stops it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = {"BIND": f"127.0.0.1:{port}", "ACCESS_LOG": os.devnull, "ERROR_LOG": "-"}
    if workers:
        settings["WEB_WORKERS"] = str(workers)
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
        cwd=REPO,
        env={**env, **settings},
        stderr=subprocess.DEVNULL if quiet else None,
    )
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2).read()
                break
            except urllib.error.HTTPError:
                break  # the server answers (503: no scheduler runs beside the benchmark)
            except OSError:
                time.sleep(0.2)
        time.sleep(1)  # every worker has loaded the application
        yield gunicorn, base
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)


def load(client_factory, path: str, clients: int, per_client: int) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()

    def run() -> None:
        client = client_factory()
        mine = []
        for _ in range(per_client):
            started = time.perf_counter()
            client.get(path)
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    elapsed = time.perf_counter() - started
    stats = describe(latencies)
    stats["rps"] = len(latencies) / elapsed
    return stats


def only_trend(session, today: dt.date, repeat: int) -> None:
    """``--only trend``: build_trend's medians in this process: CPU time (this process's, which
    on SQLite includes the database's work; on PostgreSQL also its server process's, when it
    runs on this machine, without parallel workers) and wall time, without the server and the
    other measures."""
    from sqlalchemy import text

    from app.reports.statistics import build_trend

    def server_cpu() -> float | None:
        if session.get_bind().dialect.name != "postgresql":
            return None
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None  # a server on another machine
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    build_trend(session, today)  # warm-up
    times: dict[str, list[float]] = {"cpu": [], "server cpu": [], "wall": []}
    for _ in range(repeat):
        session.rollback()
        server = server_cpu()
        started, started_cpu = time.perf_counter(), time.process_time()
        build_trend(session, today)
        times["cpu"].append(time.process_time() - started_cpu)
        times["wall"].append(time.perf_counter() - started)
        if server is not None:
            times["server cpu"].append(server_cpu() - server)
    for name, measured in times.items():
        if measured:
            d = describe(measured)
            print(
                f"trend {name}: median {d['median'] * 1000:.0f} ms, "
                f"{d['min'] * 1000:.0f} – {d['max'] * 1000:.0f} ms, n={d['n']}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument(
        "--url",
        help="database URL (default: instance/bench.db, or the local PostgreSQL database 'bench')",
    )
    parser.add_argument("--generate", action="store_true", help="(re)build the data first")
    parser.add_argument("--tasks", type=int, default=200_000)
    parser.add_argument("--departments", type=int, help="with --generate (default 120)")
    parser.add_argument("--years", type=int, default=5, help="with --departments")
    parser.add_argument(
        "--backlog", type=float, help="with --generate: share of past-due tasks still open"
    )
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--only",
        choices=["trend"],
        help="time only this in process (CPU and wall medians), without the server",
    )
    args = parser.parse_args()

    if args.database == "sqlite":
        url = args.url or f"sqlite:///{REPO / 'instance' / 'bench.db'}"
    else:
        url = args.url or "postgresql://postgres@127.0.0.1:5432/bench"
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "BASE_URL": "http://127.0.0.1",
    }
    env.pop("SMTP_HOST", None)

    from sqlalchemy import create_engine, text

    from app.config import normalize_database_url

    if args.generate:
        if args.database == "sqlite":
            path = Path(url.removeprefix("sqlite:///"))
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        else:
            admin = create_engine(
                normalize_database_url(url.rsplit("/", 1)[0] + "/postgres"),
                isolation_level="AUTOCOMMIT",
            )
            name = url.rsplit("/", 1)[1]
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
                connection.execute(text(f'CREATE DATABASE "{name}"'))
            admin.dispose()
        flask(["db", "upgrade"], env)
        command = ["bench", "generate", "--tasks", str(args.tasks)]
        if args.departments:
            command += ["--departments", str(args.departments), "--years", str(args.years)]
        if args.backlog is not None:
            command += ["--backlog", str(args.backlog)]
        print(flask(command, env).strip().splitlines()[-1])
    else:
        flask(["db", "upgrade"], env)

    from app import create_app
    from app.core.timeutil import local_today
    from app.extensions import db
    from app.models import ApiToken, Department, Task, User
    from app.models.documents import TaskState
    from app.reports.summary import build_summary
    from app.tasks.queries import TaskFilter, filtered_query

    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "OUTBOX_DIR": "/tmp/bench-outbox"}
    )
    today = local_today()
    results: dict[str, dict] = {}
    if args.only == "trend":
        with app.app_context():
            only_trend(db.session, today, args.repeat)
        return
    with app.app_context():
        session = db.session
        from sqlalchemy import func, select

        busiest = session.scalar(
            select(Task.lead_department_id)
            .where(Task.state.not_in((TaskState.DONE, TaskState.CANCELLED)))
            .group_by(Task.lead_department_id)
            .order_by(func.count().desc())
            .limit(1)
        )
        counts = {
            "tasks": session.scalar(select(func.count(Task.id))),
            "events": session.scalar(text("SELECT COUNT(*) FROM events")),
            "departments": session.scalar(select(func.count(Department.id))),
            "open_tasks": session.scalar(
                select(func.count(Task.id)).where(
                    Task.state.not_in((TaskState.DONE, TaskState.CANCELLED))
                )
            ),
        }
        office = session.scalar(select(User).where(User.username == "bench.office"))
        token_row, token = ApiToken.issue(office, "bench")
        session.add(token_row)
        session.commit()

        # (3), (5) and (7) run in this process, against the same database.
        two_years = today - dt.timedelta(days=730)
        results["summary_2y"] = describe(
            timed(lambda: build_summary(session, two_years), args.repeat)
        )
        from app.reminders.decide import decide_digests

        def digests() -> None:
            decide_digests(session, today, "bench")
            session.rollback()

        results["digests"] = describe(timed(digests, max(args.repeat // 3, 3)))
        from app.reports.statistics import build_statistics, build_trend

        results["trend"] = describe(
            timed(lambda: build_trend(session, today), max(args.repeat // 3, 5))
        )
        last_year = today.year - 1
        results["stats_year"] = describe(
            timed(
                lambda: build_statistics(
                    session, dt.date(last_year, 1, 1), dt.date(last_year, 12, 31)
                ),
                max(args.repeat // 3, 5),
            )
        )
        flt = TaskFilter(department=busiest, category="late", sort="days_late")
        query = filtered_query(office, flt, today)
        count_query = select(func.count()).select_from(query.order_by(None).subquery())
        page_query = query.limit(50)
        with db.engine.connect() as connection:

            def bare() -> None:
                connection.execute(count_query).scalar()
                connection.execute(page_query).all()

            results["overdue_sql"] = describe(timed(bare, args.repeat))

    # The production configuration (deploy/gunicorn.conf.py: 3 workers × 2 threads).
    with production_server(env, args.workers) as (gunicorn, base):
        results["worker_start_mb"] = {"median": worker_rss(gunicorn.pid) / 1024}

        def signed_in() -> Client:
            client = Client(base)
            client.login("bench.office", "bench-password")
            return client

        client = signed_in()
        overdue = f"/nhiem-vu/qua-han?department={busiest}"
        results["overdue_page"] = describe(timed(lambda: client.get(overdue), args.repeat))
        results["dashboard"] = describe(timed(lambda: client.get("/"), args.repeat))
        results["trend_page"] = describe(
            timed(lambda: client.get("/tong-quan/xu-huong?fragment=1"), max(args.repeat // 3, 5))
        )
        api_path = f"/api/v1/tasks?department={busiest}&category=late&sort=days_late"
        results["overdue_api"] = describe(
            timed(lambda: client.get(api_path, {"Authorization": f"Bearer {token}"}), args.repeat)
        )
        table = f"/bao-cao/bieu-chi-tiet.xlsx?department={busiest}"
        results["table_xlsx"] = describe(timed(lambda: client.get(table), max(args.repeat // 3, 3)))
        results["load"] = load(signed_in, overdue, clients=4, per_client=50)
        results["worker_rss_mb"] = {"median": worker_peak_rss(gunicorn.pid) / 1024}

    ratio = results["overdue_page"]["median"] / results["overdue_sql"]["median"]
    print(
        f"\nBenchmark on {args.database} ({counts}), busiest department id {busiest}, "
        f"{args.repeat} repetitions, {os.cpu_count()} cores\n"
    )
    print("| measure | median | min – max | target |")
    print("| --- | --- | --- | --- |")
    for key, (label, target) in TARGETS.items():
        r = results[key]
        goal = f"< {target * 1000:.0f} ms" if target else ""
        mark = "" if not target else (" ✓" if r["median"] < target else " ✗")
        print(
            f"| {label} | {r['median'] * 1000:.1f} ms{mark} | "
            f"{r['min'] * 1000:.1f} – {r['max'] * 1000:.1f} ms | {goal} |"
        )
    print(f"| (1) / (7) ratio | {ratio:.1f}× {'✓' if ratio <= 3 else '✗'} | | ≤ 3× |")
    start = results["worker_start_mb"]["median"]
    print(
        f"| (8a) RSS of a gunicorn worker after start | {start:.0f} MB"
        f" {'✓' if start < 90 else '✗'} | | < 90 MB |"
    )
    rss = results["worker_rss_mb"]["median"]
    print(
        f"| (8) peak RSS of one gunicorn worker | {rss:.0f} MB {'✓' if rss < 200 else '✗'} "
        "| | < 200 MB |"
    )
    load_stats = results["load"]
    print(
        f"| (9) overdue page, 4 clients × 50 requests | {load_stats['rps']:.1f} req/s, "
        f"p95 {load_stats['p95'] * 1000:.0f} ms {'✓' if load_stats['p95'] < 0.25 else '✗'} | "
        f"median {load_stats['median'] * 1000:.0f} ms | p95 < 250 ms |"
    )
    if args.json:
        args.json.write_text(
            json.dumps(
                {"database": args.database, "counts": counts, "results": results, "ratio": ratio},
                indent=2,
            )
        )


if __name__ == "__main__":
    main()
