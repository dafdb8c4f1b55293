"""An installation of the single-office product upgrades with ``flask db upgrade`` to one office
holding everything, with nothing else to do (issue 32, item 6).

The database is made by the code of the last single-office commit (``OLD_COMMIT``, migration
head ``OLD_HEAD``), taken from this clone's history with ``git archive`` and run with this
virtual environment (the dependencies are the same): its ``flask db upgrade`` and
``flask seed-demo``, then more of its use: reminder mails sent by three scheduler ticks, two
edXML packages received, a reminder schedule and two more settings saved, a user signed in on
its web application. That code then prints every report its command line prints, as of
several dates (tests/upgrade_cli.py runs the commands in one process of either tree).

This code's ``flask db upgrade`` alone then takes a copy of that database to the offices
schema, and the same commands print the same text, and files with the same cells and
paragraphs, without ``--office`` and with ``--office VP`` (the office the migration creates).
The settings saved before are the office's, the demo's users sign in and read their lists and
reports, the session opened on the old application goes on, the administrators run the
installation, and ``flask db downgrade`` back to the single-office schema gives back every row
as it was before the upgrade.

SQLite always; PostgreSQL when ``TEST_DATABASE_URL`` is set, in databases of its own made
and dropped here (the old tree's database is copied with ``CREATE DATABASE … TEMPLATE``).
A clone without the old commit (a shallow one) skips with the reason, or fails under
``REQUIRE_GIT_HISTORY=1`` (.ci/run).
"""

from __future__ import annotations

import contextlib
import csv
import difflib
import html
import io
import json
import os
import pprint
import re
import shutil
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import sqlalchemy as sa
from edxml_builder import Spec, build
from lxml import etree
from openpyxl import load_workbook

from app.config import ENV_KEYS, INT_ENV_KEYS, normalize_database_url
from app.models.documents import OPEN_STATES
from conftest import BACKENDS, PG_URL, make_app

ROOT = Path(__file__).resolve().parents[1]
# The last commit before offices; its migrations end at OLD_HEAD.
OLD_COMMIT = "f43ab1c9e71769aaf86d25344764bcbd2d58c1d2"
OLD_HEAD = "e7a3c91d5b20"
OFFICES_REVISION = "f1a2b3c4d5e6"
OFFICE = "VP"  # the code of the office the offices migration creates
DEMO_PASSWORD = "demo1234"
# Saved before the upgrade beyond the demo's governing body and office name: every office
# setting but two-factor sign-in then has a value that is not its default.
EXTRA_SETTINGS = {"requests_by": "department", "key_task_body": "UBND thành phố Lạng Sơn"}
DATES = ("2024-12-16", "2025-03-01", "2025-06-30", "2025-07-01")  # and today
TIMINGS: dict[str, float] = {}


# --- the old tree -------------------------------------------------------------------------


def _git(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)


@pytest.fixture(scope="session")
def old_tree(tmp_path_factory) -> Path:
    """The application, its migrations and templates as of OLD_COMMIT."""
    missing = None
    if shutil.which("git") is None:
        missing = "git is not installed"
    elif _git("rev-parse", "--git-dir").returncode != 0:
        missing = f"{ROOT} is not a git checkout"
    elif _git("cat-file", "-e", f"{OLD_COMMIT}^{{commit}}").returncode != 0:
        shallow = _git("rev-parse", "--is-shallow-repository").stdout.strip() == "true"
        missing = f"commit {OLD_COMMIT[:7]} (the single-office schema) is not in this clone" + (
            " (a shallow clone: git fetch --unshallow)" if shallow else ""
        )
    if missing:
        if os.environ.get("REQUIRE_GIT_HISTORY"):
            pytest.fail(f"REQUIRE_GIT_HISTORY is set but {missing}")
        pytest.skip(missing)
    tree = tmp_path_factory.mktemp("single-office-tree")
    archive = tree / "tree.tar"
    parts = ("app", "migrations", "templates")
    subprocess.run(
        ["git", "-C", str(ROOT), "archive", "-o", str(archive), OLD_COMMIT, *parts], check=True
    )
    subprocess.run(["tar", "-xf", str(archive), "-C", str(tree)], check=True)
    archive.unlink()
    (tree / "instance").mkdir()
    return tree


