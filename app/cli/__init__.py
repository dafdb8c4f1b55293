"""``flask`` commands: everything the office does by hand can be done from the shell."""

from __future__ import annotations

import datetime as dt
import io
import sys

import click
from flask import Flask
from flask.cli import AppGroup
from sqlalchemy import select

from app.core.deadlines import load_calendar
from app.core.textnorm import fold
from app.core.timeutil import local_today
from app.extensions import db
from app.models import CalendarDay, Issuer


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}” không phải ngày dạng YYYY-MM-DD", param, ctx)


DATE = DateParam()


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


def _print_problems(problems) -> None:
    click.echo(f"Không nhập được tệp: {len(problems)} lỗi, chưa có dữ liệu nào được ghi.", err=True)
    for problem in problems:
        click.echo(f"  - {problem}", err=True)


def register_commands(app: Flask) -> None:
    from app.auth.commands import users
    from app.ops.config_check import check_config_command
    from app.units.commands import units

    app.cli.add_command(users)
    app.cli.add_command(units)
    app.cli.add_command(check_config_command)

    @app.cli.command("import-tasks")
    @click.argument("path", type=click.Path(dir_okay=False))
    @click.option("--dry-run", is_flag=True, help="Chỉ xem trước: không ghi gì.")
    @click.option(
        "--similar",
        type=click.Choice(["ask", "update", "new"]),
        default="ask",
        show_default=True,
        help="Dòng không mã, nội dung gần giống nhiệm vụ đã có: báo lỗi (ask), cập nhật "
        "nhiệm vụ đó (update) hay tạo mới (new).",
    )
    def import_tasks_command(path: str, dry_run: bool, similar: str) -> None:
        """Nhập văn bản, nhiệm vụ (và đơn vị, cơ quan ban hành) từ tệp .xlsx hoặc .csv."""
        from pathlib import Path

        from app.importing import ImportFailed, preview_import
        from app.importing.jobs import IMPORT, claim, execute, queue, result_from_json

        choice = None if similar == "ask" else similar
        try:
            data = Path(path).read_bytes()
        except OSError as error:
            raise click.ClickException(f"không mở được tệp “{path}”: {error.strerror}.") from None
        if dry_run:
            try:
                result = preview_import(db.session, io.BytesIO(data), Path(path).name,
                                        today=local_today(), similar=choice)  # fmt: skip
            except ImportFailed as failure:
                _print_problems(failure.problems)
                sys.exit(1)
        else:
            # The same path as the web's import jobs: one at a time, committed in batches with
            # a journal that a failure undoes, progress on the terminal.
            job = queue(db.session, None, IMPORT, Path(path).name, "cli",
                        {"similar": choice} if choice else None)  # fmt: skip
            db.session.commit()
            if claim(db.session, job.id) is None:
                db.session.delete(job)
                db.session.commit()
                raise click.ClickException("một lần nhập khác đang chạy; hãy chờ nó xong.")
            done = execute(db.session, job, data, echo=lambda line: click.echo(line, err=True))
            if done.error or (done.result or {}).get("problems") is not None:
                problems = (done.result or {}).get("problems") or [done.error]
                _print_problems(problems)
                sys.exit(1)
            result = result_from_json(done.result)
        click.echo("Xem trước (chưa ghi gì):" if dry_run else "Đã nhập xong:")
        for line in result.lines():
            click.echo(f"  {line}")
        for outcome in result.of("suspect"):
            click.echo(
                f"  dòng {outcome.row}: gần giống {outcome.similar_code} "
                f"“{outcome.similar_content[:80]}”"
            )

    @app.cli.command("import-template")
    @click.argument("path", type=click.Path(dir_okay=False))
    def import_template_command(path: str) -> None:
        """Ghi tệp mẫu .xlsx để nhập dữ liệu."""
        from app.importing.template import write_current_template

        write_current_template(db.session, path)
        click.echo(f"Đã ghi tệp mẫu: {path}")

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Nạp dữ liệu mẫu để dùng thử (chỉ khi cơ sở dữ liệu còn trống; không dùng cho máy
        chủ thật: tạo tài khoản quản trị bằng flask users create)."""
        from app.dev.demo import DEMO_PASSWORD, has_data, seed_demo

        if has_data(db.session):
            click.echo("Cơ sở dữ liệu đã có dữ liệu: không nạp dữ liệu mẫu.")
            return
        users = seed_demo(db.session, local_today())
        db.session.commit()
        click.echo(f"Đã nạp dữ liệu mẫu: {len(users)} tài khoản, mật khẩu chung “{DEMO_PASSWORD}”.")
        click.echo(
            "Dữ liệu mẫu chỉ để dùng thử; máy chủ thật bắt đầu từ cơ sở dữ liệu trống"
            " (xem mục “Going live” trong README)."
        )

    @app.cli.command("backup")
    @click.argument("path", type=click.Path(dir_okay=False))
    def backup_command(path: str) -> None:
        """Sao lưu cơ sở dữ liệu (bản chụp nhất quán, kể cả khi đang có người ghi) và tệp đính
        kèm vào một tệp .tar.gz."""
        from pathlib import Path

        from app.ops.backup import BackupError, make_backup

        try:
            manifest = make_backup(app, Path(path))
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        rows = sum(t["rows"] for t in manifest["tables"].values())
        click.echo(
            f"Đã sao lưu vào {path}: {len(manifest['tables'])} bảng, {rows} dòng, "
            f"{len(manifest['attachments'])} tệp đính kèm (phiên bản {manifest['revision']})."
        )

    @app.cli.command("restore")
    @click.argument("path", type=click.Path(dir_okay=False, exists=True))
    def restore_command(path: str) -> None:
        """Khôi phục một bản sao lưu vào cài đặt trống, rồi kiểm tra từng bảng và tệp."""
        from pathlib import Path

        from app.ops.backup import BackupError, restore_backup

        try:
            result = restore_backup(app, Path(path))
        except BackupError as error:
            raise click.ClickException(str(error)) from None
        if result.mismatches:
            for line in result.mismatches:
                click.echo(f"[LỖI] {line}")
            raise SystemExit(1)
        click.echo(
            f"Đã khôi phục và kiểm tra: {result.tables} bảng, {result.rows} dòng, "
            f"{result.files} tệp đính kèm khớp với bản sao lưu."
        )

    archive = AppGroup(
        "archive",
        help="Tệp lưu trữ toàn bộ hồ sơ theo dõi (JSON lines và tệp đính kèm trong một tệp zip): "
        "sao lưu vượt qua các lần nâng cấp, hoặc chuyển nhiệm vụ sang một cơ quan khác.",
    )
    app.cli.add_command(archive)

    @archive.command("export")
    @click.argument("path", type=click.Path(dir_okay=False))
    def archive_export(path: str) -> None:
        """Ghi toàn bộ hồ sơ vào tệp lưu trữ PATH."""
        from pathlib import Path

        from app.archive import ArchiveError, export_archive
        from app.ops.backup import attachments_dir

        try:
            counts = export_archive(db.session, Path(path), attachments_dir(app))
        except ArchiveError as error:
            raise click.ClickException(str(error)) from None
        click.echo(
            f"Đã ghi {path}: {counts['units']} đơn vị, {counts['documents']} văn bản, "
            f"{counts['tasks']} nhiệm vụ, {counts['events']} sự kiện, "
            f"{counts['progress_reports']} báo cáo tiến độ, {counts['attachments']} tệp đính kèm."
        )

    @archive.command("import")
    @click.argument("path", type=click.Path(dir_okay=False, exists=True))
    def archive_import(path: str) -> None:
        """Nạp tệp lưu trữ PATH vào đây: đơn vị, cơ quan ban hành khớp theo tên; có xung đột
        thì không ghi gì và liệt kê."""
        from pathlib import Path

        from app.archive import ArchiveError, discard, import_archive
        from app.ops.backup import attachments_dir

        try:
            report = import_archive(db.session, Path(path), attachments_dir(app))
        except ArchiveError as error:
            db.session.rollback()
            click.echo(str(error), err=True)
            for problem in error.problems[:100]:
                click.echo(f"  - {problem}", err=True)
            if len(error.problems) > 100:
                click.echo(f"  … và {len(error.problems) - 100} xung đột khác", err=True)
            raise SystemExit(1) from None
        try:
            db.session.commit()
        except Exception:
            db.session.rollback()
            discard(report.files)  # nothing of the archive stays: rows nor files
            raise
        counts = report.counts
        click.echo(
            f"Đã nạp {path}: {counts['documents']} văn bản, {counts['tasks']} nhiệm vụ, "
            f"{counts['events']} sự kiện, {counts['attachments']} tệp đính kèm."
        )
        click.echo(
            f"Đơn vị khớp theo tên: {len(report.matched_units)}; đơn vị mới: "
            f"{len(report.created_units)}"
            + (f" ({', '.join(report.created_units)})" if report.created_units else "")
        )
        if report.unknown_people:
            click.echo(
                "Không có tài khoản ở đây (ghi nhận không tên người thực hiện): "
                + ", ".join(report.unknown_people)
            )

    documents = AppGroup("documents", help="Văn bản chỉ đạo.")

    @documents.command("draft")
    @click.argument("path", type=click.Path(dir_okay=False, exists=True))
    def documents_draft(path: str) -> None:
        """Đọc một văn bản (.pdf, .docx, .txt) và in đề xuất (số, ngày, cơ quan, nhiệm vụ)
        dạng JSON; không lưu gì."""
        import json
        from pathlib import Path

        from app.documents.drafting import UnreadableDocument, draft_from_text, text_from_file

        try:
            text = text_from_file(Path(path).read_bytes(), Path(path).name)
        except UnreadableDocument as error:
            raise click.ClickException(str(error)) from None
        draft = draft_from_text(db.session, text)
        click.echo(json.dumps(draft.as_json(), ensure_ascii=False, indent=2))

    app.cli.add_command(documents)

    series = AppGroup("series", help="Nhiệm vụ định kỳ.")

    @series.command("preview")
    @click.argument("phrase")
    @click.option("--from", "start", type=DATE, help="Từ ngày (mặc định: hôm nay).")
    @click.option("--count", default=6, show_default=True, type=click.IntRange(1, 120))
    def series_preview(phrase: str, start: dt.date | None, count: int) -> None:
        """In các thời hạn tiếp theo của một cách ghi định kỳ (dd/mm/yyyy, mỗi dòng một)."""
        from app.recurring.recurrence import PhraseError, occurrences, parse_phrase

        try:
            rule = parse_phrase(phrase)
        except PhraseError as error:
            raise click.ClickException(str(error)) from None
        for occurrence in occurrences(
            rule, start or local_today(), count, load_calendar(db.session)
        ):
            click.echo(f"{occurrence.deadline:%d/%m/%Y}")

    app.cli.add_command(series)

    report = AppGroup("report", help="Báo cáo tình hình thực hiện.")

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
    def table_command(as_of, fmt, output, department, issuers, report_number, report_date) -> None:
        """Ghi biểu chi tiết (chậm, chưa tham mưu giải quyết) ra tệp XLSX, DOCX hoặc CSV."""
        from pathlib import Path

        from app.core.settings import load_settings
        from app.printing.letterhead import letterhead
        from app.reminders.decide import department_by_name
        from app.reports.detail import build_detail
        from app.reports.files import render, to_csv, to_docx, to_xlsx

        if len(report_number) > 64:
            raise click.BadParameter("tối đa 64 ký tự", param_hint="--report-number")

        department_id = None
        if department:
            found = department_by_name(db.session, department)
            if found is None:
                raise click.BadParameter(
                    f"không có đơn vị “{department}”", param_hint="--department"
                )
            department_id = found.id
        table = build_detail(
            db.session, as_of or local_today(), _issuer_ids(issuers), department_id
        )
        head = letterhead(load_settings(db.session), report_number, report_date)
        path = Path(output)
        path.write_bytes(render(fmt, table, head, to_csv, to_xlsx, to_docx))
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
        from app.printing.letterhead import letterhead
        from app.reports.files import render
        from app.reports.statistics import PeriodError, build_statistics
        from app.reports.statistics_files import to_csv, to_docx, to_xlsx

        try:
            stats = build_statistics(
                db.session, period_from, period_to, as_of, _issuer_ids(issuers)
            )
        except PeriodError as error:
            raise click.UsageError(str(error)) from None
        head = letterhead(load_settings(db.session))
        path = Path(output)
        path.write_bytes(render(fmt, stats, head, to_csv, to_xlsx, to_docx))
        click.echo(
            f"Đã ghi {path}: {len(stats.rows)} đơn vị, {stats.total.total} nhiệm vụ, "
            f"tính đến ngày {stats.as_of:%d/%m/%Y}."
        )

    app.cli.add_command(report)

    calendar = AppGroup("calendar", help="Ngày nghỉ bù, ngày làm bù và ngày làm việc.")

    @calendar.command("set")
    @click.argument("day", type=DATE)
    @click.option(
        "--working/--day-off",
        default=False,
        help="--working: ngày làm bù; --day-off: ngày nghỉ bù (mặc định).",
    )
    @click.option("--note", default="")
    def calendar_set(day: dt.date, working: bool, note: str) -> None:
        """Ghi một ngày nghỉ bù hoặc làm bù do Chính phủ công bố."""
        entry = db.session.get(CalendarDay, day) or CalendarDay(day=day)
        entry.is_working_day, entry.note = working, note
        db.session.add(entry)
        db.session.commit()
        click.echo(f"{day:%d/%m/%Y}: {'ngày làm việc' if working else 'ngày nghỉ'}")

    @calendar.command("add-days")
    @click.argument("start", type=DATE)
    @click.argument("count", type=int)
    def calendar_add_days(start: dt.date, count: int) -> None:
        """Tính thời hạn COUNT ngày làm việc kể từ ngày START."""
        result = load_calendar(db.session).add_working_days(start, count)
        click.echo(f"{result:%d/%m/%Y}")

    app.cli.add_command(calendar)
    _register_reminder_commands(app)


class DateTimeParam(click.ParamType):
    name = "YYYY-MM-DDTHH:MM"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}” không phải thời điểm dạng YYYY-MM-DDTHH:MM", param, ctx)


def _register_reminder_commands(app: Flask) -> None:
    scheduler = AppGroup("scheduler", help="Bộ lập lịch nhắc việc.")

    @scheduler.command("run")
    @click.option("--interval", default=60, show_default=True, help="Giây giữa hai lần kiểm tra.")
    @click.option("--once", is_flag=True, help="Chạy một lần rồi thoát.")
    @click.option("--now", type=DateTimeParam(), help="Giờ địa phương giả định (kiểm thử).")
    def scheduler_run(interval: int, once: bool, now: dt.datetime | None) -> None:
        """Chạy bộ lập lịch (chỉ một tiến trình hoạt động, các tiến trình khác chờ)."""
        import logging

        from app.ops.config_check import refuse_to_start
        from app.scheduler.runner import run

        refuse_to_start(app)
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        # APScheduler says every run of the 2-second import poll: only its warnings matter.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        if not run(app, interval=interval, once=once, now=now):
            click.echo("Một bộ lập lịch khác đang chạy: không làm gì.")

    app.cli.add_command(scheduler)

    reminders = AppGroup("reminders", help="Thư nhắc việc.")

    @reminders.command("preview")
    @click.option("--kind", type=click.Choice(["digest"]), default="digest")
    @click.option("--department", required=True, help="Tên hoặc tên viết tắt của đơn vị.")
    @click.option("--as-of", "as_of", type=DATE, help="Ngày (mặc định: hôm nay).")
    def reminders_preview(kind: str, department: str, as_of: dt.date | None) -> None:
        """In thư tổng hợp của một đơn vị như người nhận sẽ đọc."""
        from app.reminders.compose import digest_mail
        from app.reminders.decide import department_by_name
        from app.reminders.selection import digests

        found = department_by_name(db.session, department)
        if found is None:
            raise click.BadParameter(f"không có đơn vị “{department}”", param_hint="--department")
        digest = digests(db.session, as_of or local_today(), [found.id])[0]
        if digest.is_empty:
            click.echo(
                f"{found.name} không có việc chậm, sắp đến hạn hay chưa báo cáo: không gửi thư."
            )
            return
        mail = digest_mail(digest, "Trưởng đơn vị", None)
        click.echo(f"Tiêu đề: {mail.subject}\n")
        click.echo(mail.text)

    @reminders.command("send-due")
    @click.option("--now", type=DateTimeParam(), help="Giờ địa phương giả định (kiểm thử).")
    def reminders_send_due(now: dt.datetime | None) -> None:
        """Một lượt: quyết định thư đến hạn rồi gửi (dùng với cron)."""
        from app.scheduler.runner import tick

        result = tick(now)
        decided = sum(result["decided"].values())
        click.echo(
            f"Thư mới: {decided}; đã gửi: {result['sent']['sent']}, "
            f"thử lại sau: {result['sent']['retry']}, lỗi: {result['sent']['failed']}"
        )

    @reminders.command("retry-failed")
    def reminders_retry_failed() -> None:
        """Đưa các thư gửi lỗi trở lại hàng gửi (bộ lập lịch sẽ gửi lại)."""
        from app.reminders.delivery import retry_failed

        count = retry_failed(db.session)
        db.session.commit()
        click.echo(f"Đã đưa {count} thư gửi lỗi trở lại hàng gửi.")

    app.cli.add_command(reminders)

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
    def bench_generate(
        tasks: int, departments: int, years: int, seed: int, backlog: float | None
    ) -> None:
        """Sinh dữ liệu giả lập quy mô cấp tỉnh vào cơ sở dữ liệu (đang trống)."""
        import time

        from app.dev.demo import has_data
        from app.dev.generate import BENCH_PASSWORD, generate

        if has_data(db.session):
            raise click.ClickException("Cơ sở dữ liệu đã có dữ liệu: hãy dùng một cơ sở trống.")
        started = time.perf_counter()
        counts = generate(
            db.session,
            tasks,
            departments,
            years,
            local_today(),
            seed,
            progress=lambda message: click.echo(f"  … {message}"),
            backlog=backlog,
        )
        db.session.commit()
        click.echo(
            f"Đã sinh {counts} trong {time.perf_counter() - started:.0f} s; "
            f"đăng nhập: bench.office / {BENCH_PASSWORD}"
        )

    app.cli.add_command(bench)
