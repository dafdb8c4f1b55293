"""A real OpenID Connect provider for the tests: panva's ``oidc-provider`` (npm) run with node
by ``tests/oidc_provider/server.mjs`` on a free loopback port, and a way through its sign-in
page without a browser (``requests``), for the tests that need no page of the application
drawn. ``make test`` installs its packages (``npm ci``); so does ``installed()`` when they are
missing."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import threading
import time
from html import unescape
from pathlib import Path

from conftest import needs

HERE = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID = "tracker"
CLIENT_SECRET = "tracker-client-secret-for-tests"
CALLBACK = "/dang-nhap/dinh-danh/ve"
# The people the provider knows: sub -> login, password, claims, authentication methods.
ACCOUNTS = {
    "sub-tnmt": {
        "login": "truong.tnmt",
        "password": "dinh-danh-1",
        "claims": {
            "email": "TNMT.Truong@Example.vn",  # the user's address, written otherwise
            "email_verified": True,
            "name": "Trưởng phòng TNMT",
            "preferred_username": "nguoi-khac",
        },
    },
    "sub-stranger": {
        "login": "nguoi.la",
        "password": "dinh-danh-2",
        "claims": {"email": "nguoi.la@example.vn", "email_verified": True},
    },
    "sub-unverified": {
        "login": "chua.xac.nhan",
        "password": "dinh-danh-3",
        "claims": {"email": "vanphong@example.vn", "email_verified": False},
    },
    "sub-mfa": {
        "login": "vanphong.mfa",
        "password": "dinh-danh-4",
        "claims": {"email": "vanphong@example.vn", "email_verified": True},
        "amr": ["pwd", "otp", "mfa"],
    },
    "sub-plain": {
        "login": "vanphong.pwd",
        "password": "dinh-danh-5",
        "claims": {"email": "vanphong@example.vn", "email_verified": True},
    },
    "sub-name": {
        "login": "lanhdao.dd",
        "password": "dinh-danh-6",
        "claims": {"preferred_username": "LanhDao"},
    },
}


def installed() -> None:
    """node and the provider's packages, or a skip (a failure when REQUIRE_NODE=1)."""
    needs("node", "REQUIRE_NODE")
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        needs("npm", "REQUIRE_NODE")
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=HERE, check=True, timeout=300)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Provider:
    """One run of the provider; ``start`` again on the same port makes a new signing key."""

    def __init__(self, redirect_uri: str, port: int | None = None, key_id: str = "key-1"):
        self.port = port or free_port()
        self.redirect_uri = redirect_uri
        self.key_id = key_id
        self.process: subprocess.Popen | None = None
        self.output: list[str] = []

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Provider:
        installed()
        client = {
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [self.redirect_uri],
        }
        env = {
            **os.environ,
            "PORT": str(self.port),
            "CLIENTS": json.dumps([client]),
            "ACCOUNTS": json.dumps(ACCOUNTS),
            "KEY_ID": self.key_id,
        }
        self.process = subprocess.Popen(
            ["node", "server.mjs"],
            cwd=HERE,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        ready = threading.Event()

        def read():
            for line in self.process.stdout:
                self.output.append(line)
                if line.startswith("listening "):
                    ready.set()

        self.reader = threading.Thread(target=read, daemon=True)
        self.reader.start()
        deadline = time.monotonic() + 30
        while not ready.wait(0.1):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the OpenID provider did not start:\n" + "".join(self.output))
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        if self.process is not None:
            self.reader.join(5)
            self.process.stdout.close()
        self.process = None

    def config(self, **extra) -> dict:
        """The application's settings for this provider."""
        return {
            "OIDC_ISSUER": self.issuer,
            "OIDC_CLIENT_ID": CLIENT_ID,
            "OIDC_CLIENT_SECRET": CLIENT_SECRET,
            **extra,
        }


def sign_in_without_browser(http, base: str, login: str, password: str):
    """The whole round with a ``requests`` session: the application's button, the provider's
    sign-in page, back to the application. The last answer (redirects followed)."""
    page = http.get(base + "/dang-nhap/dinh-danh", timeout=20)
    assert page.status_code == 200, page.text
    action = unescape(re.search(r'<form method="post" action="([^"]+/login)"', page.text)[1])
    return http.post(
        page.url.split("/interaction/")[0] + action,
        data={"login": login, "password": password},
        timeout=20,
    )
