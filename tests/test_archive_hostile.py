"""``flask archive import`` of hostile archives, each loaded in a process of its own whose peak
memory (VmHWM) and bytes written are measured: refused from the zip's directory or a bounded
read before the server unpacks what the limits do not allow, with nothing left behind; and an
archive at each limit loaded. The archives are built here, not committed.

The limits too large to reach in a test (a part of 4 GB, 64 GB in all, 20 million lines) are
lowered for their case, in the loading process, to the size of the small honest archive."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from archive_cases import PDF, attachment_record, honest_parts, line, manifest, write_archive
from sqlalchemy import func, select

from app.archive import format as archive_format
from app.archive import opening
from app.core.attachments import DEFAULT_MAX_BYTES
from app.extensions import db
from app.models import Attachment, Department, Document, Event, Issuer, Task

GB = 1 << 30
ROOT = Path(__file__).resolve().parent.parent

IMPORT_IN_A_PROCESS = """
import json, resource, sys, time
from pathlib import Path
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # a runaway reader dies, not the host
from app import create_app
from app.archive import ArchiveError, import_archive
from app.extensions import db

url, path, folder, lowered = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
for name, value in json.loads(lowered).items():  # a limit too large to reach in a test
    from app.archive import format, opening
    module = format if hasattr(format, name) else opening
    if isinstance(value, dict):
        getattr(module, name).update(value)
    else:
        setattr(module, name, value)
config = {"SQLALCHEMY_DATABASE_URI": url, "TESTING": True, "SECRET_KEY": "x",
          "ATTACHMENT_DIR": str(folder)}
with create_app(config).app_context():
    start = time.perf_counter()
    try:
        report = import_archive(db.session, path, folder)
        db.session.commit()
        outcome = {"counts": report.counts}
    except ArchiveError as error:
        db.session.rollback()
        outcome = {"refused": str(error)}
    outcome["seconds"] = time.perf_counter() - start
    db.session.remove()
    db.engine.dispose()
# the process's own high-water mark, and every byte it wrote (files, database, pipes)
own = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
outcome["peak_mb"] = int(own) / 1024
written = next(l for l in open("/proc/self/io") if l.startswith("wchar:")).split()[1]
outcome["written_mb"] = int(written) / 2**20
print(json.dumps(outcome))
"""


def import_in_a_process(database_url: str, path: Path, folder: Path, lowered=None) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_IN_A_PROCESS, database_url, str(path), str(folder),
         json.dumps(lowered or {})],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.splitlines()[-1])


# --- the archives -----------------------------------------------------------------------------


def _stream(archive: zipfile.ZipFile, name: str, head: bytes, size: int, fill: bytes = b"\0"):
    """A member of ``size`` bytes written a megabyte at a time: ``head``, then ``fill``."""
    with archive.open(name, "w", force_zip64=True) as out:
        out.write(head)
        left, chunk = size - len(head), fill * (1 << 20)
        while left > 0:
            out.write(chunk[:left])
            left -= len(chunk)


def _honest_members(archive: zipfile.ZipFile, parts, skip=()) -> None:
    for part, records in parts.items():
        archive.writestr(f"{part}.jsonl", b"".join(line(r) for r in records))
    if "files/1" not in skip:
        archive.writestr("files/1", PDF)
    if "manifest.json" not in skip:
        archive.writestr("manifest.json", manifest())


def big_manifest(path: Path, declared: int | None = None) -> Path:
    """A manifest of 1 GB (spaces after the object), its size in the directory or ``declared``."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _honest_members(archive, honest_parts(), skip=("manifest.json",))
        _stream(archive, "manifest.json", manifest(), GB, b" ")
        if declared is not None:
            archive.getinfo("manifest.json").file_size = declared
    return path


def big_attachment(path: Path, record_size: int, declared: int | None = None) -> Path:
    """An attachment of 1 GB (a PDF's head, then zeros) whose record says ``record_size`` and
    the zip's directory its real size, or ``declared``."""
    parts = honest_parts()
    parts["attachments"][0]["size"] = record_size
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        _honest_members(archive, parts, skip=("files/1",))
        _stream(archive, "files/1", PDF, GB)
        if declared is not None:
            archive.getinfo("files/1").file_size = declared
    return path


