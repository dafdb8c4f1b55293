"""Two application servers on one PostgreSQL database behind nginx, as README's "Several
application servers" sets them up, on loopback: two gunicorns with deploy/gunicorn.conf.py (each
on its Unix socket, with its own access log), the same SECRET_KEY, database, attachments folder
and uploads folder, and nginx's upstream naming both (round robin).

With real HTTP, through nginx and straight to each server: a session works on either and ends on
both; a file uploaded to one is read from the other; a form from one is accepted by the other;
a document read on one is saved on the other with its file, and an import uploaded to one is
confirmed on the other and run by the scheduler. Two ``flask scheduler run`` processes: one
holds the lock and delivers each mail once; killed, the stand-by takes over.

Needs nginx and openssl (REQUIRE_NGINX=1 makes their absence a failure) and TEST_DATABASE_URL,
on whose server a database of its own is created for the module.
"""

from __future__ import annotations

import http.client
import io
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa

from app.config import normalize_database_url
from app.scheduler.runner import ADVISORY_KEY
from browser_form import form_data
from conftest import PASSWORD, PG_URL, Factory, SmtpRecorder, World, make_app
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

NGINX = nginx_or_skip()
if not PG_URL:
    pytest.skip("needs TEST_DATABASE_URL (PostgreSQL)", allow_module_level=True)
VENV_BIN = Path(sys.executable).parent
SERVERS = (1, 2)


