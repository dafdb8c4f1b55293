"""The whole web server's memory: python bench/server_memory.py --url DATABASE_URL
[--rounds 3] [--variant NAME …] [--other-repo PATH].

Starts gunicorn as production does (deploy/gunicorn.conf.py), with the settings of each variant
laid over it, signs in with as many clients as the server has threads, makes every worker serve
the same work (pages, the JSON API, the overdue and open lists' XLSX and CSV), then sums the
memory of every process gunicorn started: the proportional set size (PSS, from
/proc/PID/smaps_rollup: a page shared by n processes counts 1/n in each, the fair figure when
workers share the master's pages after a fork) and the resident set (RSS, which counts a shared
page once per process). Then 4 clients ask for the overdue page for a few seconds (requests/s
and p95), and memory is read again. The variants run interleaved, round after round; medians
and spreads are printed. The database must hold ``flask bench generate`` data (bench.office).
Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from run import Client, describe, free_port  # noqa: E402

# Settings laid over deploy/gunicorn.conf.py (python, run after it), one step at a time.
NO_FREEZE = "def pre_fork(server, worker):\n    pass\n"
NO_ARENAS = "def _few_malloc_arenas():\n    pass\n"
NO_WARM = "def when_ready(server):\n    pass\n"
NO_REPLACE = (
    "def post_fork(server, worker):\n"
    "    from app.extensions import db\n\n"
    "    with worker.app.wsgi().app_context():\n"
    "        for engine in db.engines.values():\n"
    "            engine.dispose(close=False)\n"
)
THREE_BY_TWO = "workers = 3\nthreads = 2\n"
TWO_BY_FOUR = "workers = 2\nthreads = 4\n"
VARIANTS = {
    "deploy": "",  # the file as it is
    "3x2": "preload_app = False\n" + THREE_BY_TWO + NO_FREEZE + NO_ARENAS + NO_WARM + NO_REPLACE,
    "3x2 preload": THREE_BY_TWO + NO_FREEZE + NO_ARENAS + NO_WARM + NO_REPLACE,
    "3x2 preload freeze": THREE_BY_TWO + NO_ARENAS + NO_WARM + NO_REPLACE,
    "3x2 preload freeze arenas": THREE_BY_TWO + NO_WARM + NO_REPLACE,
    "2x4 preload freeze arenas": TWO_BY_FOUR + NO_WARM + NO_REPLACE,
    "2x4 preload freeze arenas warm": TWO_BY_FOUR + NO_REPLACE,
    "3x2 all": THREE_BY_TWO,
    "1x8 all": "workers = 1\nthreads = 8\n",
    "2x4 no preload": "preload_app = False\n"
    + TWO_BY_FOUR
    + NO_FREEZE
    + NO_ARENAS
    + NO_WARM
    + NO_REPLACE,
}
WORK = [
    "/nhiem-vu/qua-han",
    "/nhiem-vu",
    "/",
    "/nhiem-vu/xuat.xlsx?category=late",
    "/nhiem-vu/xuat.csv?category=late",
    "/nhiem-vu/xuat.xlsx?category=open",
    "/nhiem-vu/xuat.csv?category=open",
]


def tree(pid: int) -> list[int]:
    """The process and all its descendants."""
    found = [pid]
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = (task / "children").read_text().split()
        for child in children:
            found.extend(tree(int(child)))
    return found


def memory_kb(pids: list[int]) -> dict:
    pss = rss = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                pss += int(line.split()[1])
            elif line.startswith("Rss:"):
                rss += int(line.split()[1])
    return {"pss": pss, "rss": rss, "processes": len(pids)}


def config_file(folder: Path, name: str, repo: Path) -> Path:
    text = (repo / "deploy" / "gunicorn.conf.py").read_text()
    text += "\n" + VARIANTS[name]
    path = folder / f"{name.replace(' ', '_').replace('+', '_')}.conf.py"
    path.write_text(text)
    return path


def wait_up(base: str) -> None:
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/dang-nhap", timeout=2).read()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("gunicorn did not answer")


def api_token(url: str) -> dict:
    """An API token of bench.office (the JSON API takes no session)."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import ApiToken, User

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        office = db.session.scalar(select(User).where(User.username == "bench.office"))
        token, secret = ApiToken.issue(office, "server memory")
        db.session.add(token)
        db.session.commit()
    return {"Authorization": f"Bearer {secret}"}


