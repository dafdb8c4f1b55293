"""The forms of key task groups, evaluations, and the admin's grades and rules."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from wtforms import (
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import TextInput

from app.models.documents import task_id_from_code
from app.web.forms import AppForm, AppSubForm, DateField, TextAreaField

REQUIRED = _l("Thông tin này là bắt buộc.")
MAX_CODES = 2000


class GroupForm(AppForm):
    name = StringField(
        _l("Tên nhóm nhiệm vụ"), validators=[DataRequired(REQUIRED), Length(max=255)]
    )
    issuer_id = SelectField(_l("Cơ quan giao"), coerce=int, validate_choice=True)
    period_from = DateField(_l("Từ ngày"), validators=[InputRequired(REQUIRED)])
    period_to = DateField(_l("Đến ngày"), validators=[InputRequired(REQUIRED)])
    given_on = DateField(_l("Ngày giao (để trống: ngày đầu kỳ)"), validators=[Optional()])
    display_order = IntegerField(
        _l("Thứ tự trong báo cáo"), default=0, validators=[Optional(), NumberRange(0, 10_000)]
    )
    task_codes = TextAreaField(
        _l("Mã các nhiệm vụ trong nhóm"),
        description=_l(
            "Mỗi mã cách nhau bởi dấu phẩy, khoảng trắng hoặc xuống dòng, ví dụ NV-00012."
        ),
    )
    note = TextAreaField(_l("Ghi chú"), validators=[Length(max=5000)])

    def task_ids(self) -> list[int] | None:
        """The task ids typed, or None (with the field's error) when a code is not one."""
        words = [w for w in re.split(r"[\s,;]+", self.task_codes.data or "") if w]
        if len(words) > MAX_CODES:
            self.task_codes.errors = [_l("Một nhóm có nhiều nhất %(n)s nhiệm vụ.", n=MAX_CODES)]
            return None
        ids = []
        for word in words:
            task_id = task_id_from_code(word)
            if task_id is None:
                self.task_codes.errors = [_l("“%(code)s” không phải mã nhiệm vụ.", code=word[:20])]
                return None
            ids.append(task_id)
        return ids


class EvaluationForm(AppForm):
    grade = SelectField(_l("Mức đánh giá"), validate_choice=True)
    effective_on = DateField(_l("Ngày đánh giá"), validators=[InputRequired(REQUIRED)])
    decided_by = StringField(
        _l("Người, cơ quan quyết định"), validators=[Optional(), Length(max=255)]
    )
    note = TextAreaField(_l("Nhận xét"), validators=[Length(max=5000)])
    reason = TextAreaField(
        _l("Lý do đánh giá lại (khi đã có đánh giá)"), validators=[Length(max=5000)]
    )


class GradesForm(AppForm):
    grades = TextAreaField(
        _l("Các mức đánh giá"),
        description=_l("Mỗi dòng một mức, từ cao đến thấp; mức cuối cùng là mức không đạt."),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
    )


class ShareField(DecimalField):
    """A share in per cent written as Vietnamese writes it ("75,5"; "75.5" also read): a text
    input, since a browser's number input refuses the decimal comma and would show nothing."""

    widget = TextInput()

    def _value(self):
        return super()._value().replace(".", ",")

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])


def _share(label):
    return ShareField(
        label,
        places=1,
        validators=[Optional(), NumberRange(0, 100, _l("Từ 0 đến 100."))],
        render_kw={"inputmode": "decimal", "maxlength": 6},
    )


class RuleRow(AppSubForm):
    grade = HiddenField()
    min_on_time = _share(_l("Đúng hạn ít nhất (%)"))
    max_done_late = _share(_l("Hoàn thành quá hạn nhiều nhất (%)"))
    max_overdue = _share(_l("Quá hạn nhiều nhất (%)"))
    min_update = _share(_l("Cập nhật tiến độ ít nhất (%)"))


class RulesForm(AppForm):
    rows = FieldList(FormField(RuleRow), min_entries=0, max_entries=10)
