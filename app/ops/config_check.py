"""Is this server ready to run the product? ``flask check-config`` and the start-up check.

Each check reaches what it names (the database, the SMTP server, the attachments folder) and
says, in Vietnamese, what it found. An error is something that stops the product from working;
a warning is something an administrator should know. The web server and the scheduler refuse
to start on the two problems that would only make them serve errors: a database they cannot
reach, and migrations not yet applied.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import smtplib
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.extensions import db

OK, WARNING, ERROR = "ok", "warning", "error"
LABELS = {OK: "[ĐẠT]", WARNING: "[CẢNH BÁO]", ERROR: "[LỖI]"}
HEARTBEAT_KEY = "scheduler_seen_at"
HEARTBEAT_STALE = dt.timedelta(minutes=10)


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    message: str

    def line(self) -> str:
        return f"{LABELS[self.level]:<11} {self.topic}: {self.message}"


def _database_name(app: Flask) -> str:
    return make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(hide_password=True)


def check_database(app: Flask) -> list[Finding]:
    """The database answers, and its schema is at the migrations' head."""
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    name = _database_name(app)
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            current = set(MigrationContext.configure(connection).get_current_heads())
    except Exception as error:  # noqa: BLE001  (any driver error means the same to the admin)
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error)
        return [Finding(ERROR, "Cơ sở dữ liệu", f"không kết nối được {name}: {reason}")]
    migrate = app.extensions["migrate"]
    heads = set(
        ScriptDirectory.from_config(migrate.migrate.get_config(migrate.directory)).get_heads()
    )
    found = [Finding(OK, "Cơ sở dữ liệu", f"kết nối được {name}")]
    if current != heads:
        found.append(
            Finding(
                ERROR,
                "Cấu trúc dữ liệu",
                "chưa cập nhật theo phiên bản mới nhất: chạy “flask db upgrade”"
                f" (hiện tại {', '.join(sorted(current)) or 'trống'};"
                f" mới nhất {', '.join(sorted(heads))})",
            )
        )
    else:
        found.append(Finding(OK, "Cấu trúc dữ liệu", "đã ở phiên bản mới nhất"))
    return found


def _is_loopback(host: str) -> bool:
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def in_development(config) -> bool:
    """Flask's debug mode, or a BASE_URL on this machine (``make run``'s default): no one
    else reaches this server, so nothing it sends matters outside it."""
    return bool(config.get("DEBUG")) or _is_loopback(
        urlsplit(str(config.get("BASE_URL") or "")).hostname or ""
    )


def sender_problem(config) -> str | None:
    """Why reminders may not be sent from MAIL_FROM, or None. An address at localhost (the
    default) is refused outside development: mail servers reject it or readers cannot answer
    it, and an office would not notice its reminders were lost."""
    sender = str(config.get("MAIL_FROM") or "").strip()
    if not sender:
        return "chưa đặt địa chỉ người gửi thư"
    domain = sender.rpartition("@")[2].strip("[]").rstrip(".").lower()
    local = _is_loopback(domain) or domain.endswith(".localhost") or domain.startswith("localhost.")
    if not local or in_development(config):
        return None
    return (
        f"{sender} là địa chỉ trên chính máy này (localhost), không gửi thư nhắc việc từ đó "
        "được: đặt MAIL_FROM là hộp thư thật của cơ quan, ví dụ nhacviec@langson.gov.vn"
    )


def check_base_url(app: Flask) -> list[Finding]:
    url = str(app.config.get("BASE_URL") or "")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        return [Finding(ERROR, "BASE_URL", f"“{url}” không phải địa chỉ http(s) hợp lệ")]
    if parts.scheme != "https" and not _is_loopback(parts.hostname):
        return [
            Finding(
                ERROR,
                "BASE_URL",
                f"{url} dùng http: máy chủ thật cần https (liên kết trong thư, cookie an toàn)",
            )
        ]
    return [Finding(OK, "BASE_URL", f"{url} (liên kết trong thư nhắc việc dẫn về đây)")]


def check_secret_key(app: Flask) -> list[Finding]:
    key = str(app.config.get("SECRET_KEY") or "")
    if len(key) < 32:
        return [Finding(ERROR, "SECRET_KEY", "quá ngắn: cần ít nhất 32 ký tự ngẫu nhiên")]
    if app.config.get("SECRET_KEY_GENERATED"):
        return [
            Finding(
                WARNING,
                "SECRET_KEY",
                "tự tạo trong instance/secret_key; nhiều máy chủ ứng dụng phải dùng chung một khóa",
            )
        ]
    return [Finding(OK, "SECRET_KEY", "đã đặt")]


