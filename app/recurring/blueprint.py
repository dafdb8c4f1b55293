"""The recurring duties blueprint."""

from flask import Blueprint

bp = Blueprint("recurring", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
