"""Small helpers shared by the forms."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wtforms.fields.choices import SelectChoice


def options(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """WTForms choices from ``(value, label)`` pairs (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]
