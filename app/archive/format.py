"""The archive's format: its parts, its version and manifest, one JSON record a line in each
part, and the values as they are written (dates and moments in ISO form)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from app.archive.records import MODELS, Record, ValidationError, problem

FORMAT = "theo-doi-van-ban-chi-dao"
VERSION = 1  # written by this version of the application
READABLE = (1,)  # the versions it reads
MANIFEST = "manifest.json"
MAX_LINE = 4 * 1024 * 1024  # one record, long texts and snapshots included
MAX_RECORDS = 5_000_000
READ_CHUNK = 1 << 20
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
)


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


def open_archive(source) -> zipfile.ZipFile:
    """``source``: the archive's file, opened by the caller (who closes it, whatever the parts
    read before a refusal left open)."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        name = Path(source.name).name
        message = f"Tệp “{name}” không phải một tệp lưu trữ (zip): {error}"
        raise ArchiveError(message) from None
    try:
        manifest = json.loads(archive.read(MANIFEST))
    except (KeyError, ValueError):
        archive.close()
        raise ArchiveError("Tệp lưu trữ không có manifest.json hợp lệ.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        archive.close()
        raise ArchiveError("Tệp này không phải tệp lưu trữ của ứng dụng theo dõi văn bản chỉ đạo.")
    version = manifest.get("version")
    if type(version) is not int or version not in READABLE:  # true is not 1
        archive.close()
        if type(version) is int and version > max(READABLE):
            raise ArchiveError(
                f"Tệp lưu trữ phiên bản {version}: phiên bản này của ứng dụng đọc đến phiên bản "
                f"{max(READABLE)}. Hãy nâng cấp ứng dụng trước."
            )
        shown = json.dumps(version, ensure_ascii=False)[:40]
        raise ArchiveError(f"Tệp lưu trữ ghi phiên bản {shown}: không phải một phiên bản hợp lệ.")
    return archive


def refused(part: str, line: int, message: str) -> ArchiveError:
    return ArchiveError(f"Phần “{part}”, dòng {line}: {message}")


def read_lines(archive: zipfile.ZipFile, part: str) -> Iterator[tuple[int, Record]]:
    """Each record of ``part`` with its line number, validated by its model (``records``)."""
    model = MODELS[part]
    try:
        stream = archive.open(f"{part}.jsonl")
    except KeyError:
        raise ArchiveError(f"Tệp lưu trữ thiếu phần “{part}”.") from None
    with stream, io.BufferedReader(stream) as lines:
        for number, line in enumerate(iter(lambda: lines.readline(MAX_LINE + 1), b""), 1):
            if number > MAX_RECORDS or len(line) > MAX_LINE:
                raise refused(part, number, "quá lớn.")
            try:
                yield number, model.model_validate_json(line)
            except ValidationError as error:
                raise refused(part, number, problem(error)) from None
