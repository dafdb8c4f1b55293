"""JSON API under /api/v1, authenticated by personal API tokens (Authorization: Bearer …)."""

from app.api.routes import bp

__all__ = ["bp"]
