"""This product against Redmine on the same tasks: python bench/compare_redmine.py [--reps 15].

Runs on a development machine where ``../shared/peer/redmine/setup.sh`` (copied to
/tmp/redmine-peer, see its README) has installed Debian's Redmine and loaded its 20,000 issues;
never in CI. It

1. reads the issues from Redmine's database (SQLite) and writes them into the import template:
   a project is a unit, an issue a task (its own document, issued on its creation date), its
   due date the deadline, New → Chưa thực hiện, In Progress/Feedback → Đang thực hiện,
   Resolved → Chờ xác nhận (still open on both sides), Closed → Đã hoàn thành and Rejected →
   Hủy on their closing date;
2. imports the file into a fresh database with ``flask import-tasks``, timed inside its
   process (without Python's and the application's start) against openpyxl reading the same
   file in read-only mode;
3. gives Redmine the deadlines this product stored (the import keeps a deadline written on a
   day off as the next working day) and checks issue by issue that both sides hold the same
   deadline; then checks that both count the same open overdue tasks for every unit, from
   each server's own API (Redmine's ``total_count``, our ``total``) on the same Vietnamese
   date; refuses to go on when anything differs;
4. serves this product with gunicorn and ``deploy/gunicorn.conf.py`` and starts Redmine (thin,
   one process) and measures both interleaved, request by request on loopback: the overdue
   page, the overdue export (Redmine's CSV with its export limit raised; our XLSX and CSV), the
   JSON list of 100 overdue tasks (median and p95 of each; Redmine's page at 25 and 100 rows),
   2-client throughput on the overdue page, and each whole server's memory (PSS and RSS summed
   over every process: Redmine's thin; gunicorn's master and workers);
5. times the reminder job on both sides, interleaved, at equal mail counts: Redmine's
   ``Mailer.reminders(days: 7)`` in a warm Rails process (``reminders_inproc.rb`` of the peer
   scripts: one mail per assignee, 150, each rendered on its own and sent over its own SMTP
   connection) against this product's weekly digests decided and sent (one mail per member of
   each unit: 5 members for each of the 30 units, 150, as Redmine's 5 users a project), both
   through SMTP to the same sink on 127.0.0.1:8025; ours twice: as the product works (a unit's
   digest rendered once for its readers, one kept connection) and in Redmine's shape (a render
   and a connection per mail); with the task rows a mail shows on each side and each job's peak
   memory. What still differs: Redmine's mail lists an assignee's issues due within 7 days
   (overdue included); ours, the unit's open tasks by urgency, 30 rows a part.

Prints a table (median ms of ``--reps``) and the ratio Redmine / this product.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from import_speed import read_all, timed_import  # noqa: E402
from import_under_load import fresh_database  # noqa: E402
from run import Client, describe, flask, production_server  # noqa: E402
from server_memory import memory_kb, tree  # noqa: E402

PEER = Path("/tmp/redmine-peer")
REDMINE_DB = Path("/var/lib/dbconfig-common/sqlite3/redmine/instances/default/redmine_default")
REDMINE = "http://127.0.0.1:3000"
REDMINE_KEY = "b" * 40
STATES = {"New": "Chưa thực hiện", "In Progress": "Đang thực hiện", "Feedback": "Đang thực hiện",
          "Resolved": "Chờ xác nhận", "Closed": "Đã hoàn thành", "Rejected": "Hủy"}  # fmt: skip


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text[:10]) if text else None


def redmine_issues(path: Path) -> list[dict]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = connection.execute(
        "SELECT i.id, p.name, i.subject, i.created_on, i.start_date, i.due_date, s.name,"
        " i.closed_on, i.assigned_to_id FROM issues i JOIN projects p ON p.id = i.project_id"
        " JOIN issue_statuses s ON s.id = i.status_id ORDER BY i.id"
    ).fetchall()
    connection.close()
    issues = []
    for issue_id, project, subject, created, start, due, status, closed, assignee in rows:
        due_on, closed_on = _day(due), _day(closed)
        issued = min(d for d in (_day(created), _day(start), due_on, closed_on) if d)
        done = closed_on if status in ("Closed", "Rejected") else None
        issues.append({"id": issue_id, "unit": project, "subject": subject, "issued": issued,
                       "due": due_on, "state": STATES[status], "closed": done,
                       "assignee": assignee})  # fmt: skip
    return issues


def write_template(issues: list[dict], path: Path) -> None:
    from openpyxl import Workbook

    from app.importing.columns import TASK_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Nhiệm vụ")
    sheet.append(list(TASK_COLUMNS.values()))
    for issue in issues:
        sheet.append([None, f"{issue['id']}/RM", issue["issued"], "Redmine", "Phiếu việc",
                      f"Phiếu #{issue['id']}", f"#{issue['id']} {issue['subject']}",
                      issue["unit"], "", issue["due"], issue["state"], issue["closed"],
                      ""])  # fmt: skip
    units = book.create_sheet("Đơn vị")
    units.append(["Tên đơn vị", "Tên viết tắt", "Thứ tự", "Email"])
    for order, name in enumerate(sorted({i["unit"] for i in issues}), start=1):
        units.append([name, "", order, ""])
    book.save(path)


def same_deadlines(issues: list[dict], url: str, path: Path) -> int:
    """Give Redmine the deadlines this product stored, then check both hold the same ones.

    The import keeps a deadline the sheet wrote on a day off as the next working day (Article
    148 of the Civil Code; the written date is kept beside it). Redmine has no such rule, so the
    two sides would count different tasks as overdue on some days. Redmine's due dates are set
    to the stored ones (Redmine stopped) and every issue is compared with its task; returns how
    many due dates moved."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Document, Task

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        ours = {
            int(number.split("/")[0]): deadline
            for number, deadline in db.session.execute(
                select(Document.number, Task.deadline).select_from(Task).join(Task.document)
            )
        }
    moved = [(ours[i["id"]], i["id"]) for i in issues if ours.get(i["id"]) != i["due"]]
    if moved:
        connection = sqlite3.connect(path)
        with connection:
            connection.executemany(
                "UPDATE issues SET due_date = ? WHERE id = ?",
                [(due.isoformat() if due else None, issue_id) for due, issue_id in moved],
            )
        connection.close()
    issues[:] = redmine_issues(path)
    differ = [i["id"] for i in issues if ours.get(i["id"]) != i["due"]]
    if differ or len(ours) != len(issues):
        raise SystemExit(f"deadlines differ for {len(differ)} issues, e.g. {differ[:5]}")
    return len(moved)


