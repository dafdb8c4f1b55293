"""The tasks blueprint, one module per page or kind of action (imported to register them)."""

from app.tasks import actions, edit, lists, page  # noqa: F401  (routes register on import)
from app.tasks.blueprint import bp

__all__ = ["bp"]
