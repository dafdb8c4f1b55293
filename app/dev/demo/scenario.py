"""The "Lạng Sơn 12/2024" scenario: tasks whose summary as of 16/12/2024 is the seed
report's section, and what happened to them after the report."""

from __future__ import annotations

import datetime as dt

from app.dev.demo.writer import Demo
from app.models.documents import DeadlineKind, TaskState
from app.tasks.changes import add_task, change_state

SCENARIO_DATE = dt.date(2024, 12, 16)

# The scenario: per lead department, what each task is as of 16/12/2024.
SCENARIO = {
    "tnmt": {
        "late": 6,
        "late_ext_after": 1,
        "pending": 15,
        "pending_none": 1,
        "pending_ext_before": 1,
        "pending_issued_on_day": 1,
        "done_on_time": 3,
        "done_late": 2,
        "cancelled": 1,
        "issued_after": 2,
    },
    "vhtt": {"late": 3, "done_on_time": 1},
    "ttvhtt": {"late": 1},
    "ldtbxh": {"late": 1, "done_late": 1},
    "qldt": {"late": 1, "pending": 2, "done_on_time": 1},
    "ttptqd": {"pending": 2, "cancelled": 1},
    "tckh": {"done_on_time": 2},
    "kt": {"done_on_time": 1, "issued_after": 1},
}


def add_scenario(demo: Demo) -> None:
    session, cal, rng = demo.session, demo.calendar, demo.rng
    day = SCENARIO_DATE
    for code, outcomes in SCENARIO.items():
        lead = demo.departments[code]
        helpers = [d for c, d in demo.departments.items() if c != code]
        for outcome, count in outcomes.items():
            for _ in range(count):
                deadline_kind, working_days = DeadlineKind.DATE, None
                if outcome in ("late", "late_ext_after"):
                    issued = day - dt.timedelta(days=rng.randint(40, 200))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=rng.randint(10, 30)))
                elif outcome == "pending_none":
                    issued, deadline = day - dt.timedelta(days=90), None
                    deadline_kind = DeadlineKind.NONE
                elif outcome == "pending_issued_on_day":
                    issued, working_days = day, 10
                    deadline_kind = DeadlineKind.WORKING_DAYS
                    deadline = cal.add_working_days(issued, working_days)
                elif outcome == "pending_ext_before":
                    issued = day - dt.timedelta(days=60)
                    deadline = cal.next_working_day(day - dt.timedelta(days=20))
                elif outcome == "issued_after":
                    issued = day + dt.timedelta(days=rng.randint(2, 10))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=20))
                elif outcome == "pending":
                    issued = day - dt.timedelta(days=rng.randint(0, 30))
                    # The first one falls due on the report date itself: still chưa.
                    offset = 0 if demo.counters.get("boundary") is None else rng.randint(1, 60)
                    demo.counters["boundary"] = 1
                    deadline = cal.next_working_day(day + dt.timedelta(days=offset))
                else:  # done or cancelled before the report date
                    issued = day - dt.timedelta(days=rng.randint(60, 300))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=30))
                document = demo.document(issued, lead_code=code)
                cooperators = rng.sample(helpers, rng.choice((0, 0, 1, 2)))
                task = add_task(
                    session,
                    document,
                    content=demo.content(code),
                    lead=lead,
                    cooperators=cooperators,
                    deadline_kind=deadline_kind,
                    deadline=deadline,
                    working_days=working_days,
                )
                _play_scenario(demo, task, outcome, issued, deadline)


def _play_scenario(
    demo: Demo, task, outcome: str, issued: dt.date, deadline: dt.date | None
) -> None:
    session, rng, day = demo.session, demo.rng, SCENARIO_DATE
    office = demo.users["vanphong"]
    if (
        outcome in ("late", "late_ext_after", "pending", "pending_ext_before")
        and rng.random() < 0.5
    ):
        demo.progress(task, min(day, issued + dt.timedelta(days=5)))
    if outcome == "late_ext_after":
        demo.extension(
            task,
            day - dt.timedelta(days=3),
            day + dt.timedelta(days=30),
            decided_on=day + dt.timedelta(days=4),
        )
    elif outcome == "pending_ext_before":
        demo.extension(
            task,
            day - dt.timedelta(days=22),
            day + dt.timedelta(days=25),
            decided_on=day - dt.timedelta(days=6),
        )
    elif outcome == "done_on_time":
        demo.progress(task, issued + dt.timedelta(days=3))
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=deadline - dt.timedelta(days=2),
            by=office,
            comment="Xác nhận hoàn thành",
        )
    elif outcome == "done_late":
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=deadline + dt.timedelta(days=9),
            by=office,
            comment="Xác nhận hoàn thành",
        )
    elif outcome == "cancelled":
        change_state(
            session,
            task,
            TaskState.CANCELLED,
            effective_on=issued + dt.timedelta(days=7),
            by=office,
            cancel_reason="Nội dung đã được thay thế bởi văn bản khác",
        )
    # What happened after the report: most tasks were finished in 2025, a few never were.
    if outcome.startswith(("late", "pending")) and rng.random() < 0.85:
        finished = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randint(0, 150))
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=finished,
            by=office,
            comment="Xác nhận hoàn thành",
        )
