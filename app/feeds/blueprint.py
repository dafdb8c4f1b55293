"""The calendar feeds blueprint."""

from flask import Blueprint

bp = Blueprint("feeds", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