# --- running either tree ------------------------------------------------------------------


@dataclass
class Installation:
    """A database and the folders of one run of the product."""

    backend: str
    url: str
    folder: Path

    def env(self, tree: Path) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in ENV_KEYS and key not in INT_ENV_KEYS and not key.startswith("FLASK_")
        }
        env.update(
            FLASK_APP="app",
            PYTHONPATH=str(tree),
            DATABASE_URL=self.url,
            SECRET_KEY="upgrade-test",
            BASE_URL="http://tracker.test",
            ATTACHMENTS_DIR=str(self.folder / "attachments"),
            OUTBOX_DIR=str(self.folder / "outbox"),
            UPLOADS_DIR=str(self.folder / "uploads"),
        )
        return env

    def flask(self, tree: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        """``flask ARGS`` of ``tree`` (the old one or this one) as a shell runs it."""
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "flask", *args],
            cwd=tree,
            env=self.env(tree),
            capture_output=True,
            text=True,
            timeout=300,
        )
        label = f"{'old' if tree != ROOT else 'new'} flask {' '.join(args[:2])} ({self.backend})"
        TIMINGS[label] = TIMINGS.get(label, 0) + time.perf_counter() - started
        if check:
            assert done.returncode == 0, f"flask {' '.join(args)}:\n{done.stdout}\n{done.stderr}"
        return done

    def commands(self, tree: Path, commands: list[dict], label: str) -> dict:
        """Every command of the list in one process of ``tree`` (tests/upgrade_cli.py)."""
        given = self.folder / f"{label}-commands.json"
        given.write_text(json.dumps(commands, ensure_ascii=False), encoding="utf-8")
        results = self.folder / f"{label}-results.json"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / "tests" / "upgrade_cli.py"), str(given), str(results)],
            cwd=tree,
            env=self.env(tree),
            capture_output=True,
            text=True,
            timeout=600,
        )
        TIMINGS[f"{label} reports ({self.backend})"] = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        printed = json.loads(results.read_text(encoding="utf-8"))
        assert Path(printed.pop("app")).is_relative_to(tree)  # that tree's code ran
        return printed

    def engine(self) -> sa.Engine:
        return sa.create_engine(normalize_database_url(self.url))


