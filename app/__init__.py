"""Directive follow-up tracker: the application factory."""

from __future__ import annotations

import sqlite3
from importlib import import_module
from pathlib import Path

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import INSTANCE_PATH, load_config
from app.core.private import make_private
from app.extensions import db, migrate

# The feature packages with pages: each has ``blueprint.py`` (``bp`` and ``VIEWS``, the modules
# whose routes are on it), registered in this order.
FEATURES = (
    "main",
    "auth",
    "dashboard",
    "tasks",
    "recurring",
    "documents",
    "admin",
    "reminders",
    "reports",
    "keytasks",
    "api",
    "account",
    "feeds",
    "edxml",
    "offices",
)


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL journal, enforced foreign keys and a busy timeout for every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={_lock_timeout_ms()}")
        for _, name, filename in cursor.execute("PRAGMA database_list").fetchall():
            if name == "main" and filename:
                make_private(Path(filename))  # SQLite gives its -wal and -shm files its mode
        cursor.close()


def _lock_timeout_ms() -> int:
    """How long a write waits for another writer before the user is asked to try again."""
    from flask import current_app, has_app_context

    if has_app_context():
        return int(current_app.config.get("DB_LOCK_TIMEOUT_MS") or 10_000)
    return 10_000


def _web_timeouts(session, _transaction, connection) -> None:
    """On PostgreSQL, a transaction of a web request waits at most DB_LOCK_TIMEOUT_MS for a
    lock and runs at most DB_STATEMENT_TIMEOUT_MS per statement, both below the web worker's
    timeout, so the user gets the "try again" page instead of a killed worker. Commands and the
    scheduler (no request) are not limited."""
    from flask import current_app, has_request_context

    if not has_request_context() or connection.dialect.name != "postgresql":
        return
    config = current_app.config
    lock = int(config.get("DB_LOCK_TIMEOUT_MS") or 10_000)
    statement = int(config.get("DB_STATEMENT_TIMEOUT_MS") or 30_000)
    connection.exec_driver_sql(
        f"SET LOCAL lock_timeout = {lock}; SET LOCAL statement_timeout = {statement}"
    )


def create_app(config: dict | None = None) -> Flask:
    from app.web.idempotency import App  # Flask, with each write's one-time key honoured

    app = App(
        __name__,
        instance_path=str(INSTANCE_PATH),
        instance_relative_config=True,
        template_folder=str(INSTANCE_PATH.parent / "templates"),
    )
    load_config(app, config)
    make_private(Path(app.instance_path))  # the database, the secret key, the attachments
    from app.web.inputs import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added

    db.init_app(app)
    with app.app_context():
        session_class = db.session.registry().__class__
    if not event.contains(session_class, "after_begin", _web_timeouts):
        event.listen(session_class, "after_begin", _web_timeouts)
    migrate.init_app(app, db, directory=str(INSTANCE_PATH.parent / "migrations"))

    from app import models  # noqa: F401  (register the tables with the metadata)
    from app.cli import register_commands
    from app.ops.memory import init_memory
    from app.web.compression import init_compression
    from app.web.wiring import init_web

    init_web(app)
    init_compression(app)
    init_memory(app)
    for feature in FEATURES:
        blueprint = import_module(f"app.{feature}.blueprint")
        for views in blueprint.VIEWS:
            import_module(f"app.{feature}.{views}")  # its routes register on the blueprint
        app.register_blueprint(blueprint.bp)
    register_commands(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    return app
