"""The tables. Import models from here."""

from app.models.access import (
    ApiToken,
    LoginFailure,
    PasswordToken,
    RecoveryCode,
    ResetRequest,
)
from app.models.calendar import CalendarDay
from app.models.documents import Document, Issuer, Task, task_cooperators
from app.models.edxml import IntakeEntry, IntakeFile, StatusAttempt, StatusMessage
from app.models.files import AccessDenial, Attachment
from app.models.history import Event, Extension, ProgressReport
from app.models.idempotency import IdempotencyKey
from app.models.jobs import ImportJob
from app.models.keytasks import Evaluation, KeyTaskGroup, key_task_members
from app.models.offices import Office, OfficeLevel, OfficeScoped
from app.models.people import Department, Role, User, UserSession
from app.models.reminders import (
    Reminder,
    ReminderDeputy,
    ReminderPreference,
    ReminderSchedule,
    SchedulerRun,
)
from app.models.series import Series
from app.models.settings import Setting
from app.models.unfinished import SEES_UNFINISHED
from app.models.units import (
    DepartmentName,
    TaskTransfer,
    UnitChange,
    UnitChangePart,
)

__all__ = [
    "SEES_UNFINISHED",
    "ApiToken",
    "AccessDenial",
    "Attachment",
    "CalendarDay",
    "Department",
    "DepartmentName",
    "Document",
    "Evaluation",
    "Event",
    "Extension",
    "IntakeEntry",
    "IntakeFile",
    "StatusAttempt",
    "StatusMessage",
    "IdempotencyKey",
    "ImportJob",
    "Issuer",
    "KeyTaskGroup",
    "LoginFailure",
    "Office",
    "OfficeLevel",
    "OfficeScoped",
    "PasswordToken",
    "ProgressReport",
    "RecoveryCode",
    "Reminder",
    "ReminderDeputy",
    "ResetRequest",
    "ReminderPreference",
    "ReminderSchedule",
    "Role",
    "SchedulerRun",
    "Series",
    "Setting",
    "Task",
    "TaskTransfer",
    "UnitChange",
    "UnitChangePart",
    "User",
    "UserSession",
    "key_task_members",
    "task_cooperators",
]
