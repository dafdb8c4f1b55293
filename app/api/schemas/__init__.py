"""Every body the API reads or writes, described once with pydantic: the request bodies in
``requests``, the responses in ``responses``, a refusal's words in ``problems``.

Request bodies are validated with these models (strictly: a number is not a string, a date is
YYYY-MM-DD, no unknown fields; lengths, ranges and ids that exist), responses are built from
them, and ``spec.py`` generates the OpenAPI components from the same classes, so the document
cannot drift from the code. Pydantic was chosen over marshmallow + apispec because its JSON
Schema is produced by the validator itself (no plugin translating field classes), it validates
JSON directly in its Rust core, and OpenAPI 3.1 takes that JSON Schema as it is.

The classes are named as the components are (``Task``, ``Document`` …); import this package
as ``schemas`` rather than importing the names next to the ORM models of the same names.
"""

from app.api.schemas.keytasks import (
    Evaluation,
    Figures,
    KeyTaskGroup,
    KeyTaskGroupDetail,
    KeyTaskGroupList,
    KeyTaskSection,
    NewEvaluation,
    NewKeyTaskGroup,
    NewUnitEvaluation,
    UnitEvaluation,
)
from app.api.schemas.problems import first_problem
from app.api.schemas.requests import (
    CompletionRequest,
    Confirmation,
    Decision,
    NewDocument,
    NewExtension,
    NewProgress,
    NewSeries,
    NewTask,
    Reason,
)
from app.api.schemas.responses import (
    Change,
    CreatedDocument,
    DepartmentRef,
    Document,
    Error,
    ErrorDetail,
    Extension,
    HistoryEntry,
    IssuerRef,
    Period,
    ProgressReport,
    Series,
    SeriesList,
    Statistics,
    StatisticsRow,
    Summary,
    SummaryDepartment,
    SummaryPart,
    Task,
    TaskDetail,
    TaskList,
    Trend,
    TrendDepartment,
    TrendPoint,
    UpcomingPeriod,
)

REQUESTS = [NewDocument, NewProgress, CompletionRequest, Confirmation, Reason, NewExtension,
            Decision, NewSeries, NewKeyTaskGroup, NewEvaluation, NewUnitEvaluation]  # fmt: skip
RESPONSES = [Error, TaskList, TaskDetail, CreatedDocument, ProgressReport, Extension, Summary,
             Statistics, Trend, Series, SeriesList, KeyTaskGroupList, KeyTaskGroupDetail,
             KeyTaskSection, UnitEvaluation]  # fmt: skip

__all__ = [
    "REQUESTS",
    "RESPONSES",
    "Change",
    "CompletionRequest",
    "Confirmation",
    "CreatedDocument",
    "Decision",
    "DepartmentRef",
    "Document",
    "Error",
    "ErrorDetail",
    "Extension",
    "HistoryEntry",
    "IssuerRef",
    "NewDocument",
    "NewExtension",
    "NewProgress",
    "NewSeries",
    "NewTask",
    "Period",
    "ProgressReport",
    "Reason",
    "Series",
    "SeriesList",
    "Statistics",
    "StatisticsRow",
    "Summary",
    "SummaryDepartment",
    "SummaryPart",
    "Task",
    "TaskDetail",
    "TaskList",
    "Trend",
    "TrendDepartment",
    "TrendPoint",
    "UpcomingPeriod",
    "Evaluation",
    "Figures",
    "KeyTaskGroup",
    "KeyTaskGroupDetail",
    "KeyTaskGroupList",
    "KeyTaskSection",
    "NewEvaluation",
    "NewKeyTaskGroup",
    "NewUnitEvaluation",
    "UnitEvaluation",
    "first_problem",
]