def check_folders(app: Flask) -> list[Finding]:
    from app.core.attachments import storage_dir

    found = []
    try:
        folder = storage_dir()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".check-"):
            pass
        found.append(Finding(OK, "Thư mục tệp đính kèm", f"{folder} ghi được"))
    except OSError as error:
        configured = app.config.get("ATTACHMENT_DIR") or Path(app.instance_path) / "attachments"
        found.append(Finding(ERROR, "Thư mục tệp đính kèm", f"{configured}: {error.strerror}"))
    return found


def check_private_files(app: Flask) -> list[Finding]:
    """Files holding password hashes, tokens or the office's documents that the group or
    others may read (a umask of 022, units without UMask=0077, a copy made by hand)."""
    from app.core.attachments import storage_dir
    from app.core.private import readable_by_others

    instance = Path(app.instance_path)
    single = [instance, instance / "secret_key"]
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        single += [Path(url.database + suffix) for suffix in ("", "-wal", "-shm")]
    readable = [path for path in single if path.exists() and path.stat().st_mode & 0o077]
    readable += readable_by_others(storage_dir())
    if readable:
        shown = ", ".join(str(path) for path in readable[:5])
        more = f" và {len(readable) - 5} tệp khác" if len(readable) > 5 else ""
        return [
            Finding(
                WARNING,
                "Quyền đọc tệp",
                f"người khác trên máy chủ đọc được {shown}{more}: chạy chmod -R go-rwx cho các "
                "tệp này và đặt UMask=0077 cho dịch vụ (deploy/*.service)",
            )
        ]
    return [Finding(OK, "Quyền đọc tệp", "cơ sở dữ liệu và tệp đính kèm chỉ chủ sở hữu đọc được")]


def check_proxies(app: Flask) -> list[Finding]:
    """TRUSTED_PROXIES makes the application believe X-Forwarded-For: only nginx may be able
    to reach gunicorn then (its Unix socket, deploy/gunicorn.conf.py)."""
    import os

    bind = os.environ.get("BIND", "")
    if int(app.config.get("TRUSTED_PROXIES") or 0) and bind and not bind.startswith("unix:"):
        return [
            Finding(
                WARNING,
                "TRUSTED_PROXIES",
                f"gunicorn nghe qua TCP ({bind}): mọi tiến trình trên máy chủ gửi thẳng tới đó "
                "có thể giả địa chỉ người dùng (X-Forwarded-For) để tránh hoặc gây khóa đăng "
                "nhập; hãy bỏ BIND để dùng socket Unix mặc định",
            )
        ]
    return []


def check_smtp(app: Flask, timeout: float = 10) -> list[Finding]:
    """Connect, EHLO, STARTTLS and log in as configured; no mail is sent."""
    config = app.config
    host = config.get("SMTP_HOST")
    if not host:
        return [
            Finding(
                WARNING,
                "SMTP",
                "chưa cấu hình SMTP_HOST: thư nhắc việc chỉ được ghi vào thư mục outbox",
            )
        ]
    port = int(config.get("SMTP_PORT") or 25)
    found = []
    problem = sender_problem(config)
    if problem:
        found.append(Finding(ERROR, "MAIL_FROM", problem))
    try:
        with smtplib.SMTP(host, port, timeout=timeout) as smtp:
            code, _ = smtp.ehlo()
            if code != 250:
                raise smtplib.SMTPResponseException(code, b"EHLO")
            if str(config.get("SMTP_STARTTLS", "")).lower() in ("1", "true", "yes"):
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
    except (OSError, smtplib.SMTPException) as error:
        found.append(Finding(ERROR, "SMTP", f"không dùng được {host}:{port}: {error}"))
        return found
    found.append(Finding(OK, "SMTP", f"{host}:{port} trả lời và chấp nhận (chưa gửi thư nào)"))
    return found


OIDC_REQUIRED = ("OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET")


