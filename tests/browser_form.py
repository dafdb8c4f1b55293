"""What a browser would post for a page's form, read from the page's HTML.

Follows the HTML form-submission rules that matter for "save the page unchanged": text-like
inputs and hidden fields with their values, checked checkboxes and radios only, every selected
option of a select (its first enabled option when none is marked), textareas with the newline
after the start tag dropped and line breaks sent as CRLF, disabled controls left out, file
inputs left out (nothing chosen), controls inside a <template> left out (its contents are not
part of the page), and only the submit button that was pressed. <noscript> is read as a browser
without JavaScript reads it.
"""

from __future__ import annotations

from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict

SKIPPED_INPUTS = {"file", "submit", "button", "reset", "image"}


class _Form:
    def __init__(self, attrs: dict) -> None:
        self.attrs = attrs
        self.fields: list[tuple[str, str]] = []
        self.submit: tuple[str, str] | None = None
        self.has_submit = False


class FormReader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[_Form] = []
        self._form: _Form | None = None
        self._select: dict | None = None
        self._option: dict | None = None
        self._textarea: dict | None = None
        self._templates = 0  # depth inside <template> elements

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "template":
            self._templates += 1
        if self._templates:
            return
        if tag == "form":
            self._form = _Form(a)
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        if tag == "input":
            self._input(a)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._submit_button(a)
        elif tag == "select":
            self._select = {"attrs": a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"attrs": a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea":
            self._textarea = {"attrs": a, "text": ""}

    def _submit_button(self, a: dict) -> None:
        self._form.has_submit = True
        if self._form.submit is None and a.get("name") and "disabled" not in a:
            self._form.submit = (a["name"], a.get("value", ""))

    def _input(self, a: dict) -> None:
        kind = a.get("type", "text").lower()
        if kind == "submit":
            self._submit_button(a)
        name = a.get("name")
        if not name or "disabled" in a or kind in SKIPPED_INPUTS:
            return
        if kind in ("checkbox", "radio"):
            if "checked" in a:
                self._form.fields.append((name, a.get("value", "on")))
            return
        self._form.fields.append((name, a.get("value", "")))

    def handle_data(self, data):
        if self._templates:
            return
        if self._textarea is not None:
            self._textarea["text"] += data
        elif self._option is not None:
            self._option["text"] += data

    def handle_endtag(self, tag):
        if tag == "template":
            self._templates = max(0, self._templates - 1)
            return
        if self._templates:
            return
        if tag == "form":
            self._form = None
        elif tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None:
            self._close_select()
        elif tag == "textarea" and self._textarea is not None:
            a, text = self._textarea["attrs"], self._textarea["text"]
            self._textarea = None
            if text.startswith("\n"):
                text = text[1:]
            if a.get("name") and "disabled" not in a and self._form is not None:
                text = text.replace("\r\n", "\n").replace("\n", "\r\n")
                self._form.fields.append((a["name"], text))

    def _close_select(self) -> None:
        select, self._select = self._select, None
        a = select["attrs"]
        if not a.get("name") or "disabled" in a or self._form is None:
            return
        enabled = [o for o in select["options"] if "disabled" not in o["attrs"]]
        chosen = [o for o in enabled if "selected" in o["attrs"]]
        if "multiple" not in a:
            chosen = chosen[-1:] or enabled[:1]
        for option in chosen:
            value = option["attrs"].get("value", option["text"].strip())
            self._form.fields.append((a["name"], value))


def form_data(html: str, action: str) -> MultiDict:
    """The fields of the page's form that posts to ``action`` (or to the page itself), with
    the first named submit button pressed."""
    reader = FormReader()
    reader.feed(html.replace("\r\n", "\n").replace("\r", "\n"))  # the input stream's own rule
    reader.close()
    candidates = [
        f
        for f in reader.forms
        if f.attrs.get("method", "get").lower() == "post"
        and f.attrs.get("action", "") in ("", action)
        and f.has_submit
    ]
    assert len(candidates) == 1, f"{len(candidates)} edit forms on {action}"
    form = candidates[0]
    return MultiDict(form.fields + ([form.submit] if form.submit else []))
