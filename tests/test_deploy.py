"""The production setup in deploy/, run as it is: nginx in front of gunicorn, on loopback.

nginx -t and systemd-analyze verify check the files; then gunicorn starts with
deploy/gunicorn.conf.py and nginx with deploy/nginx-site.conf (ports, paths and a self-signed
certificate made here substituted in), and a page, a static file, uploads at and above the
limit and the client's address are checked through nginx. Needs Debian's nginx and openssl
(.ci/run installs them; REQUIRE_NGINX=1 makes their absence a failure).
"""

from __future__ import annotations

import gzip
import http.client
import os
import shutil
import ssl
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import needs
from deploy_stack import (
    DEPLOY,
    REPO,
    certificate,
    free_port,
    nginx_or_skip,
    site_config,
    wait_for,
    wait_for_socket,
)

VENV_BIN = Path(sys.executable).parent
LIMIT = 20 * 1024 * 1024  # client_max_body_size 20m and MAX_CONTENT_LENGTH
NGINX = nginx_or_skip()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, sqlite_template):
    tmp = tmp_path_factory.mktemp("deploy")
    certificate(tmp)
    database = tmp / "tracker.db"
    shutil.copy(sqlite_template, database)
    http_port, https_port = free_port(), free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "k" * 64,
        "BASE_URL": f"https://localhost:{https_port}",
        "ATTACHMENT_DIR": str(tmp / "attachments"),
        "TRUSTED_PROXIES": "1",
        "BIND": f"unix:{tmp}/web.sock",
        "ACCESS_LOG": str(tmp / "access.log"),
        "ERROR_LOG": str(tmp / "error.log"),
        "WEB_WORKERS": "2",
        "FLASK_APP": "app",
    }
    config = site_config(tmp, http_port, https_port)
    gunicorn = subprocess.Popen(
        [VENV_BIN / "gunicorn", "-c", DEPLOY / "gunicorn.conf.py"], cwd=REPO, env=env
    )
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp)], env=env)
    try:
        wait_for_socket(tmp / "web.sock")
        wait_for(https_port)
        yield {
            "tmp": tmp,
            "https": https_port,
            "http": http_port,
            "env": env,
            "config": config,
        }
    finally:
        for process in (nginx, gunicorn):
            process.terminate()
        for process in (nginx, gunicorn):
            process.wait(timeout=30)


def request(stack, method, path, body=None, headers=None, source="127.0.0.1"):
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    connection = http.client.HTTPSConnection(
        "127.0.0.1", stack["https"], context=context, timeout=60, source_address=(source, 0)
    )
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response, data


def test_nginx_accepts_the_site(stack):
    result = subprocess.run(
        [NGINX, "-t", "-c", str(stack["config"]), "-p", str(stack["tmp"])],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "syntax is ok" in result.stderr


def test_systemd_units_verify(tmp_path):
    needs("systemd-analyze", "REQUIRE_SYSTEMD")
    for unit in DEPLOY.glob("*.service"):
        copy = tmp_path / unit.name
        copy.write_text(unit.read_text().replace("/opt/directive-tracker", str(REPO)))
        result = subprocess.run(
            ["systemd-analyze", "verify", str(copy)], capture_output=True, text=True
        )
        assert result.returncode == 0 and unit.name not in result.stderr, result.stderr


def test_a_page_through_nginx_over_https(stack):
    response, data = request(stack, "GET", "/dang-nhap")
    assert response.status == 200 and "Đăng nhập".encode() in data
    assert response.getheader("Strict-Transport-Security")
    cookie = response.getheader("Set-Cookie") or ""
    assert "Secure" in cookie and "HttpOnly" in cookie  # BASE_URL is https
    plain = http.client.HTTPConnection("127.0.0.1", stack["http"], timeout=10)
    plain.request("GET", "/dang-nhap")
    redirect = plain.getresponse()
    redirect.read()
    plain.close()
    assert redirect.status == 301
    assert redirect.getheader("Location").startswith("https://")


def test_static_files_come_compressed_and_cached(stack):
    response, data = request(stack, "GET", "/static/app.css", headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(data) == (REPO / "app/static/app.css").read_bytes()
    assert response.getheader("Cache-Control") == "no-cache"  # an unversioned URL
    versioned, _ = request(stack, "GET", "/static/app.css?v=0123456789ab")
    assert versioned.getheader("Cache-Control") == "public, max-age=31536000, immutable"


def test_uploads_up_to_the_limit_reach_the_application(stack):
    at_limit, _ = request(
        stack,
        "POST",
        "/dang-nhap",
        body=b"a" * LIMIT,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert at_limit.status not in (413, 502, 504)  # the application answered (no CSRF token)
    above, _ = request(
        stack,
        "POST",
        "/dang-nhap",
        body=b"a" * (LIMIT + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert above.status == 413


def test_the_application_sees_the_client_address(stack):
    """Through nginx from 127.0.0.2: gunicorn's log (the application's view) names that
    address, not nginx's 127.0.0.1."""
    response, _ = request(stack, "GET", "/dang-nhap?from=second-address", source="127.0.0.2")
    assert response.status == 200
    log = Path(stack["env"]["ACCESS_LOG"])
    for _ in range(50):
        lines = [line for line in log.read_text().splitlines() if "second-address" in line]
        if lines:
            break
        time.sleep(0.1)
    assert lines and lines[-1].startswith("127.0.0.2 "), lines


def test_only_the_service_group_can_reach_gunicorn(stack):
    """gunicorn listens on a Unix socket that others cannot open (no TCP port a local process
    could reach to forge X-Forwarded-For), and the units keep what the service writes private."""
    mode = stat.S_IMODE(os.stat(stack["tmp"] / "web.sock").st_mode)
    assert mode & 0o007 == 0 and mode & 0o060 == 0o060, oct(mode)
    settings: dict = {}
    exec((DEPLOY / "gunicorn.conf.py").read_text(), settings)  # noqa: S102  (our own file)
    assert os.environ.get("BIND") or settings["bind"].startswith("unix:/run/directive-tracker/")
    web = (DEPLOY / "directive-tracker-web.service").read_text()
    assert "RuntimeDirectory=directive-tracker" in web and "RuntimeDirectoryMode=0750" in web
    for unit in DEPLOY.glob("*.service"):
        assert "UMask=0077" in unit.read_text(), unit.name


def test_gunicorn_refuses_to_start_on_pending_migrations(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "SECRET_KEY": "k" * 64,
        "BIND": f"127.0.0.1:{free_port()}",
    }
    result = subprocess.run(
        [VENV_BIN / "gunicorn", "-c", DEPLOY / "gunicorn.conf.py"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "flask db upgrade" in result.stderr
