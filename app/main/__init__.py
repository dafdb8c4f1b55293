"""Service endpoints."""

from flask import Blueprint
from sqlalchemy import select

from app.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/healthz")
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}