def _pg_admin(*statements: str) -> None:
    engine = sa.create_engine(normalize_database_url(PG_URL), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            for statement in statements:
                connection.exec_driver_sql(statement)
    finally:
        engine.dispose()


def _pg_url(name: str) -> str:
    return sa.make_url(normalize_database_url(PG_URL)).set(database=name).render_as_string(False)


class Databases:
    """Databases of this module: SQLite files, or PostgreSQL databases dropped at the end."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.made: list[str] = []

    def new(self, backend: str, name: str, copy_of: Installation | None = None) -> Installation:
        folder = self.root / f"{backend}-{name}"
        folder.mkdir()
        if copy_of is not None:  # the files the database names go with it
            shutil.copytree(copy_of.folder / "attachments", folder / "attachments")
        if backend == "sqlite":
            path = folder / "tracker.db"
            if copy_of is not None:
                shutil.copy(Path(sa.make_url(copy_of.url).database), path)
            return Installation(backend, f"sqlite:///{path}", folder)
        database = f"{sa.make_url(PG_URL).database}_upgrade_{os.getpid()}_{name}"
        template = f' TEMPLATE "{sa.make_url(copy_of.url).database}"' if copy_of else ""
        _pg_admin(
            f'DROP DATABASE IF EXISTS "{database}"', f'CREATE DATABASE "{database}"{template}'
        )
        self.made.append(database)
        return Installation(backend, _pg_url(database), folder)

    def drop(self) -> None:
        if self.made:
            _pg_admin(*(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.made))


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    made = Databases(tmp_path_factory.mktemp("upgrade"))
    yield made
    made.drop()
    if TIMINGS:
        print(
            "\nUpgrade test timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in TIMINGS.items())
        )


# --- what is printed ----------------------------------------------------------------------


def report_commands(folder: Path, departments: list[str], today: str) -> list[dict]:
    """Every report the command line prints, as of each date; files are written to ``folder``
    (one per variant of the list, so the old and the new files are both kept)."""
    folder.mkdir(parents=True, exist_ok=True)
    commands = []

    def add(name: str, line: str, *more: str, file: str | None = None) -> None:
        """``flask LINE MORE…`` (MORE: the arguments with spaces); ``-o`` for a report file."""
        args = [*line.split(), *more]
        if file and args[0] == "report":
            args += ["-o", str(folder / file)]
        commands.append({"name": name, "args": args, "file": file})

    for day in (*DATES, today):
        add(f"summary {day}", f"report summary --as-of {day}")
        add(f"summary {day} Thành ủy", f"report summary --as-of {day} --issuer", "Thành ủy")
        table = f"report table --as-of {day}"
        for fmt in ("xlsx", "docx", "csv"):
            add(f"table {day} {fmt}", f"{table} --format {fmt}", file=f"table-{day}.{fmt}")
        code = "--with-code --report-number 1321/BC-UBND --report-date"
        add(f"table {day} with code", f"{table} {code} {day}", file=f"table-{day}-code.xlsx")
        unit = "--format docx --department TN&MT --issuer"
        add(f"table {day} TN&MT", f"{table} {unit}", "UBND tỉnh", file=f"table-{day}-unit.docx")
        stats = "report stats --from 2024-01-01 --to"
        for fmt in ("xlsx", "docx", "csv"):
            add(f"stats {day} {fmt}", f"{stats} {day} --format {fmt}", file=f"stats-{day}.{fmt}")
        add(f"stats 2024 {day}", f"{stats} 2024-12-31 --as-of {day}", file=f"stats-24-{day}.xlsx")
        key_tasks = f"report key-tasks --as-of {day}"
        for year in sorted({"2024", day[:4]}):
            add(f"key-tasks {day} {year}", f"{key_tasks} --year {year}")
        add(f"key-tasks {day} period", f"{key_tasks} --from 2024-07-01 --to 2025-06-30")
        for name in departments:
            add(f"digest {day} {name}", f"reminders preview --as-of {day} --department", name)
    add("users", "users list")
    add("units history", "units history")
    for name in departments:
        add(f"units history {name}", "units history", name)
    add("archive", "archive export", str(folder / "archive.zip"), file="archive.zip")
    add("edxml outbox", "edxml outbox")
    quarterly = "hằng quý, trước ngày 15 của tháng cuối quý"
    add("series", "series preview --from 2025-01-01 --count 8", quarterly)
    add("calendar", "calendar add-days 2025-04-25 10")
    return commands


# The report subcommands of the old tree, each printed above.
REPORTS_PRINTED = {"summary", "table", "stats", "key-tasks"}


def in_office(commands: list[dict], folder: Path, old_folder: Path) -> list[dict]:
    """The same commands with ``--office VP``, writing their files to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    moved = []
    for command in commands:
        args = [a.replace(str(old_folder), str(folder)) for a in command["args"]]
        moved.append(
            {**command, "name": f"{command['name']} --office", "args": [*args, "--office", OFFICE]}
        )
    return moved


def _xlsx(path: Path):
    workbook = load_workbook(path)
    return [
        (
            sheet.title,
            [list(row) for row in sheet.iter_rows(values_only=True)],
            sorted(str(merged) for merged in sheet.merged_cells.ranges),
        )
        for sheet in workbook.worksheets
    ]


def _docx(path: Path):
    """Each part's paragraphs (tables' cells included), in order."""
    namespace = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                root = etree.fromstring(archive.read(name))
                parts[name] = [
                    "".join(t.text or "" for t in p.iter(f"{namespace}t"))
                    for p in root.iter(f"{namespace}p")
                ]
    return parts


def _archive(path: Path):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members.pop("manifest.json"))
    manifest.pop("exported_at")
    return manifest, members


def file_content(path: Path):
    """What a reader sees in a file the product wrote (not its bytes: they carry times)."""
    readers = {".xlsx": _xlsx, ".docx": _docx, ".zip": _archive}
    if path.suffix in readers:
        return readers[path.suffix](path)
    return path.read_text(encoding="utf-8-sig")


