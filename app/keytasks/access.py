"""Who may see and do what with groups and evaluations: the office (and admins) record grades
and keep the groups; leaders read everything; a department reads the groups holding one of its
tasks (only its own tasks listed) and its own unit's grades."""

from __future__ import annotations

from sqlalchemy import select, true
from sqlalchemy.orm import Session

from app.core.permissions import is_office, sees_everything, visible_tasks
from app.keytasks.groups import holds_task_of
from app.models import KeyTaskGroup, User


def may_keep(user: User) -> bool:
    """Create and change groups, record and revise grades."""
    return is_office(user)


def visible_groups(user: User):
    """SQL condition on ``KeyTaskGroup`` for the groups ``user`` may read."""
    return true() if sees_everything(user) else holds_task_of(visible_tasks(user))


def can_view_group(session: Session, user: User, group: KeyTaskGroup) -> bool:
    if sees_everything(user):
        return True
    found = session.scalar(
        select(KeyTaskGroup.id).where(KeyTaskGroup.id == group.id, visible_groups(user))
    )
    return found is not None


def can_view_unit(user: User, department_id: int | None) -> bool:
    return sees_everything(user) or (
        department_id is not None and user.department_id == department_id
    )
