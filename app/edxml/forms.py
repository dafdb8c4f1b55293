from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField

from app.web.forms import AppForm


class UploadForm(AppForm):
    package = FileField(_l("Gói tin edXML (.xml)"))


class ConfirmForm(AppForm):
    """A button: apply, dismiss, or add the sender as an issuer."""
