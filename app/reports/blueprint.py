"""The reports blueprint."""

from flask import Blueprint

bp = Blueprint("reports", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views", "statistics_page", "province_page")
