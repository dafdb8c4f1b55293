"""Marks strings for translation where they are defined (labels in domain modules).

``N_`` returns its argument: the label stays Vietnamese in the domain and in reports;
templates translate it with ``_()`` when the interface is in English.
"""

from __future__ import annotations


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker name)
    return message


class Message(str):
    """A Vietnamese text built from a ``N_()`` msgid and its arguments, shown translated.

    It is the Vietnamese text itself (the command line and the JSON print it as is), and keeps
    ``msgid`` and ``args`` so that a template shows it in the interface's language with
    ``_(text.msgid, **text.args)`` (the ``translated`` filter).
    """

    msgid: str
    args: dict

    def __new__(cls, msgid: str, **args: str) -> Message:
        text = super().__new__(cls, msgid % args if args else msgid)
        text.msgid, text.args = msgid, args
        return text