def sized_attachment(path: Path, size: int) -> Path:
    data = PDF + bytes(size - len(PDF))
    parts = honest_parts(data)
    return write_archive(path, parts, files={"files/1": data})


def sized_manifest(path: Path, size: int) -> Path:
    text = manifest()
    return write_archive(path, raw={"manifest.json": text + b" " * (size - len(text))})


def sized_line(path: Path, size: int) -> Path:
    """The task's line padded with spaces to ``size`` bytes (its newline apart)."""
    parts = honest_parts()
    text = line(parts["tasks"][0])[:-1]
    return write_archive(path, parts, raw={"tasks.jsonl": text + b" " * (size - len(text))})


def many_members(path: Path, count: int) -> Path:
    """The honest archive and empty files (named as attachments, used by none) up to ``count``."""
    with zipfile.ZipFile(path, "w") as archive:
        _honest_members(archive, honest_parts())
        for number in range(count - len(archive.infolist())):
            archive.writestr(f"files/{1000 + number}", b"")
    return path


def honest(path: Path) -> Path:
    return write_archive(path)


def _sizes(path: Path) -> dict[str, int]:
    with path.open("rb") as raw:
        _members, directory = opening._directory_end(raw)
    with zipfile.ZipFile(path) as archive:
        infos = archive.infolist()
    return {
        "largest part": max(i.file_size for i in infos if i.filename.endswith(".jsonl")),
        "total": sum(i.file_size for i in infos),
        "directory": directory,
    }


LIMIT = DEFAULT_MAX_BYTES  # ATTACHMENT_MAX_BYTES, the upload limit
MEMBERS, MANIFEST, LINE = opening.MAX_MEMBERS, opening.MAX_MANIFEST_BYTES, archive_format.MAX_LINE

# case: (builder, limits lowered in the loading process, what the answer says: None = loaded)
CASES = {
    "manifest unpacking to 1 GB": (
        big_manifest, {}, "“manifest.json” trong tệp lưu trữ giải nén lớn 1.073.741.824 byte, "
        "quá giới hạn 65.536 byte của manifest.",
    ),
    "manifest of 1 GB declared 100 bytes": (
        lambda p: big_manifest(p, declared=100), {}, "manifest.json bị hỏng",
    ),
    "attachment of 1 GB declared 2**40": (
        lambda p: big_attachment(p, 2**40), {}, "“files/1” trong tệp lưu trữ giải nén lớn "
        "1.073.741.824 byte, quá giới hạn 10.485.760 byte của một tệp đính kèm",
    ),
    "attachment of 1 GB declared 2**40, the directory too": (
        lambda p: big_attachment(p, 2**40, declared=2**40), {}, "giải nén lớn "
        "1.099.511.627.776 byte, quá giới hạn 10.485.760 byte của một tệp đính kèm",
    ),
    "attachment of 1 GB declared 2**40, the directory 28 bytes": (
        lambda p: big_attachment(p, 2**40, declared=len(PDF)), {},
        "Phần “attachments”, dòng 1: Tệp “Thông báo 45.pdf” lớn hơn 10 MB.",
    ),
    "attachment of 1 GB declared 28 bytes, the directory too": (
        lambda p: big_attachment(p, len(PDF), declared=len(PDF)), {},
        "Phần “attachments”, dòng 1: tệp “Thông báo 45.pdf” bị hỏng",
    ),
    "attachment at the upload limit": (lambda p: sized_attachment(p, LIMIT), {}, None),
    "attachment just over the upload limit": (
        lambda p: sized_attachment(p, LIMIT + 1), {}, "quá giới hạn 10.485.760 byte",
    ),
    "manifest at its limit": (lambda p: sized_manifest(p, MANIFEST), {}, None),
    "manifest just over its limit": (
        lambda p: sized_manifest(p, MANIFEST + 1), {}, "quá giới hạn 65.536 byte của manifest",
    ),
    "line at its limit": (lambda p: sized_line(p, LINE), {}, None),
    "line just over its limit": (
        lambda p: sized_line(p, LINE + 1), {},
        "Phần “tasks”, dòng 1: dòng dài quá 1.048.576 byte.",
    ),
    "files at their limit": (lambda p: many_members(p, MEMBERS), {}, None),
    "files just over their limit": (
        lambda p: many_members(p, MEMBERS + 1), {},
        "Tệp lưu trữ có 100.001 tệp, quá giới hạn 100.000 tệp.",
    ),
    "lines at a part's limit (lowered)": (honest, {"PART_LINES": {"tasks": 1}}, None),
    "lines just over a part's limit (lowered)": (
        honest, {"PART_LINES": {"tasks": 0}}, "Phần “tasks”, dòng 1: phần này có quá 0 dòng.",
    ),
    "part at its limit (lowered)": (honest, {"MAX_PART_BYTES": "largest part"}, None),
    "part just over its limit (lowered)": (
        honest, {"MAX_PART_BYTES": "largest part - 1"}, "của một phần.",
    ),
    "everything at its limit (lowered)": (honest, {"MAX_TOTAL_BYTES": "total"}, None),
    "everything just over its limit (lowered)": (
        honest, {"MAX_TOTAL_BYTES": "total - 1"}, "Tệp lưu trữ giải nén lớn",
    ),
    "directory at its limit (lowered)": (honest, {"MAX_DIRECTORY_BYTES": "directory"}, None),
    "directory just over its limit (lowered)": (
        honest, {"MAX_DIRECTORY_BYTES": "directory - 1"}, "Danh mục của tệp lưu trữ lớn",
    ),
}  # fmt: skip


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each case's archive, built once for both databases."""
    folder = tmp_path_factory.mktemp("archives")
    cache: dict[str, Path] = {}

    def build(case: str) -> Path:
        if case not in cache:
            cache[case] = CASES[case][0](folder / f"{len(cache)}.zip")
        return cache[case]

    yield build
    for path in cache.values():
        path.unlink(missing_ok=True)


