"""Import speed against the file format: python bench/import_speed.py [--database sqlite|postgresql]
[--rows 5000 20000] [--per-document 4] [--runs 3].

For each size: a fresh database with the demo data, a spreadsheet of that many new tasks
(``--per-document`` tasks per document), then, each ``--runs`` times, median reported:

- ``read``: openpyxl reading every cell of the file (read-only mode), the floor;
- ``import``: ``flask import-tasks FILE`` into the database, in a process of its own whose
  peak memory is measured too; the time is the command's, without starting Python and the
  application (``process s`` is the whole process, start included);
- ``again``: the same file imported a second time, which changes nothing.

Prints each time and its ratio to ``read``; the issue's targets are import ≤ 3× read, unchanged
re-import ≤ 1.5× read, peak memory < 200 MB, cost linear in rows. Nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from import_under_load import DEMO_OFFICE, demo_names, fresh_database, save_task_sheet  # noqa: E402
from run import flask  # noqa: E402


def write_sheet(url: str, rows: int, per_document: int, path: Path) -> None:
    departments, issuer, _ = demo_names(url)
    start = dt.date(2026, 1, 5)

    def row(n: int) -> list:
        number = n // per_document + 1
        issued = start + dt.timedelta(days=number % 300)
        return [None, f"{number}/KH-TN", issued, issuer, "Kế hoạch", f"Kế hoạch số {number}",
                f"Nhiệm vụ thử số {n + 1}: rà soát, báo cáo kết quả thực hiện tại phường "
                f"{n % 97}", departments[n % len(departments)], "",
                issued + dt.timedelta(days=30), "Chưa thực hiện", None, ""]  # fmt: skip

    save_task_sheet(path, (row(n) for n in range(rows)))


def read_all(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    book.close()
    return time.perf_counter() - started


# ``flask import-tasks PATH`` in a process of its own: the command's time without the
# process's start (Python and the application's imports), and its peak memory (KB).
CHILD = """
import re, sys, time
from pathlib import Path
from app import create_app
app = create_app()
started = time.perf_counter()
outcome = app.test_cli_runner().invoke(args=["import-tasks", *sys.argv[1:]])
if outcome.exit_code:
    sys.exit(outcome.output)
seconds = time.perf_counter() - started
# the process's own high-water mark (ru_maxrss would carry the bench's over the exec)
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print("TIMES", seconds, peak, file=sys.stderr)
"""


def timed_import(path: Path, env: dict, office: str | None = None) -> tuple[float, float, float]:
    """Seconds of the whole process, seconds of the import itself, and the peak memory (MB) of
    one ``flask import-tasks`` (into ``office``, by its code, where there are several)."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, str(path), *(["--office", office] if office else [])],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"flask import-tasks {path.name} failed:\n{done.stderr[-2000:]}")
    process = time.perf_counter() - started
    seconds, peak = done.stderr.rsplit("TIMES", 1)[1].split()[:2]
    return process, float(seconds), int(peak) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--rows", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--per-document", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{'rows':>7} {'read s':>8} {'import s':>9} {'×read':>6} {'again s':>8} {'×read':>6}"
          f" {'peak MB':>8} {'ms/row':>7} {'process s':>10}")  # fmt: skip
    for rows in args.rows:
        sheet = REPO / "instance" / f"import-{rows}.xlsx"
        reads, imports, agains, peaks, processes = [], [], [], [], []
        for _ in range(args.runs):
            url = fresh_database(args.database)
            env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": url, "SECRET_KEY": "bench"}
            flask(["db", "upgrade"], env)
            flask(["seed-demo"], env)
            if not sheet.exists():
                write_sheet(url, rows, args.per_document, sheet)
            reads.append(read_all(sheet))
            process, seconds, peak = timed_import(sheet, env, DEMO_OFFICE)
            processes.append(process)
            imports.append(seconds)
            peaks.append(peak)
            agains.append(timed_import(sheet, env, DEMO_OFFICE)[1])
        read, first, again, process = (
            statistics.median(x) for x in (reads, imports, agains, processes)
        )
        peak = max(peaks)
        print(f"{rows:>7} {read:>8.2f} {first:>9.2f} {first / read:>6.1f} {again:>8.2f}"
              f" {again / read:>6.1f} {peak:>8.0f} {first / rows * 1000:>7.2f}"
              f" {process:>10.2f}", flush=True)  # fmt: skip
        sheet.unlink()


if __name__ == "__main__":
    main()
