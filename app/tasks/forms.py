from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional

from app.core.deadlines import MAX_WORKING_DAYS
from app.web.forms import AppForm, DateField, TextAreaField, options

REQUIRED = _l("Thông tin này là bắt buộc.")


class VersionedForm(AppForm):
    """Carries the version of the task the user was looking at (optimistic locking)."""

    version = HiddenField()
    last_event = HiddenField()


class ProgressForm(VersionedForm):
    content = TextAreaField(_l("Nội dung báo cáo"), validators=[DataRequired(REQUIRED)])
    files = MultipleFileField(_l("Tệp đính kèm (PDF, Word, Excel, ảnh)"))


class CompletionRequestForm(VersionedForm):
    comment = TextAreaField(_l("Kết quả thực hiện"), validators=[Optional()])


class ExtensionRequestForm(VersionedForm):
    new_deadline = DateField(_l("Thời hạn đề nghị"), validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Lý do gia hạn"), validators=[DataRequired(REQUIRED)])


class ConfirmForm(VersionedForm):
    done_on = DateField(_l("Ngày hoàn thành"), validators=[InputRequired(REQUIRED)])


class ReasonForm(VersionedForm):
    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(REQUIRED)])


# The task page has several forms asking a reason: each names its own, so the summary of a
# refused one says which ("Lý do hủy: Thông tin này là bắt buộc.").
class SendBackForm(ReasonForm):
    reason = TextAreaField(_l("Lý do trả lại"), validators=[DataRequired(REQUIRED)])


class CancelForm(ReasonForm):
    reason = TextAreaField(_l("Lý do hủy"), validators=[DataRequired(REQUIRED)])


class DecisionForm(AppForm):
    note = TextAreaField(_l("Ý kiến (bắt buộc khi từ chối)"), validators=[Optional()])
    # Shown with the date asked; the office may grant another (on approval only).
    deadline = DateField(_l("Gia hạn đến (khi phê duyệt)"), validators=[Optional()])
    decision = HiddenField(_l("Quyết định"), validators=[DataRequired(REQUIRED)])


class TaskEditForm(VersionedForm):
    content = TextAreaField(_l("Nội dung nhiệm vụ"), validators=[DataRequired(REQUIRED)])
    lead = SelectField(_l("Đơn vị chủ trì"), coerce=int, validators=[InputRequired(REQUIRED)])
    cooperators = SelectMultipleField(_l("Đơn vị phối hợp"), coerce=int, validators=[Optional()])
    deadline_kind = RadioField(
        _l("Thời hạn"),
        choices=options(
            [
                ("date", _l("Ngày cụ thể")),
                ("working_days", _l("Số ngày làm việc")),
                ("none", _l("Thường xuyên")),
            ]
        ),
        default="date",
    )
    deadline = DateField(_l("Ngày"), validators=[Optional()])
    working_days = IntegerField(
        _l("Số ngày làm việc"), validators=[Optional(), NumberRange(1, MAX_WORKING_DAYS)]
    )
    note = StringField(_l("Ghi chú"), validators=[Optional()])
