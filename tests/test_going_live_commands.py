"""`flask users …` and `flask check-config`: the commands an office needs to start for real."""

from __future__ import annotations

import datetime as dt
import socket

from sqlalchemy import select

from app.models import User
from app.models.people import Role
from app.ops.config_check import ERROR, OK, WARNING, check_configuration, record_heartbeat


def invoke(app, *args, stdin=None):
    return app.test_cli_runner().invoke(args=list(args), input=stdin)


def test_users_create_set_password_deactivate_and_list(app, session, factory):
    factory.department("Phòng Tài nguyên và Môi trường", 1, "TN&MT")
    session.commit()
    result = invoke(app, "users", "list")
    assert "Chưa có tài khoản nào" in result.output
    result = invoke(
        app,
        "users",
        "create",
        "quantri",
        "--role",
        "admin",
        "--email",
        "quantri@example.vn",
        stdin="den-vang-o-ngo-bay-1\nden-vang-o-ngo-bay-1\n",
    )
    assert result.exit_code == 0, result.output
    assert "den-vang-o-ngo-bay-1" not in result.output  # asked twice, never echoed
    admin = session.scalar(select(User).where(User.username == "quantri"))
    assert admin.role == Role.ADMIN and admin.check_password("den-vang-o-ngo-bay-1")
    assert "den-vang-o-ngo-bay-1" not in admin.password_hash

    mismatch = invoke(
        app, "users", "create", "x", "--role", "admin", stdin="aaaaaaaa1\nbbbbbbbb2\n" * 3
    )
    assert (
        mismatch.exit_code != 0 and session.scalar(select(User).where(User.username == "x")) is None
    )

    head = invoke(
        app,
        "users",
        "create",
        "tnmt.truong",
        "--role",
        "head",
        "--department",
        "phong tai nguyen va moi truong",
        "--password-stdin",
        stdin="mot-mat-khau-khac\n",
    )
    assert head.exit_code == 0, head.output
    user = session.scalar(select(User).where(User.username == "tnmt.truong"))
    assert user.department.short_name == "TN&MT" and user.role == Role.DEPARTMENT_HEAD

    refused = [
        ("users", "create", "quantri", "--role", "admin", "--password-stdin"),  # taken
        ("users", "create", "b", "--role", "head", "--password-stdin"),  # no department
        (
            "users",
            "create",
            "c",
            "--role",
            "member",
            "--department",
            "Không có",
            "--password-stdin",
        ),
        (
            "users",
            "create",
            "d",
            "--role",
            "admin",
            "--email",
            "không-phải-email",
            "--password-stdin",
        ),
        ("users", "create", "e", "--role", "admin", "--password-stdin"),  # too short, below
        ("users", "create", "f", "--role", "boss", "--password-stdin"),
    ]
    for args in refused:
        result = invoke(app, *args, stdin="ngan\n" if args[2] == "e" else "du-dai-roi-1\n")
        assert result.exit_code != 0, args
    assert session.scalar(select(User).where(User.username.in_(list("bcdef")))) is None

    assert (
        invoke(
            app, "users", "set-password", "tnmt.truong", "--password-stdin", stdin="cau-go-lim-9\n"
        ).exit_code
        == 0
    )
    session.expire_all()
    assert user.check_password("cau-go-lim-9")
    assert invoke(app, "users", "deactivate", "tnmt.truong").exit_code == 0
    session.expire_all()
    assert not user.is_active
    listing = invoke(app, "users", "list").output
    assert "quantri" in listing and "đã khóa" in listing and "Phòng Tài nguyên" in listing
    assert invoke(app, "users", "deactivate", "ai-do").exit_code != 0


def levels(found):
    return {f.topic: f.level for f in found}


