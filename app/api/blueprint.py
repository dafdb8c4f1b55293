"""The JSON API blueprint, under /api/v1."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("routes",)
