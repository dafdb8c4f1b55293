"""Directive follow-up tracker: the application factory."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import event
from sqlalchemy.engine import Engine

from app.config import INSTANCE_PATH, load_config
from app.extensions import db, migrate


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    """WAL journal, enforced foreign keys and a busy timeout for every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_PATH),
        instance_relative_config=True,
        template_folder=str(INSTANCE_PATH.parent / "templates"),
    )
    load_config(app, config)
    from app.inputs import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added

    db.init_app(app)
    migrate.init_app(app, db, directory=str(INSTANCE_PATH.parent / "migrations"))

    from app import models  # noqa: F401  (register the tables with the metadata)
    from app.account import bp as account_bp
    from app.admin import bp as admin_bp
    from app.api import bp as api_bp
    from app.auth import bp as auth_bp
    from app.cli import register_commands
    from app.dashboard import bp as dashboard_bp
    from app.documents import bp as documents_bp
    from app.feeds import bp as feeds_bp
    from app.main import bp as main_bp
    from app.reminders.views import bp as reminders_bp
    from app.reports.views import bp as reports_bp
    from app.tasks.views import bp as tasks_bp
    from app.web import init_web

    init_web(app)
    for blueprint in (
        main_bp,
        auth_bp,
        dashboard_bp,
        tasks_bp,
        documents_bp,
        admin_bp,
        reminders_bp,
        reports_bp,
        api_bp,
        account_bp,
        feeds_bp,
    ):
        app.register_blueprint(blueprint)
    register_commands(app)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies, x_port=proxies
        )
    return app
