"""The dashboard blueprint."""

from flask import Blueprint

bp = Blueprint("dashboard", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
