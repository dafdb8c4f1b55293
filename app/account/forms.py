"""The account page's forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import InputRequired

from app.web.forms import AppForm, DateField

REQUIRED = _l("Thông tin này là bắt buộc.")


class DeputyForm(AppForm):
    """A unit head's deputy for the unit's digests while they are away; the page fills the
    choices with the people of the unit and checks the one posted is among them."""

    deputy = SelectField(_l("Người nhận thay"), coerce=int, validate_choice=False)
    starts_on = DateField(_l("Vắng mặt từ ngày"), validators=[InputRequired(REQUIRED)])
    ends_on = DateField(_l("Đến hết ngày"), validators=[InputRequired(REQUIRED)])