def differences(old: dict, new: dict, commands: list[dict], old_dir: Path, new_dir: Path):
    found = []
    for command in commands:
        name = command["name"]
        before, after = old[name], new[name]
        for result in (before, after):
            if result["exit_code"] != 0 or result["exception"]:
                found.append(f"{name}: exit {result['exit_code']}\n{result['output']}")
                found.append(result["exception"] or "")
        if before["output"].replace(str(old_dir), "") != after["output"].replace(str(new_dir), ""):
            found.append(f"{name}: printed\n{before['output']}\n—— now ——\n{after['output']}")
        file = command["file"]
        if file:
            before_file, after_file = file_content(old_dir / file), file_content(new_dir / file)
            if before_file != after_file:
                found.append(f"{name}: {file}\n{_diff(before_file, after_file)}")
    return found


def _diff(old, new) -> str:
    """The first lines that differ, for the failure's message."""
    lines = difflib.unified_diff(
        pprint.pformat(old, width=100).splitlines(),
        pprint.pformat(new, width=100).splitlines(),
        lineterm="",
        n=1,
    )
    return "\n".join(list(lines)[2:30])


# --- the database as rows -----------------------------------------------------------------


def dump(installation: Installation) -> dict:
    """Every table's rows (sorted), and the schema as the database describes it."""
    engine = installation.engine()
    try:
        inspector = sa.inspect(engine)
        metadata = sa.MetaData()
        metadata.reflect(engine)
        rows, schema = {}, {}
        with engine.connect() as connection:
            for table in sorted(metadata.tables.values(), key=lambda t: t.name):
                rows[table.name] = sorted(
                    (repr(tuple(row)) for row in connection.execute(sa.select(table))),
                )
                schema[table.name] = {
                    "columns": [
                        (c["name"], str(c["type"]), c["nullable"], c.get("default"))
                        for c in inspector.get_columns(table.name)
                    ],
                    "primary key": inspector.get_pk_constraint(table.name)["constrained_columns"],
                    "foreign keys": sorted(
                        (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                        for fk in inspector.get_foreign_keys(table.name)
                    ),
                    "indexes": sorted(
                        (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                        for i in inspector.get_indexes(table.name)
                    ),
                    "unique": sorted(
                        (u["name"] or "", tuple(u["column_names"]))
                        for u in inspector.get_unique_constraints(table.name)
                    ),
                }
        return {"rows": rows, "schema": schema}
    finally:
        engine.dispose()


def revision(installation: Installation) -> str:
    engine = installation.engine()
    try:
        with engine.connect() as connection:
            return connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    finally:
        engine.dispose()


# --- the database the old code made, and the same upgraded --------------------------------


@dataclass
class Before:
    installation: Installation
    tree: Path
    today: str
    departments: list[str]
    commands: list[dict]
    printed: dict
    report_help: str
    settings: dict
    admins: set[str]
    open_tasks: int
    session_cookie: str
    snapshot: dict = field(repr=False)


@pytest.fixture(scope="session", params=BACKENDS)
def before(request, old_tree, databases) -> Before:
    """The old code's database: its migrations, its demo, more of its use, its reports."""
    from app.core.timeutil import local_today

    backend = request.param
    old = databases.new(backend, "old")
    (old.folder / "attachments").mkdir()
    today = local_today().isoformat()
    upgraded = old.flask(old_tree, "db", "upgrade")
    assert f"-> {OLD_HEAD}" in upgraded.stderr and OFFICES_REVISION not in upgraded.stderr
    old.flask(old_tree, "seed-demo")
    # The mails of a few scheduler ticks (reminders, the runs that decided them) and two
    # packages from the e-office: rows of tables whose unique keys become the office's.
    use = [
        {"name": now, "args": ["reminders", "send-due", "--now", now]}
        for now in ("2025-06-23 07:00", "2025-06-30 08:00", "2025-07-01 08:00")
    ]
    for number in ("1047", "1048"):
        package = old.folder / f"{number}.xml"
        package.write_bytes(build(Spec(number=number, notation="TB-UBND")))
        use.append({"name": number, "args": ["edxml", "receive", str(package)]})
    # Signed in on the old web application: the session goes on after the upgrade.
    use.append(
        {"name": "sign-in", "sign_in": {"username": "tnmt.truong", "password": DEMO_PASSWORD}}
    )
    used = old.commands(old_tree, use, "old-use")
    signed_in = used.pop("sign-in")
    assert signed_in["status"] == 302 and signed_in["cookie"], signed_in
    for name, done in used.items():
        assert done["exit_code"] == 0 and not done["exception"], (name, done)
    engine = old.engine()
    with engine.begin() as connection:
        for key, value in EXTRA_SETTINGS.items():
            connection.execute(
                sa.text("INSERT INTO settings (key, value) VALUES (:key, :value)"),
                {"key": key, "value": value},
            )
        connection.execute(
            sa.text(
                "INSERT INTO reminder_schedules (kind, cron, enabled, params, mandatory)"
                " VALUES ('digest', '30 7 * * 1', :yes, '{}', :yes)"
            ),
            {"yes": True},
        )
        departments = list(
            connection.scalars(sa.text("SELECT name FROM departments WHERE is_active ORDER BY id"))
        )
        settings = dict(connection.execute(sa.text("SELECT key, value FROM settings")).all())
        admins = set(connection.scalars(sa.text("SELECT username FROM users WHERE role='admin'")))
        open_tasks = connection.scalar(
            sa.select(sa.func.count())
            .select_from(sa.table("tasks", sa.column("state")))
            .where(sa.column("state").in_([str(state) for state in OPEN_STATES]))
        )
        counts = {
            table: connection.scalar(sa.text(f"SELECT count(*) FROM {table}"))
            for table in ("reminders", "scheduler_runs", "edxml_entries", "reminder_schedules")
        }
    engine.dispose()
    assert all(counts.values()), counts
    assert settings["governing_body"] and settings["office_name"]  # the demo saved them
    commands = report_commands(old.folder / "old", departments, today)
    printed = old.commands(
        old_tree, [*commands, {"name": "help", "args": ["report", "--help"]}], "old"
    )
    return Before(
        installation=old,
        tree=old_tree,
        today=today,
        departments=departments,
        commands=commands,
        printed=printed,
        report_help=printed.pop("help")["output"],
        settings=settings,
        admins=admins,
        open_tasks=open_tasks,
        session_cookie=signed_in["cookie"],
        snapshot=dump(old),
    )


@dataclass
class After:
    installation: Installation
    upgrade_output: str
    printed: dict
    printed_in_office: dict
    offices_list: str


@pytest.fixture(scope="session")
def after(before, databases) -> After:
    """A copy of the old database after this code's ``flask db upgrade``, nothing else, and
    the same reports printed by this code."""
    new = databases.new(before.installation.backend, "new", copy_of=before.installation)
    upgraded = new.flask(ROOT, "db", "upgrade")
    folder = before.installation.folder / "old"
    commands = [
        {**c, "args": [a.replace(str(folder), str(new.folder / "new")) for a in c["args"]]}
        for c in before.commands
    ]
    (new.folder / "new").mkdir()
    office_commands = in_office(before.commands, new.folder / "office", folder)
    listing = {"name": "offices", "args": ["offices", "list"]}
    printed = new.commands(ROOT, [*commands, *office_commands, listing], "new")
    return After(
        installation=new,
        upgrade_output=upgraded.stdout + upgraded.stderr,
        printed={c["name"]: printed[c["name"]] for c in commands},
        printed_in_office={c["name"]: printed[f"{c['name']} --office"] for c in before.commands},
        offices_list=printed["offices"]["output"],
    )


# --- the tests ----------------------------------------------------------------------------


def test_the_upgrade_is_the_one_command_and_reaches_the_head(before, after):
    from alembic.autogenerate import compare_metadata
    from alembic.config import Config
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from app.extensions import db

    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    head = ScriptDirectory.from_config(config).get_current_head()
    assert f"Running upgrade {OLD_HEAD} -> {OFFICES_REVISION}" in after.upgrade_output
    assert revision(after.installation) == head
    # The upgraded database's schema is the one the models describe, as a new one's is.
    app = make_app(normalize_database_url(after.installation.url))
    try:
        with app.app_context(), db.engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"compare_type": True, "render_as_batch": True}
            )
            assert compare_metadata(context, db.Model.metadata) == []
    finally:
        with app.app_context():
            db.engine.dispose()
    # The old code printed every report its command line has.
    names = set(re.findall(r"^  ([a-z][\w-]*)  ", before.report_help, re.M))
    assert names == REPORTS_PRINTED