OPEN = {"Chưa thực hiện", "Đang thực hiện", "Chờ xác nhận"}


def redmine_overdue(issues: list[dict], today: dt.date) -> Counter:
    return Counter(
        i["unit"] for i in issues if i["state"] in OPEN and i["due"] and i["due"] < today
    )


def our_overdue(url: str, today: dt.date) -> tuple[Counter, str]:
    """Per unit, this product's late tasks today; and an API token of an office account."""
    from werkzeug.security import generate_password_hash

    from app import create_app
    from app.core.classification import open_counts
    from app.extensions import db
    from app.models import ApiToken, Department, ReminderPreference, User
    from app.models.people import Role
    from app.models.reminders import ReminderKind

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        names = {d.id: d.name for d in db.session.query(Department)}
        counts = Counter()
        for (category, department_id), n in open_counts(db.session, today).items():
            if category == "late" and n:
                counts[names[department_id]] += n
        password = generate_password_hash("bench", "pbkdf2:sha256:1000")
        office = User(username="bench.office", full_name="Văn phòng", role=Role.OFFICE,
                      password_hash=password)  # fmt: skip
        token, secret = ApiToken.issue(office, "bench")
        db.session.add_all([office, token])
        for department in names:  # as Redmine's 5 users a project: the digests' readers,
            for n in range(1, 6):  # the head and 4 members who asked for the digest
                user = User(username=f"bench.{department}.{n}", full_name=f"Chuyên viên {n}",
                            role=Role.DEPARTMENT_HEAD if n == 1 else Role.DEPARTMENT_MEMBER,
                            department_id=department, email=f"cv{n}.{department}@example.vn",
                            password_hash=password)  # fmt: skip
                db.session.add(user)
                if n > 1:
                    db.session.flush()
                    db.session.add(
                        ReminderPreference(user_id=user.id, kind=ReminderKind.DIGEST,
                                           subscribed=True)
                    )  # fmt: skip
        db.session.commit()
    return counts, secret