def measure(
    name: str, repo: Path, url: str, folder: Path, seconds: float, api: dict, clients_: int
) -> dict:
    from app.dev.generate import BENCH_PASSWORD

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench", "BIND": f"127.0.0.1:{port}",
           "ACCESS_LOG": os.devnull, "ERROR_LOG": os.devnull, "FLASK_APP": "app"}  # fmt: skip
    python = repo / ".venv" / "bin" / "python"
    started = time.perf_counter()
    gunicorn = subprocess.Popen(
        [str(python), "-m", "gunicorn", "-c", str(config_file(folder, name, repo))],
        cwd=repo,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_up(base)
        up = time.perf_counter() - started
        time.sleep(1.5)  # every worker has booted
        result = {"start s": up, "at start": memory_kb(tree(gunicorn.pid))}
        # Enough clients at once that every worker and thread gets the same work.
        clients = []
        for _ in range(clients_):
            client = Client(base)
            client.login("bench.office", BENCH_PASSWORD)
            clients.append(client)

        def work(client: Client) -> None:
            for path in WORK:
                client.get(path)
            client.get("/api/v1/tasks?category=late&per_page=100", api)

        threads = [threading.Thread(target=work, args=(c,)) for c in clients]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(600)
        time.sleep(1)
        result["after work"] = memory_kb(tree(gunicorn.pid))
        if len(clients) < 4:
            clients += [clients[0]] * (4 - len(clients))  # cookies are shared: fine for GETs
        result["load"] = throughput(clients[:4], seconds)
        time.sleep(0.5)
        result["after load"] = memory_kb(tree(gunicorn.pid))
        return result
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)


def throughput(clients: list[Client], seconds: float) -> dict:
    latencies: list[float] = []
    lock = threading.Lock()
    end = time.perf_counter() + seconds

    def run(client: Client) -> None:
        mine = []
        while time.perf_counter() < end:
            started = time.perf_counter()
            client.get("/nhiem-vu/qua-han")
            mine.append(time.perf_counter() - started)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=run, args=(c,)) for c in clients]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    stats = describe(latencies)
    stats["rps"] = len(latencies) / (time.perf_counter() - started)
    return stats


def spread(values: list[float], scale: float = 1, digits: int = 0) -> str:
    values = [v / scale for v in values]
    median = statistics.median(values)
    return f"{median:.{digits}f} ({min(values):.{digits}f}–{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a database with flask bench generate data")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6)
    parser.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    parser.add_argument(
        "--other-repo", type=Path, help="also run this checkout's deploy file (before/after)"
    )
    parser.add_argument(
        "--clients",
        type=int,
        default=8,
        help="clients doing the work at once (1: one request at a time, as Redmine's benchmark)",
    )
    parser.add_argument("--json", type=Path, help="write every run's figures here")
    args = parser.parse_args()
    runs = [(name, REPO) for name in (args.variant or ["deploy"])]
    if args.other_repo:
        runs.insert(0, ("deploy", args.other_repo.resolve()))
    figures: dict[str, list[dict]] = {}
    api = api_token(args.url)
    with tempfile.TemporaryDirectory() as folder:
        for round_ in range(args.rounds):
            for name, repo in runs:
                label = name if repo == REPO else f"{name} @ {repo}"
                found = measure(name, repo, args.url, Path(folder), args.seconds, api, args.clients)
                figures.setdefault(label, []).append(found)
                print(f"round {round_ + 1} {label}: PSS {found['after load']['pss'] // 1024} MB,"
                      f" {found['load']['rps']:.0f} req/s", flush=True)  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1))
    print(f"\nmedian (min–max) of {args.rounds} rounds; MB; whole server = every gunicorn process")
    print("| server | processes | PSS at start | PSS after work | PSS after load | RSS after load"
          " | req/s, 4 clients | p95 ms |")  # fmt: skip
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for label, runs_ in figures.items():
        print(
            f"| {label} | {runs_[0]['after load']['processes']}"
            f" | {spread([r['at start']['pss'] for r in runs_], 1024)}"
            f" | {spread([r['after work']['pss'] for r in runs_], 1024)}"
            f" | {spread([r['after load']['pss'] for r in runs_], 1024)}"
            f" | {spread([r['after load']['rss'] for r in runs_], 1024)}"
            f" | {spread([r['load']['rps'] for r in runs_])}"
            f" | {spread([r['load']['p95'] for r in runs_], 0.001)} |"
        )


if __name__ == "__main__":
    main()