def test_every_report_prints_the_same_after_the_upgrade(before, after):
    old_dir = before.installation.folder / "old"
    found = differences(
        before.printed, after.printed, before.commands, old_dir, after.installation.folder / "new"
    )
    assert not found, "\n\n".join(found)
    assert len(before.departments) >= 10  # each unit's digest and history compared too
    # The section of the seed's report as of 16/12/2024 is among them, word for word.
    section = after.printed["summary 2024-12-16"]["output"]
    assert "+ Phòng Tài nguyên và Môi trường: 07 nội dung" in section


def test_every_report_prints_the_same_in_the_office_the_upgrade_made(before, after):
    old_dir = before.installation.folder / "old"
    office_dir = after.installation.folder / "office"
    found = differences(
        before.printed, after.printed_in_office, before.commands, old_dir, office_dir
    )
    assert not found, "\n\n".join(found)


def test_one_office_holds_everything(before, after):
    (line,) = after.offices_list.strip().splitlines()
    code, name, _level, above, open_tasks = line.split("\t")
    assert (code, above) == (OFFICE, "-")
    # The office's own name and the body it serves ("Văn phòng HĐND và UBND", "UBND thành phố
    # Lạng Sơn"), the word they share written once.
    assert name == "Văn phòng HĐND và UBND thành phố Lạng Sơn"
    assert open_tasks == f"{before.open_tasks} nhiệm vụ đang mở"
    engine = after.installation.engine()
    try:
        with engine.connect() as connection:
            tables = sa.inspect(connection).get_table_names()
            for table in tables:
                columns = {c["name"] for c in sa.inspect(connection).get_columns(table)}
                if "office_id" in columns:
                    offices = connection.scalars(sa.text(f"SELECT DISTINCT office_id FROM {table}"))
                    assert set(offices) <= {1}, table
    finally:
        engine.dispose()


