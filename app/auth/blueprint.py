"""The sign-in blueprint."""

from flask import Blueprint

bp = Blueprint("auth", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "password_pages", "second_step", "oidc_pages")
