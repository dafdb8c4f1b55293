"""Documents of the last two months and two recurring duties, so every screen has something
to show today."""

from __future__ import annotations

import datetime as dt

from app.dev.demo.writer import Demo
from app.models.documents import DeadlineKind, TaskState
from app.tasks.changes import add_task, change_state


def add_recurring_duties(demo: Demo, today: dt.date) -> None:
    """Two recurring duties of a directive issued a few months ago: a monthly report to the
    office and a quarterly one, with the periods due so far."""
    from app.recurring.series import create_due_tasks, create_series

    issued = today - dt.timedelta(days=100)
    document = demo.document(issued, lead_code="tckh")
    create_series(
        demo.session, document,
        content="Báo cáo tình hình thực hiện dự toán thu, chi ngân sách gửi Văn phòng HĐND và UBND",
        lead=demo.departments["tckh"], phrase="hằng tháng, trước ngày 20", starts_on=issued,
    )  # fmt: skip
    create_series(
        demo.session, document,
        content="Báo cáo kết quả thu hồi, giao đất và giải phóng mặt bằng các dự án trọng điểm",
        lead=demo.departments["tnmt"], cooperators=[demo.departments["ttptqd"]],
        phrase="hằng quý, trước ngày 15 của tháng cuối quý", starts_on=issued,
    )  # fmt: skip
    demo.session.flush()
    create_due_tasks(demo.session, today)


def add_recent_documents(demo: Demo, today: dt.date) -> None:
    """Documents of the last two months, so every screen has something to show today."""
    session, cal, rng = demo.session, demo.calendar, demo.rng
    office = demo.users["vanphong"]
    codes = ["tnmt", "qldt", "vhtt", "ttptqd", "tckh", "ldtbxh", "kt", "ttvhtt"]
    for index in range(12):
        code = codes[index % len(codes)]
        issued = today - dt.timedelta(days=rng.randint(3, 60))
        document = demo.document(issued, lead_code=code)
        for sub in range(rng.choice((1, 2, 3))):
            lead_code = code if sub == 0 else rng.choice(codes)
            lead = demo.departments[lead_code]
            # one entry per unit (two codes name the unit of the 2025 merger), never the lead
            helpers = [d for d in dict.fromkeys(demo.departments.values()) if d is not lead]
            kind, working_days = DeadlineKind.DATE, None
            roll = rng.random()
            if roll < 0.1:
                kind, deadline = DeadlineKind.NONE, None
            elif roll < 0.3:
                kind, working_days = DeadlineKind.WORKING_DAYS, rng.choice((5, 10, 15))
                deadline = cal.add_working_days(issued, working_days)
            else:
                deadline = cal.next_working_day(today + dt.timedelta(days=rng.randint(-25, 25)))
                deadline = max(deadline, cal.next_working_day(issued + dt.timedelta(days=3)))
            task = add_task(
                session,
                document,
                content=demo.content(lead_code),
                lead=lead,
                cooperators=rng.sample(helpers, rng.choice((0, 1, 1, 2))),
                deadline_kind=kind,
                deadline=deadline,
                working_days=working_days,
                by=office,
            )
            fate = rng.random()
            if fate < 0.45:
                demo.progress(task, min(today, issued + dt.timedelta(days=rng.randint(1, 10))))
            if 0.45 <= fate < 0.6:
                demo.progress(
                    task,
                    min(today, issued + dt.timedelta(days=2)),
                    "Đã hoàn thành, gửi báo cáo kết quả kèm theo.",
                )
                change_state(
                    session,
                    task,
                    TaskState.AWAITING_CONFIRMATION,
                    effective_on=min(today, issued + dt.timedelta(days=2)),
                    by=demo.users.get(f"{lead_code}.truong"),
                    comment="Đề nghị xác nhận",
                )
            elif 0.6 <= fate < 0.75:
                change_state(
                    session,
                    task,
                    TaskState.DONE,
                    effective_on=min(today, issued + dt.timedelta(days=rng.randint(2, 20))),
                    by=office,
                    comment="Xác nhận hoàn thành",
                )
            elif 0.75 <= fate < 0.8 and deadline is not None:
                demo.extension(task, min(today, deadline), deadline + dt.timedelta(days=14), None)
