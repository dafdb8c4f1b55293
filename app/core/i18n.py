"""Marks strings for translation where they are defined (labels in domain modules).

``N_`` returns its argument: the label stays Vietnamese in the domain and in reports;
templates translate it with ``_()`` when the interface is in English.
"""


def N_(message: str) -> str:  # noqa: N802  (the conventional gettext marker name)
    return message
