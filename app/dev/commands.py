"""``flask seed-demo`` and ``flask bench generate``: data for trying and measuring the product."""

from __future__ import annotations

import click
from flask.cli import AppGroup, with_appcontext

from app.core.timeutil import local_today
from app.extensions import db


@click.command("seed-demo")
@with_appcontext
def seed_demo_command() -> None:
    """Nạp dữ liệu mẫu để dùng thử (chỉ khi cơ sở dữ liệu còn trống; không dùng cho máy
    chủ thật: tạo tài khoản quản trị bằng flask users create)."""
    from app.dev.demo import DEMO_PASSWORD, has_data, seed_demo

    if has_data(db.session):
        click.echo("Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu.")
        return
    from app.ops.planner_statistics import refresh_statistics

    users = seed_demo(db.session, local_today())
    db.session.commit()
    refresh_statistics(db.session)
    click.echo(f"Đã nạp dữ liệu mẫu: {len(users)} tài khoản, mật khẩu chung “{DEMO_PASSWORD}”.")
    click.echo(
        "Dữ liệu mẫu chỉ để dùng thử; máy chủ thật bắt đầu từ cơ sở dữ liệu trống"
        " (xem mục “Going live” trong README)."
    )


bench = AppGroup("bench", help="Dữ liệu và đo hiệu năng ở quy mô cấp tỉnh.")


@bench.command("generate")
@click.option("--tasks", default=200_000, show_default=True)
@click.option("--departments", default=120, show_default=True)
@click.option("--years", default=5, show_default=True)
@click.option("--seed", default=2024, show_default=True)
@click.option(
    "--backlog",
    type=click.FloatRange(0, 0.97),
    help="Tỷ lệ nhiệm vụ đã quá hạn mà vẫn chưa xong, ví dụ 0.3 (mặc định 0.015).",
)
@click.option(
    "--communes",
    default=0,
    show_default=True,
    help="Số xã, phường là cơ quan cấp dưới của tỉnh (0: một cơ quan như trước); "
    "--tasks là số nhiệm vụ của tỉnh.",
)
@click.option("--commune-tasks", default=3000, show_default=True, help="Số nhiệm vụ mỗi xã.")
def bench_generate(
    tasks: int,
    departments: int,
    years: int,
    seed: int,
    backlog: float | None,
    communes: int,
    commune_tasks: int,
) -> None:
    """Sinh dữ liệu giả lập quy mô cấp tỉnh vào cơ sở dữ liệu (đang trống)."""
    import time

    from app.core.office_scope import all_offices
    from app.dev.demo import has_data
    from app.dev.generate import BENCH_PASSWORD, generate
    from app.dev.generate.offices import generate_offices

    with all_offices():
        if has_data(db.session):
            raise click.ClickException("Cơ sở dữ liệu đã có dữ liệu: hãy dùng một cơ sở trống.")
    started = time.perf_counter()
    say = lambda message: click.echo(f"  … {message}")  # noqa: E731
    if communes:
        counts = generate_offices(
            db.session, tasks, communes, commune_tasks, years, local_today(), seed, say, backlog
        )
    else:
        counts = generate(db.session, tasks, departments, years, local_today(), seed, say, backlog)
    db.session.commit()
    click.echo(
        f"Đã sinh {counts} trong {time.perf_counter() - started:.0f} s; "
        f"đăng nhập: bench.office / {BENCH_PASSWORD}"
    )


COMMANDS = (seed_demo_command, bench)