def _lowered(path: Path, lowered: dict) -> dict:
    """The lowered limits, those named by a size of the archive replaced by it."""
    sizes = _sizes(path)
    out = {}
    for name, value in lowered.items():
        if isinstance(value, str):
            key, _, minus = value.partition(" - ")
            value = sizes[key] - int(minus or 0)
        out[name] = value
    return out


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_a_hostile_archive_is_refused_within_bounds_and_one_at_each_limit_is_loaded(
    app, database_url, built, tmp_path, case
):
    _builder, lowered, expected = CASES[case]
    path = built(case)
    folder = Path(app.config["ATTACHMENT_DIR"])
    db.session.remove()
    outcome = import_in_a_process(database_url, path, folder, _lowered(path, lowered))
    print(case, {k: v for k, v in outcome.items() if k != "counts"})
    assert outcome["peak_mb"] < 300 and outcome["seconds"] < 30, outcome
    models = (Issuer, Department, Document, Task, Event, Attachment)
    rows = [db.session.scalar(select(func.count()).select_from(m)) for m in models]
    if expected is None:
        assert outcome.get("counts", {}).get("tasks") == 1, outcome
        assert rows == [1, 2, 1, 1, 2, 1]
        (stored,) = folder.iterdir()
        attachment = db.session.scalar(select(Attachment))
        assert stored.name == attachment.stored_name
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == attachment_sha(path)
        return
    assert expected in outcome.get("refused", ""), outcome
    assert outcome["written_mb"] < 5, outcome  # no gigabyte went to disk first
    assert rows == [0] * 6
    assert not folder.exists() or not any(folder.iterdir())


def attachment_sha(path: Path) -> str:
    with zipfile.ZipFile(path) as archive:
        record = json.loads(archive.read("attachments.jsonl").splitlines()[0])
    return record["sha256"]


def test_an_attachment_whose_record_and_directory_differ_is_refused(app, tmp_path):
    from test_archive_rows import assert_refused

    parts = honest_parts()
    parts["attachments"] = [attachment_record(1, PDF, document=1, size=len(PDF) - 1)]
    assert_refused(
        app, write_archive(tmp_path / "a.zip", parts),
        "Phần “attachments”, dòng 1: tệp “Thông báo 45.pdf” khai báo 27 byte, trong tệp zip "
        "28 byte.",
    )  # fmt: skip


def test_a_name_the_format_does_not_have_is_refused(app, tmp_path):
    from test_archive_rows import assert_refused

    path = write_archive(tmp_path / "a.zip", raw={"../../etc/cron.d/x": b"* * * * * root id"})
    assert_refused(app, path, "có tệp “../../etc/cron.d/x” lặp lại hoặc không thuộc định dạng.")
