"""The tasks blueprint, one module per page or kind of action (imported to register them)."""

from app.tasks import actions, edit, lists, page, series_page  # noqa: F401  (routes register)
from app.tasks.blueprint import bp

__all__ = ["bp"]
