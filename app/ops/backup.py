"""Backup and restore: one archive with a consistent copy of the database and the attachments.

``flask backup FILE`` copies the database while the application keeps writing: SQLite through
``VACUUM INTO`` (a consistent snapshot, WAL included, unlike copying the file), PostgreSQL with
``pg_dump`` inside an exported snapshot. The archive (tar.gz) also holds every attachment and a
manifest: the schema revision, the row count and a checksum of every table as of the snapshot,
and a checksum of every attachment.

``flask restore FILE`` puts an archive into an empty installation (no data in the database,
no attachments), then checks every count and checksum against the manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask
from sqlalchemy import create_engine, func, inspect, select, text
from sqlalchemy.engine import Connection, make_url

from app.core.private import make_private
from app.extensions import db

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_MEMBER = "database.sqlite3"
PG_MEMBER = "database.pgdump"
FILES = "attachments"


class BackupError(Exception):
    """What went wrong, for the operator (Vietnamese)."""


@dataclass
class RestoreReport:
    tables: int = 0
    rows: int = 0
    files: int = 0
    mismatches: list[str] = field(default_factory=list)


def _tables() -> list:
    return [t for t in db.Model.metadata.sorted_tables]


def table_fingerprints(connection: Connection) -> dict[str, dict]:
    """Row count and a checksum of the rows (in primary-key order) of every table."""
    out = {}
    present = set(inspect(connection).get_table_names())
    for table in _tables():
        if table.name not in present:
            continue
        digest = hashlib.sha256()
        count = 0
        order = list(table.primary_key.columns) or list(table.columns)
        result = connection.execution_options(stream_results=True, yield_per=5000).execute(
            select(table).order_by(*order)
        )
        for row in result:
            digest.update(repr(tuple(row)).encode("utf-8"))
            count += 1
        out[table.name] = {"rows": count, "sha256": digest.hexdigest()}
    return out


def _revision(connection: Connection) -> str | None:
    with contextlib.suppress(Exception):
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def attachments_dir(app: Flask) -> Path:
    configured = app.config.get("ATTACHMENT_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "attachments"


def _pg_url(url) -> str:
    """A libpq URL for pg_dump and pg_restore (no SQLAlchemy driver name)."""
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def make_backup(app: Flask, target: Path) -> dict:
    """Write the archive; returns its manifest."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    with tempfile.TemporaryDirectory() as work:
        work_dir = Path(work)
        manifest: dict = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "database": url.get_backend_name(),
        }
        if url.get_backend_name() == "sqlite":
            snapshot = work_dir / SQLITE_MEMBER
            source = sqlite3.connect(url.database)
            try:
                source.execute("PRAGMA busy_timeout = 30000")
                source.execute("VACUUM INTO ?", (str(snapshot),))
            finally:
                source.close()
            engine = create_engine(f"sqlite:///{snapshot}")
            with engine.connect() as connection:
                manifest["revision"] = _revision(connection)
                manifest["tables"] = table_fingerprints(connection)
            engine.dispose()
            database_member = SQLITE_MEMBER
        elif url.get_backend_name() == "postgresql":
            if not shutil.which("pg_dump"):
                raise BackupError("không tìm thấy pg_dump (gói postgresql-client).")
            dump = work_dir / PG_MEMBER
            with db.engine.connect().execution_options(
                isolation_level="REPEATABLE READ"
            ) as connection:
                snapshot_id = connection.execute(text("SELECT pg_export_snapshot()")).scalar()
                manifest["revision"] = _revision(connection)
                manifest["tables"] = table_fingerprints(connection)
                # pg_dump reads the very snapshot the counts were taken in
                done = subprocess.run(
                    ["pg_dump", "--format=custom", "--no-owner", "--no-acl",
                     f"--snapshot={snapshot_id}", f"--file={dump}", _pg_url(url)],
                    capture_output=True, text=True, timeout=3600,
                )  # fmt: skip
                connection.rollback()
            if done.returncode != 0:
                raise BackupError(f"pg_dump thất bại: {done.stderr.strip()[:500]}")
            database_member = PG_MEMBER
        else:
            raise BackupError(f"không sao lưu được cơ sở dữ liệu {url.get_backend_name()}.")
        files = {}
        folder = attachments_dir(app)
        if folder.exists():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                files[path.relative_to(folder).as_posix()] = _sha256(path)
        manifest["attachments"] = files
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
            archive.add(work_dir / database_member, arcname=database_member)
            for name in files:
                archive.add(folder / name, arcname=f"{FILES}/{name}")
        make_private(partial)  # password hashes, session and calendar tokens: the owner's only
        partial.replace(target)  # a backup file is either whole or absent
    return manifest


