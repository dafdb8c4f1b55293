"""The click parameter types every ``commands`` module shares: a date, a local time."""

from __future__ import annotations

import datetime as dt

import click


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
