"""The reminder e-mails blueprint (the admin's pages, unsubscribe links)."""

from flask import Blueprint

bp = Blueprint("reminders", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
