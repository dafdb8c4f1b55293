"""The documents blueprint."""

from flask import Blueprint

bp = Blueprint("documents", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "import_page", "drafting_page")