def check_oidc(app: Flask) -> list[Finding]:
    """Signing in through the identity service: off, half configured, or its discovery
    document reachable, naming the configured issuer and its keys (``app/auth/oidc.py``)."""
    config = app.config
    given = [key for key in OIDC_REQUIRED if config.get(key)]
    if not given:
        return []
    topic = "Cổng định danh (OpenID Connect)"
    if len(given) < len(OIDC_REQUIRED):
        missing = ", ".join(key for key in OIDC_REQUIRED if key not in given)
        return [Finding(WARNING, topic, f"thiếu {missing}: đăng nhập qua cổng định danh đang tắt")]
    import requests

    issuer = str(config["OIDC_ISSUER"]).strip().rstrip("/")
    url = config.get("OIDC_DISCOVERY_URL") or issuer + "/.well-known/openid-configuration"
    timeout = float(config.get("OIDC_TIMEOUT_SECONDS") or 5)
    try:
        answer = requests.get(url, timeout=timeout)
        answer.raise_for_status()
        metadata = answer.json()
        keys = requests.get(metadata["jwks_uri"], timeout=timeout)
        keys.raise_for_status()
        count = len(keys.json().get("keys") or [])
    except (requests.RequestException, ValueError, KeyError, TypeError, AttributeError) as error:
        # A warning: local accounts still sign in while the service is away.
        message = f"không đọc được {url}: {type(error).__name__}: {error}"
        return [Finding(WARNING, topic, message)]
    stated = str(metadata.get("issuer", "")).rstrip("/")
    if stated != issuer:
        return [Finding(ERROR, topic, f"{url} ghi issuer {stated!r}, khác OIDC_ISSUER {issuer!r}")]
    if not count:
        return [Finding(ERROR, topic, f"{metadata['jwks_uri']} không có khóa nào")]
    return [Finding(OK, topic, f"{issuer} trả lời ({count} khóa ký), nút đăng nhập đang hiện")]


INTERVAL_KEY = "scheduler_interval"


def record_heartbeat(session, now: dt.datetime, interval: int | None = None) -> None:
    """The scheduler says it is alive (once a tick), and how often it ticks; ``check-config``
    and ``/healthz`` read it."""
    from app.core.office_scope import all_offices
    from app.models import Setting

    with all_offices():  # the installation's own rows, whichever offices it has
        row = session.get(Setting, HEARTBEAT_KEY) or Setting(key=HEARTBEAT_KEY)
        row.value = now.isoformat(timespec="seconds")
        session.add(row)
        if interval:
            every = session.get(Setting, INTERVAL_KEY) or Setting(key=INTERVAL_KEY)
            every.value = str(int(interval))
            session.add(every)


def scheduler_heartbeat(session) -> tuple[dt.datetime | None, int]:
    """When the scheduler last ticked (UTC) and its interval in seconds (60 by default)."""
    from app.core.office_scope import all_offices
    from app.models import Setting

    with all_offices():  # the installation's own rows
        seen = session.get(Setting, HEARTBEAT_KEY)
        every = session.get(Setting, INTERVAL_KEY)
    interval = int(every.value) if every and every.value.isdigit() else 60
    return (dt.datetime.fromisoformat(seen.value) if seen else None), interval


def check_scheduler(app: Flask, now: dt.datetime) -> list[Finding]:
    from app.models import Setting

    try:
        row = db.session.get(Setting, HEARTBEAT_KEY)
    except Exception:  # noqa: BLE001  (the database check already says why)
        db.session.rollback()
        return []
    if row is None:
        return [Finding(WARNING, "Bộ lập lịch", "chưa chạy lần nào (flask scheduler run)")]
    seen = dt.datetime.fromisoformat(row.value)
    if now - seen > HEARTBEAT_STALE:
        return [
            Finding(WARNING, "Bộ lập lịch", f"không thấy hoạt động từ {seen:%d/%m/%Y %H:%M} UTC")
        ]
    return [Finding(OK, "Bộ lập lịch", f"đang chạy (lần cuối {seen:%H:%M:%S} UTC)")]


def check_configuration(app: Flask, now: dt.datetime | None = None) -> list[Finding]:
    from app.core.timeutil import utcnow

    found = check_database(app)
    found += check_secret_key(app) + check_base_url(app) + check_folders(app)
    found += check_private_files(app) + check_proxies(app)
    found += check_smtp(app) + check_oidc(app)
    found += check_scheduler(app, now or utcnow())
    return found


def startup_problems(app: Flask) -> list[str]:
    """What must stop the web server or the scheduler from starting at all."""
    with app.app_context():
        return [f.line() for f in check_database(app) if f.level == ERROR]


def refuse_to_start(app: Flask) -> None:
    """Exit with the check's message instead of serving errors."""
    problems = startup_problems(app)
    if problems:
        click.echo("Không khởi động: cấu hình chưa dùng được.", err=True)
        for line in problems:
            click.echo(f"  {line}", err=True)
        click.echo("Xem chi tiết: flask check-config", err=True)
        raise SystemExit(1)
