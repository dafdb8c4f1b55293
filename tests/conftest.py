"""Fixtures: an app per test with a fresh, migrated database.

SQLite always; PostgreSQL too when ``TEST_DATABASE_URL`` names one (CI sets it).
The schema is built by the migrations once per run, then each test starts from it.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from app import create_app
from app.config import normalize_database_url
from app.extensions import db
from app.importing.owner import let_go_of_all
from app.models import Department, Document, Issuer, User
from app.models.people import Role
from app.tasks.changes import add_task


def needs(program: str, flag: str) -> None:
    """Skip a test when ``program`` is missing, unless the flag (``REQUIRE_…=1``, set by
    .ci/run) asks for it: then its absence fails the test instead of hiding it."""
    if shutil.which(program):
        return
    if os.environ.get(flag):
        pytest.fail(f"{flag} is set but {program} is not installed")
    pytest.skip(f"{program} is not installed")


PG_URL = os.environ.get("TEST_DATABASE_URL")
PASSWORD = "secret-pass"
FAST_HASH = "pbkdf2:sha256:1000"  # the tests sign in often; scrypt is for real passwords
BACKENDS = ["sqlite", "postgresql"] if PG_URL else ["sqlite"]


def pytest_report_header(config):
    if PG_URL:
        return f"PostgreSQL tests: on ({PG_URL})"
    return "PostgreSQL tests: skipped, TEST_DATABASE_URL is not set"


def make_app(url: str, **config):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "TESTING": True,
            "SECRET_KEY": "test",
            "WTF_CSRF_ENABLED": False,
            **config,
        }
    )


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    app = make_app(f"sqlite:///{path}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> str:
    url = normalize_database_url(PG_URL)
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP SCHEMA public CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    app = make_app(url)
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return url


def _truncate_postgres(url: str) -> None:
    engine = sa.create_engine(url)
    tables = ", ".join(t.name for t in db.Model.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(sa.text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # The office the migrations create (an installation always has one).
        connection.execute(
            sa.text(
                "INSERT INTO offices (code, name, level, settings, created_at)"
                " VALUES ('VP', 'Văn phòng', 'commune', '{}', now())"
            )
        )
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "tracker.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url = request.getfixturevalue("postgres_url")
    _truncate_postgres(url)
    return url


@pytest.fixture
def app(database_url, tmp_path):
    app = make_app(
        database_url,
        ATTACHMENT_DIR=str(tmp_path / "attachments"),
        OUTBOX_DIR=str(tmp_path / "outbox"),
        BASE_URL="http://tracker.test",
    )
    with app.app_context():
        yield app
        let_go_of_all()  # the locks of jobs a test claimed and left running
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def session(app):
    return db.session


@pytest.fixture
def client(app):
    return app.test_client()


class Factory:
    """Small builders for documents, tasks and departments."""

    def __init__(self, session) -> None:
        self.session = session
        self._n = 0

    def department(self, name: str, order: int = 0, short: str = "") -> Department:
        department = Department(name=name, short_name=short, display_order=order)
        self.session.add(department)
        self.session.flush()
        return department

    def issuer(self, name: str = "UBND thành phố Lạng Sơn", short: str = "") -> Issuer:
        issuer = self.session.scalar(sa.select(Issuer).where(Issuer.name == name))
        if issuer is None:
            issuer = Issuer(name=name, short_name=short)
            self.session.add(issuer)
            self.session.flush()
        return issuer

    def document(self, issued_on: dt.date, issuer: Issuer | None = None) -> Document:
        self._n += 1
        document = Document(
            number=f"{self._n}/TB-UBND",
            issued_on=issued_on,
            issuer=issuer or self.issuer(),
            kind="Thông báo kết luận",
        )
        self.session.add(document)
        self.session.flush()
        return document

    def task(self, lead: Department, issued_on: dt.date, deadline: dt.date | None, **kwargs):
        document = kwargs.pop("document", None) or self.document(
            issued_on, kwargs.pop("issuer", None)
        )
        kind = "date" if deadline else "none"
        return add_task(
            self.session,
            document,
            content=kwargs.pop("content", "Nhiệm vụ"),
            lead=lead,
            deadline_kind=kind,
            deadline=deadline,
            **kwargs,
        )

    def user(self, username: str, role: Role, department: Department | None = None) -> User:
        user = User(
            username=username,
            full_name=username.title(),
            role=role,
            department=department,
            email=f"{username}@example.vn",
        )
        user.set_password(PASSWORD, FAST_HASH)
        self.session.add(user)
        self.session.flush()
        return user


@pytest.fixture
def factory(session) -> Factory:
    return Factory(session)


class World:
    """Three departments, a user per role and tasks led by each department."""

    def __init__(self, session, factory: Factory, today: dt.date) -> None:
        self.tnmt = factory.department("Phòng Tài nguyên và Môi trường", 1, "TNMT")
        self.qldt = factory.department("Phòng Quản lý đô thị thành phố", 2, "QLĐT")
        self.vhtt = factory.department("Phòng Văn hóa – Thông tin thành phố", 3, "VHTT")
        self.admin = factory.user("admin", Role.ADMIN)
        self.office = factory.user("vanphong", Role.OFFICE)
        self.leader = factory.user("lanhdao", Role.LEADER)
        self.tnmt_head = factory.user("tnmt.truong", Role.DEPARTMENT_HEAD, self.tnmt)
        self.tnmt_member = factory.user("tnmt.cv", Role.DEPARTMENT_MEMBER, self.tnmt)
        self.qldt_head = factory.user("qldt.truong", Role.DEPARTMENT_HEAD, self.qldt)
        self.vhtt_head = factory.user("vhtt.truong", Role.DEPARTMENT_HEAD, self.vhtt)
        issued = today - dt.timedelta(days=40)
        self.tnmt_task = factory.task(
            self.tnmt,
            issued,
            today - dt.timedelta(days=10),
            cooperators=[self.qldt],
            content="Rà soát hồ sơ cấp Giấy chứng nhận quyền sử dụng đất tại phường Vĩnh Trại",
        )
        self.qldt_task = factory.task(
            self.qldt,
            issued,
            today + dt.timedelta(days=5),
            content="Kiểm tra công trình xây dựng sai phép",
        )
        self.vhtt_task = factory.task(
            self.vhtt, issued, None, content="Tuyên truyền nếp sống văn minh đô thị"
        )
        session.commit()


@pytest.fixture
def world(session, factory) -> World:
    from app.core.timeutil import local_today

    return World(session, factory, local_today())


def login(client, user) -> None:
    client.post("/dang-xuat")
    response = client.post("/dang-nhap", data={"username": user.username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


class SmtpRecorder:
    """An aiosmtpd handler: keeps what it accepts; can refuse or stall on demand."""

    def __init__(self) -> None:
        import threading

        self.messages = []
        self.refuse = 0  # answer 451 to this many messages first
        self.stall_seconds = 0.0  # hold the next message this long, then refuse it
        self.stalled = threading.Event()
        self.connections = 0  # EHLO/HELO greetings: one for each connection
        self.hang_up = 0  # close the connection after accepting this many more messages

    async def handle_EHLO(self, server, session, envelope, hostname, responses):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):  # noqa: N802
        self.connections += 1
        session.host_name = hostname
        return f"250 {server.hostname}"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802  (aiosmtpd API)
        import asyncio
        import email
        from email import policy

        if self.stall_seconds:
            seconds, self.stall_seconds = self.stall_seconds, 0.0
            self.stalled.set()
            await asyncio.sleep(seconds)
            return "451 4.3.0 connection lost"
        if self.refuse > 0:
            self.refuse -= 1
            return "451 4.3.0 Try again later"
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        if self.hang_up:
            self.hang_up -= 1
            if not self.hang_up:  # once "250 OK" is written, as a server at its limit would
                asyncio.get_running_loop().call_soon(server.transport.close)
        return "250 OK"


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app is configured to send to it."""
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = SmtpRecorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, MAIL_FROM="nhacviec@tracker.test")
    recorder.port = port
    yield recorder
    controller.stop()
