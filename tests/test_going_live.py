"""README's "Going live", run word for word: on a new PostgreSQL database, its block of
commands reaches a configuration that checks clean and an administrator who can sign in."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from app.config import normalize_database_url
from conftest import PG_URL

REPO = Path(__file__).resolve().parent.parent
PASSWORD = "Mật-khẩu-đủ-dài-2026"

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs TEST_DATABASE_URL (PostgreSQL)")


def going_live_block() -> str:
    readme = (REPO / "README.md").read_text()
    section = readme[readme.index("## Going live") : readme.index("## Upgrading")]
    match = re.search(r"<!-- going-live -->\s*```sh\n(.*?)```", section, re.S)
    assert match, "README: the going-live block is missing"
    return "\n".join(line.strip() for line in match.group(1).splitlines())


@pytest.fixture
def fresh_database():
    admin = sa.create_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"golive_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name)
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def settings_file(tmp_path: Path, database_url: str) -> Path:
    """deploy/tracker.env.example filled in as step 3 says."""
    values = {
        "SECRET_KEY": "s" * 64,
        "DATABASE_URL": database_url,
        "BASE_URL": "https://theodoi.example.gov.vn",
        "ATTACHMENTS_DIR": str(tmp_path / "attachments"),
        "UPLOADS_DIR": str(tmp_path / "uploads"),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "SMTP_HOST": "",
    }
    lines = []
    for line in (REPO / "deploy/tracker.env.example").read_text().splitlines():
        key = line.split("=", 1)[0]
        lines.append(f"{key}={values[key]}" if key in values and "=" in line else line)
    path = tmp_path / "tracker.env"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_going_live_reaches_a_signed_in_administrator(tmp_path, fresh_database):
    env_file = settings_file(tmp_path, fresh_database)
    script = going_live_block().replace("/etc/directive-tracker/tracker.env", str(env_file))
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "DATABASE"))}
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=REPO,
        env=environment,
        input=f"{PASSWORD}\n{PASSWORD}\n",
        capture_output=True,
        text=True,
        timeout=600,
        start_new_session=True,  # no terminal: the password prompt reads standard input
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Đã tạo tài khoản quantri (admin)." in result.stdout
    assert "[LỖI]" not in result.stdout and "Cấu hình dùng được" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr  # never echoed

    # The web service as its unit starts it: gunicorn with deploy/gunicorn.conf.py.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    service_env = dict(environment)
    for line in env_file.read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            service_env[key] = value
    service_env["BIND"] = f"127.0.0.1:{port}"
    server = subprocess.Popen(
        [Path(sys.executable).parent / "gunicorn", "-c", "deploy/gunicorn.conf.py"],
        cwd=REPO,
        env=service_env,
    )
    try:
        page = sign_in(port, "quantri", PASSWORD)
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert "Quản trị hệ thống" in page and "Quản trị" in page


def sign_in(port: int, username: str, password: str) -> str:
    from urllib.parse import urlencode

    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", "/dang-nhap")
            break
        except OSError:
            time.sleep(0.2)
    response = connection.getresponse()
    html = response.read().decode()
    cookie = response.getheader("Set-Cookie").split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    token = token or re.search(r'value="([^"]+)"[^>]*name="csrf_token"', html)
    body = urlencode({"csrf_token": token.group(1), "username": username, "password": password})
    connection.request(
        "POST",
        "/dang-nhap",
        body=body,
        headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    response = connection.getresponse()
    response.read()
    assert response.status == 302, response.status
    # the session's cookie (a sign-in also gives the browser its device cookie)
    cookie = next(
        value.split(";", 1)[0]
        for value in response.msg.get_all("Set-Cookie")
        if value.startswith("session=")
    )
    connection.request("GET", "/", headers={"Cookie": cookie})
    response = connection.getresponse()
    page = response.read().decode()
    assert response.status == 200
    connection.close()
    return page
