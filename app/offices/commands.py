"""``flask offices …``: the installation's offices from the shell."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.cli.params import DATE
from app.core.office_scope import all_offices
from app.extensions import db
from app.models import Department, Office
from app.models.offices import OfficeLevel
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


COMMANDS = (offices,)