def test_the_settings_saved_before_are_the_office_settings(before, after):
    from app.core.settings import SETTING_NAMES, load_settings
    from app.extensions import db

    saved = {k: v for k, v in before.settings.items() if k in SETTING_NAMES}
    assert set(saved) == set(SETTING_NAMES) - {"two_factor_required"}
    app = make_app(normalize_database_url(after.installation.url))
    with app.app_context():
        try:
            settings = load_settings(db.session)
            assert {name: getattr(settings, name) for name in saved} == saved
            left = db.session.execute(sa.text("SELECT key FROM settings")).scalars().all()
            assert not set(left) & set(SETTING_NAMES)  # they moved, nothing is read twice
        finally:
            db.session.remove()
            db.engine.dispose()
    # The heading block of a report file names them, as the old code's file did.
    heading = after.installation.folder / "new" / f"table-{DATES[0]}.xlsx"
    cells = [str(v) for row in _xlsx(heading)[0][1][:4] for v in row if v]
    assert saved["governing_body"].upper() in cells and saved["office_name"].upper() in cells
    sentence = after.printed[f"key-tasks {DATES[0]} 2024"]["output"]
    assert f"giao {saved['key_task_body']} tổ chức" in sentence


def test_the_administrators_run_the_installation(before, after):
    engine = after.installation.engine()
    try:
        with engine.connect() as connection:
            rows = connection.execute(sa.text("SELECT username, installation_admin FROM users"))
            installation_admins = {name for name, flag in rows if flag}
    finally:
        engine.dispose()
    assert installation_admins == before.admins == {"admin"}


@contextlib.contextmanager
def web_app(installation: Installation):
    """This code's application on the upgraded database, with the old one's secret key (its
    session cookies). Requests are made outside an application context of the test's own:
    each has its own (``g`` holds the signed-in user of one request only)."""
    app = make_app(normalize_database_url(installation.url), SECRET_KEY="upgrade-test")
    try:
        yield app
    finally:
        with app.app_context():
            from app.extensions import db

            db.session.remove()
            db.engine.dispose()


