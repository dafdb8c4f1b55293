from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.validators import DataRequired, InputRequired, Optional

from app.web.forms import AppForm, DateField, TextAreaField

REQUIRED = _l("Thông tin này là bắt buộc.")


class TakeInForm(AppForm):
    lead = SelectField(_l("Đơn vị chủ trì"), coerce=int, validators=[InputRequired(REQUIRED)])


class SubTaskForm(AppForm):
    content = TextAreaField(_l("Nội dung phần việc"), validators=[DataRequired(REQUIRED)])
    lead = SelectField(_l("Đơn vị thực hiện"), coerce=int, validators=[InputRequired(REQUIRED)])
    deadline = DateField(_l("Thời hạn"), validators=[Optional()])
