"""The demo's key task groups: the two groups the Thành ủy gave the city for 2024 (section I.8
of report 1321/BC-UBND), holding tasks of the scenario's documents, with their 2024 grades, so
that the key-task section as of 16/12/2024 is the seed's sentence; a revision of 2025 shows
that a later grade leaves the report of 16/12/2024 as it was. Also grades of a few units for
2024 on the statistics page."""

from __future__ import annotations

import datetime as dt

from app.core.classification import classify_tasks
from app.dev.demo.writer import Demo
from app.keytasks.evaluations import Decision, Subject, record
from app.keytasks.grades import DEFAULT_GRADES, load_grades, load_rules, propose
from app.keytasks.groups import GroupValues, group_progress, save_group, set_tasks, unit_figures
from app.models import Document
from app.reports.statistics import Outcome, build_statistics, outcome

YEAR_FROM, YEAR_TO = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
DECIDED_ON = dt.date(2024, 12, 12)
EXCELLENT, GOOD, DONE = DEFAULT_GRADES[:3]
# (name, [(lead unit, outcome as of DECIDED_ON, how many)], the grade the office gave): figures
# the default rules propose that grade for.
GROUPS = (
    (
        "Nhóm nhiệm vụ về quản lý đất đai, tài nguyên, môi trường và trật tự đô thị",
        [("tnmt", Outcome.DONE_ON_TIME, 3), ("qldt", Outcome.DONE_ON_TIME, 1),
         ("vhtt", Outcome.DONE_ON_TIME, 1), ("tnmt", Outcome.DONE_LATE, 1),
         ("qldt", Outcome.IN_TIME, 1)],
        GOOD,
    ),
    (
        "Nhóm nhiệm vụ về phát triển kinh tế, tài chính - ngân sách",
        [("tckh", Outcome.DONE_ON_TIME, 2), ("kt", Outcome.DONE_ON_TIME, 1)],
        EXCELLENT,
    ),
)  # fmt: skip
DECIDED_BY = "Ban Thường vụ Thành ủy"
NOTE = "Đánh giá kết quả thực hiện năm 2024."


def _outcomes(demo: Demo) -> dict[tuple[int, Outcome], list[int]]:
    """The 2024 tasks by lead unit and outcome as of ``DECIDED_ON``, in id order."""
    where = [Document.issued_on >= YEAR_FROM]
    found: dict[tuple[int, Outcome], list[int]] = {}
    for task_id, (timeline, status) in sorted(
        classify_tasks(demo.session, DECIDED_ON, where).items()
    ):
        result = outcome(status)
        if result is not None:
            found.setdefault((timeline.lead_department_id, result), []).append(task_id)
    return found


def add_key_tasks(demo: Demo, today: dt.date) -> None:
    session = demo.session
    thanh_uy = next(i for i in demo.issuers if i.short_name == "Thành ủy")
    office = demo.users.get("vanphong")
    by_outcome = _outcomes(demo)
    groups = []
    for order, (name, picks, grade) in enumerate(GROUPS, start=1):
        given = dt.date(2024, 1, 15)
        values = GroupValues(name, thanh_uy.id, YEAR_FROM, YEAR_TO, given, "", order)
        group = save_group(session, values)
        task_ids = []
        for code, result, count in picks:
            task_ids += by_outcome.get((demo.departments[code].id, result), [])[:count]
        set_tasks(session, group, task_ids)
        _grade(session, group, Decision(grade, DECIDED_ON, NOTE, DECIDED_BY), today, office)
        groups.append(group)
    revised_on = dt.date(2025, 1, 15)
    if revised_on <= today:  # a revision after the report: the report of 16/12/2024 keeps "tốt"
        reason = (
            "Ban Thường vụ Thành ủy xem xét lại tại hội nghị tổng kết năm 2024: nhiệm vụ "
            "chậm do nguyên nhân khách quan (chờ hướng dẫn của tỉnh)."
        )
        decision = Decision(EXCELLENT, revised_on, "", DECIDED_BY, reason)
        _grade(session, groups[0], decision, today, office)
    year_end = dt.date(2024, 12, 31)
    stats = build_statistics(session, YEAR_FROM, YEAR_TO, year_end)
    rows = {row.department.id: row for row in stats.rows}
    rules, grades = load_rules(session, "unit"), load_grades(session)
    for code, grade in (("tckh", EXCELLENT), ("kt", DONE), ("tnmt", DONE)):
        unit_id = demo.departments[code].id
        figures = unit_figures(rows[unit_id])
        subject = Subject(YEAR_FROM, YEAR_TO, department_id=unit_id)
        decision = Decision(grade, year_end, "", "Chủ tịch UBND thành phố")
        proposal = propose(figures, rules, grades)
        record(session, subject, decision, max(today, year_end), office, proposal, figures)


def _grade(session, group, decision: Decision, today: dt.date, office) -> None:
    """Record the grade with the proposal and the figures of its day, as the page does."""
    figures = group_progress(session, group.id, decision.effective_on).figures
    proposal = propose(figures, load_rules(session, "group"), load_grades(session))
    record(session, Subject.of_group(group), decision, today, office, proposal, figures)
