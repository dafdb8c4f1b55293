from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.core.deadlines import MAX_WORKING_DAYS
from app.web.forms import AppForm, AppSubForm, DateField, TextAreaField, options

REQUIRED = _l("Thông tin này là bắt buộc.")


def _digits_only(value) -> str:
    """A row's task id as posted: digits, or nothing (a forged value is a new row)."""
    text = "" if value is None else str(value)
    return text if text.isascii() and text.isdigit() and len(text) <= 10 else ""


def _chosen_id(value) -> int | None:
    """A select's id, or None for its "— chọn —" option (posted as an empty value)."""
    return None if value in (None, "") else int(value)


class TaskRowForm(AppSubForm):
    """One task row of the document page (no CSRF of its own: the page form has it)."""

    task_id = HiddenField(filters=[_digits_only])
    content = TextAreaField(_l("Nội dung nhiệm vụ"), validators=[Optional()])
    lead = SelectField(_l("Đơn vị chủ trì"), coerce=int, validate_choice=False)
    cooperators = SelectMultipleField(_l("Đơn vị phối hợp"), coerce=int, validate_choice=False)
    deadline_kind = SelectField(
        _l("Loại thời hạn"),
        choices=options(
            [
                ("date", _l("Ngày cụ thể")),
                ("working_days", _l("Số ngày làm việc")),
                ("none", _l("Thường xuyên")),
            ]
        ),
        default="date",
    )
    deadline = DateField(_l("Thời hạn"), validators=[Optional()])
    working_days = IntegerField(
        _l("Số ngày làm việc"), validators=[Optional(), NumberRange(1, MAX_WORKING_DAYS)]
    )
    recurrence = StringField(
        _l("Định kỳ (nếu là nhiệm vụ lặp lại)"), validators=[Optional(), Length(max=255)]
    )
    recurrence_ends = DateField(_l("Đến ngày (không bắt buộc)"), validators=[Optional()])
    recurrence_count = IntegerField(
        _l("Số kỳ (không bắt buộc)"), validators=[Optional(), NumberRange(1, 1000)]
    )
    recurrence_lead = IntegerField(
        _l("Tạo nhiệm vụ của kỳ trước hạn (ngày làm việc)"),
        validators=[Optional(), NumberRange(1, 60)],
    )


class DocumentForm(AppForm):
    number = StringField(_l("Số ký hiệu"), validators=[DataRequired(REQUIRED), Length(max=64)])
    kind = StringField(_l("Loại văn bản"), validators=[Optional(), Length(max=128)])
    issuer = SelectField(
        _l("Cơ quan ban hành"),
        coerce=_chosen_id,
        validators=[DataRequired(_l("Chọn cơ quan ban hành."))],
    )
    issued_on = DateField(_l("Ngày ban hành"), validators=[InputRequired(REQUIRED)])
    summary = TextAreaField(_l("Trích yếu"), validators=[Optional()])
    signer = StringField(_l("Người ký"), validators=[Optional(), Length(max=255)])
    pdf = FileField(_l("Tệp văn bản (PDF, Word, Excel, ảnh)"))
    draft_file = HiddenField()  # the file the tasks were read from, kept with the document
    edxml_entry = HiddenField(filters=[_digits_only])  # the queue's entry taken in (app.edxml)
    tasks = FieldList(FormField(TaskRowForm), min_entries=1)


class DraftForm(AppForm):
    """The file or the text to read the document and its tasks from."""

    source = FileField(_l("Tệp văn bản (PDF có lớp chữ, Word hoặc .txt)"))
    text = TextAreaField(_l("Hoặc dán nội dung văn bản"), validators=[Optional()])


class ImportForm(AppForm):
    file = FileField(_l("Tệp .xlsx hoặc .csv"))
