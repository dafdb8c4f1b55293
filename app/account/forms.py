"""The forms of the user's own two-factor sign-in."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.auth.forms import code_field
from app.web.forms import AppForm


class EnrolForm(AppForm):
    code = code_field(_l("Mã 6 chữ số trong ứng dụng"))


class NewCodesForm(AppForm):
    code = code_field(_l("Mã 6 chữ số trong ứng dụng"))


class SwitchOffForm(AppForm):
    password = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))]
    )
    code = code_field(_l("Mã trong ứng dụng hoặc mã dự phòng"))
