"""`make run` as a new user starts it: the banner, and e-mail links to the address it serves."""

from __future__ import annotations

import email
import os
import re
import signal
import socket
import sqlite3
import subprocess
import time
from email import policy
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_make_run_links_mails_to_the_port_it_serves(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    outbox = tmp_path / "outbox"
    env = {k: v for k, v in os.environ.items() if k not in ("BASE_URL", "FLASK_APP")}
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path / 'demo.db'}",
        OUTBOX_DIR=str(outbox),
        ATTACHMENT_DIR=str(tmp_path / "files"),
    )
    # The office has used it before: the scheduler ran long ago, so its first start now makes up
    # this week's digest (a new installation sends nothing of the past).
    flask = [str(REPO / ".venv" / "bin" / "flask")]
    for args in (["db", "upgrade"], ["seed-demo"]):
        subprocess.run(
            [*flask, *args],
            cwd=REPO,
            env={**env, "FLASK_APP": "app"},
            check=True,
            capture_output=True,
        )
    with sqlite3.connect(tmp_path / "demo.db") as database:
        database.execute(  # in each of the demo's offices
            "INSERT INTO scheduler_runs (office_id, kind, fire_time, ran_at, created)"
            " SELECT id, 'digest', '2000-01-03 07:30:00', '2000-01-03 00:30:00', 0 FROM offices"
        )
        accounts = {name for (name,) in database.execute("SELECT username FROM users")}
        offices = dict(database.execute("SELECT id, code FROM offices"))
        office_of = dict(database.execute("SELECT username, office_id FROM users"))
    process = subprocess.Popen(
        ["make", "-s", "run", f"PORT={port}"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    banner = []
    try:
        deadline = time.monotonic() + 240
        mails = []
        while time.monotonic() < deadline and not mails:
            line = process.stdout.readline()
            banner.append(line)
            mails = sorted(outbox.glob("*.eml")) if outbox.exists() else []
            if process.poll() is not None:
                break
        # The scheduler makes up this week's digest: mails are written.
        while time.monotonic() < deadline and not mails:
            time.sleep(0.5)
            mails = sorted(outbox.glob("*.eml")) if outbox.exists() else []
        output = "".join(banner)
        assert f"Liên kết trong thư nhắc việc dẫn về: http://127.0.0.1:{port}" in output, output
        assert mails, output
        message = email.message_from_bytes(mails[0].read_bytes(), policy=policy.default)
        text = message.get_body(("plain",)).get_content()
        links = re.findall(r"https?://[\w.:-]+/", text)
        assert links and set(links) == {f"http://127.0.0.1:{port}/"}, links
        # Every login the banner names is an account of the demo, and each office has some:
        # the province's, the city office's of 2024, and each ward's and commune's (the
        # banner shows Tam Thanh's and names the others' prefixes).
        logins_part = output.split("Tài khoản mẫu", 1)[1].split("Thư nhắc việc", 1)[0]
        listed = re.findall(r"^    ([a-z][\w.]*)\s", logins_part, re.M)
        assert listed and set(listed) <= accounts, set(listed) - accounts
        prefixes = re.findall(r"\b([a-z]+) \(([A-Z]+)\)", logins_part)
        assert {code for _, code in prefixes} == set(offices.values()) - {"LS", "TPLS"}
        logins = set(listed) | {
            f"{prefix}.{role}" for prefix, _ in prefixes
            for role in ("admin", "vanphong", "kinhte", "vhxh")
        }  # fmt: skip
        assert logins <= accounts, logins - accounts
        assert {offices[office_of[name]] for name in logins} == set(offices.values())
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        process.stdout.close()
