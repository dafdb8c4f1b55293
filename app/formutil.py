"""Small helpers shared by the forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import wtforms
from wtforms.fields.choices import SelectChoice


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

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if isinstance(self.data, str):
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")
