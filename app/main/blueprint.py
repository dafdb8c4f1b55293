"""The health check blueprint."""

from flask import Blueprint

bp = Blueprint("main", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
