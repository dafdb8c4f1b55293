"""The key task groups blueprint."""

from flask import Blueprint

bp = Blueprint("keytasks", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "evaluate_page", "rules_page", "section_page")
