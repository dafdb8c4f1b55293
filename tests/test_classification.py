"""The as-of rule: chậm, chưa, done on time or late, cancelled — as it stood on the date."""

import datetime as dt

from sqlalchemy import select

from app.core.classification import Category, Change, Timeline, classify, classify_tasks
from app.models.documents import TaskState
from app.tasks.changes import change_deadline, change_state

D = dt.date


def timeline(issued, deadline, *changes) -> Timeline:
    return Timeline(issued, changes=[Change(issued, TaskState.OPEN, True, deadline), *changes])


def test_not_issued_yet_is_not_counted():
    assert classify(timeline(D(2024, 12, 20), D(2025, 1, 10)), D(2024, 12, 16)) is None


def test_deadline_before_the_date_is_late_and_on_the_date_is_pending():
    task = timeline(D(2024, 11, 1), D(2024, 12, 16))
    assert classify(task, D(2024, 12, 16)).category == Category.PENDING
    status = classify(task, D(2024, 12, 17))
    assert status.category == Category.LATE and status.days_late == 1
    assert classify(task, D(2024, 11, 1)).category == Category.PENDING


def test_standing_task_is_never_late():
    task = timeline(D(2020, 1, 1), None)
    assert classify(task, D(2026, 1, 1)).category == Category.PENDING


def test_completion_counts_from_its_date():
    task = timeline(D(2024, 11, 1), D(2024, 12, 1), Change(D(2024, 12, 20), TaskState.DONE))
    assert classify(task, D(2024, 12, 16)).category == Category.LATE
    done = classify(task, D(2025, 1, 5))
    assert done.category == Category.DONE_LATE and done.done_on == D(2024, 12, 20)
    assert done.days_late == 19
    on_time = timeline(D(2024, 11, 1), D(2024, 12, 1), Change(D(2024, 12, 1), TaskState.DONE))
    assert classify(on_time, D(2025, 1, 5)).category == Category.DONE_ON_TIME


def test_extension_counts_from_its_approval():
    approved_later = timeline(
        D(2024, 10, 1),
        D(2024, 11, 30),
        Change(D(2024, 12, 20), sets_deadline=True, deadline=D(2025, 1, 31)),
    )
    assert classify(approved_later, D(2024, 12, 16)).category == Category.LATE
    assert classify(approved_later, D(2024, 12, 20)).category == Category.PENDING
    # Done on 10/1/2025, within the extended deadline: on time.
    approved_later.changes.append(Change(D(2025, 1, 10), TaskState.DONE))
    assert classify(approved_later, D(2025, 2, 1)).category == Category.DONE_ON_TIME


def test_cancelled_never_counts_from_its_date():
    task = timeline(D(2024, 10, 1), D(2024, 11, 1), Change(D(2024, 11, 20), TaskState.CANCELLED))
    assert classify(task, D(2024, 11, 10)).category == Category.LATE
    assert classify(task, D(2024, 12, 1)).category == Category.CANCELLED


def test_a_completion_recorded_later_with_an_earlier_date_wins():
    # Progress reported on 10/12, then the office confirms completion dated 8/12.
    task = timeline(
        D(2024, 11, 1),
        D(2024, 12, 9),
        Change(D(2024, 12, 10), TaskState.IN_PROGRESS),
        Change(D(2024, 12, 8), TaskState.DONE),
    )
    assert classify(task, D(2024, 12, 12)).category == Category.DONE_ON_TIME
    assert classify(task, D(2024, 12, 7)).category == Category.PENDING


def test_classify_tasks_reads_the_recorded_events(session, factory):
    dept = factory.department("Phòng Tài nguyên và Môi trường", 1)
    late = factory.task(dept, D(2024, 10, 1), D(2024, 11, 29))
    extended = factory.task(dept, D(2024, 10, 1), D(2024, 11, 29))
    change_deadline(session, extended, D(2025, 1, 15), effective_on=D(2024, 12, 10))
    done = factory.task(dept, D(2024, 10, 1), D(2024, 11, 29))
    change_state(session, done, TaskState.DONE, effective_on=D(2024, 11, 25))
    future = factory.task(dept, D(2024, 12, 20), D(2025, 1, 10))
    session.commit()

    statuses = {k: v[1] for k, v in classify_tasks(session, D(2024, 12, 16)).items()}
    assert statuses[late.id].category == Category.LATE
    assert statuses[extended.id].category == Category.PENDING
    assert statuses[done.id].category == Category.DONE_ON_TIME
    assert future.id not in statuses
    # Before the extension's approval the same task was late.
    earlier = classify_tasks(session, D(2024, 12, 5))
    assert earlier[extended.id][1].category == Category.LATE
    assert extended.deadline == D(2025, 1, 15) and extended.original_deadline == D(2024, 11, 29)


def test_sql_counts_agree_with_the_python_rule_on_the_demo(session):
    """``open_counts`` (in the database) and ``classify`` (in Python) are one rule."""
    from collections import Counter

    from app.core.classification import open_counts, open_statuses
    from app.core.office_scope import all_offices, use_office
    from app.dev.demo import seed_demo
    from app.models import Office

    seed_demo(session, D(2026, 11, 27), "pbkdf2:sha256:1000")
    session.commit()
    with all_offices():
        offices = session.scalars(select(Office.id).order_by(Office.id)).all()
    assert len(offices) == 8  # the city, the province, four wards and two communes
    days = (D(2024, 6, 1), D(2024, 12, 16), D(2024, 12, 20), D(2025, 3, 1), D(2025, 6, 30))
    days += (D(2025, 7, 1), D(2025, 8, 15), D(2026, 11, 27))  # the city ended on 01/07/2025
    opened = 0
    for office_id in offices:
        with use_office(office_id):
            for day in days:
                expected = Counter()
                for timeline, status in classify_tasks(session, day).values():
                    if status.category.is_open:
                        expected[(status.category, timeline.lead_department_id)] += 1
                got = {key: n for key, n in open_counts(session, day).items() if n}
                assert got == dict(expected), (office_id, day)
                python = {
                    i: st
                    for i, (_, st) in classify_tasks(session, day).items()
                    if st.category.is_open
                }
                assert open_statuses(session, day) == python, (office_id, day)
                opened += len(python)
    assert opened > 100


def test_a_task_handed_over_counts_no_more_from_that_day():
    """Its office ended: from the hand-over the task is neither open, nor done, nor cancelled
    there; every date before says what it said."""
    timeline = Timeline(
        issued_on=D(2025, 3, 3),
        changes=[
            Change(D(2025, 3, 3), TaskState.OPEN, True, D(2025, 4, 1)),
            Change(D(2025, 7, 1), TaskState.HANDED_OVER),
        ],
    )
    assert classify(timeline, D(2025, 6, 30)).category == Category.LATE
    assert classify(timeline, D(2025, 7, 1)) is None
    assert classify(timeline, D(2026, 1, 1)) is None
