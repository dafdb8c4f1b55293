"""``flask offices …``: the installation's offices from the shell."""

from __future__ import annotations

import csv
import io

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.cli.params import DATE, MAX_TASK_CSV_BYTES, task_csv_rows
from app.core.office_scope import all_offices
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Department, Office
from app.models.offices import OfficeLevel
from app.offices import handover
from app.offices.registry import OfficeError, create_office, office_lines

offices = AppGroup("offices", help="Các cơ quan theo dõi trong cài đặt này.")


@offices.command("list")
def offices_list() -> None:
    """Mỗi cơ quan một dòng: mã, tên, cấp, cơ quan cấp trên, số nhiệm vụ đang mở."""
    for line in office_lines(db.session):
        office = line.office
        above = line.above.code if line.above else "-"
        ended = f"\tkết thúc {office.ended_on:%d/%m/%Y}" if office.ended_on else ""
        click.echo(
            f"{office.code}\t{office.name}\t{office.level_label}\t{above}\t"
            f"{line.open_tasks} nhiệm vụ đang mở{ended}"
        )


@offices.command("create")
@click.argument("code")
@click.argument("name")
@click.option(
    "--level", type=click.Choice([level.value for level in OfficeLevel]), default="commune"
)
@click.option("--parent", "parent_code", metavar="MÃ", help="Cơ quan cấp trên.")
@click.option("--unit", "unit_name", help="Tên đơn vị đại diện cơ quan này ở cấp trên.")
@click.option("--created-on", type=DATE)
def offices_create(code, name, level, parent_code, unit_name, created_on) -> None:
    """Tạo một cơ quan theo dõi."""
    with all_offices():
        parent = (
            db.session.query(Office).filter(Office.code == parent_code).one_or_none()
            if parent_code
            else None
        )
        if parent_code and parent is None:
            raise click.BadParameter(f"không có cơ quan mã “{parent_code}”", param_hint="--parent")
        unit = None
        if unit_name:
            unit = (
                db.session.query(Department)
                .filter(Department.office_id == parent.id, Department.name == unit_name)
                .one_or_none()
                if parent
                else None
            )
            if unit is None:
                raise click.BadParameter(
                    f"cơ quan cấp trên không có đơn vị “{unit_name}”", param_hint="--unit"
                )
    try:
        office = create_office(db.session, code, name, level, parent, unit, created_on)
    except OfficeError as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Đã tạo cơ quan {office.code}: {office.name}.")


def _office(code: str) -> Office:
    with all_offices():
        office = db.session.scalar(
            select(Office).where(func.lower(Office.code) == code.strip().lower())
        )
    if office is None:
        raise click.ClickException(f"Không có cơ quan mã “{code}” (xem: flask offices list).")
    return office


def read_plan(data: bytes) -> dict[int, tuple[str, str]]:
    """task code → (successor office code, unit name), from a CSV of three columns (more are
    ignored; a header row is allowed)."""
    out: dict[int, tuple[str, str]] = {}
    for number, task_id, row in task_csv_rows(data):
        if task_id in out:
            raise click.ClickException(f"Dòng {number}: nhiệm vụ {row[0].strip()} ghi hai lần.")
        cells = [*row[1:3], "", ""][:2]
        out[task_id] = (cells[0].strip(), cells[1].strip())
    return out


@offices.command("open-tasks")
@click.argument("code")
@click.option("--on", "on", type=DATE, required=True, help="Ngày cơ quan kết thúc.")
def offices_open_tasks(code, on) -> None:
    """Các nhiệm vụ của cơ quan CODE còn mở ngày --on, dạng CSV để lập tệp phân giao: mã
    nhiệm vụ, cơ quan nhận, đơn vị nhận (đề xuất khi cơ quan kế thừa có đơn vị cùng tên với
    đơn vị chủ trì), đơn vị chủ trì, nội dung."""
    office = _office(code)
    tasks = handover.open_tasks_on(db.session, office, on)
    successors = handover.successor_offices(db.session, office, on)
    proposed = handover.proposed_places(
        tasks, successors, handover.units_on(db.session, successors, on)
    )
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Mã nhiệm vụ", "Cơ quan nhận", "Đơn vị nhận", "Đơn vị chủ trì", "Nội dung"])
    for task in tasks:
        place = proposed.get(task.id)
        writer.writerow([
            task.code, place.office.code if place else "", place.unit.name if place else "",
            task.lead_department.name, task.content,
        ])  # fmt: skip
    click.echo(out.getvalue(), nl=False)


@offices.command("end")
@click.argument("code")
@click.option("--on", "on", type=DATE, required=True, help="Ngày đầu tiên cơ quan không còn.")
@click.option(
    "--plan",
    "plan_file",
    type=click.File("rb"),
    required=True,
    help="CSV: mã nhiệm vụ, mã cơ quan nhận, tên đơn vị nhận — cho mọi nhiệm vụ còn mở.",
)
@click.option("--decision", default="", help="Căn cứ (nghị quyết, quyết định).")
@click.option("--dry-run", is_flag=True, help="Chỉ kiểm tra và in kế hoạch, không ghi.")
def offices_end(code, on, plan_file, decision, dry_run) -> None:
    """Cơ quan CODE kết thúc từ ngày --on: mỗi nhiệm vụ còn mở ngày đó chuyển sang cơ quan và
    đơn vị --plan ghi; không ghi gì khi còn nhiệm vụ chưa có nơi nhận."""
    office = _office(code)
    assign = read_plan(plan_file.read(MAX_TASK_CSV_BYTES + 1))
    try:
        plan = handover.plan_end(db.session, office, on, assign, today=local_today())
    except handover.HandoverError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    count = len(plan.tasks)
    lines = [f"{office.code} kết thúc từ ngày {on:%d/%m/%Y}: {count} nhiệm vụ chuyển giao"]
    lines += [f"  {o.code}\t{o.name}: {n} nhiệm vụ" for o, n in plan.counts()]
    if plan.series:
        lines.append(f"  {len(plan.series)} nhiệm vụ định kỳ dừng")
    if dry_run:
        db.session.rollback()
        click.echo("\n".join(["(thử, chưa ghi)", *lines]))
        return
    try:
        handover.commit_end(db.session, plan, decision=decision)
    except handover.HandoverError as error:
        raise click.ClickException(str(error)) from None
    click.echo("\n".join(lines))


COMMANDS = (offices,)