def same_counts_from_both_servers(base: str, api_token: str, url: str, today: dt.date) -> None:
    """Each unit's open tasks past their deadline on ``today`` (a Vietnamese date) as each
    server answers them: Redmine's REST API (``total_count``, due on or before yesterday, by
    date), our API (``total`` of the late category, by department). The run is refused when any
    unit differs: the two servers would not be doing the same work."""
    from sqlalchemy import select

    from app import create_app
    from app.extensions import db
    from app.models import Department

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        ours_ids = dict(db.session.execute(select(Department.name, Department.id)).all())
    redmine_client, our_client = Client(REDMINE), Client(base)
    key = {"X-Redmine-API-Key": REDMINE_KEY}
    projects = json.loads(redmine_client.get("/projects.json?limit=100", key))["projects"]
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    differ, total = [], 0
    for project in projects:
        query = urllib.parse.urlencode({"project_id": project["id"], "status_id": "open",
                                        "due_date": f"<={yesterday}", "limit": 1})  # fmt: skip
        theirs = json.loads(redmine_client.get(f"/issues.json?{query}", key))["total_count"]
        department = ours_ids.get(project["name"])
        ours = None
        if department is not None:
            answer = our_client.get(
                f"/api/v1/tasks?category=late&department={department}&per_page=1",
                {"Authorization": f"Bearer {api_token}"},
            )
            ours = json.loads(answer)["total"]
        total += theirs
        if ours != theirs:
            differ.append((project["name"], theirs, ours))
    if differ:
        raise SystemExit(
            f"the servers' own answers differ on {today} (Redmine, ours): {differ[:5]}"
        )
    print(f"both servers answer {total} overdue on {today} (Vietnam), the same for all "
          f"{len(projects)} units")  # fmt: skip


class Timed:
    """One server seen by one client: each GET's seconds (a new connection each time)."""

    def __init__(self, client: Client, headers: dict | None = None) -> None:
        self.client, self.headers = client, headers

    def get(self, path: str) -> float:
        started = time.perf_counter()
        self.client.get(path, self.headers)
        return time.perf_counter() - started


def equal_parallelism(base: str, today: dt.date) -> None:
    """2 clients on the overdue page, ours served by one worker with one thread, as thin."""

    def ours() -> Client:
        client = Client(base)
        client.login("bench.office", "bench")
        return client

    yesterday = (today - dt.timedelta(days=1)).isoformat()
    overdue = urllib.parse.urlencode([
        ("set_filter", "1"), ("f[]", "status_id"), ("op[status_id]", "o"),
        ("f[]", "due_date"), ("op[due_date]", "<="), ("v[due_date][]", yesterday),
        ("sort", "due_date,id")])  # fmt: skip

    def theirs() -> Timed:
        return Timed(Client(REDMINE), {"X-Redmine-API-Key": REDMINE_KEY})

    r_rps = throughput(theirs, f"/issues?{overdue}", 2, 10)
    o_rps = throughput(ours, "/nhiem-vu/qua-han", 2, 10)
    print(f"{'2 clients, equal parallelism':<30} {r_rps:>7.1f}/s {o_rps:>7.1f}/s"
          f" {o_rps / r_rps:>6.1f}   (both: one process, one request at a time)")  # fmt: skip