def wait_until(condition, seconds: float = 30, what: str = ""):
    """``condition()``'s first true value, asked every 0.1 s."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"waited {seconds} s for {what or condition}")


# -- the database, the servers, nginx -----------------------------------------------------


@pytest.fixture(scope="module")
def database():
    """A new database on TEST_DATABASE_URL's server, migrated by ``flask db upgrade`` and
    holding three units, a user of each role and a task led by each unit."""
    admin = sa.create_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    name = f"two_servers_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    engine = None
    try:
        env = {**os.environ, "FLASK_APP": "app", "DATABASE_URL": url, "SECRET_KEY": "k" * 64}
        subprocess.run(
            [VENV_BIN / "flask", "db", "upgrade"], cwd=REPO, env=env, check=True, timeout=120,
            capture_output=True,
        )  # fmt: skip
        app = make_app(normalize_database_url(url))
        with app.app_context():
            from app.core.timeutil import local_today
            from app.extensions import db

            world = World(db.session, Factory(db.session), local_today())
            ids = {
                "tnmt_task": world.tnmt_task.id,
                "tnmt": world.tnmt.id,
                "qldt": world.qldt.id,
            }
            db.session.remove()
            db.engine.dispose()
        engine = sa.create_engine(normalize_database_url(url))
        yield {"url": url, "engine": engine, **ids}
    finally:
        if engine is not None:
            engine.dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="module")
def smtp():
    """A real SMTP server on loopback that the schedulers deliver to."""
    from aiosmtpd.controller import Controller

    recorder = SmtpRecorder()
    recorder.port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=recorder.port)
    controller.start()
    yield recorder
    controller.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, database, smtp):
    tmp = tmp_path_factory.mktemp("two-servers")
    certificate(tmp)
    http_port, https_port = free_port(), free_port()
    shared = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("FLASK_", "GUNICORN_"))},
        "FLASK_APP": "app",
        "DATABASE_URL": database["url"],
        "SECRET_KEY": "k" * 64,
        "BASE_URL": f"https://127.0.0.1:{https_port}",
        "ATTACHMENTS_DIR": str(tmp / "attachments"),
        "UPLOADS_DIR": str(tmp / "uploads"),
        "TRUSTED_PROXIES": "1",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp.port),
        "MAIL_FROM": "nhacviec@tracker.test",
    }
    sockets = tuple(tmp / f"web{n}.sock" for n in SERVERS)
    servers = []
    for n, path in zip(SERVERS, sockets, strict=True):
        env = {
            **shared,
            "BIND": f"unix:{path}",
            "ACCESS_LOG": str(tmp / f"access{n}.log"),
            "ERROR_LOG": str(tmp / f"error{n}.log"),
            "HOME": str(tmp / f"home{n}"),  # gunicorn's control socket, one for each
            "PGAPPNAME": f"web{n}",
        }
        servers.append(
            subprocess.Popen(
                [VENV_BIN / "gunicorn", "-c", DEPLOY / "gunicorn.conf.py"], cwd=REPO, env=env
            )
        )
    config = site_config(tmp, http_port, https_port, sockets)
    nginx = subprocess.Popen([NGINX, "-c", str(config), "-p", str(tmp)])
    try:
        for path in sockets:
            wait_for_socket(path)
        wait_for(https_port)
        yield {"tmp": tmp, "https": https_port, "env": shared, "servers": servers, **database}
    finally:
        for process in (nginx, *servers):
            if process.poll() is None:
                process.terminate()
        for process in (nginx, *servers):
            process.wait(timeout=30)


# -- a browser ------------------------------------------------------------------------------


class UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: Path, timeout: float = 60) -> None:
        super().__init__("localhost", timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(self.timeout)
        self.sock.connect(str(self.socket_path))


class Answer:
    def __init__(self, response: http.client.HTTPResponse, body: bytes) -> None:
        self.status = response.status
        self.headers = response.msg
        self.body = body

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    @property
    def location(self) -> str:
        return self.headers.get("Location") or ""


class Browser:
    """One browser's cookies, its requests sent through nginx (``via="nginx"``) or straight to
    server 1 or 2 with the headers nginx would add (as if nginx had chosen that server)."""

    def __init__(self, stack, cookies: dict | None = None) -> None:
        self.stack = stack
        self.cookies = dict(cookies or {})

    def request(self, method, path, via="nginx", body=b"", content_type="") -> Answer:
        origin = f"https://127.0.0.1:{self.stack['https']}"
        headers = {"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers.update({"Content-Type": content_type, "Referer": origin + path})
        if via == "nginx":
            context = ssl.create_default_context()
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
            connection = http.client.HTTPSConnection(
                "127.0.0.1", self.stack["https"], context=context, timeout=60
            )
        else:
            connection = UnixHTTPConnection(self.stack["tmp"] / f"web{via}.sock")
            headers.update(
                {
                    "Host": "127.0.0.1",
                    "X-Forwarded-For": "127.0.0.1",
                    "X-Forwarded-Proto": "https",
                    "X-Forwarded-Host": "127.0.0.1",
                    "X-Forwarded-Port": str(self.stack["https"]),
                }
            )
        try:
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            answer = Answer(response, response.read())
        finally:
            connection.close()
        for line in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                if morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return answer

    def get(self, path, via="nginx") -> Answer:
        return self.request("GET", path, via)

    def post(self, path, fields, via="nginx", files=None) -> Answer:
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urlencode(list(fields.items(multi=True))).encode()
            content_type = "application/x-www-form-urlencoded"
        return self.request("POST", path, via, body, content_type)

    def form(self, page: str, action: str, via="nginx"):
        answer = self.get(page, via)
        assert answer.status == 200, (page, answer.status)
        return form_data(answer.text, action)

    def sign_in(self, username: str, via="nginx") -> None:
        fields = self.form("/dang-nhap", "/dang-nhap", via)
        fields["username"], fields["password"], fields["remember"] = username, PASSWORD, "y"
        answer = self.post("/dang-nhap", fields, via)
        assert answer.status == 302 and "/dang-nhap" not in answer.location, answer.text[:2000]


def multipart(fields, files: dict[str, tuple[str, bytes, str]]) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, value in fields.items(multi=True)
    ]
    for name, (filename, data, content_type) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def path_of(location: str) -> str:
    """A redirect's target as a path (the address may be given whole)."""
    return re.sub(r"^https?://[^/]+", "", location)


def signed_in_as(answer: Answer, full_name: str) -> bool:
    return answer.status == 200 and f">{full_name}</a>" in answer.text


