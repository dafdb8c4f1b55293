"""Small helpers shared by the forms."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import wtforms
from flask import abort, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length
from wtforms.widgets import TextInput


class AccessibleMeta:
    """Every field in error is rendered with ``aria-invalid`` and points at its message
    (``aria-describedby="<id>-error"``, the id the templates give the message)."""

    def render_field(self, field, render_kw):
        if field.errors:
            described = [render_kw.get("aria-describedby"), f"{field.id}-error"]
            render_kw = dict(render_kw)
            render_kw["aria-invalid"] = "true"
            render_kw["aria-describedby"] = " ".join(filter(None, described))
        return super().render_field(field, render_kw)


class AppForm(FlaskForm):
    class Meta(AccessibleMeta):
        pass


class AppSubForm(wtforms.Form):
    """A form repeated inside another (a document's task rows): no CSRF token of its own."""

    class Meta(AccessibleMeta):
        pass


def error_list(form, prefix: str = "") -> list[tuple[str, str, str]]:
    """(field id, label, message) of every error in ``form``, nested rows included, in the
    order of the page: what the summary at the top of a refused form links to.

    Rows are always looked into: a FieldList keeps the errors it had when it was validated,
    and the page may add a row's errors afterwards (checks that need the database)."""
    out = []
    for field in form:
        if field.name == "csrf_token":
            continue
        if isinstance(field, wtforms.FieldList | wtforms.FormField):
            entries = field.entries if isinstance(field, wtforms.FieldList) else [field]
            for number, entry in enumerate(entries, start=1):
                row = _l("Dòng %(n)s", n=number) if len(entries) > 1 else ""
                if isinstance(entry, wtforms.FormField):
                    out += error_list(entry.form, f"{prefix}{row} · " if row else prefix)
                elif entry.errors:
                    label = f"{prefix}{entry.label.text}"
                    out += [(entry.id, label, str(e)) for e in entry.errors]
            if isinstance(field, wtforms.FieldList):  # the list's own messages
                out += [
                    (field.id, str(field.label.text), str(e))
                    for e in field.errors
                    if isinstance(e, str)
                ]
            continue
        out += [(field.id, f"{prefix}{field.label.text}", str(e)) for e in field.errors]
    return out


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


def edit_form(form_class, obj: Any = None, **stored: Any):
    """A form showing ``obj``, with ``stored`` giving the values of fields that ``obj`` holds as
    objects (``document.issuer``) where the field wants the stored id (``issuer_id``).

    WTForms takes an attribute of ``obj`` before a keyword of the same name, so the keyword alone
    is ignored and the select shows its first option: saving the page unchanged would then
    silently move the record. Posted data always wins over both.
    """
    form = form_class(obj=obj)
    if obj is not None and not form.is_submitted():
        for name, value in stored.items():
            form[name].data = value
    return form


def department_choices(session, keep: Iterable[int] = ()) -> list[SelectChoice]:
    """The active units in display order, plus the stored ones in ``keep`` that are no longer
    active: a form must still show (and post back) the unit a task already has."""
    from sqlalchemy import or_, select

    from app.models import Department

    keep = [i for i in keep if i]
    query = select(Department).order_by(Department.display_order, Department.name)
    query = query.where(or_(Department.is_active.is_(True), Department.id.in_(keep)))
    return options((d.id, d.name) for d in session.scalars(query))


class TextAreaField(wtforms.TextAreaField):
    """A text area whose posted line breaks are stored as ``\\n``: browsers send ``\\r\\n``, so a
    page saved unchanged would otherwise rewrite every multi-line text it shows."""

    def __init__(self, label=None, validators=None, **kwargs):
        limit = Length(max=LONG_TEXT, message=_l("Dài quá %(max)d ký tự."))
        super().__init__(label, [*(validators or []), limit], **kwargs)

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")


LONG_TEXT = 20_000  # a task's content, a summary, a report: far more than any real one

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")  # as the office writes it; ISO from older links
YEARS = range(1900, 2200)  # a date outside is a typing mistake, never a deadline


def parse_date(text: str | None) -> dt.date | None:
    """``16/12/2024`` (or ``1/2/2025``, or ISO ``2024-12-16``) as a date; None when it is not
    one, or is outside the years a document or deadline can have."""
    text = (text or "").strip()
    if not text or len(text) > 10:
        return None
    for form in DATE_FORMATS:
        try:
            day = dt.datetime.strptime(text, form).date()
        except ValueError:
            continue
        return day if day.year in YEARS else None
    return None


def date_arg(name: str, default: dt.date | None) -> dt.date | None:
    """The query string's date ``name`` (as ``parse_date`` reads it), ``default`` when it is
    absent or empty; a 400 saying what was sent when it is not a date."""
    value = request.args.get(name)
    if not value:
        return default
    day = parse_date(value)
    if day is None:
        abort(400, _("“%(value)s” không phải ngày hợp lệ (dd/mm/yyyy).", value=value[:20]))
    return day


class DateField(wtforms.DateField):
    """A date typed or picked as dd/mm/yyyy whatever the browser's language (a native date
    input shows the browser's own format); ``data-date`` gives it the page's date picker."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        render_kw = {
            "inputmode": "numeric",
            "placeholder": "dd/mm/yyyy",
            "autocomplete": "off",
            "maxlength": 10,
            "data-date": "",
            **(kwargs.pop("render_kw", None) or {}),
        }
        super().__init__(label, validators, render_kw=render_kw, **kwargs)

    def _value(self):
        if self.raw_data:
            return " ".join(self.raw_data)
        return self.data.strftime("%d/%m/%Y") if self.data else ""

    def process_formdata(self, valuelist):
        if not valuelist or not " ".join(valuelist).strip():
            self.data = None
            return
        self.data = parse_date(" ".join(valuelist))
        if self.data is None:
            raise ValueError(_l("Ngày không hợp lệ: nhập dd/mm/yyyy, ví dụ 16/12/2024."))
