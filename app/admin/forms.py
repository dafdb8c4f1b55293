from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    IntegerField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from app.models.edxml import ORGAN_ID, ORGAN_ID_MAX
from app.models.offices import LEVEL_LABELS
from app.models.people import ROLE_LABELS
from app.web.forms import AppForm, DateField, TextAreaField, options

REQUIRED = _l("Thông tin này là bắt buộc.")


def _organ_id(_form, field) -> None:
    field.data = (field.data or "").strip()
    if field.data and not ORGAN_ID.match(field.data):
        raise ValidationError(
            _l(
                "Mã định danh gồm các nhóm chữ số và chữ in hoa cách nhau bởi dấu chấm, "
                "ví dụ 000.00.00.H37."
            )
        )


def organ_id_field() -> StringField:
    return StringField(
        _l("Mã định danh"),
        validators=[Optional(), Length(max=ORGAN_ID_MAX), _organ_id],
        description=_l("Mã định danh điện tử của cơ quan (văn bản điện tử edXML), nếu có."),
    )


class UserForm(AppForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(REQUIRED), Length(max=64)])
    full_name = StringField(_l("Họ và tên"), validators=[DataRequired(REQUIRED), Length(max=255)])
    email = StringField(_l("Email"), validators=[Optional(), Email(_l("Email không hợp lệ."))])
    role = SelectField(
        _l("Vai trò"), choices=options((r.value, label) for r, label in ROLE_LABELS.items())
    )
    department = SelectField(_l("Đơn vị"), coerce=int, validators=[Optional()])
    is_active = BooleanField(_l("Đang hoạt động"), default=True)
    invite = BooleanField(
        _l("Gửi thư mời: người dùng tự đặt mật khẩu qua liên kết trong e-mail (dùng trong 3 ngày)"),
        default=True,
    )
    password = PasswordField(
        _l("Hoặc đặt mật khẩu mới tại đây"),
        validators=[Optional(), Length(max=200)],
        render_kw={"autocomplete": "new-password"},
    )


class DepartmentForm(AppForm):
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(REQUIRED), Length(max=255)])
    short_name = StringField(_l("Tên viết tắt"), validators=[Optional(), Length(max=64)])
    display_order = IntegerField(
        _l("Thứ tự hiển thị"), validators=[InputRequired(REQUIRED), NumberRange(-99999, 99999)]
    )
    email = StringField(_l("Email"), validators=[Optional(), Email(_l("Email không hợp lệ."))])
    organ_id = organ_id_field()
    is_active = BooleanField(_l("Đang hoạt động"), default=True)


class IssuerForm(AppForm):
    name = StringField(_l("Tên cơ quan"), validators=[DataRequired(REQUIRED), Length(max=255)])
    short_name = StringField(_l("Tên viết tắt"), validators=[Optional(), Length(max=64)])
    display_order = IntegerField(
        _l("Thứ tự hiển thị"), default=0, validators=[Optional(), NumberRange(-99999, 99999)]
    )
    organ_id = organ_id_field()


class CalendarDayForm(AppForm):
    day = DateField(_l("Ngày"), validators=[InputRequired(REQUIRED)])
    is_working_day = SelectField(
        _l("Loại ngày"),
        choices=options(
            [("0", _l("Ngày nghỉ (nghỉ bù, hoán đổi)")), ("1", _l("Ngày làm việc (làm bù)"))]
        ),
    )
    note = StringField(_l("Ghi chú"), validators=[Optional(), Length(max=255)])


class SettingsForm(AppForm):
    governing_body = StringField(
        _l("Cơ quan chủ quản (in ở đầu văn bản, ví dụ: UBND thành phố Lạng Sơn)"),
        validators=[Optional(), Length(max=255)],
    )
    office_name = StringField(
        _l("Tên cơ quan mình (ví dụ: Văn phòng HĐND và UBND)"),
        validators=[Optional(), Length(max=255)],
    )
    requests_by = SelectField(
        _l("Ai được đề nghị hoàn thành, gia hạn"),
        choices=options(
            [
                ("head", _l("Chỉ trưởng đơn vị chủ trì")),
                ("department", _l("Mọi người của đơn vị chủ trì")),
            ]
        ),
        default="head",
    )
    key_task_body = StringField(
        _l("Cơ quan được giao nhiệm vụ trọng tâm (trong báo cáo, ví dụ: UBND thành phố)"),
        validators=[Optional(), Length(max=255)],
    )
    two_factor_required = BooleanField(
        _l("Bắt buộc xác thực hai bước cho quản trị và văn phòng"),
        description=_l(
            "Tài khoản Quản trị hệ thống và Chuyên viên Văn phòng chưa bật xác thực hai bước "
            "phải bật ngay sau khi đăng nhập, trước khi làm việc khác. Token API không bị ảnh "
            "hưởng."
        ),
    )


