"""Configuration: defaults here, then ``instance/config.py``, then environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_PATH = REPO_ROOT / "instance"

ENV_KEYS = (
    "DATABASE_URL",
    "SECRET_KEY",
    "BASE_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_STARTTLS",
    "MAIL_FROM",
    "MAIL_FROM_NAME",
    "ATTACHMENTS_DIR",
    "ATTACHMENT_DIR",  # the earlier name of ATTACHMENTS_DIR, still read
    "OUTBOX_DIR",
    # Files kept between requests (an import's file, a document read into the form): shared by
    # every application server and the scheduler, like the attachments folder.
    "UPLOADS_DIR",
    # Signing in through the province's identity service (OpenID Connect, app/auth/oidc.py):
    # on when the issuer, the client id and its secret are all set.
    "OIDC_ISSUER",
    "OIDC_DISCOVERY_URL",  # when the provider's metadata is not under the issuer's address
    "OIDC_CLIENT_ID",
    "OIDC_CLIENT_SECRET",
    "OIDC_MATCH",  # "email", "username" or "email,username"
    "OIDC_BUTTON_LABEL",
    "OIDC_MFA_AMR",  # amr values that count as the provider's own second factor ("mfa")
    "OIDC_MFA_ACR",  # acr values that do (none by default)
    # edXML packages from the e-office (README "Documents from the e-office")
    "EDXML_INBOX_DIR",
    "EDXML_OUTBOX_DIR",
    "EDXML_STATUS_URL",
    "EDXML_STATUS_TOKEN",
    "EDXML_ORGAN_ID",
    "EDXML_ORGAN_NAME",
    "EDXML_SIGN_CERT",
    "EDXML_SIGN_KEY",
    "EDXML_TRUSTED_CA",
)
# Settings given as whole numbers in the environment.
INT_ENV_KEYS = (
    "ATTACHMENT_MAX_BYTES",
    "MAX_CONTENT_LENGTH",
    "TRUSTED_PROXIES",
    "DB_LOCK_TIMEOUT_MS",
    "DB_STATEMENT_TIMEOUT_MS",
    "DRAFT_READ_SECONDS",  # "Đọc văn bản": the reading process's CPU time (15)
    "DRAFT_READ_MEMORY_MB",  # and its memory (512)
    "OIDC_TIMEOUT_SECONDS",  # each call to the identity service waits at most this long (5)
    "EDXML_MAX_BYTES",  # an edXML package (64 MB)
    "EDXML_MAX_ATTACHMENTS",  # its attachments (20)
    "EDXML_VERIFY_MAX_BYTES",  # the largest package whose signature is checked (32 MB)
)


def normalize_database_url(url: str) -> str:
    """Use psycopg 3 for PostgreSQL URLs given in the usual ``postgresql://`` form."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'tracker.db'}"


def persistent_secret_key(instance_path: Path) -> str:
    """A random key kept in ``instance/secret_key`` so sessions survive restarts."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load_config(app, overrides: dict | None = None) -> None:
    instance_path = Path(app.instance_path)
    app.config.update(
        SQLALCHEMY_DATABASE_URI=default_database_url(instance_path),
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True},
        BASE_URL="http://127.0.0.1:5000",
        # Reminders' sender: an address on this machine, good for development only (outside
        # it, delivery refuses to send from it and ``flask check-config`` says so).
        MAIL_FROM="nhacviec@localhost",
        MAIL_FROM_NAME="Hệ thống theo dõi văn bản chỉ đạo",
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        TIMEZONE="Asia/Ho_Chi_Minh",
        # Reverse proxies in front of the application whose X-Forwarded-* headers are trusted
        # (1 behind nginx): the real client address for logs and the scheme for links.
        TRUSTED_PROXIES=0,
        # A save waits this long for another writer (SQLite busy timeout, PostgreSQL
        # lock_timeout), and a web request's statement runs at most this long (PostgreSQL),
        # both well below the web worker's 60 s timeout; then the user is asked to try again.
        DB_LOCK_TIMEOUT_MS=10_000,
        DB_STATEMENT_TIMEOUT_MS=30_000,
        OIDC_MATCH="email",
        OIDC_MFA_AMR="mfa",
        OIDC_TIMEOUT_SECONDS=5,
    )
    app.config.from_pyfile("config.py", silent=True)
    for key in ENV_KEYS:
        if os.environ.get(key):
            app.config[key] = os.environ[key]
    for key in INT_ENV_KEYS:
        if os.environ.get(key):
            try:
                app.config[key] = int(os.environ[key])
            except ValueError:
                raise SystemExit(f"{key}={os.environ[key]!r}: cần một số nguyên") from None
    if app.config.get("ATTACHMENTS_DIR"):
        # One folder of attachments that several application servers can share (NFS, …).
        app.config["ATTACHMENT_DIR"] = app.config["ATTACHMENTS_DIR"]
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if overrides:
        app.config.update(overrides)
    app.config["SQLALCHEMY_DATABASE_URI"] = normalize_database_url(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Short OLTP queries: PostgreSQL's JIT compiler costs more than it saves here.
        options = app.config["SQLALCHEMY_ENGINE_OPTIONS"]
        options.setdefault("connect_args", {}).setdefault("options", "-c jit=off")
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = persistent_secret_key(instance_path)
        app.config["SECRET_KEY_GENERATED"] = True
    if str(app.config.get("BASE_URL", "")).startswith("https://"):
        # Served over https (behind nginx): cookies never travel in clear text.
        app.config.update(
            SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True, PREFERRED_URL_SCHEME="https"
        )
