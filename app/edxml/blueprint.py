"""The e-office documents blueprint: the queue "Văn bản đến chờ xử lý" and its entries."""

from flask import Blueprint

bp = Blueprint("edxml", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("views",)