def test_check_config_on_a_good_and_a_broken_setup(app, session, smtp):
    app.config.update(SECRET_KEY="k" * 64, BASE_URL="https://theodoi.example.vn")
    now = dt.datetime(2026, 11, 28, 8, 0)
    record_heartbeat(session, now - dt.timedelta(minutes=2))
    session.commit()
    found = levels(check_configuration(app, now))
    assert set(found.values()) == {OK}, found

    result = invoke(app, "check-config")
    assert "[ĐẠT]" in result.output and "SMTP" in result.output

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = probe.getsockname()[1]
    app.config.update(
        SMTP_PORT=closed, BASE_URL="http://theodoi.example.vn", SECRET_KEY="short", MAIL_FROM=""
    )
    found = levels(check_configuration(app, now + dt.timedelta(hours=1)))
    assert found["SMTP"] == ERROR and found["MAIL_FROM"] == ERROR
    assert found["BASE_URL"] == ERROR and found["SECRET_KEY"] == ERROR
    assert found["Bộ lập lịch"] == WARNING
    result = invoke(app, "check-config")
    assert result.exit_code == 1 and "[LỖI]" in result.output


def test_check_config_names_an_unreachable_database(tmp_path):
    from app import create_app

    broken = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": "postgresql://nobody:secret@127.0.0.1:1/none",
            "SECRET_KEY": "k" * 64,
            "TESTING": True,
        }
    )
    with broken.app_context():
        found = check_configuration(broken)
    database = next(f for f in found if f.topic == "Cơ sở dữ liệu")
    assert database.level == ERROR and "secret" not in database.message  # no password shown


def test_the_scheduler_refuses_to_start_on_pending_migrations(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.db'}",
        "SECRET_KEY": "k" * 64,
        "FLASK_APP": "app",
    }
    result = subprocess.run(
        [Path(sys.executable).parent / "flask", "scheduler", "run", "--once"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "Không khởi động" in result.stderr and "flask db upgrade" in result.stderr


def test_what_the_product_writes_is_for_its_owner_alone(app, session, world, tmp_path):
    """Attachments, backups and the SQLite database hold documents, password hashes and
    tokens: created 0600 (folders 0700) even under a umask of 022, and check-config warns
    about any that others may read (issue 28, item 11)."""
    import io
    import os
    import stat
    from pathlib import Path

    from werkzeug.datastructures import FileStorage

    from app.core.attachments import save_upload, storage_dir
    from app.ops.backup import make_backup

    def mode(path) -> int:
        return stat.S_IMODE(os.stat(path).st_mode)

    from app.archive import export_archive

    previous = os.umask(0o022)
    try:
        item = save_upload(FileStorage(io.BytesIO(b"%PDF-1.4 x"), filename="kl.pdf"), None)
        backup = tmp_path / "sao-luu.tar.gz"
        make_backup(app, backup)
        archive = tmp_path / "luu-tru.zip"
        export_archive(session, archive, storage_dir())
    finally:
        os.umask(previous)
    assert mode(archive) == 0o600
    assert mode(storage_dir() / item.stored_name) == 0o600
    assert mode(storage_dir()) == 0o700
    assert mode(backup) == 0o600
    assert mode(app.instance_path) & 0o077 == 0
    database = app.config["SQLALCHEMY_DATABASE_URI"]
    if database.startswith("sqlite:///"):
        assert mode(database.removeprefix("sqlite:///")) == 0o600
    found = {f.topic: f for f in check_configuration(app)}
    assert found["Quyền đọc tệp"].level == OK
    (storage_dir() / item.stored_name).chmod(0o644)  # a copy made by hand
    warning = {f.topic: f for f in check_configuration(app)}["Quyền đọc tệp"]
    assert warning.level == WARNING and item.stored_name in warning.message
    assert Path(storage_dir() / item.stored_name).exists()


def test_check_config_warns_when_gunicorn_is_reachable_over_tcp_behind_a_proxy(app, monkeypatch):
    app.config.update(TRUSTED_PROXIES=1)
    monkeypatch.setenv("BIND", "127.0.0.1:8000")
    found = {f.topic: f for f in check_configuration(app)}
    assert found["TRUSTED_PROXIES"].level == WARNING
    assert "X-Forwarded-For" in found["TRUSTED_PROXIES"].message
    monkeypatch.setenv("BIND", "unix:/run/directive-tracker/web.sock")
    assert "TRUSTED_PROXIES" not in {f.topic for f in check_configuration(app)}
