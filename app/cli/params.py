"""What every ``commands`` module shares: the click parameter types (a date, a local time)
and the reading of a CSV file keyed by task code (a plan assigning each task somewhere)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import click

from app.models.documents import task_id_from_code

MAX_TASK_CSV_BYTES = 5 * 1024 * 1024
MAX_TASK_CSV_ROWS = 100_000


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


class DateTimeParam(click.ParamType):
    name = "YYYY-MM-DDTHH:MM"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.datetime):
            return value
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            self.fail(f"“{value}” không phải thời điểm dạng YYYY-MM-DDTHH:MM", param, ctx)


def task_csv_rows(data: bytes) -> Iterator[tuple[int, int, list[str]]]:
    """(line number, task id, cells) of each row of a CSV file whose first column is a task
    code: UTF-8 (with or without a BOM), comma or semicolon separated, a header row and empty
    rows allowed, at most ``MAX_TASK_CSV_BYTES`` and ``MAX_TASK_CSV_ROWS``; anything else is
    refused with the line it is on."""
    if len(data) > MAX_TASK_CSV_BYTES:
        raise click.ClickException("Tệp phân giao lớn quá 5 MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException("Tệp phân giao phải là CSV mã hóa UTF-8.") from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    for number, row in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
        if number > MAX_TASK_CSV_ROWS:
            raise click.ClickException(f"Tệp phân giao có quá {MAX_TASK_CSV_ROWS} dòng.")
        if not row or not any(cell.strip() for cell in row):
            continue
        task_id = task_id_from_code(row[0])
        if task_id is None:
            if number == 1:
                continue  # the header
            raise click.ClickException(f"Dòng {number}: “{row[0][:40]}” không phải mã nhiệm vụ.")
        yield number, task_id, row