def _effective_on():
    return DateField(_l("Ngày có hiệu lực"), validators=[InputRequired(REQUIRED)])


def _decision():
    return StringField(
        _l("Căn cứ (số, ngày quyết định)"), validators=[Optional(), Length(max=2000)]
    )


class RenameForm(AppForm):
    unit = SelectField(_l("Đơn vị"), coerce=int, validators=[InputRequired(REQUIRED)])
    new_name = StringField(_l("Tên mới"), validators=[DataRequired(REQUIRED), Length(max=255)])
    effective_on = _effective_on()
    decision = _decision()


class MergeForm(AppForm):
    units = SelectMultipleField(
        _l("Các đơn vị hợp nhất"), coerce=int, validators=[DataRequired(REQUIRED)]
    )
    into = SelectField(_l("Vào đơn vị"), coerce=int, validators=[Optional()])
    new_name = StringField(
        _l("Hoặc tên đơn vị mới được thành lập"), validators=[Optional(), Length(max=255)]
    )
    # chosen on the preview, among the merging units' people
    head = SelectField(
        _l("Trưởng đơn vị sau hợp nhất"), coerce=int, default=0, validators=[Optional()]
    )
    effective_on = _effective_on()
    decision = _decision()


class SplitForm(AppForm):
    unit = SelectField(_l("Đơn vị chia tách"), coerce=int, validators=[InputRequired(REQUIRED)])
    new_names = TextAreaField(
        _l("Các đơn vị mới (mỗi dòng một tên)"), validators=[DataRequired(REQUIRED)]
    )
    effective_on = _effective_on()
    decision = _decision()


class DissolveForm(AppForm):
    unit = SelectField(_l("Đơn vị giải thể"), coerce=int, validators=[InputRequired(REQUIRED)])
    effective_on = _effective_on()
    decision = _decision()


class OfficeForm(AppForm):
    code = StringField(
        _l("Mã cơ quan"),
        validators=[DataRequired(REQUIRED), Length(max=32)],
        description=_l("Chữ không dấu, chữ số, dấu chấm, gạch; dùng với --office của lệnh."),
    )
    name = StringField(_l("Tên cơ quan"), validators=[DataRequired(REQUIRED), Length(max=255)])
    level = SelectField(
        _l("Cấp"), choices=options((level.value, label) for level, label in LEVEL_LABELS.items())
    )
    parent = SelectField(_l("Cơ quan cấp trên"), coerce=int, validators=[Optional()])
    parent_unit = SelectField(
        _l("Đơn vị đại diện ở cấp trên"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "Đơn vị của cơ quan cấp trên mà nhiệm vụ giao cho nó chuyển đến cơ quan này."
        ),
    )
    admin_username = StringField(
        _l("Tên đăng nhập của người quản trị"), validators=[DataRequired(REQUIRED), Length(max=64)]
    )
    admin_full_name = StringField(
        _l("Họ và tên người quản trị"), validators=[DataRequired(REQUIRED), Length(max=255)]
    )
    admin_email = StringField(
        _l("E-mail người quản trị (nhận thư mời đặt mật khẩu)"),
        validators=[DataRequired(REQUIRED), Email(_l("Email không hợp lệ.")), Length(max=255)],
    )


class OfficeEditForm(AppForm):
    name = StringField(_l("Tên cơ quan"), validators=[DataRequired(REQUIRED), Length(max=255)])
    level = SelectField(
        _l("Cấp"), choices=options((level.value, label) for level, label in LEVEL_LABELS.items())
    )


class OfficeEndForm(AppForm):
    """An office ends (Quản trị → Kết thúc cơ quan, installation administrators only)."""

    office = SelectField(_l("Cơ quan kết thúc"), coerce=int, validators=[InputRequired(REQUIRED)])
    effective_on = DateField(
        _l("Ngày kết thúc (ngày đầu tiên cơ quan không còn)"), validators=[InputRequired(REQUIRED)]
    )
    decision = _decision()