def throughput(make_client, path: str, clients: int, seconds: float) -> float:
    """Requests a second that ``clients`` clients (each from ``make_client()``) get through."""
    done = []
    stop = time.perf_counter() + seconds

    def run() -> None:
        client, n = make_client(), 0
        while time.perf_counter() < stop:
            client.get(path)
            n += 1
        done.append(n)

    threads = [threading.Thread(target=run) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / seconds


def redmine(command: str, capture: bool = False) -> str:
    done = subprocess.run(
        ["bash", "-c", f". {PEER}/lib.sh && {command}"], check=True, capture_output=capture,
        text=True,
    )  # fmt: skip
    return done.stdout + done.stderr if capture else ""


# This product's reminder job in a process of its own, as the scheduler runs it: the weekly
# digests decided (period ``argv[1]``) and sent; prints its seconds, mails, the task rows a
# mail shows (mean) and peak memory (kB). ``argv[2] == "per-mail"`` makes it do Redmine's shape of
# work: every mail rendered on its own (not once for a unit's readers) and sent over a new SMTP
# connection (not one kept for the pass). Only this bench process is changed, never the product.
OUR_JOB = """
import datetime as dt, re, statistics, sys, time
from pathlib import Path
from sqlalchemy import select
from app import create_app
from app.extensions import db
from app.models.reminders import Reminder
from app.reminders import delivery, ways
from app.reminders.compose import DigestMails
from app.reminders.decide import decide_digests
from app.reminders.delivery import send_pending
if sys.argv[2] == "per-mail":
    class EachOnItsOwn(DigestMails):
        def to(self, name, url):
            self._rendered.clear()
            return super().to(name, url)
    ways.DigestMails = EachOnItsOwn
    keep = delivery._Outgoing.deliver
    def deliver(self, message, reminder):
        try:
            return keep(self, message, reminder)
        finally:
            self.close()
    delivery._Outgoing.deliver = deliver
app = create_app()
with app.app_context():
    started = time.perf_counter()
    decided = decide_digests(db.session, dt.date.today(), sys.argv[1])
    db.session.commit()
    sent = 0
    while (n := send_pending(db.session)["sent"]):
        sent += n
    seconds = time.perf_counter() - started
    mails = db.session.scalars(select(Reminder.body_html).where(Reminder.period == sys.argv[1]))
    rows = statistics.mean(html.count("<tr") - html.count("<table") for html in mails)
# the process's own high-water mark (ru_maxrss would carry the bench's over the exec)
peak = re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1)
print("JOB", seconds, decided, sent, rows, peak)
"""


def sink_mails() -> int:
    log = PEER / "run" / "smtp.log"
    return log.read_text(errors="replace").count("MESSAGE FOLLOWS") if log.exists() else 0


def reminder_jobs(env: dict, runs: int, issues: list[dict], today: dt.date) -> None:
    """Both reminder jobs, in turn, ``runs`` times: seconds, mails the sink received, and peak
    memory of the job's process (Redmine's job without the Rails boot; ours, whole). Ours runs
    twice each time: as the product sends (a unit's digest rendered once for its readers, one
    SMTP connection) and in Redmine's shape (a render and a connection per mail)."""
    env = {**env, "SMTP_HOST": "127.0.0.1", "SMTP_PORT": "8025"}
    soon = today + dt.timedelta(days=7)
    listed = Counter(i["assignee"] for i in issues if i["assignee"] and i["due"] and
                     i["due"] <= soon and i["state"] in OPEN)  # fmt: skip
    theirs, ours, shaped = [], [], []

    def our_job(mode: str) -> tuple[float, int, float, float]:
        before = sink_mails()
        done = subprocess.run(
            [sys.executable, "-c", OUR_JOB, f"bench-{time.time_ns()}", mode], cwd=REPO,
            env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
        seconds, _decided, _sent, rows, peak = done.stdout.rsplit("JOB", 1)[1].split()
        time.sleep(1)  # the sink logs what it received
        return float(seconds), sink_mails() - before, float(rows), int(peak) / 1024

    for run in range(runs):
        before = sink_mails()
        output = redmine(
            f'/usr/bin/time -f "MAXRSS %M" su www-data -s /bin/sh -c "cd $RM && '
            f'RAILS_ENV=production REPS=1 bundle exec rails runner {PEER}/reminders_inproc.rb"',
            capture=True,
        )
        seconds = float(re.search(r"median ([\d.]+)s", output).group(1))
        peak = int(re.search(r"MAXRSS (\d+)", output).group(1))
        theirs.append((seconds, sink_mails() - before, peak / 1024))
        ours.append(our_job("product"))
        shaped.append(our_job("per-mail"))
        print(f"  run {run + 1}: Redmine {theirs[-1][0]:.2f} s, {theirs[-1][1]} mails; this"
              f" {ours[-1][0]:.2f} s, {ours[-1][1]} mails; per mail {shaped[-1][0]:.2f} s,"
              f" {shaped[-1][1]} mails")  # fmt: skip
    r = statistics.median(t[0] for t in theirs)
    for name, runs_of in (("reminder job (s, median)", ours),
                          ("  …a render + connection a mail", shaped)):  # fmt: skip
        o = statistics.median(t[0] for t in runs_of)
        print(f"{name:<30} {r:>9.2f}s {o:>9.2f}s {r / o:>6.1f}   (mails {theirs[-1][1]} /"
              f" {runs_of[-1][1]}; task rows a mail {sum(listed.values()) / len(listed):.0f}"
              f" / {runs_of[-1][2]:.0f})")  # fmt: skip
    r_mb, o_mb = max(t[2] for t in theirs), max(t[3] for t in ours + shaped)
    print(f"{'reminder job peak memory (MB)':<30} {r_mb:>9.0f} {o_mb:>9.0f} {r_mb / o_mb:>6.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reps", type=int, default=15)
    parser.add_argument("--job-runs", type=int, default=3)
    parser.add_argument("--redmine-db", type=Path, default=REDMINE_DB)
    args = parser.parse_args()
    if not args.redmine_db.exists() or not (PEER / "lib.sh").exists():
        raise SystemExit("Redmine is not installed here: see ../shared/peer/redmine/README.md")
    from app.core.timeutil import local_today

    today = local_today()  # the day our server counts in (Asia/Ho_Chi_Minh); Redmine is asked
    # for the same day by date, not by its own "today" (the machine's, UTC)

    issues = redmine_issues(args.redmine_db)
    sheet = REPO / "instance" / "redmine-issues.xlsx"
    write_template(issues, sheet)
    url = fresh_database("sqlite")
    env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": url, "SECRET_KEY": "bench"}
    flask(["db", "upgrade"], env)
    read = read_all(sheet)
    process, imported, peak = timed_import(sheet, env)
    print(f"{len(issues)} Redmine issues imported in {imported:.1f} s inside the process"
          f" ({process:.1f} s with its start), {imported / read:.1f}× openpyxl reading the same"
          f" file ({read:.2f} s); peak {peak:.0f} MB")  # fmt: skip
    redmine("stop_server")
    moved = same_deadlines(issues, url, args.redmine_db)
    print(f"the same deadline on both sides for all {len(issues)} issues ({moved} Redmine due"
          f" dates on a day off moved to the working day this product keeps)")  # fmt: skip

    theirs = redmine_overdue(issues, today)
    ours, api_token = our_overdue(url, today)
    if ours != theirs:
        differ = sorted(u for u in set(ours) | set(theirs) if ours[u] != theirs[u])
        raise SystemExit(f"overdue counts differ for {differ[:5]}")
    print(f"overdue on both sides: {sum(ours.values())} tasks, same count for all "
          f"{len(theirs)} units")  # fmt: skip

    redmine("start_smtp; stop_server; start_server")
    redmine('as_www "bundle exec rails runner \'Setting.issues_export_limit = \\"25000\\"\'"')
    try:
        with production_server(env, quiet=True) as (gunicorn, base):
            same_counts_from_both_servers(base, api_token, url, today)
            measure(gunicorn, base, api_token, today, args.reps)
        # Equal parallelism: Redmine's thin is one process serving one request at a time.
        single = {**env, "WEB_THREADS": "1"}
        with production_server(single, workers=1, quiet=True) as (_, base):
            equal_parallelism(base, today)
        redmine("stop_server")  # the jobs run alone, as they would at night
        print("\nreminder jobs, interleaved:")
        reminder_jobs(env, args.job_runs, issues, today)
    finally:
        redmine('as_www "bundle exec rails runner \'Setting.issues_export_limit = \\"500\\"\'"')
        redmine("stop_server; stop_smtp")
        sheet.unlink(missing_ok=True)


def measure(gunicorn, base: str, api_token: str, today: dt.date, reps: int) -> None:
    """Both servers, request by request, interleaved; then 2-client throughput and memory."""

    def ours() -> Timed:
        client = Client(base)
        client.login("bench.office", "bench")
        return Timed(client)

    def theirs() -> Timed:
        return Timed(Client(REDMINE), {"X-Redmine-API-Key": REDMINE_KEY})

    ours_page, theirs_server = ours(), theirs()
    ours_api = Timed(Client(base), {"Authorization": f"Bearer {api_token}"})
    redmine_pid = int((PEER / "run" / "server.pid").read_text())
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    overdue = urllib.parse.urlencode([
        ("set_filter", "1"), ("f[]", "status_id"), ("op[status_id]", "o"),
        ("f[]", "due_date"), ("op[due_date]", "<="), ("v[due_date][]", yesterday),
        ("sort", "due_date,id")])  # fmt: skip
    pairs = [
        ("overdue page (25 / 50 rows)", (theirs_server, f"/issues?{overdue}"),
         (ours_page, "/nhiem-vu/qua-han")),
        ("overdue page (100 / 50 rows)", (theirs_server, f"/issues?{overdue}&per_page=100"),
         (ours_page, "/nhiem-vu/qua-han")),
        ("overdue export (CSV / XLSX)", (theirs_server, f"/issues.csv?{overdue}"),
         (ours_page, "/nhiem-vu/xuat.xlsx?category=late")),
        ("overdue export (CSV / CSV)", (theirs_server, f"/issues.csv?{overdue}"),
         (ours_page, "/nhiem-vu/xuat.csv?category=late")),
        ("JSON list of 100", (theirs_server, "/issues.json?" + urllib.parse.urlencode(
            {"status_id": "open", "due_date": f"<={yesterday}", "limit": 100,
             "sort": "due_date,id"})),
         (ours_api, "/api/v1/tasks?category=late&per_page=100&sort=deadline")),
    ]  # fmt: skip
    times = {name: ([], []) for name, _, _ in pairs}
    for _ in range(3):  # warm-up
        for _, (a, pa), (b, pb) in pairs:
            a.get(pa), b.get(pb)
    for _ in range(reps):  # interleaved: one request each, in turn
        for name, (a, pa), (b, pb) in pairs:
            times[name][0].append(a.get(pa))
            times[name][1].append(b.get(pb))
    print(f"\n{'measure (ms: median / p95)':<30} {'Redmine':>15} {'this':>15} {'× median':>9}")
    for name, (theirs_t, ours_t) in times.items():
        r, o = describe(theirs_t), describe(ours_t)
        print(f"{name:<30} {r['median'] * 1000:>7.1f}/{r['p95'] * 1000:<7.1f}"
              f" {o['median'] * 1000:>7.1f}/{o['p95'] * 1000:<7.1f}"
              f" {r['median'] / o['median']:>9.1f}")  # fmt: skip
    r_rps = throughput(theirs, f"/issues?{overdue}", 2, 10)
    o_rps = throughput(ours, "/nhiem-vu/qua-han", 2, 10)
    print(f"{'2 clients, overdue page':<30} {r_rps:>7.1f}/s {o_rps:>7.1f}/s"
          f" {o_rps / r_rps:>6.1f}   (Redmine: 1 thin process, 1 thread; ours: the"
          f" production server, 2 workers × 4 threads)")  # fmt: skip
    theirs_mem, ours_mem = memory_kb(tree(redmine_pid)), memory_kb(tree(gunicorn.pid))
    print(f"{'memory, whole server (PSS, MB)':<30} {theirs_mem['pss'] / 1024:>9.0f}"
          f" {ours_mem['pss'] / 1024:>9.0f} {theirs_mem['pss'] / ours_mem['pss']:>6.2f}"
          f"   (RSS {theirs_mem['rss'] / 1024:.0f} / {ours_mem['rss'] / 1024:.0f} MB;"
          f" {theirs_mem['processes']} / {ours_mem['processes']} processes)")  # fmt: skip


if __name__ == "__main__":
    main()
