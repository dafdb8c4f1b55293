"""``flask units …``: organisation changes from the shell, for scripts and checks."""

from __future__ import annotations

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.params import DATE, MAX_TASK_CSV_BYTES, task_csv_rows
from app.core.textnorm import fold
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department, DepartmentName, User
from app.models.people import Role
from app.units import reorganise, undo
from app.units.lookup import department_by_name
from app.units.outcome import outcomes
from app.units.plan import Plan, plan_dissolve, plan_merge, plan_rename, plan_split
from app.units.reorganise import ReorganisationError

units = AppGroup(
    "units", help="Thay đổi tổ chức: đổi tên, hợp nhất, chia tách, giải thể đơn vị; lịch sử."
)


def find_unit(name: str, *, current: bool = True) -> Department:
    """A unit by its name or short name (accents and case ignored); former names too when
    ``current`` is False."""
    unit = department_by_name(db.session, name)
    if unit is not None:
        return unit
    if not current:
        key = fold(name)
        for former in db.session.scalars(select(DepartmentName)):
            if fold(former.name) == key:
                return db.session.get(Department, former.department_id)
    raise click.ClickException(f"Không có đơn vị “{name}”.")


def plan_lines(plan: Plan, decision: str = "") -> list[str]:
    """The plan as the preview page shows it, one line each."""
    tasks, duties = outcomes(db.session, plan)
    lines = [f"Xem trước ({plan.kind.label}, từ ngày {plan.on:%d/%m/%Y}); chưa ghi gì."]
    if plan.renamed is not None:
        lines.append(f"Đổi tên “{plan.renamed.name}” thành “{plan.new_name}”.")
    if plan.ended:
        lines.append("Thôi hoạt động: " + "; ".join(u.name for u in plan.ended))
    if plan.targets and plan.renamed is None:
        created = set(plan.created())
        lines.append("Đơn vị nhận: " + "; ".join(
            n + (" (đơn vị mới)" if n in created else "") for n in plan.targets))  # fmt: skip
    if decision:
        lines.append(f"Căn cứ: {decision}")
    rows = [(f"Nhiệm vụ {r.item.code}", r) for r in tasks]
    rows += [(f"Nhiệm vụ định kỳ số {r.item.id}", r) for r in duties]
    for name, row in rows:
        cooperating = "; ".join(row.cooperating_after) or "không có"
        lines.append(f"{name}: chủ trì {row.lead_before} → {row.lead_after}; "
                     f"phối hợp → {cooperating}")  # fmt: skip
    for move in plan.people:
        where = move.target or (move.user.department.name if move.user.department else "")
        state = f"{where}, {Role(move.role).label}" if move.active else "khóa tài khoản"
        lines.append(f"Người dùng {move.user.username}: → {state}")
    return lines


def _run(plan_of, decision: str, dry_run: bool):
    """Plan the change; print the plan (``dry_run``), or save it and print the change."""
    try:
        plan = plan_of()
        if dry_run:
            click.echo("\n".join(plan_lines(plan, decision)))
            db.session.rollback()
            return None
        change = reorganise.apply(db.session, plan, decision=decision)
    except ReorganisationError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(reorganise.describe(change))
    return change


def _decision_option(function):
    function = click.option(
        "--dry-run",
        is_flag=True,
        help="Chỉ in những gì sẽ chuyển (nhiệm vụ, phối hợp, người dùng, định kỳ); không ghi.",
    )(function)
    return click.option(
        "--decision",
        default="",
        help="Căn cứ: số, ngày quyết định (ví dụ “Quyết định 12/QĐ-UBND”).",
    )(function)


@units.command("rename")
@click.argument("old")
@click.argument("new")
@click.option("--date", "on", type=DATE, required=True, help="Ngày có hiệu lực.")
@_decision_option
def rename_command(old, new, on, decision, dry_run) -> None:
    """Đổi tên đơn vị OLD thành NEW từ ngày --date (báo cáo trước ngày đó giữ tên cũ)."""
    unit = find_unit(old)
    _run(lambda: plan_rename(db.session, unit, new, on=on, today=local_today()), decision, dry_run)


