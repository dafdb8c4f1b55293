"""The demo's key task groups: the two groups the Thành ủy gave the city for 2024 (section I.8
of report 1321/BC-UBND), holding tasks of the scenario's documents, with their 2024 grades, so
that the key-task section as of 16/12/2024 is the seed's sentence; a revision of 2025 shows
that a later grade leaves the report of 16/12/2024 as it was. Also grades of a few units for
2024 on the statistics page."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.dev.demo.writer import Demo
from app.keytasks.evaluations import Decision, Subject, record
from app.keytasks.grades import DEFAULT_GRADES
from app.keytasks.groups import GroupValues, group_progress, save_group, set_tasks
from app.models import Document, Task

YEAR_FROM, YEAR_TO = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
EXCELLENT, GOOD, DONE = DEFAULT_GRADES[:3]
GROUPS = (
    (
        "Nhóm nhiệm vụ về quản lý đất đai, tài nguyên, môi trường và trật tự đô thị",
        ("tnmt", "qldt"),
        GOOD,
        dt.date(2024, 12, 12),
    ),
    (
        "Nhóm nhiệm vụ về phát triển kinh tế, văn hóa - xã hội",
        ("tckh", "kt", "vhtt", "ldtbxh"),
        EXCELLENT,
        dt.date(2024, 12, 12),
    ),
)
DECIDED_BY = "Ban Thường vụ Thành ủy"


def add_key_tasks(demo: Demo, today: dt.date) -> None:
    session = demo.session
    thanh_uy = next(i for i in demo.issuers if i.short_name == "Thành ủy")
    office = demo.users.get("vanphong")
    groups = []
    for order, (name, codes, grade, decided_on) in enumerate(GROUPS, start=1):
        group = save_group(
            session,
            GroupValues(name, thanh_uy.id, YEAR_FROM, YEAR_TO, dt.date(2024, 1, 15), "", order),
        )
        leads = [demo.departments[c].id for c in codes]
        task_ids = session.scalars(
            select(Task.id)
            .join(Document, Task.document_id == Document.id)
            .where(
                Task.lead_department_id.in_(leads),
                Document.issued_on >= YEAR_FROM,
                Document.issued_on <= dt.date(2024, 12, 16),
            )
            .order_by(Task.id)
            .limit(8)
        ).all()
        set_tasks(session, group, task_ids)
        figures = group_progress(session, group.id, decided_on).figures
        note = "Đánh giá kết quả thực hiện năm 2024."
        decision = Decision(grade, decided_on, note, DECIDED_BY)
        record(session, Subject.of_group(group), decision, today, office, grade, figures)
        groups.append(group)
    revised_on = dt.date(2025, 1, 15)
    if revised_on <= today:  # a revision after the report: the report of 16/12/2024 keeps "tốt"
        reason = "Rà soát lại sau hội nghị tổng kết: các nhiệm vụ còn lại đã hoàn thành."
        decision = Decision(EXCELLENT, revised_on, "", DECIDED_BY, reason)
        record(session, Subject.of_group(groups[0]), decision, today, office)
    for code, grade in (("tckh", EXCELLENT), ("kt", GOOD), ("tnmt", DONE)):
        subject = Subject(YEAR_FROM, YEAR_TO, department_id=demo.departments[code].id)
        decision = Decision(grade, dt.date(2024, 12, 31), "", "Chủ tịch UBND thành phố")
        record(session, subject, decision, max(today, dt.date(2024, 12, 31)), office)
