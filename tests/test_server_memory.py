"""The production server stays light (deploy/gunicorn.conf.py, app/ops/memory.py): the workers
are forked from a master that loaded the application and share its pages; each opens its own
database connections; files are built one at a time per worker; a worker left much larger by
the files it built is replaced."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from test_deploy import free_port

REPO = Path(__file__).resolve().parent.parent


def _tree(pid: int) -> list[int]:
    found = [pid]
    for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
        found.extend(_tree(int(child)))
    return found


def _kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_workers_share_the_masters_pages_and_reach_the_database(database_url, tmp_path):
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "k" * 64,
           "BIND": f"127.0.0.1:{port}", "ACCESS_LOG": os.devnull,
           "ERROR_LOG": str(tmp_path / "error.log"), "WEB_WORKERS": "2"}  # fmt: skip
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(REPO / "deploy" / "gunicorn.conf.py")],
        cwd=REPO,
        env=env,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/dang-nhap", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(1)
        answers: list[tuple[int, bytes]] = []

        def ask() -> None:
            for _ in range(10):
                answers.append(_get(base + "/healthz"))  # queries the database

        clients = [threading.Thread(target=ask) for _ in range(6)]
        for client in clients:
            client.start()
        for client in clients:
            client.join(120)
        # Every answer read the database (503 only says no scheduler runs beside the test).
        assert len(answers) == 60
        assert all(json.loads(body)["database"]["ok"] for _, body in answers), answers[:3]
        processes = _tree(gunicorn.pid)
        assert len(processes) == 3  # the master and two workers
        pss = sum(_kb(pid, "Pss") for pid in processes)
        rss = sum(_kb(pid, "Rss") for pid in processes)
        # Each worker loading its own application would make PSS about RSS: forked from a
        # master that loaded it, the three share most of their pages.
        assert pss < 0.7 * rss, (pss, rss)
    finally:
        gunicorn.terminate()
        gunicorn.wait(30)
    assert "Traceback" not in (tmp_path / "error.log").read_text()


def test_a_worker_left_large_by_its_files_is_replaced(monkeypatch):
    import app.ops.memory as memory

    monkeypatch.setattr(memory.gc, "collect", lambda: None)
    monkeypatch.setattr(memory, "_TRIM", None)
    stopped = []
    pages = iter([1000, 1000 + memory.GROWTH_PAGES, 1000 + memory.GROWTH_PAGES,
                  1000 + memory.REPLACE_PAGES, 1000 + memory.REPLACE_PAGES])  # fmt: skip
    monkeypatch.setattr(memory, "_resident_pages", lambda: next(pages))
    monkeypatch.setattr(memory, "_replacing", [None, 0])
    monkeypatch.setattr(memory, "_settled", [0])
    memory.replace_when_grown(lambda: stopped.append(1))  # started at 1000 pages
    memory.give_back_memory()  # 16 MB larger after giving back: kept
    assert stopped == []
    memory.give_back_memory()  # 32 MB larger after giving back: replaced
    assert stopped == [1]


def test_a_worker_builds_one_file_at_a_time():
    from app.ops.memory import one_file_at_a_time

    building, most = [0], [0]

    @one_file_at_a_time
    def build() -> None:
        building[0] += 1
        most[0] = max(most[0], building[0])
        time.sleep(0.05)
        building[0] -= 1

    threads = [threading.Thread(target=build) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert most == [1]
