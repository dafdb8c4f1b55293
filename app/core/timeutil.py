"""Clock helpers: stored timestamps are naive UTC; the office's calendar is Asia/Ho_Chi_Minh."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_today() -> dt.date:
    return dt.datetime.now(LOCAL_TZ).date()


def local_now() -> dt.datetime:
    """Now in the office's time zone, naive, to the second."""
    return dt.datetime.now(LOCAL_TZ).replace(tzinfo=None, microsecond=0)
