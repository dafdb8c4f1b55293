"""The archive's format: its parts, its version and manifest, one JSON record a line in each
part, and the values as they are written (dates and moments in ISO form)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections.abc import Iterable, Iterator

from app.core.timeutil import utcnow

FORMAT = "theo-doi-van-ban-chi-dao"
VERSION = 1
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


def date_of(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def moment_of(value) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if value else utcnow()


def write_lines(archive: zipfile.ZipFile, part: str, items: Iterable[dict]) -> int:
    count = 0
    with archive.open(f"{part}.jsonl", "w") as out:
        for item in items:
            out.write(json.dumps(item, ensure_ascii=False).encode("utf-8") + b"\n")
            count += 1
    return count


def open_archive(source) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, OSError) as error:
        message = f"Tệp “{source.name}” không phải một tệp lưu trữ (zip): {error}"
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
    if not isinstance(version, int) or version > VERSION:
        archive.close()
        raise ArchiveError(
            f"Tệp lưu trữ phiên bản {version}: phiên bản này của ứng dụng đọc đến phiên bản "
            f"{VERSION}. Hãy nâng cấp ứng dụng trước."
        )
    return archive


def read_lines(archive: zipfile.ZipFile, part: str) -> Iterator[dict]:
    try:
        stream = archive.open(f"{part}.jsonl")
    except KeyError:
        raise ArchiveError(f"Tệp lưu trữ thiếu phần “{part}”.") from None
    with stream, io.BufferedReader(stream) as lines:
        for number, line in enumerate(iter(lambda: lines.readline(MAX_LINE + 1), b""), 1):
            if number > MAX_RECORDS or len(line) > MAX_LINE:
                raise ArchiveError(f"Phần “{part}”, dòng {number}: quá lớn.")
            try:
                item = json.loads(line)
            except ValueError:
                raise ArchiveError(f"Phần “{part}”, dòng {number}: không phải JSON.") from None
            if not isinstance(item, dict):
                raise ArchiveError(f"Phần “{part}”, dòng {number}: không phải một bản ghi.")
            yield item
