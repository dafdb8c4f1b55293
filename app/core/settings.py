"""An office's settings the admin edits: the names printed at the head of every document the
product writes, who may ask for completion, whether the admin and the office must sign in with
two factors. Stored on the office (``Office.settings``); a name never saved has its default."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy.orm import Session

from app.core.office_scope import current_office_id
from app.models import Office


@dataclass(frozen=True)
class OfficeSettings:
    # The governing body as written in a sentence ("… của UBND thành phố Lạng Sơn") and printed
    # upper-case on the first line of a heading block.
    governing_body: str = ""
    # The office itself, printed bold on the second line ("VĂN PHÒNG HĐND VÀ UBND").
    office_name: str = ""
    # Who in the lead department may ask for completion or an extension: its head only (as
    # the office's rules usually say), or any member. Everyone may report progress.
    requests_by: str = "head"
    # "1": the admin and the office's users must use two-factor sign-in (``app.auth.two_factor``);
    # one without it is sent to enrol after signing in and can do nothing else until then.
    two_factor_required: str = ""
    # Who is given key tasks, as the report's key-task sentence names it ("Thành ủy đã giao
    # UBND thành phố …", ``app.keytasks.sentence``).
    key_task_body: str = "UBND thành phố"

    @property
    def members_may_ask(self) -> bool:
        return self.requests_by == REQUESTS_BY_DEPARTMENT

    @property
    def requires_two_factor(self) -> bool:
        return self.two_factor_required == "1"

    @property
    def heading_lines(self) -> list[str]:
        """The heading block's lines, upper-case as Decree 30/2020 prints them."""
        return [line.upper() for line in (self.governing_body, self.office_name) if line]


REQUESTS_BY_HEAD, REQUESTS_BY_DEPARTMENT = "head", "department"
SETTING_NAMES = tuple(f.name for f in fields(OfficeSettings))


def current_office(session: Session) -> Office:
    office = session.get(Office, current_office_id())
    if office is None:
        raise LookupError("the current office does not exist")
    return office


def load_settings(session: Session) -> OfficeSettings:
    """The current office's settings (``Office.settings``)."""
    stored = current_office(session).settings or {}
    return OfficeSettings(**{k: str(v) for k, v in stored.items() if k in SETTING_NAMES})


def save_settings(session: Session, **values: str) -> None:
    """Store the given settings that changed (flush only; the caller commits)."""
    current = load_settings(session)
    office = current_office(session)
    stored = dict(office.settings or {})
    for key, value in values.items():
        if key not in SETTING_NAMES:
            raise KeyError(key)
        if getattr(current, key) == value.strip():
            continue
        stored[key] = value.strip()
    office.settings = stored  # a new dict: the JSON column sees the change
    session.flush()
