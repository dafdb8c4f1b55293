"""The archive's format: its parts, its version and manifest, one JSON record a line in each
part, and the values as they are written (dates and moments in ISO form)."""

from __future__ import annotations

import io
import json
import zipfile
import zlib
from collections.abc import Iterable, Iterator

from app.archive.records import MODELS, Record, ValidationError, problem

FORMAT = "theo-doi-van-ban-chi-dao"
VERSION = 1  # written by this version of the application
READABLE = (1,)  # the versions it reads
MANIFEST = "manifest.json"
READ_CHUNK = 1 << 20
# One record, without its newline: the longest an honest one can be is an event whose before
# and after hold two 20,000-character texts each, with its comment: under 0.6 MB.
MAX_LINE = 1 << 20
# Lines a part may have. The first four are held whole while the plan checks them (a document
# takes about 1.5 KB then); the others are streamed, and each line is a row written.
PART_LINES = {
    "issuers": 10_000,
    "units": 10_000,
    "changes": 10_000,
    "documents": 250_000,
    "tasks": 2_000_000,
    "transfers": 2_000_000,
    "progress_reports": 10_000_000,
    "events": 20_000_000,
    "extensions": 2_000_000,
    "attachments": 100_000,
    "key_task_groups": 100_000,
    "evaluations": 1_000_000,
}
PARTS = (
    "issuers",
    "units",
    "changes",
    "documents",
    "tasks",
    "transfers",
    "progress_reports",
    "events",
    "extensions",
    "attachments",
    "key_task_groups",
    "evaluations",
)
# Parts an archive written before them lacks: read as empty.
OPTIONAL_PARTS = ("key_task_groups", "evaluations")


class ArchiveError(Exception):
    """Why an archive cannot be written or loaded; ``problems`` lists every conflict found."""

    def __init__(self, message: str, problems: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.problems = list(problems)


def iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def write_lines(archive: zipfile.ZipFile, part: str, items: Iterable[dict]) -> int:
    count = 0
    with archive.open(f"{part}.jsonl", "w") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def number(count: int) -> str:
    """A count in the office's words: 100.000."""
    return f"{count:,}".replace(",", ".")


def refused(part: str, line: int, message: str) -> ArchiveError:
    return ArchiveError(f"Phần “{part}”, dòng {line}: {message}")


def read_lines(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, Record]]:
    """Each record of ``part`` with its line number, validated by its model (``records``); a
    line longer than ``MAX_LINE`` is refused before it is parsed, as are lines past the part's
    ``PART_LINES``."""
    model, most = MODELS[part], PART_LINES[part]
    try:
        stream = archive.open(f"{part}.jsonl")
    except KeyError:
        if part in OPTIONAL_PARTS:
            return
        raise ArchiveError(f"Tệp lưu trữ thiếu phần “{part}”.") from None
    with stream, io.BufferedReader(stream, READ_CHUNK) as lines:
        count = 0
        while line := _next_line(lines, part, count + 1):
            count += 1
            if count > most:
                raise refused(part, count, f"phần này có quá {number(most)} dòng.")
            body = line[:-1] if line.endswith(b"\n") else line
            if len(body) > MAX_LINE:
                raise refused(part, count, f"dòng dài quá {number(MAX_LINE)} byte.")
            try:
                yield count, model.model_validate_json(body)
            except ValidationError as error:
                raise refused(part, count, problem(error)) from None


def _next_line(lines, part: str, number: int) -> bytes:
    """The next line, at most ``MAX_LINE`` bytes and its newline (longer: cut, and refused)."""
    try:
        return lines.readline(MAX_LINE + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
        raise refused(part, number, f"tệp lưu trữ bị hỏng ({error}).") from None
