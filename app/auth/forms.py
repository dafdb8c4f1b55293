"""The forms that set a password, and the "forgot password" form."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from app.web.forms import AppForm


def _new_password():
    return PasswordField(
        _l("Mật khẩu mới"),
        validators=[DataRequired(_l("Nhập mật khẩu mới.")), Length(max=200)],
        description=_l(
            "Ít nhất 8 ký tự; dễ nhớ mà khó đoán nhất là một câu gồm vài từ ít gặp, có thể có "
            "dấu và dấu cách. Không dùng tên, ngày sinh, tên cơ quan."
        ),
    )


def _again():
    return PasswordField(
        _l("Nhập lại mật khẩu mới"),
        validators=[
            DataRequired(_l("Nhập lại mật khẩu mới.")),
            EqualTo("password", _l("Hai lần nhập mật khẩu không giống nhau.")),
        ],
    )


class ForgotForm(AppForm):
    name = StringField(
        _l("Tên đăng nhập hoặc e-mail"),
        validators=[DataRequired(_l("Nhập tên đăng nhập hoặc e-mail.")), Length(max=255)],
    )


class NewPasswordForm(AppForm):
    password = _new_password()
    again = _again()


class ChangePasswordForm(AppForm):
    current = PasswordField(
        _l("Mật khẩu hiện tại"), validators=[DataRequired(_l("Nhập mật khẩu hiện tại."))]
    )
    password = _new_password()
    again = _again()


def code_field(label=None):
    """A code from the authenticator app (or a recovery code, where one is accepted)."""
    return StringField(
        label or _l("Mã xác thực"),
        validators=[DataRequired(_l("Nhập mã xác thực.")), Length(max=32)],
        render_kw={"autocomplete": "one-time-code", "spellcheck": "false"},
    )


class SecondStepForm(AppForm):
    code = code_field()