def _has_data(connection: Connection) -> list[str]:
    """The tables holding rows; the one office every new installation has does not count."""
    present = set(inspect(connection).get_table_names())
    filled = []
    for t in _tables():
        if t.name not in present:
            continue
        rows = connection.execute(select(func.count()).select_from(t)).scalar()
        if rows and not (t.name == "offices" and rows == 1):
            filled.append(t.name)
    return filled


def restore_backup(app: Flask, source: Path) -> RestoreReport:
    """Restore into an empty installation, then compare every table and file with the
    manifest. Raises ``BackupError`` before writing anything when the target is not empty."""
    if not source.is_file():
        raise BackupError(f"không có tệp {source}.")
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    folder = attachments_dir(app)
    with tarfile.open(source, "r:gz") as archive:
        manifest = json.loads(archive.extractfile(MANIFEST).read())
        if manifest.get("format") != FORMAT or manifest.get("database") != url.get_backend_name():
            raise BackupError(
                f"bản sao lưu của cơ sở dữ liệu {manifest.get('database')} không khôi phục "
                f"được vào {url.get_backend_name()}."
            )
        with db.engine.connect() as connection:
            filled = _has_data(connection)
        if filled:
            raise BackupError(
                "cơ sở dữ liệu đích đã có dữ liệu (" + ", ".join(filled[:5]) + "); chỉ khôi "
                "phục vào một cài đặt trống."
            )
        if folder.exists() and any(folder.rglob("*")):
            raise BackupError(f"thư mục tệp đính kèm {folder} không trống.")
        with tempfile.TemporaryDirectory() as work:
            work_dir = Path(work)
            members = {m.name: m for m in archive.getmembers()}
            for name, member in members.items():
                if not member.isfile() or name.startswith(("/", "..")) or "/../" in name:
                    continue
                archive.extract(member, work_dir, filter="data")
            db.session.remove()
            db.engine.dispose()
            if url.get_backend_name() == "sqlite":
                target = Path(url.database)
                for suffix in ("-wal", "-shm"):
                    Path(f"{target}{suffix}").unlink(missing_ok=True)
                shutil.copyfile(work_dir / SQLITE_MEMBER, target)
            else:
                if not shutil.which("pg_restore"):
                    raise BackupError("không tìm thấy pg_restore (gói postgresql-client).")
                done = subprocess.run(
                    ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-acl",
                     "--single-transaction", f"--dbname={_pg_url(url)}",
                     str(work_dir / PG_MEMBER)],
                    capture_output=True, text=True, timeout=3600,
                )  # fmt: skip
                if done.returncode != 0:
                    raise BackupError(f"pg_restore thất bại: {done.stderr.strip()[:500]}")
            extracted = work_dir / FILES
            if extracted.exists():
                folder.mkdir(parents=True, exist_ok=True)
                shutil.copytree(extracted, folder, dirs_exist_ok=True)
    return check_restore(app, manifest)


def check_restore(app: Flask, manifest: dict) -> RestoreReport:
    report = RestoreReport()
    with db.engine.connect() as connection:
        if _revision(connection) != manifest.get("revision"):
            report.mismatches.append(
                f"phiên bản lược đồ {_revision(connection)} khác {manifest.get('revision')}"
            )
        found = table_fingerprints(connection)
    for name, expected in manifest["tables"].items():
        got = found.get(name)
        report.tables += 1
        report.rows += expected["rows"]
        if got != expected:
            have = got["rows"] if got else "không có bảng"
            report.mismatches.append(f"bảng {name}: {have} dòng, cần {expected['rows']}")
    folder = attachments_dir(app)
    for name, digest in manifest.get("attachments", {}).items():
        path = folder / name
        report.files += 1
        if not path.is_file() or _sha256(path) != digest:
            report.mismatches.append(f"tệp đính kèm {name} thiếu hoặc khác")
    return report
