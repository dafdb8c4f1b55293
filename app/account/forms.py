"""The account page's forms: the deputy for reminder mails, and two-factor sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField
from wtforms.validators import DataRequired, InputRequired

from app.auth.forms import code_field
from app.web.forms import AppForm, DateField

REQUIRED = _l("Thông tin này là bắt buộc.")


class DeputyForm(AppForm):
    """A unit head's deputy for the unit's digests while they are away; the page fills the
    choices with the people of the unit and checks the one posted is among them."""

    deputy = SelectField(_l("Người nhận thay"), coerce=int, validate_choice=False)
    starts_on = DateField(_l("Vắng mặt từ ngày"), validators=[InputRequired(REQUIRED)])
    ends_on = DateField(_l("Đến hết ngày"), validators=[InputRequired(REQUIRED)])


class EnrolForm(AppForm):
    code = code_field(_l("Mã 6 chữ số trong ứng dụng"))


class NewCodesForm(AppForm):
    code = code_field(_l("Mã 6 chữ số trong ứng dụng"))


class SwitchOffForm(AppForm):
    password = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))]
    )
    code = code_field(_l("Mã trong ứng dụng hoặc mã dự phòng"))
