"""The columns of the tables the product writes and reads, each declared once.

A ``Column`` is a key (what the code calls it), the Vietnamese title its header cell prints
(and the import matches, folded, against a file's header row) and the layout rules the writers
follow. A table is a tuple of columns, declared beside the feature that writes it: the detailed
table in ``app.reports.detail``, the task list in ``app.tasks.export``, the import's sheets (and
so its template) in ``app.importing.columns``. A table that needs another rule for a column
says so with ``Column.but``, which keeps the column's key and title.

Declared here: the columns that several of those tables share. A task's columns are the same
column in the list, in the detailed table and in the import (an exported workbook, corrected,
is imported again), so their titles cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.printing.measure import ColumnText


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    whole: bool = False  # one token (a number, a code, a date): never wrapped, kept whole
    centred: bool = False  # printed centred (the detailed table's numbers and dates)
    chars: int | None = None  # width in a spreadsheet's characters, for a sheet laid out by hand
    lines: int | None = None  # a name read as one: wrapped to at most this many lines

    def but(self, **rules) -> Column:
        """This column with other layout rules for one table; its key and title stay."""
        if {"key", "title"} & rules.keys():
            raise TypeError("a column's key and title are declared once")
        return replace(self, **rules)


def titles(table: Sequence[Column]) -> list[str]:
    """The header row's titles, in order."""
    return [column.title for column in table]


def titles_by_key(table: Sequence[Column]) -> dict[str, str]:
    """Each column's title by its key, in order: what the import reads a header row with."""
    return {column.key: column.title for column in table}


def column_texts(table: Sequence[Column], rows: Sequence[Sequence[str]]) -> list[ColumnText]:
    """What ``measure.column_widths`` lays out: each column's title and its cells' texts
    (``rows`` as printed, in the table's order)."""
    return [
        ColumnText(
            column.title, [row[index] for row in rows], whole=column.whole, lines=column.lines
        )
        for index, column in enumerate(table)
    ]


# --- a task's columns, shared by the task list, the detailed table and the import ------------

ORDINAL = Column("ordinal", "STT", whole=True)
CODE = Column("code", "Mã nhiệm vụ", whole=True)
NUMBER = Column("number", "Số ký hiệu", whole=True)  # the document's
ISSUED_ON = Column("issued_on", "Ngày ban hành", whole=True)
# A unit's name over five lines of a narrow column ("Phòng / Tài / nguyên / và Môi / trường")
# is hard to read: names take at most three lines.
ISSUER = Column("issuer", "Cơ quan ban hành", lines=3)
SUMMARY = Column("summary", "Trích yếu")
CONTENT = Column("content", "Nội dung nhiệm vụ")
LEAD = Column("lead", "Đơn vị chủ trì", lines=3)
COOPERATORS = Column("cooperators", "Đơn vị phối hợp")
DEADLINE = Column("deadline", "Thời hạn", whole=True)  # a date or "Thường xuyên"
STATE = Column("state", "Tình trạng")
CATEGORY = Column("category", "Phân loại")  # chậm, chưa, … as of a date
DAYS_LATE = Column("days_late", "Số ngày quá hạn", whole=True)
NOTE = Column("note", "Ghi chú")
