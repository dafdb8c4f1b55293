"""Extension objects, created without an app; the factory binds them with ``init_app``."""

import click
from flask_babel import Babel
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class LazyMigrate:
    """Flask-Migrate, with Alembic under it (about 11 MB), bound when first used.

    A web worker never migrates: it only gets a stand-in under ``app.extensions["migrate"]``
    that binds the real extension on first attribute access (``flask_migrate.upgrade()`` in the
    tests, the start-up check of pending migrations). The command line binds it at once, so that
    ``flask db …`` is listed."""

    def __init__(self, **options) -> None:
        self.options = options

    def init_app(self, app, db, directory: str) -> None:
        if click.get_current_context(silent=True) is not None:
            self.bind(app, db, directory)
        else:
            app.extensions["migrate"] = _UnboundMigrate(self, app, db, directory)

    def bind(self, app, db, directory: str):
        from flask_migrate import Migrate

        Migrate(app, db, directory=directory, **self.options)
        return app.extensions["migrate"]


class _UnboundMigrate:
    def __init__(self, owner: LazyMigrate, app, db, directory: str) -> None:
        self._args = (owner, app, db, directory)

    def __getattr__(self, name: str):
        if name.startswith("__"):
            raise AttributeError(name)
        owner, app, db, directory = self._args
        return getattr(owner.bind(app, db, directory), name)


db = SQLAlchemy(model_class=Base)
migrate = LazyMigrate(render_as_batch=True, compare_type=True)

login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
