"""The offices blueprint: the tasks the office above gives (intake, take-in) and the split of
a task taken in among the office's units."""

from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from app.core.permissions import is_office
from app.core.settings import current_office
from app.extensions import db

bp = Blueprint("offices", __name__)
# The modules whose routes are on ``bp``; the application factory imports them.
VIEWS = ("pages",)


@bp.app_context_processor
def upper_intake_count():
    """``upper_intake()`` for the menu (called once a page): for an office user of an office
    with an office above, how many tasks given to it wait to be taken in (None elsewhere: no
    menu entry)."""

    def upper_intake() -> int | None:
        if not current_user.is_authenticated or not is_office(current_user):
            return None
        from app.offices.upper_tasks import count_intake, office_above

        office = current_office(db.session)
        if office_above(db.session, office) is None:
            return None
        return count_intake(db.session, office)

    return {"upper_intake": upper_intake}