def served_by(stack, marker: str) -> list[int]:
    """The servers whose access log has a request carrying ``marker``."""
    logs = {n: stack["tmp"] / f"access{n}.log" for n in SERVERS}
    return [n for n, log in logs.items() if log.exists() and marker in log.read_text()]


# -- sessions, files and forms on either server --------------------------------------------


def test_a_session_is_seen_by_either_server_and_ends_on_both(stack):
    browser = Browser(stack)
    browser.sign_in("tnmt.truong")
    for via in SERVERS:
        assert signed_in_as(browser.get("/", via), "Tnmt.Truong"), via
    run = uuid.uuid4().hex[:8]
    for n in range(8):  # nginx spreads these over both servers, round robin
        assert signed_in_as(browser.get(f"/?probe={run}-{n}"), "Tnmt.Truong"), n
    servers = [
        wait_until(lambda n=n: served_by(stack, f"probe={run}-{n} "), 10, f"the log of {n}")
        for n in range(8)
    ]
    assert all(len(s) == 1 for s in servers) and {s[0] for s in servers} == {1, 2}, servers

    before = dict(browser.cookies)  # the cookies as a copy would keep them
    fields = browser.form("/", "/dang-xuat", via=2)
    assert browser.post("/dang-xuat", fields, via=1).location.endswith("/dang-nhap")
    for via in (2, 1, "nginx"):
        replayed = Browser(stack, before).get("/", via)
        assert replayed.status == 302 and "/dang-nhap" in replayed.location, via


def test_a_file_uploaded_to_one_server_is_read_from_the_other(stack):
    browser = Browser(stack)
    browser.sign_in("tnmt.truong")
    task = f"/nhiem-vu/{stack['tnmt_task']}"
    data = b"%PDF-1.4\n" + os.urandom(300_000) + b"\n%%EOF\n"
    fields = browser.form(task, f"{task}/tien-do", via=2)
    fields["content"] = "Đã rà soát, gửi kèm biên bản"
    answer = browser.post(
        f"{task}/tien-do", fields, via=1, files={"files": ("bien-ban.pdf", data, "application/pdf")}
    )
    assert answer.status == 302, answer.text[:2000]
    page = browser.get(task, via=2).text
    assert "Đã rà soát, gửi kèm biên bản" in page
    attachment = re.search(r'href="/tep/(\d+)"[^>]*>\s*bien-ban\.pdf', page)
    assert attachment, page
    download = browser.get(f"/tep/{attachment.group(1)}", via=2)
    assert download.status == 200 and download.body == data
    assert [p.read_bytes() == data for p in (stack["tmp"] / "attachments").iterdir()] == [True]


def test_a_form_from_one_server_is_accepted_by_the_other(stack):
    browser = Browser(stack)
    browser.sign_in("tnmt.truong")
    task = f"/nhiem-vu/{stack['tnmt_task']}"
    fields = browser.form(task, f"{task}/tien-do", via=1)
    fields["content"] = "Báo cáo gửi từ trang của máy chủ thứ nhất"
    answer = browser.post(f"{task}/tien-do", fields, via=2)
    assert answer.status == 302 and answer.location.endswith(task), answer.text[:2000]
    assert "Báo cáo gửi từ trang của máy chủ thứ nhất" in browser.get(task, via=1).text
    # the token is checked (a forged one is refused), only not tied to the server that made it
    forged = browser.form(task, f"{task}/tien-do", via=1)
    forged["content"] = "Báo cáo với mã chống giả mạo sai"
    forged["csrf_token"] = forged["csrf_token"][:-4] + "AAAA"
    assert browser.post(f"{task}/tien-do", forged, via=2).status == 400
    assert "Báo cáo với mã chống giả mạo sai" not in browser.get(task, via=1).text


