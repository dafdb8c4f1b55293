"""The the user's own page blueprint."""

from flask import Blueprint

bp = Blueprint("account", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "security_page", "reminders_page", "two_factor_page")
