"""The administration blueprint."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/quan-tri")
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "organisation", "organisation_undo", "two_factor", "offices", "office_end")
