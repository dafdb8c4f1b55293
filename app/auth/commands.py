"""Accounts from the command line: the first administrator of a new server, and the everyday
password resets an admin does without the web interface.

``flask users create USERNAME --role admin`` on an empty database is how an office gets in.
Passwords are asked twice and never echoed, or read from standard input for scripts; only
their hash is stored. They are checked for strength as everywhere else (``--allow-weak`` for
test machines).
"""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.auth.passwords import password_problem
from app.core.office_scope import all_offices
from app.extensions import db
from app.models import User
from app.models.people import Role

PASSWORD_MIN = 8
ROLE_NAMES = {
    "admin": Role.ADMIN,
    "office": Role.OFFICE,
    "leader": Role.LEADER,
    "head": Role.DEPARTMENT_HEAD,
    "member": Role.DEPARTMENT_MEMBER,
}
ROLE_WORDS = {role: word for word, role in ROLE_NAMES.items()}

users = AppGroup("users", help="Tài khoản người dùng (tạo, đặt mật khẩu, khóa, liệt kê).")


def _find(username: str) -> User:
    user = db.session.scalar(
        select(User).where(func.lower(User.username) == username.strip().lower())
    )
    if user is None:
        raise click.ClickException(f"Không có tài khoản “{username}”.")
    return user


def _password(from_stdin: bool, names: tuple[str, str, str], allow_weak: bool = False) -> str:
    """The new password, from the terminal (asked twice) or standard input, checked like every
    password (``app.auth.passwords``) unless ``--allow-weak`` says a script knows better."""
    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt(
            "Mật khẩu",
            hide_input=True,
            confirmation_prompt="Nhập lại mật khẩu",
            err=True,
        )
    if len(password) < PASSWORD_MIN:
        raise click.ClickException(f"Mật khẩu cần ít nhất {PASSWORD_MIN} ký tự.")
    if not allow_weak:
        problem = password_problem(db.session, password, *names)
        if problem:
            raise click.ClickException(problem)
    return password


ALLOW_WEAK = click.option(
    "--allow-weak",
    is_flag=True,
    help="Không kiểm tra độ mạnh của mật khẩu (chỉ cho máy thử, dữ liệu mẫu).",
)


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(list(ROLE_NAMES)), help="Vai trò.")
@click.option("--department", help="Đơn vị (tên hoặc tên viết tắt), cho vai trò head/member.")
@click.option("--email", default="", help="Địa chỉ e-mail nhận nhắc việc.")
@click.option("--full-name", default="", help="Họ và tên (mặc định: tên đăng nhập).")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của stdin.")
@ALLOW_WEAK
def create(username, role, department, email, full_name, password_stdin, allow_weak) -> None:
    """Tạo tài khoản; mật khẩu được hỏi hai lần (không hiện ra màn hình)."""
    from email_validator import EmailNotValidError, validate_email

    from app.units.lookup import department_by_name

    username = username.strip()
    if not username or len(username) > 64:
        raise click.BadParameter("cần từ 1 đến 64 ký tự", param_hint="USERNAME")
    with all_offices():  # a username names one account in the whole installation
        taken = db.session.scalar(
            select(User.id).where(func.lower(User.username) == username.lower())
        )
    if taken is not None:
        raise click.ClickException(f"Tên đăng nhập “{username}” đã có người dùng.")
    unit = None
    if ROLE_NAMES[role] in (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER) and not department:
        raise click.BadParameter("người dùng của đơn vị cần --department", param_hint="--role")
    if department:
        unit = department_by_name(db.session, department)
        if unit is None:
            raise click.BadParameter(f"không có đơn vị “{department}”", param_hint="--department")
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError as error:
            raise click.BadParameter(str(error), param_hint="--email") from None
    full_name = (full_name or username).strip()[:255]
    password = _password(password_stdin, (username, full_name, email), allow_weak)
    user = User(
        username=username,
        full_name=full_name,
        email=email,
        role=ROLE_NAMES[role],
        department=unit,
        is_active=True,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    click.echo(f"Đã tạo tài khoản {user.username} ({ROLE_WORDS[user.role]}).")


@users.command("set-password")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Đọc mật khẩu từ dòng đầu của stdin.")
@ALLOW_WEAK
def set_password(username, password_stdin, allow_weak) -> None:
    """Đặt mật khẩu mới cho một tài khoản (mọi phiên đăng nhập của tài khoản kết thúc)."""
    user = _find(username)
    names = (user.username, user.full_name, user.email)
    user.set_password(_password(password_stdin, names, allow_weak))
    db.session.commit()
    click.echo(f"Đã đặt mật khẩu mới cho {user.username}.")


@users.command("deactivate")
@click.argument("username")
def deactivate(username) -> None:
    """Khóa một tài khoản (không đăng nhập được nữa; lịch sử vẫn giữ)."""
    user = _find(username)
    user.is_active = False
    user.rotate_sessions()
    db.session.commit()
    click.echo(f"Đã khóa tài khoản {user.username}.")


@users.command("list")
def list_users() -> None:
    """Liệt kê tài khoản: tên đăng nhập, vai trò, đơn vị, trạng thái."""
    rows = db.session.scalars(select(User).order_by(User.role, User.username)).all()
    if not rows:
        click.echo("Chưa có tài khoản nào. Tạo quản trị viên: flask users create TÊN --role admin")
        return
    for user in rows:
        unit = user.department.name if user.department else "—"
        state = "đang hoạt động" if user.is_active else "đã khóa"
        click.echo(f"{user.username:<24} {ROLE_WORDS[user.role]:<7} {state:<15} {unit}")


@users.command("unlock")
@click.argument("username", required=False)
@click.option("--address", help="Mở khóa một địa chỉ IP (nhiều lần đăng nhập sai từ đó).")
def unlock(username, address) -> None:
    """Mở khóa đăng nhập (xóa các lần nhập sai mật khẩu) cho một tài khoản hoặc một địa chỉ."""
    from app.auth.throttle import clear_address, clear_failures

    if bool(username) == bool(address):
        raise click.UsageError("Cho biết một tài khoản hoặc --address ĐỊA_CHỈ.")
    if address:
        address = address.strip()
        cleared = clear_address(db.session, address)
        db.session.commit()
        click.echo(f"Đã mở khóa đăng nhập từ địa chỉ {address} ({cleared} lần sai được xóa).")
        return
    user = _find(username)
    cleared = clear_failures(db.session, user.username)
    db.session.commit()
    click.echo(f"Đã mở khóa đăng nhập cho {user.username} ({cleared} lần sai được xóa).")


@users.command("reset-two-factor")
@click.argument("username")
def reset_two_factor(username) -> None:
    """Tắt xác thực hai bước của một tài khoản (mất điện thoại và mã dự phòng)."""
    import logging

    from app.auth.two_factor import switch_off

    user = _find(username)
    switch_off(db.session, user)
    db.session.commit()
    logging.getLogger("app.auth").warning(
        "two-factor sign-in of %s (id %s) reset from the command line", user.username, user.id
    )
    click.echo(f"Đã tắt xác thực hai bước của {user.username}; đăng nhập bằng mật khẩu.")


COMMANDS = (users,)