def test_a_document_read_on_one_server_is_saved_with_its_file_on_the_other(stack):
    """ "Đọc văn bản" keeps the file it read until the form is saved: in the uploads folder the
    servers share, so the server that saves finds it."""
    browser = Browser(stack)
    browser.sign_in("vanphong")
    word = notice_docx()
    fields = browser.form("/van-ban/moi", "/van-ban/doc-van-ban", via=1)
    read = browser.post(
        "/van-ban/doc-van-ban",
        fields,
        via=1,
        files={"source": ("77-TB-UBND.docx", word, "application/octet-stream")},
    )
    assert read.status == 200 and 'value="77/TB-UBND"' in read.text, read.text[:3000]
    assert len(list((stack["tmp"] / "uploads" / "drafts").glob("*"))) == 1  # kept there
    saved = browser.post("/van-ban/moi", form_data(read.text, "/van-ban/moi"), via=2)
    assert saved.status == 302, saved.text[:3000]
    page = browser.get(path_of(saved.location), via=1)
    attachment = re.search(r'href="/tep/(\d+)"[^>]*>\s*77-TB-UBND\.docx', page.text)
    assert attachment, page.text
    assert browser.get(f"/tep/{attachment.group(1)}", via=1).body == word


def notice_docx() -> bytes:
    from docx import Document as WordDocument

    document = WordDocument()
    for line in (
        "ỦY BAN NHÂN DÂN THÀNH PHỐ LẠNG SƠN",
        "Số: 77/TB-UBND",
        "THÔNG BÁO",
        "Kết luận của Chủ tịch UBND thành phố về trật tự xây dựng",
        "1. Giao Phòng Quản lý đô thị thành phố kiểm tra các công trình xây dựng sai phép, "
        "báo cáo UBND thành phố trước ngày 30/12/2026.",
    ):
        document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- the scheduler: one active, the others standing by --------------------------------------


def lock_holders(stack) -> list[str]:
    """The application names of the connections holding the scheduler's lock."""
    with stack["engine"].connect() as connection:
        return list(
            connection.scalars(
                sa.text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a "
                    "ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                    "AND l.classid = 0 AND l.objid = :k AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"k": ADVISORY_KEY},
            )
        )


def heartbeat(stack) -> str:
    with stack["engine"].connect() as connection:
        return connection.scalar(
            sa.text("SELECT value FROM settings WHERE key = 'scheduler_seen_at'")
        )


def delivered(smtp, key: str) -> list:
    return [m for m in smtp.messages if m["X-Reminder-Key"] == key]


def send_now(stack, admin: Browser, department: int) -> str:
    """The admin's "send now" for a unit (the form from one server, posted through nginx):
    its digest is queued for the scheduler; the key of the mail."""
    action = f"/quan-tri/nhac-viec/gui-ngay/{department}"
    fields = admin.form("/quan-tri/nhac-viec/xem-truoc", action, via=1)
    answer = admin.post(action, fields)
    assert answer.status == 302, answer.text[:2000]
    assert "Đã xếp 1 thư" in admin.get("/quan-tri/nhac-viec").text
    with stack["engine"].connect() as connection:
        return connection.scalar(
            sa.text(
                "SELECT kind || '/' || scope || '/' || period FROM reminders "
                "WHERE scope = :scope AND period LIKE 'manual-%'"
            ),
            {"scope": f"department:{department}"},
        )


