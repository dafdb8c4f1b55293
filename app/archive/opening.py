"""Opening an archive to load it: bounded from the zip's directory before anything is unpacked
(how many files, how large each one and all of them unpacked, only the format's names), then
its manifest, itself bounded before it is parsed. What the directory declares is what is read:
zipfile stops a file at its declared size and refuses it when its checksum differs."""

from __future__ import annotations

import json
import re
import zipfile
import zlib
from pathlib import Path

from app.archive.format import FORMAT, MANIFEST, PARTS, READABLE, ArchiveError, number

MAX_MEMBERS = 100_000  # files in the zip: the manifest, the ten parts, one per attachment
MAX_DIRECTORY_BYTES = 32 << 20  # the zip's directory (100,000 entries take about 6 MB)
MAX_MANIFEST_BYTES = 64 << 10  # the manifest (a few hundred bytes when written here)
MAX_PART_BYTES = 4 << 30  # one part's JSON lines, unpacked (a million events take 0.7 GB)
MAX_TOTAL_BYTES = 64 << 30  # everything unpacked; each attachment ≤ ATTACHMENT_MAX_BYTES
ATTACHMENT_MEMBER = re.compile(r"files/[0-9]{1,12}")
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError)


def amount(size: int) -> str:
    """A size in the office's words: 10.485.760 byte."""
    return f"{number(size)} byte"


def _not_an_archive(raw, reason) -> ArchiveError:
    name = Path(getattr(raw, "name", "") or "").name
    return ArchiveError(f"Tệp “{name}” không phải một tệp lưu trữ (zip): {reason}")


def _directory_end(raw) -> tuple[int, int]:
    """How many files the zip's directory lists and its size, from the end record alone (read
    before zipfile builds an entry for every file). ``_EndRecData`` is zipfile's own reader of
    that record, zip64 included."""
    try:
        end = zipfile._EndRecData(raw)  # noqa: SLF001
    except OSError as error:
        raise _not_an_archive(raw, error) from None
    if end is None:
        raise _not_an_archive(raw, "không tìm thấy danh mục của tệp zip")
    return end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # noqa: SLF001


def _limit_of(name: str, attachment_limit: int) -> tuple[int, str] | None:
    """The most ``name`` may unpack to and what it is, or None: not a name of the format."""
    if name == MANIFEST:
        return MAX_MANIFEST_BYTES, "manifest"
    if name.endswith(".jsonl") and name[: -len(".jsonl")] in PARTS:
        return MAX_PART_BYTES, "một phần"
    if ATTACHMENT_MEMBER.fullmatch(name):
        return attachment_limit, "một tệp đính kèm (ATTACHMENT_MAX_BYTES)"
    return None


def check_directory(raw) -> None:
    """Refuse the archive from its directory: too many files, a directory too large, a file of
    a name the format does not have, a file or all of them unpacking past their bound."""
    members, directory = _directory_end(raw)
    if members > MAX_MEMBERS:
        raise ArchiveError(
            f"Tệp lưu trữ có {number(members)} tệp, quá giới hạn {number(MAX_MEMBERS)} tệp."
        )
    if directory > MAX_DIRECTORY_BYTES:
        raise ArchiveError(
            f"Danh mục của tệp lưu trữ lớn {amount(directory)}, quá giới hạn "
            f"{amount(MAX_DIRECTORY_BYTES)}."
        )


def check_members(archive: zipfile.ZipFile, attachment_limit: int) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:  # the end record said fewer
        raise ArchiveError(f"Tệp lưu trữ có quá {number(MAX_MEMBERS)} tệp.")
    names, total = set(), 0
    for info in infos:
        bound = _limit_of(info.filename, attachment_limit)
        if bound is None or info.filename in names:
            shown = info.filename[:200]
            raise ArchiveError(f"Tệp lưu trữ có tệp “{shown}” lặp lại hoặc không thuộc định dạng.")
        names.add(info.filename)
        if info.file_size > bound[0]:
            raise ArchiveError(
                f"Tệp “{info.filename}” trong tệp lưu trữ giải nén lớn {amount(info.file_size)}, "
                f"quá giới hạn {amount(bound[0])} của {bound[1]}."
            )
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        raise ArchiveError(
            f"Tệp lưu trữ giải nén lớn {amount(total)}, quá giới hạn {amount(MAX_TOTAL_BYTES)}."
        )


def _manifest(archive: zipfile.ZipFile) -> dict:
    try:
        with archive.open(MANIFEST) as stream:
            data = stream.read(MAX_MANIFEST_BYTES + 1)
        if len(data) > MAX_MANIFEST_BYTES:  # the directory said less: zipfile would refuse it
            raise ValueError("too large")
        manifest = json.loads(data)
    except KeyError:
        raise ArchiveError("Tệp lưu trữ không có manifest.json.") from None
    except DAMAGE:
        raise ArchiveError("Tệp lưu trữ có manifest.json bị hỏng hoặc không hợp lệ.") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError("Tệp này không phải tệp lưu trữ của ứng dụng theo dõi văn bản chỉ đạo.")
    return manifest


def _check_version(version) -> None:
    if type(version) is int and version in READABLE:  # true is not 1, nor 1.0
        return
    if type(version) is int and version > max(READABLE):
        raise ArchiveError(
            f"Tệp lưu trữ phiên bản {version}: phiên bản này của ứng dụng đọc đến phiên bản "
            f"{max(READABLE)}. Hãy nâng cấp ứng dụng trước."
        )
    shown = json.dumps(version, ensure_ascii=False)[:40]
    raise ArchiveError(f"Tệp lưu trữ ghi phiên bản {shown}: không phải một phiên bản hợp lệ.")


def open_archive(raw, attachment_limit: int) -> zipfile.ZipFile:
    """The archive in ``raw`` (a file opened by the caller, who closes it), checked from its
    directory and manifest; ``attachment_limit``: the most one attachment may hold."""
    check_directory(raw)
    try:
        archive = zipfile.ZipFile(raw)
    except DAMAGE as error:
        raise _not_an_archive(raw, error) from None
    try:
        check_members(archive, attachment_limit)
        _check_version(_manifest(archive).get("version"))
    except BaseException:
        archive.close()
        raise
    return archive
