"""What is wrong with an imported file, located as a person would look for it."""

from __future__ import annotations

from dataclasses import dataclass

CSV_SHEET = "CSV"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file, located as a person would look for it."""

    message: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append("tệp CSV" if self.sheet == CSV_SHEET else f"trang “{self.sheet}”")
        if self.row:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột “{self.column}”")
        prefix = ", ".join(where)
        return f"{prefix[:1].upper()}{prefix[1:]}: {self.message}" if prefix else self.message


class ImportFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def failed(message: str) -> ImportFailed:
    return ImportFailed([Problem(message)])
