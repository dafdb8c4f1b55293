"""The tables. Import models from here."""

from app.models.access import ApiToken, LoginFailure
from app.models.calendar import CalendarDay
from app.models.documents import Document, Issuer, Task, task_cooperators
from app.models.files import AccessDenial, Attachment
from app.models.history import Event, Extension, ProgressReport
from app.models.jobs import ImportJob
from app.models.people import Department, Role, User
from app.models.reminders import (
    Reminder,
    ReminderPreference,
    ReminderSchedule,
    SchedulerRun,
)
from app.models.series import Series
from app.models.settings import Setting

__all__ = [
    "ApiToken",
    "AccessDenial",
    "Attachment",
    "CalendarDay",
    "Department",
    "Document",
    "Event",
    "Extension",
    "ImportJob",
    "Issuer",
    "LoginFailure",
    "ProgressReport",
    "Reminder",
    "ReminderPreference",
    "ReminderSchedule",
    "Role",
    "SchedulerRun",
    "Series",
    "Setting",
    "Task",
    "User",
    "task_cooperators",
]