def test_the_demo_users_sign_in_and_read(before, after):
    summary = before.printed["summary 2024-12-16"]["output"].strip().splitlines()
    table = before.installation.folder / "old" / "table-2024-12-16.csv"
    with web_app(after.installation) as app:
        for username in ("admin", "vanphong", "lanhdao", "tnmt.truong", "tnmt.cv"):
            client = app.test_client()
            signed_in = client.post(
                "/dang-nhap", data={"username": username, "password": DEMO_PASSWORD}
            )
            assert signed_in.status_code == 302, (username, signed_in.get_data(as_text=True))
            assert "/dang-nhap" not in signed_in.headers["Location"]
            tasks = client.get("/nhiem-vu")
            assert tasks.status_code == 200, username
            text = html.unescape(tasks.get_data(as_text=True))
            assert "Rà soát hiện trạng sử dụng các cơ sở nhà, đất" in text
            if username.startswith("tnmt."):
                continue  # a unit's people read no reports (READERS)
            page = client.get("/bao-cao?as_of=2024-12-16")
            assert page.status_code == 200, username
            text = html.unescape(page.get_data(as_text=True))
            for line in summary:
                assert line.lstrip("-+ ") in text, (username, line)
            download = client.get("/bao-cao/bieu-chi-tiet.csv?as_of=2024-12-16")
            assert download.status_code == 200
            rows = csv.reader(io.StringIO(download.get_data(as_text=True).lstrip("\ufeff")))
            assert list(rows) == list(csv.reader(io.StringIO(file_content(table))))


def test_a_user_signed_in_before_the_upgrade_is_still_signed_in(before, after):
    """The session of the old web application (its cookie, its row) goes on: nobody signs in
    again because of the upgrade."""
    with web_app(after.installation) as app:
        assert app.test_client().get("/nhiem-vu").status_code == 302  # the sign-in page
        client = app.test_client()
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], before.session_cookie)
        page = client.get("/nhiem-vu")
        assert page.status_code == 200
        assert "Phòng Tài nguyên và Môi trường" in html.unescape(page.get_data(as_text=True))


def test_a_downgrade_restores_every_row_and_the_upgrade_runs_again(before, databases):
    """``flask db downgrade`` to the single-office head gives back the old database row for
    row; the upgrade then goes through again, and the upgraded installation takes a second
    office. (The head is named rather than ``-1``, which it is today, so that a migration
    added after the offices one is undone too.)"""
    trip = databases.new(before.installation.backend, "trip", copy_of=before.installation)
    trip.flask(ROOT, "db", "upgrade")
    upgraded = dump(trip)
    trip.flask(ROOT, "db", "downgrade", OLD_HEAD)
    assert revision(trip) == OLD_HEAD
    back = dump(trip)
    assert back["schema"] == before.snapshot["schema"]
    changed = {
        table: (
            sorted(set(rows) - set(back["rows"][table])),
            sorted(set(back["rows"][table]) - set(rows)),
        )
        for table, rows in before.snapshot["rows"].items()
        if rows != back["rows"].get(table)
    }
    assert changed == {}
    trip.flask(ROOT, "db", "upgrade")
    again = dump(trip)
    assert again["schema"] == upgraded["schema"]
    offices = "offices"
    assert len(again["rows"][offices]) == 1
    assert {t: r for t, r in again["rows"].items() if t != offices} == {
        t: r for t, r in upgraded["rows"].items() if t != offices
    }
    # The installation goes on: a second office (its id after the one the upgrade inserted),
    # and then the single-office schema cannot hold it.
    trip.flask(ROOT, "offices", "create", "XA", "UBND xã Thử", "--level", "commune")
    engine = trip.engine()
    with engine.connect() as connection:
        offices = connection.execute(sa.text("SELECT id, code FROM offices ORDER BY id")).all()
    engine.dispose()
    assert [tuple(row) for row in offices] == [(1, OFFICE), (2, "XA")]
    refused = trip.flask(ROOT, "db", "downgrade", OLD_HEAD, check=False)
    assert refused.returncode != 0 and "several offices" in refused.stderr
    assert revision(trip) != OLD_HEAD
