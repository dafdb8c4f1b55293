"""What the account page's "Thư nhắc việc" section shows: the reminder kinds of the user's
role with their choice, and, for a unit's head, the deputy who receives the unit's digests
while they are away."""

from __future__ import annotations

from flask_babel import gettext as _

from app.account.forms import DeputyForm
from app.core.timeutil import local_today
from app.extensions import db
from app.models import User
from app.reminders.deputies import MAX_DAYS, candidates, deputy_of, may_name_deputy
from app.reminders.preferences import choices
from app.web.forms import options


def deputy_form(user: User, posted: DeputyForm | None = None) -> DeputyForm:
    """The deputy form, its choices the people of ``user``'s unit (``posted``: as posted)."""
    form = posted or DeputyForm(formdata=None)
    if posted is None:
        row = deputy_of(db.session, user)
        if row is not None:
            form.deputy.data, form.starts_on.data, form.ends_on.data = (
                row.deputy_id,
                row.starts_on,
                row.ends_on,
            )
    people = candidates(db.session, user)
    form.deputy.choices = options(
        [(0, _("— Chọn người nhận thay —")), *((u.id, u.full_name) for u in people)]
    )
    return form


def reminder_context(user: User, posted: DeputyForm | None = None) -> dict:
    heads = may_name_deputy(user)
    return {
        "reminder_choices": choices(db.session, user),
        "deputy_form": deputy_form(user, posted) if heads else None,
        "deputy": deputy_of(db.session, user) if heads else None,
        "deputy_max_days": MAX_DAYS,
        "today": local_today(),
    }