@units.command("merge")
@click.argument("names", nargs=-1, required=True)
@click.option("--into", "into", required=True, help="Đơn vị nhận (tạo mới nếu chưa có).")
@click.option("--date", "on", type=DATE, required=True, help="Ngày có hiệu lực.")
@click.option("--head", default=None, help="Tên đăng nhập của trưởng đơn vị sau hợp nhất.")
@_decision_option
def merge_command(names, into, on, head, decision, dry_run) -> None:
    """Hợp nhất các đơn vị NAMES vào --into từ ngày --date: nhiệm vụ đang mở, vai trò phối
    hợp, người dùng và nhiệm vụ định kỳ chuyển sang đơn vị nhận."""
    sources = [find_unit(n) for n in names]
    existing = reorganise.unit_named(db.session, into)
    chief = None
    if head:
        chief = db.session.scalar(select(User).where(User.username == head))
        if chief is None:
            raise click.ClickException(f"Không có tài khoản “{head}”.")
    _run(
        lambda: plan_merge(
            db.session, sources, existing or into, on=on, today=local_today(), head=chief
        ),
        decision,
        dry_run,
    )


def read_assignments(data: bytes) -> dict[int, str]:
    """task code or id → unit name, from a CSV with two columns (a header row is allowed)."""
    out: dict[int, str] = {}
    for number, task_id, row in task_csv_rows(data):
        if len(row) < 2 or not row[1].strip():
            raise click.ClickException(f"Dòng {number}: thiếu tên đơn vị nhận.")
        out[task_id] = row[1].strip()
    return out


@units.command("split")
@click.argument("name")
@click.option("--into", "into", multiple=True, required=True, help="Đơn vị mới (lặp lại).")
@click.option("--date", "on", type=DATE, required=True, help="Ngày có hiệu lực.")
@click.option(
    "--assign",
    type=click.File("rb"),
    required=True,
    help="CSV: mã nhiệm vụ, đơn vị nhận — cho mọi nhiệm vụ đang mở của đơn vị.",
)
@_decision_option
def split_command(name, into, on, assign, decision, dry_run) -> None:
    """Chia tách đơn vị NAME thành các đơn vị --into từ ngày --date; --assign giao từng
    nhiệm vụ đang mở cho một đơn vị mới. Người dùng sang đơn vị mới đầu tiên."""
    unit = find_unit(name)
    assignments = read_assignments(assign.read(MAX_TASK_CSV_BYTES + 1))
    targets = []
    for target in into:
        existing = reorganise.unit_named(db.session, target)
        targets.append(existing or target)
    _run(
        lambda: plan_split(
            db.session, unit, targets, assign=assignments, on=on, today=local_today()
        ),
        decision,
        dry_run,
    )


@units.command("dissolve")
@click.argument("name")
@click.option("--date", "on", type=DATE, required=True, help="Ngày có hiệu lực.")
@_decision_option
def dissolve_command(name, on, decision, dry_run) -> None:
    """Giải thể đơn vị NAME từ ngày --date (chỉ khi không còn chủ trì nhiệm vụ đang mở)."""
    unit = find_unit(name)
    _run(lambda: plan_dissolve(db.session, unit, on=on, today=local_today()), decision, dry_run)


@units.command("undo")
@click.argument("name")
def undo_command(name) -> None:
    """Hoàn tác thay đổi gần nhất của đơn vị NAME (tên hiện nay hoặc tên cũ), khi các nhiệm
    vụ, người dùng và nhiệm vụ định kỳ đã chuyển chưa có gì thay đổi từ đó."""
    unit = find_unit(name, current=False)
    changes = reorganise.history(db.session, unit)
    if not changes:
        raise click.ClickException(f"Đơn vị “{unit.name}” chưa có thay đổi tổ chức nào.")
    try:
        line = undo.undo(db.session, changes[-1])
    except ReorganisationError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Đã hoàn tác: {line}")


@units.command("history")
@click.argument("name", required=False)
def history_command(name) -> None:
    """Lịch sử thay đổi tổ chức (của một đơn vị, hoặc tất cả)."""
    unit = find_unit(name, current=False) if name else None
    changes = reorganise.history(db.session, unit)
    if not changes:
        click.echo("Chưa có thay đổi tổ chức nào.")
        return
    for change in changes:
        line = reorganise.describe(change)
        if change.entered_by is not None:
            line += f" — nhập bởi {change.entered_by.username}"
        click.echo(line)


COMMANDS = (units,)
