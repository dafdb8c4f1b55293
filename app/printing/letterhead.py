"""The heading block every printed file starts with.

Decree 30/2020/NĐ-CP conventions: the issuing body's name at the top left (the governing body
upper-case, the office bold upper-case, a short rule under it), then a bold title; a table
attached to a report says so under its title.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Letterhead:
    """The heading block at the top left and the line that attaches a table to a report."""

    lines: tuple[str, ...] = ()
    attached_to: str = ""


def letterhead(settings, report_number: str = "", report_date=None) -> Letterhead:
    """``settings`` is ``app.core.settings.OfficeSettings``; the report's number and date are those
    of the report the table is attached to ("Kèm theo Báo cáo số … ngày … của …")."""
    attached = ""
    if report_number or report_date:
        attached = "(Kèm theo Báo cáo"
        if report_number:
            attached += f" số {report_number.strip()}"
        if report_date:
            attached += f" ngày {report_date:%d/%m/%Y}"
        if settings.governing_body:
            attached += f" của {settings.governing_body}"
        attached += ")"
    return Letterhead(tuple(settings.heading_lines), attached)
