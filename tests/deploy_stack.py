"""The pieces of the production setup in deploy/ run on loopback by the tests: nginx with
deploy/nginx-site.conf (this run's ports, paths and a self-signed certificate substituted in),
in front of one gunicorn or several (tests/test_deploy.py, tests/test_two_servers.py)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEPLOY = REPO / "deploy"
UPSTREAM_SERVER = "server unix:/run/directive-tracker/web.sock fail_timeout=0;"


def nginx_or_skip() -> str:
    """nginx's path; without nginx or openssl the calling test module is skipped, or fails
    under REQUIRE_NGINX=1 (.ci/run)."""
    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()) or not shutil.which(
        "openssl"
    ):
        if os.environ.get("REQUIRE_NGINX"):
            raise RuntimeError("REQUIRE_NGINX is set but nginx or openssl is missing")
        pytest.skip("nginx or openssl is not installed", allow_module_level=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {port}")


def wait_for_socket(path: Path, seconds: float = 30) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if path.exists():
            with socket.socket(socket.AF_UNIX) as probe:
                if probe.connect_ex(str(path)) == 0:
                    return
        time.sleep(0.2)
    raise TimeoutError(f"nothing listens on {path}")


def site_config(tmp: Path, http_port: int, https_port: int, sockets: tuple[Path, ...] = ()) -> Path:
    """deploy/nginx-site.conf with this test's ports, paths and certificate; its upstream names
    ``sockets`` (one gunicorn on ``tmp/web.sock`` by default), as the README's "Several
    application servers" says to."""
    text = (DEPLOY / "nginx-site.conf").read_text()
    servers = "\n    ".join(
        UPSTREAM_SERVER.replace("/run/directive-tracker/web.sock", str(path))
        for path in sockets or (tmp / "web.sock",)
    )
    for old, new in (
        ("listen 80;", f"listen 127.0.0.1:{http_port};"),
        ("listen [::]:80;", ""),
        ("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;"),
        ("listen [::]:443 ssl http2;", ""),
        (UPSTREAM_SERVER, servers),
        ("/opt/directive-tracker/", f"{REPO}/"),
        ("/etc/ssl/directive-tracker/", f"{tmp}/"),
        (
            "return 301 https://$host$request_uri;",
            f"return 301 https://$host:{https_port}$request_uri;",
        ),
    ):
        assert old in text, old
        text = text.replace(old, new)
    site = tmp / "site.conf"
    site.write_text(text)
    main = tmp / "nginx.conf"
    main.write_text(
        f"""daemon off;
master_process off;
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {site};
}}
"""
    )
    return main


def certificate(tmp: Path) -> None:
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=localhost", "-keyout", str(tmp / "privkey.pem"),
            "-out", str(tmp / "fullchain.pem"),
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