def test_one_scheduler_runs_and_a_standby_takes_over(stack, smtp):
    logs = {name: stack["tmp"] / f"scheduler-{name}.log" for name in ("a", "b")}
    processes = {}
    try:
        for name, log in logs.items():
            with log.open("w") as out:
                processes[name] = subprocess.Popen(
                    [VENV_BIN / "flask", "scheduler", "run", "--interval", "2"],
                    cwd=REPO,
                    env={**stack["env"], "PGAPPNAME": f"scheduler-{name}"},
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
        holders = wait_until(lambda: lock_holders(stack), 60, "a scheduler holding the lock")
        assert len(holders) == 1, holders
        active = holders[0].removeprefix("scheduler-")
        standby = "b" if active == "a" else "a"
        wait_until(lambda: "standing by" in logs[standby].read_text(), 30, "the stand-by")
        assert "scheduler started" in logs[active].read_text()
        assert "scheduler started" not in logs[standby].read_text()

        admin = Browser(stack)
        admin.sign_in("admin")
        first = send_now(stack, admin, stack["tnmt"])
        wait_until(lambda: delivered(smtp, first), 30, "the first mail")
        seen = heartbeat(stack)
        for _ in range(2):  # two more ticks: nothing is sent again
            seen = wait_until(lambda s=seen: (h := heartbeat(stack)) != s and h, 30, "a tick")
        assert len(delivered(smtp, first)) == 1
        assert lock_holders(stack) == [f"scheduler-{active}"]
        assert "delivery" not in logs[standby].read_text()

        processes[active].send_signal(signal.SIGKILL)  # the active one dies
        processes[active].wait(timeout=10)
        wait_until(lambda: lock_holders(stack) == [f"scheduler-{standby}"], 30, "the take-over")
        second = send_now(stack, admin, stack["qldt"])
        wait_until(lambda: delivered(smtp, second), 30, "the second mail")
        assert "scheduler started" in logs[standby].read_text()
        assert len(delivered(smtp, first)) == 1 and len(delivered(smtp, second)) == 1
        keys = [m["X-Reminder-Key"] + m["To"] for m in smtp.messages]
        assert len(keys) == len(set(keys)), keys
        with stack["engine"].connect() as connection:
            rows = connection.execute(
                sa.text("SELECT status, attempts FROM reminders WHERE period LIKE 'manual-%'")
            ).all()
        assert sorted(rows) == [("sent", 1), ("sent", 1)], rows

        import_through_both_servers(stack)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)


def import_through_both_servers(stack) -> None:
    """A file uploaded to server 1 is previewed by the scheduler; the preview, confirmed on
    server 2 (which finds the file in the shared uploads folder), is imported by it."""
    office = Browser(stack)
    office.sign_in("vanphong")
    sheet = (
        "Số ký hiệu,Ngày ban hành,Cơ quan ban hành,Loại văn bản,Trích yếu,Nội dung nhiệm vụ,"
        "Đơn vị chủ trì,Đơn vị phối hợp,Thời hạn,Tình trạng,Ngày hoàn thành,Ghi chú\n"
        "15/TB-UBND,01/12/2026,UBND thành phố Lạng Sơn,Thông báo kết luận,Về trật tự đô thị,"
        "Lập lại trật tự vỉa hè phố Lê Lợi,Phòng Quản lý đô thị thành phố,,31/12/2026,"
        "Chưa thực hiện,,\n"
    ).encode()
    fields = office.form("/nhap-du-lieu", "/nhap-du-lieu", via=1)
    answer = office.post(
        "/nhap-du-lieu", fields, via=1, files={"file": ("nhiem-vu.csv", sheet, "text/csv")}
    )
    assert answer.status == 303, answer.text[:2000]
    preview = path_of(answer.location)
    assert [p.read_bytes() for p in (stack["tmp"] / "uploads" / "imports").glob("*")] == [sheet]

    def done(path):
        page = office.get(path, via=2)
        return page.text if 'http-equiv="refresh"' not in page.text else ""

    page = wait_until(lambda: done(preview), 30, "the preview")
    confirm = office.post(
        "/nhap-du-lieu/xac-nhan", form_data(page, "/nhap-du-lieu/xac-nhan"), via=2
    )
    assert confirm.status == 303, confirm.text[:2000]
    wait_until(lambda: done(path_of(confirm.location)), 30, "the import")
    with stack["engine"].connect() as connection:
        assert (
            connection.scalar(
                sa.text(
                    "SELECT count(*) FROM tasks WHERE content = 'Lập lại trật tự vỉa hè phố Lê Lợi'"
                )
            )
            == 1
        )


def test_nginx_passes_over_a_server_that_stopped(stack):
    """One server stopped (a restart, an upgrade one server at a time): nginx gives its
    requests to the other, and the signed-in user does not notice."""
    browser = Browser(stack)
    browser.sign_in("lanhdao")
    stack["servers"][1].terminate()
    stack["servers"][1].wait(timeout=30)
    for n in range(6):
        assert signed_in_as(browser.get(f"/?after-stop={n}"), "Lanhdao"), n
