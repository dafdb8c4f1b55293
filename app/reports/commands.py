"""``flask report summary|table|stats``: the office's reports from the shell."""

from __future__ import annotations

import datetime as dt

import click
from flask.cli import AppGroup
from sqlalchemy import select

from app.cli.params import DATE
from app.core.textnorm import fold
from app.core.timeutil import local_today
from app.extensions import db
from app.models import Issuer

report = AppGroup("report", help="Báo cáo tình hình thực hiện.")


def _issuer_ids(names: tuple[str, ...]) -> list[int] | None:
    if not names:
        return None
    issuers = list(db.session.scalars(select(Issuer)))
    ids = []
    for name in names:
        match = [i for i in issuers if fold(name) in (fold(i.name), fold(i.short_name))]
        if not match:
            raise click.BadParameter(f"không có cơ quan ban hành “{name}”", param_hint="--issuer")
        ids.append(match[0].id)
    return ids


@report.command("summary")
@click.option("--as-of", "as_of", type=DATE, help="Tính đến ngày (mặc định: hôm nay).")
@click.option("--issuer", "issuers", multiple=True, help="Chỉ văn bản của cơ quan này.")
def summary_command(as_of: dt.date | None, issuers: tuple[str, ...]) -> None:
    """In phần báo cáo: các đơn vị còn nội dung chậm / chưa tham mưu giải quyết."""
    from app.reports.summary import build_summary, summary_text

    summary = build_summary(db.session, as_of or local_today(), _issuer_ids(issuers))
    click.echo(summary_text(summary))


@report.command("table")
@click.option("--as-of", "as_of", type=DATE, help="Tính đến ngày (mặc định: hôm nay).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["xlsx", "docx", "csv"]),
    default="xlsx",
    show_default=True,
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
@click.option("--department", help="Chỉ một đơn vị (tên hoặc tên viết tắt).")
@click.option("--issuer", "issuers", multiple=True, help="Chỉ văn bản của cơ quan này.")
@click.option("--report-number", default="", help="Số báo cáo kèm theo, ví dụ 1321/BC-UBND.")
@click.option("--report-date", type=DATE, help="Ngày của báo cáo kèm theo (YYYY-MM-DD).")
@click.option("--with-code", is_flag=True, help="XLSX: kèm cột Mã nhiệm vụ (để sửa rồi nhập lại).")
def table_command(
    as_of, fmt, output, department, issuers, report_number, report_date, with_code
) -> None:
    """Ghi biểu chi tiết (chậm, chưa tham mưu giải quyết) ra tệp XLSX, DOCX hoặc CSV."""
    import functools
    from pathlib import Path

    from app.core.settings import load_settings
    from app.printing.letterhead import letterhead
    from app.reports.detail import build_detail
    from app.reports.files import render, to_csv, to_docx, to_xlsx
    from app.units.lookup import department_by_name

    if len(report_number) > 64:
        raise click.BadParameter("tối đa 64 ký tự", param_hint="--report-number")

    department_id = None
    if department:
        found = department_by_name(db.session, department)
        if found is None:
            raise click.BadParameter(f"không có đơn vị “{department}”", param_hint="--department")
        department_id = found.id
    table = build_detail(db.session, as_of or local_today(), _issuer_ids(issuers), department_id)
    head = letterhead(load_settings(db.session), report_number, report_date)
    path = Path(output)
    workbook = functools.partial(to_xlsx, with_code=with_code)
    path.write_bytes(render(fmt, table, head, to_csv, workbook, to_docx))
    counts = ", ".join(f"{s.heading}" for s in table.sections)
    click.echo(f"Đã ghi {path} ({counts})")


@report.command("stats")
@click.option("--from", "period_from", type=DATE, required=True, help="Đầu kỳ (ngày ban hành).")
@click.option("--to", "period_to", type=DATE, required=True, help="Cuối kỳ (ngày ban hành).")
@click.option("--as-of", "as_of", type=DATE, help="Tính số liệu đến ngày (mặc định: --to).")
@click.option("--issuer", "issuers", multiple=True, help="Chỉ văn bản của cơ quan này.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "xlsx", "docx"]),
    default="xlsx",
    show_default=True,
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False))
def stats_command(period_from, period_to, as_of, issuers, fmt, output) -> None:
    """Ghi bảng thống kê kết quả thực hiện nhiệm vụ theo đơn vị của một kỳ."""
    from pathlib import Path

    from app.core.settings import load_settings
    from app.keytasks.units import grade_units
    from app.printing.letterhead import letterhead
    from app.reports.files import render
    from app.reports.statistics import PeriodError, build_statistics
    from app.reports.statistics_files import to_csv, to_docx, to_xlsx

    try:
        stats = build_statistics(db.session, period_from, period_to, as_of, _issuer_ids(issuers))
    except PeriodError as error:
        raise click.UsageError(str(error)) from None
    grade_units(db.session, stats)
    head = letterhead(load_settings(db.session))
    path = Path(output)
    path.write_bytes(render(fmt, stats, head, to_csv, to_xlsx, to_docx))
    click.echo(
        f"Đã ghi {path}: {len(stats.rows)} đơn vị, {stats.total.total} nhiệm vụ, "
        f"tính đến ngày {stats.as_of:%d/%m/%Y}."
    )


@report.command("key-tasks")
@click.option("--year", type=click.IntRange(1900, 2199), help="Năm của các nhóm nhiệm vụ.")
@click.option("--from", "period_from", type=DATE, help="Đầu kỳ (thay cho --year).")
@click.option("--to", "period_to", type=DATE, help="Cuối kỳ (thay cho --year).")
@click.option("--as-of", "as_of", type=DATE, help="Tính đến ngày (mặc định: hôm nay).")
def key_tasks_command(year, period_from, period_to, as_of) -> None:
    """In mục công tác triển khai thực hiện nhiệm vụ trọng tâm của một năm hoặc một kỳ."""
    from app.keytasks.sentence import build_section, period_of

    try:
        period_from, period_to, label = period_of(year, period_from, period_to)
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    section = build_section(db.session, period_from, period_to, as_of or local_today(), label)
    click.echo(section.text)


COMMANDS = (report,)
