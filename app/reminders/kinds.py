"""Every kind of reminder, declared once: its name, what it tells about and to whom, the way it
is decided, its templates, its default schedule and whether one may unsubscribe from it.

Adding a kind: a value in ``ReminderKind`` (app/models/reminders.py, what the tables store), a
declaration here, and what it needs that no kind has yet (a selection, an audience, a way, its
templates in templates/reminders/). The schedules page, the scheduler, the log and the
unsubscribe link follow the declaration.
"""

from __future__ import annotations

import datetime as dt

from app.core.i18n import N_
from app.models.people import Role
from app.models.reminders import ReminderKind
from app.reminders import audience, selection, ways
from app.reminders.kind import Kind, Occasion
from app.reports.summary import build_summary
from app.tasks.office_queue import recent_decisions, waiting_for_office

UNIT = (Role.DEPARTMENT_HEAD, Role.DEPARTMENT_MEMBER)

DECISION_DAYS = 7  # decisions older than this are not told any more (a new install's past)


def _before_deadline_intro(role: str, days: int) -> str:
    return "Các nhiệm vụ sau sắp đến hạn, đề nghị đơn vị hoàn thành đúng thời hạn:"


def _after_deadline_intro(role: str, days: int) -> str:
    """The department is asked to act, the office to follow up."""
    if role in ("office", "admin"):
        return "Các nhiệm vụ sau đã quá hạn mà chưa hoàn thành, để Văn phòng theo dõi, đôn đốc:"
    return (
        "Các nhiệm vụ sau đã quá hạn mà chưa hoàn thành, đề nghị đơn vị khẩn trương thực "
        "hiện và báo cáo tiến độ:"
    )


def _escalation_intro(role: str, days: int) -> str:
    """The leader is asked to direct, the office to follow up."""
    if role == "leader":
        return f"Các nhiệm vụ sau đã quá hạn trên {days} ngày, đề nghị lãnh đạo chỉ đạo xử lý:"
    return (
        f"Các nhiệm vụ sau đã quá hạn trên {days} ngày và đã được báo cáo lãnh đạo; đề nghị "
        "Văn phòng tiếp tục theo dõi, đôn đốc các đơn vị:"
    )


def _recent_decisions(occasion: Occasion) -> list:
    since = occasion.fire_utc - dt.timedelta(days=DECISION_DAYS)
    return recent_decisions(occasion.session, since)


# In the order the schedules page lists them and the scheduler decides them.
KINDS: tuple[Kind, ...] = (
    Kind(
        ReminderKind.DIGEST,
        label=N_("Tổng hợp hằng tuần của đơn vị"),
        decide=ways.unit_digests,
        select=lambda o: selection.digests(o.session, o.today, o.department_ids),
        audience=audience.units,
        template="digest",
        cron="30 7 * * mon",
        optional=True,
        roles=UNIT,
        deputies=True,
    ),
    Kind(
        ReminderKind.BEFORE_DEADLINE,
        label=N_("Nhắc trước thời hạn"),
        decide=ways.task_notices,
        select=lambda o: selection.due_within(
            o.session, o.today, o.calendar, o.param("working_days_before")
        ),
        audience=audience.units,
        template="task_notice",
        cron="0 7 * * mon-fri",
        params={"working_days_before": 3},
        optional=True,
        roles=UNIT,
        subject="[Nhắc việc] {n} nhiệm vụ sắp đến hạn",
        intro=_before_deadline_intro,
    ),
    Kind(
        ReminderKind.AFTER_DEADLINE,
        label=N_("Báo quá hạn"),
        decide=ways.task_notices,
        select=lambda o: selection.just_late(o.session, o.today),
        audience=audience.units_and_office,
        template="task_notice",
        cron="0 7 * * mon-fri",
        roles=(*UNIT, Role.OFFICE),
        subject="[Quá hạn] {n} nhiệm vụ đã quá hạn",
        intro=_after_deadline_intro,
    ),
    Kind(
        ReminderKind.ESCALATION,
        label=N_("Báo cáo lãnh đạo: quá hạn lâu"),
        decide=ways.task_notices,
        select=lambda o: selection.long_late(o.session, o.today, o.param("days_late")),
        audience=audience.leaders_and_office,
        template="task_notice",
        cron="0 8 * * mon-fri",
        params={"days_late": 15},
        roles=(Role.LEADER, Role.OFFICE),
        subject="[Báo cáo lãnh đạo] {n} nhiệm vụ quá hạn trên {days} ngày",
        intro=_escalation_intro,
    ),
    Kind(
        ReminderKind.SUMMARY,
        label=N_("Tổng hợp hằng tuần cho Văn phòng, lãnh đạo"),
        decide=ways.summary,
        select=lambda o: build_summary(o.session, o.today),
        audience=audience.office_and_leaders,
        template="summary",
        cron="0 8 * * mon",
        optional=True,
        roles=(Role.OFFICE, Role.LEADER),
    ),
    # Requests and decisions are told within the hour, in one mail per reader per hour.
    Kind(
        ReminderKind.REQUESTS,
        label=N_("Đề nghị mới chờ Văn phòng xử lý"),
        decide=ways.office_requests,
        select=lambda o: waiting_for_office(o.session),
        audience=audience.office,
        template="requests",
        cron="0 8-17 * * mon-fri",
        roles=(Role.OFFICE,),
    ),
    Kind(
        ReminderKind.DECISIONS,
        label=N_("Văn phòng đã xử lý đề nghị của đơn vị"),
        decide=ways.office_decisions,
        select=_recent_decisions,
        audience=audience.unit_heads,
        template="decisions",
        cron="5 8-17 * * mon-fri",
        roles=(Role.DEPARTMENT_HEAD,),
    ),
)

BY_VALUE: dict[str, Kind] = {kind.value: kind for kind in KINDS}
LABELS: dict[str, str] = {kind.value: kind.label for kind in KINDS}  # N_() strings
OPTIONAL: frozenset[str] = frozenset(kind.value for kind in KINDS if kind.optional)
