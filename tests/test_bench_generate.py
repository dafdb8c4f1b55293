"""The benchmark's generated data is realistic enough to measure and obeys the app's rules."""

import datetime as dt
from collections import Counter

from sqlalchemy import func, select

from app.core.classification import classify_tasks, open_counts
from app.dev.generate import generate
from app.models import Department, Event, Task

TODAY = dt.date(2026, 11, 27)


def test_generated_history_agrees_with_the_as_of_rule(app, session):
    counts = generate(session, tasks=600, departments=12, years=2, today=TODAY, seed=7)
    session.commit()
    assert counts["tasks"] == 600 and counts["departments"] == 12
    assert 3 * 600 < counts["events"] < 8 * 600  # several events per task
    assert session.scalar(select(func.count(Department.id))) == 12
    # closed_on is what the events say: the day of the last recorded state change if closing.
    for task in session.scalars(select(Task)):
        last = session.scalar(
            select(Event)
            .where(Event.task_id == task.id, Event.state.is_not(None))
            .order_by(Event.id.desc())
            .limit(1)
        )
        assert last.state == task.state
        expected = last.effective_on if task.state in ("done", "cancelled") else None
        assert task.closed_on == expected, task.id
    for day in (TODAY - dt.timedelta(days=400), TODAY - dt.timedelta(days=30), TODAY):
        python = Counter()
        for timeline, status in classify_tasks(session, day).values():
            if status.category.is_open:
                python[(status.category, timeline.lead_department_id)] += 1
        sql = {key: n for key, n in open_counts(session, day).items() if n}
        assert sql == dict(python), day
    late_now = sum(
        n for (category, _), n in open_counts(session, TODAY).items() if category == "late"
    )
    assert late_now > 0


def _past_due_open_share(session) -> float:
    past_due = select(Task).where(Task.deadline < TODAY)
    total = session.scalar(select(func.count()).select_from(past_due.subquery()))
    still_open = session.scalar(
        select(func.count()).select_from(
            past_due.where(Task.state.not_in(("done", "cancelled"))).subquery()
        )
    )
    return still_open / total


def test_the_backlog_setting_leaves_that_share_of_past_due_tasks_open(app, session):
    generate(session, tasks=3000, departments=10, years=2, today=TODAY, seed=11, backlog=0.3)
    session.commit()
    assert 0.26 < _past_due_open_share(session) < 0.34


def test_by_default_nearly_every_past_due_task_is_closed(app, session):
    generate(session, tasks=3000, departments=10, years=2, today=TODAY, seed=11)
    session.commit()
    assert _past_due_open_share(session) < 0.04


def test_a_province_of_offices_each_holding_its_own_work(app, session):
    """``--communes``: the installation's office becomes the province's, each commune an
    office below it standing for one of its units, with its own units, users and tasks; the
    province's table counts what the as-of rule counts in each office."""
    from app.core.office_scope import all_offices, use_office
    from app.dev.generate.offices import generate_offices
    from app.models import Document, Office, User
    from app.offices.province_table import province_rows

    counts = generate_offices(session, 900, 3, 200, 2, TODAY, seed=3, members=4)
    assert counts["offices"] == 4 and counts["tasks"] == 900 + 3 * 200
    with all_offices():
        province = session.scalar(select(Office).where(Office.parent_id.is_(None)))
        communes = session.scalars(select(Office).where(Office.parent_id == province.id)).all()
        assert province.level == "province" and len(communes) == 3
        for office in communes:
            tasks = session.scalar(select(func.count(Task.id)).where(Task.office_id == office.id))
            assert tasks == 200
            # every row of the office's work is the office's: the documents, events, units
            for model in (Document, Event, Department, User):
                column = model.office_id
                mine = select(func.count()).select_from(model).where(column == office.id)
                assert session.scalar(mine) > 0, model
            unit = session.get(Department, office.parent_unit_id)
            assert unit.office_id == province.id and unit.name.startswith("UBND ")
        # the province: its office user and a head for each of 27 agencies and 3 communes
        assert session.scalar(select(func.count(User.id))) == 1 + (27 + 3) + 3 * (1 + 10 + 4)
    for day in (TODAY - dt.timedelta(days=200), TODAY):
        with use_office(province.id):
            table = province_rows(session, province, day)
            per_unit = Counter()
            for timeline, status in classify_tasks(session, day).values():
                if status.category != "cancelled":
                    per_unit[timeline.lead_department_id] += 1
        assert [row.given.total for row in table.rows] == [
            per_unit[office.parent_unit_id] for office in communes
        ]
        assert sum(row.given.total for row in table.rows) > 100
        for row in table.rows:
            with use_office(row.office.id):
                own = open_counts(session, day)
            assert row.own_open == sum(own.values())
            assert row.own_overdue == sum(n for (c, _), n in own.items() if c == "late")
        assert table.total.own_open > 0


def test_the_comparison_reads_no_task_closed_for_good_and_finds_the_same_changes(app, session):
    """``compare`` leaves out the tasks closed for good before its first date: what it finds is
    what it finds reading every task (every ``closed_on`` cleared, so none is left out)."""
    from sqlalchemy import update

    from app.models.documents import TaskState
    from app.reports.detail import compare
    from app.tasks.changes import change_state

    generate(session, tasks=1500, departments=8, years=2, today=TODAY, seed=13)
    reopened = session.scalar(select(Task).where(Task.state == TaskState.DONE).limit(1))
    change_state(session, reopened, TaskState.IN_PROGRESS, effective_on=TODAY)
    session.commit()

    def found(before, after):  # (each list in the order of its tasks' ids, on every database)
        return [
            (c.department.id, *[[t.id for t in lst] for lst in (c.newly_late, c.resolved, c.new)])
            for c in compare(session, before, after)
        ]

    pairs = [(TODAY - dt.timedelta(days=31), TODAY), (dt.date(2025, 6, 1), dt.date(2025, 9, 30))]
    quick = [found(*pair) for pair in pairs]
    session.execute(update(Task).values(closed_on=None))
    assert [found(*pair) for pair in pairs] == quick
    assert all(any(lst for change in changes for lst in change[1:]) for changes in quick)
    session.rollback()
