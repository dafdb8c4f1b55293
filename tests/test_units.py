"""Organisation changes: renames, mergers, splits and dissolutions on a date.

Every as-of figure counts a task under the unit that led it on the as-of date, named as it was
then; the section as of a date before a change reads exactly as before the change was entered.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.core.classification import Category, classify_tasks, open_counts, open_counts_on
from app.models import Event, Reminder, Task, TaskTransfer, User
from app.models.documents import TaskState
from app.models.history import EventKind
from app.models.people import Role
from app.reminders.decide import decide_digests
from app.reports.detail import build_detail, compare
from app.reports.statistics import build_statistics, build_trend
from app.reports.summary import build_summary, summary_text
from app.tasks import history
from app.tasks.changes import change_state, edit_task
from app.units import reorganise
from app.units.reorganise import ReorganisationError

TODAY = dt.date(2026, 6, 30)
CHANGE = dt.date(2025, 3, 1)
BEFORE = dt.date(2024, 12, 16)


class Office:
    """Two units about to merge, a third that stays, tasks open and closed on each side."""

    def __init__(self, session, factory) -> None:
        self.session = session
        self.tnmt = factory.department("Phòng Tài nguyên và Môi trường", 1, "TNMT")
        self.nn = factory.department("Phòng Nông nghiệp và Phát triển nông thôn", 2, "NN")
        self.qldt = factory.department("Phòng Quản lý đô thị thành phố", 3, "QLĐT")
        self.tnmt_head = factory.user("tnmt.truong", Role.DEPARTMENT_HEAD, self.tnmt)
        self.tnmt_cv = factory.user("tnmt.cv", Role.DEPARTMENT_MEMBER, self.tnmt)
        self.nn_head = factory.user("nn.truong", Role.DEPARTMENT_HEAD, self.nn)
        self.qldt_head = factory.user("qldt.truong", Role.DEPARTMENT_HEAD, self.qldt)
        issued = dt.date(2024, 10, 1)
        # chậm on 16/12/2024, still open today
        self.late = factory.task(self.tnmt, issued, dt.date(2024, 11, 30), content="Đất đai")
        # chưa on 16/12/2024 (no deadline), open today, QLĐT cooperating
        self.standing = factory.task(
            self.nn, issued, None, cooperators=[self.qldt], content="Thủy lợi"
        )
        # QLĐT leads, TNMT cooperates
        self.shared = factory.task(
            self.qldt, issued, dt.date(2025, 6, 30), cooperators=[self.tnmt], content="Cây xanh"
        )
        # done before the change: stays with TNMT
        self.closed = factory.task(self.tnmt, issued, dt.date(2024, 12, 31), content="Khoáng sản")
        change_state(
            session, self.closed, TaskState.DONE, effective_on=dt.date(2025, 1, 10), by=None
        )
        session.commit()

    def section(self, day: dt.date) -> str:
        return summary_text(build_summary(self.session, day))


@pytest.fixture
def office(session, factory) -> Office:
    return Office(session, factory)


def _merge(session, office, **kwargs):
    change = reorganise.merge(
        session,
        [office.tnmt, office.nn],
        "Phòng Nông nghiệp và Môi trường",
        on=CHANGE,
        today=TODAY,
        decision="Quyết định số 45/QĐ-UBND ngày 20/02/2025",
        **kwargs,
    )
    session.commit()
    return change


def test_a_merger_keeps_every_earlier_section_and_counts_the_successor_after(session, office):
    before = {day: office.section(day) for day in (BEFORE, dt.date(2025, 2, 28))}
    assert "+ Phòng Tài nguyên và Môi trường: 01 nội dung" in before[BEFORE]
    change = _merge(session, office, head=office.nn_head)
    target = change.units("to")[0]

    for day, text in before.items():
        assert office.section(day) == text, day
    after = office.section(dt.date(2025, 3, 1))
    assert "Phòng Tài nguyên và Môi trường" not in after
    assert "Phòng Nông nghiệp và Phát triển nông thôn" not in after
    # chậm: the TNMT task; chưa: the NN standing task and QLĐT's own (deadline 30/06/2025)
    assert "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 01 nội dung" in after
    assert "+ Phòng Nông nghiệp và Môi trường: 01 nội dung" in after
    counts = open_counts(session, dt.date(2025, 3, 1))
    assert counts[(Category.LATE, target.id)] == 1
    assert counts[(Category.PENDING, target.id)] == 1

    # the units ended, the successor lives from the change date
    assert office.tnmt.ended_on == CHANGE and not office.tnmt.is_active
    assert target.created_on == CHANGE and target.is_active
    # open tasks moved with an event naming the decision; the closed one stayed
    assert office.late.lead_department_id == target.id
    assert office.standing.lead_department_id == target.id
    assert office.closed.lead_department_id == office.tnmt.id
    assert [d.name for d in office.shared.cooperating_departments] == [target.name]
    events = session.scalars(
        select(Event).where(Event.task_id == office.late.id, Event.kind == EventKind.TRANSFERRED)
    ).all()
    assert len(events) == 1 and events[0].effective_on == CHANGE
    assert events[0].comment == (
        "Chuyển từ Phòng Tài nguyên và Môi trường sang Phòng Nông nghiệp và Môi trường "
        "theo Quyết định số 45/QĐ-UBND ngày 20/02/2025"
    )
    # people moved; the chosen head is the only head
    for user in (office.tnmt_head, office.tnmt_cv, office.nn_head):
        assert user.department_id == target.id
    assert office.nn_head.role == Role.DEPARTMENT_HEAD
    assert office.tnmt_head.role == Role.DEPARTMENT_MEMBER
    assert office.qldt_head.department_id == office.qldt.id


def test_the_sql_and_python_rules_agree_on_the_lead_on_each_day(session, office):
    _merge(session, office)
    days = [BEFORE, dt.date(2025, 2, 28), CHANGE, dt.date(2025, 7, 1), TODAY]
    trend = open_counts_on(session, days)
    for day in days:
        python: dict[tuple, int] = {}
        for _task_id, (timeline, status) in classify_tasks(session, day).items():
            if status.category.is_open:
                key = (status.category, timeline.lead_department_id)
                python[key] = python.get(key, 0) + 1
        sql = {k: n for k, n in open_counts(session, day).items() if n}
        assert sql == python, day
        assert {k: n for k, n in trend[day].items() if n} == python, day


def test_detail_statistics_and_comparison_name_units_as_on_the_date(session, office):
    _merge(session, office)
    target = office.late.lead_department
    table = build_detail(session, BEFORE)
    leads = [
        (g.department.name, [r.lead.name for r in g.rows]) for s in table.sections for g in s.groups
    ]
    assert ("Phòng Tài nguyên và Môi trường", ["Phòng Tài nguyên và Môi trường"]) in leads
    assert not any(name == target.name for name, _rows in leads)
    # one unit's table as of a past date: the tasks it led then
    assert [r.task.id for s in build_detail(session, BEFORE, department_id=office.tnmt.id).sections
            for g in s.groups for r in g.rows] == [office.late.id, office.closed.id]  # fmt: skip
    assert not any(build_detail(session, BEFORE, department_id=target.id).sections[i].groups
                   for i in (0, 1))  # fmt: skip
    later = build_detail(session, dt.date(2025, 4, 1), department_id=target.id)
    assert sorted(r.task.id for s in later.sections for g in s.groups for r in g.rows) == sorted(
        [office.late.id, office.standing.id]
    )

    stats = build_statistics(session, dt.date(2024, 1, 1), dt.date(2024, 12, 31), BEFORE)
    names = {row.department.name: row.total for row in stats.rows}
    assert names["Phòng Tài nguyên và Môi trường"] == 2
    assert target.name not in names
    stats = build_statistics(session, dt.date(2024, 1, 1), dt.date(2024, 12, 31), TODAY)
    names = {row.department.name: row.total for row in stats.rows}
    # the task closed before the change stays with TNMT; the open ones count for the successor
    assert names["Phòng Tài nguyên và Môi trường"] == 1
    assert names[target.name] == 2

    changes = compare(session, BEFORE, dt.date(2025, 4, 1))
    assert {c.department.name for c in changes} >= {"Phòng Tài nguyên và Môi trường"}
    trend = build_trend(session, dt.date(2025, 4, 30), months=6, department_id=office.tnmt.id)
    by_month = {p.as_of: p.late + p.pending for p in trend.points}
    assert by_month[dt.date(2025, 2, 28)] == 1 and by_month[dt.date(2025, 3, 31)] == 0


def test_a_change_entered_after_the_fact_and_a_transferred_task_completed(session, office):
    # The merger on 01/03/2025 is entered only on 30/06/2026; the late task was completed on
    # 10/05/2025 by the successor after the hand-over.
    first = office.section(BEFORE)
    _merge(session, office)
    change_state(session, office.late, TaskState.DONE, effective_on=dt.date(2025, 5, 10), by=None)
    session.commit()
    target = office.late.lead_department
    assert office.section(BEFORE) == first
    assert "+ Phòng Nông nghiệp và Môi trường: 01 nội dung" in office.section(dt.date(2025, 5, 9))
    assert "chậm tham mưu giải quyết: không có" in office.section(dt.date(2025, 5, 10))
    stats = build_statistics(session, dt.date(2024, 1, 1), dt.date(2024, 12, 31), TODAY)
    late_done = {r.department.name: r.counts for r in stats.rows}
    assert late_done[target.name]["done_late"] == 1
    # the task's history tells the hand-over in order
    titles = [entry.title for entry in history.timeline(session, office.late)]
    assert "Chuyển đơn vị theo thay đổi tổ chức" in titles


def test_a_rename_keeps_the_old_name_on_earlier_dates(session, office):
    reorganise.rename(
        session, office.qldt, "Phòng Quản lý đô thị", on=dt.date(2025, 1, 1), today=TODAY
    )
    session.commit()
    assert "+ Phòng Quản lý đô thị thành phố:" in office.section(dt.date(2024, 12, 31))
    after = office.section(dt.date(2025, 1, 1))
    assert "+ Phòng Quản lý đô thị:" in after and "thành phố:" not in after
    assert office.qldt.name == "Phòng Quản lý đô thị"
    assert office.shared.lead_department_id == office.qldt.id  # nothing moved
    # a second rename: each name on its own dates
    reorganise.rename(session, office.qldt, "Phòng Đô thị", on=dt.date(2025, 6, 1), today=TODAY)
    session.commit()
    assert "+ Phòng Quản lý đô thị thành phố:" in office.section(dt.date(2024, 12, 31))
    assert "+ Phòng Quản lý đô thị:" in office.section(dt.date(2025, 5, 31))
    assert "+ Phòng Đô thị:" in office.section(dt.date(2025, 6, 1))
    lines = [reorganise.describe(c) for c in reorganise.history(session, office.qldt)]
    assert lines == [
        "01/01/2025: Đổi tên “Phòng Quản lý đô thị thành phố” thành “Phòng Quản lý đô thị”",
        "01/06/2025: Đổi tên “Phòng Quản lý đô thị” thành “Phòng Đô thị”",
    ]


def test_a_split_hands_each_open_task_to_the_unit_chosen_for_it(session, office):
    into = ["Phòng Tài nguyên", "Phòng Môi trường"]
    with pytest.raises(ReorganisationError, match="NV-") as error:
        reorganise.split(
            session, office.tnmt, into, assign={}, on=CHANGE, today=TODAY, decision="QĐ 7"
        )
    # nothing was written: the unit lives on, the tasks did not move
    assert "chưa chọn đơn vị nhận" in str(error.value)
    session.rollback()
    assert office.tnmt.ended_on is None
    assert session.scalar(select(TaskTransfer.id)) is None

    assign = {office.late.id: "Phòng Môi trường", office.shared.id: "Phòng Tài nguyên"}
    change = reorganise.split(
        session, office.tnmt, into, assign=assign, on=CHANGE, today=TODAY, decision="QĐ 7"
    )
    session.commit()
    first, second = change.units("to")
    assert (first.name, second.name) == tuple(into)
    assert office.late.lead_department_id == second.id
    assert first in office.shared.cooperating_departments
    assert office.tnmt not in office.shared.cooperating_departments
    assert office.tnmt_head.department_id == first.id  # people go to the first unit
    assert "+ Phòng Tài nguyên và Môi trường: 01 nội dung" in office.section(BEFORE)
    assert "+ Phòng Môi trường: 01 nội dung" in office.section(CHANGE)


def test_a_dissolution_is_refused_while_the_unit_leads_open_tasks(session, office):
    with pytest.raises(ReorganisationError, match="còn chủ trì 1 nhiệm vụ đang mở"):
        reorganise.dissolve(session, office.nn, on=CHANGE, today=TODAY)
    session.rollback()
    assert office.nn.ended_on is None
    change_state(session, office.standing, TaskState.CANCELLED, effective_on=dt.date(2025, 2, 1))
    session.commit()
    # NN now leads nothing open: it can go; it cooperated on nothing, its people are closed
    reorganise.dissolve(session, office.nn, on=CHANGE, today=TODAY, decision="QĐ 9")
    session.commit()
    assert office.nn.ended_on == CHANGE and not office.nn.is_active
    assert not office.nn_head.is_active
    # a unit that only cooperates: its place is dropped with an event
    office_tnmt_tasks = reorganise.open_tasks_led(session, office.tnmt)
    for task in office_tnmt_tasks:
        change_state(session, task, TaskState.DONE, effective_on=dt.date(2025, 2, 1))
    reorganise.dissolve(session, office.tnmt, on=CHANGE, today=TODAY)
    session.commit()
    assert office.shared.cooperating_departments == []


def test_dates_out_of_order_in_the_future_or_names_taken_are_refused(session, office):
    with pytest.raises(ReorganisationError, match="sau hôm nay"):
        reorganise.rename(session, office.qldt, "Phòng X", on=TODAY + dt.timedelta(1), today=TODAY)
    reorganise.rename(session, office.qldt, "Phòng X", on=dt.date(2025, 6, 1), today=TODAY)
    session.commit()
    with pytest.raises(ReorganisationError, match="theo thứ tự ngày"):
        reorganise.rename(session, office.qldt, "Phòng Y", on=dt.date(2025, 5, 1), today=TODAY)
    with pytest.raises(ReorganisationError, match="đã là tên của một đơn vị khác"):
        reorganise.rename(session, office.qldt, office.tnmt.name.upper(), on=TODAY, today=TODAY)
    # names compare as people read them: Vietnamese capitals and spacing aside
    reorganise.rename(session, office.qldt, "Ủy ban Kiểm tra", on=TODAY, today=TODAY)
    with pytest.raises(ReorganisationError, match="đã là tên của một đơn vị khác"):
        reorganise.rename(session, office.nn, " ủy  ban kiểm TRA ", on=TODAY, today=TODAY)
    session.rollback()
    _merge(session, office)
    with pytest.raises(ReorganisationError, match="đã thôi hoạt động"):
        reorganise.rename(session, office.tnmt, "Phòng Z", on=TODAY, today=TODAY)
    target = office.late.lead_department
    with pytest.raises(ReorganisationError, match="sau ngày đó"):
        reorganise.merge(session, [target], office.qldt, on=CHANGE, today=TODAY)


def test_correcting_the_lead_after_a_transfer_changes_only_the_current_period(session, office):
    _merge(session, office)
    edit_task(session, office.late, effective_on=TODAY, lead=office.qldt)
    session.commit()
    assert "+ Phòng Tài nguyên và Môi trường: 01 nội dung" in office.section(BEFORE)
    counts = open_counts(session, CHANGE)
    assert counts[(Category.LATE, office.qldt.id)] == 1


def test_reminders_after_the_change_go_to_the_successors_people_only(session, office, factory):
    _merge(session, office, head=office.nn_head)
    target = office.late.lead_department
    target.email = ""
    session.commit()
    decide_digests(session, TODAY, "2026-W27")
    session.commit()
    reminders = session.scalars(select(Reminder)).all()
    departments = {r.department_id for r in reminders}
    assert office.tnmt.id not in departments and office.nn.id not in departments
    assert target.id in departments
    to_target = {r.recipient_email for r in reminders if r.department_id == target.id}
    assert "nn.truong@example.vn" in to_target
    assert all(r.user_id is None or session.get(User, r.user_id).department_id != office.tnmt.id
               for r in reminders)  # fmt: skip


def test_cli_changes_and_history(app, session, office, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=[
            "units",
            "rename",
            "QLĐT",
            "Phòng Quản lý đô thị",
            "--date",
            "2025-01-01",
            "--decision",
            "QĐ 1",
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    assert "Đổi tên “Phòng Quản lý đô thị thành phố” thành “Phòng Quản lý đô thị”" in result.output
    result = runner.invoke(
        args=[
            "units",
            "merge",
            "TNMT",
            "NN",
            "--into",
            "Phòng Nông nghiệp và Môi trường",
            "--date",
            "2025-03-01",
            "--head",
            "nn.truong",
        ]  # fmt: skip
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert office.late.lead_department.name == "Phòng Nông nghiệp và Môi trường"
    assignments = tmp_path / "assign.csv"
    assignments.write_text(
        f"Mã nhiệm vụ,Đơn vị nhận\n{office.late.code},Phòng Môi trường\n"
        f"{office.standing.code},Phòng Nông nghiệp\n{office.shared.code},Phòng Môi trường\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        args=["units", "split", "Phòng Nông nghiệp và Môi trường", "--into", "Phòng Nông nghiệp",
              "--into", "Phòng Môi trường", "--date", "2025-09-01", "--assign", str(assignments)]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert office.late.lead_department.name == "Phòng Môi trường"
    # the task's lead on each date follows both changes
    assert "+ Phòng Tài nguyên và Môi trường: 01" in office.section(BEFORE)
    assert "+ Phòng Nông nghiệp và Môi trường: 01" in office.section(dt.date(2025, 8, 31))
    assert "+ Phòng Môi trường: 01" in office.section(dt.date(2025, 9, 1))
    result = runner.invoke(args=["units", "history"])
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "01/01/2025: Đổi tên “Phòng Quản lý đô thị thành phố” thành “Phòng Quản lý đô thị” "
        "(căn cứ: QĐ 1)",
        "01/03/2025: Hợp nhất Phòng Tài nguyên và Môi trường, Phòng Nông nghiệp và Phát triển "
        "nông thôn vào Phòng Nông nghiệp và Môi trường",
        "01/09/2025: Chia tách Phòng Nông nghiệp và Môi trường thành Phòng Nông nghiệp, "
        "Phòng Môi trường",
    ]
    result = runner.invoke(args=["units", "history", "Phòng Quản lý đô thị thành phố"])
    assert result.output.count("\n") == 1
    result = runner.invoke(args=["units", "dissolve", "Phòng Môi trường", "--date", "2025-10-01"])
    assert result.exit_code == 1 and "còn chủ trì 1 nhiệm vụ đang mở" in result.output
    result = runner.invoke(args=["units", "rename", "Không có", "X", "--date", "2025-10-01"])
    assert result.exit_code == 1 and "Không có đơn vị “Không có”" in result.output


IMPORT_HEADERS = [
    "Số ký hiệu", "Ngày ban hành", "Cơ quan ban hành", "Loại văn bản", "Trích yếu",
    "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn", "Tình trạng",
    "Ngày hoàn thành", "Ghi chú",
]  # fmt: skip


def _import(session, *rows):
    import io

    from app.importing import import_tasks

    text = ";".join(IMPORT_HEADERS) + "\n" + "".join(";".join(r) + "\n" for r in rows)
    return import_tasks(session, io.BytesIO(text.encode("utf-8-sig")), "bang.csv", today=TODAY)


def test_imports_across_the_change_date_go_to_the_unit_of_that_date(session, office):
    _merge(session, office)
    target = office.late.lead_department
    result = _import(
        session,
        # after the merger, naming a former unit: the successor, and the result says so
        ["5/TB-UBND", "10/04/2025", "UBND thành phố", "", "", "Rà soát đất công", "TNMT", "NN",
         "30/04/2025", "", "", ""],
        # before the merger, still open: led by TNMT then, handed over on 01/03/2025
        ["3/TB-UBND", "10/11/2024", "UBND thành phố", "", "", "Đo đạc bản đồ", "TNMT", "",
         "30/11/2024", "", "", ""],
        # before the merger and completed before it: stays with TNMT
        ["4/TB-UBND", "12/11/2024", "UBND thành phố", "", "", "Cấp phép khai thác", "TNMT", "",
         "30/11/2024", "Đã hoàn thành", "20/01/2025", ""],
    )  # fmt: skip
    session.commit()
    tasks = {t.content: t for t in session.scalars(select(Task))}
    assert tasks["Rà soát đất công"].lead_department_id == target.id
    assert tasks["Rà soát đất công"].cooperating_departments == []  # NN is the same successor
    assert tasks["Đo đạc bản đồ"].lead_department_id == target.id
    assert tasks["Cấp phép khai thác"].lead_department_id == office.tnmt.id
    lines = result.lines()
    assert any(
        line.startswith("Dòng 2: văn bản ban hành ngày 10/04/2025, sau khi “Phòng Tài nguyên "
                        "và Môi trường” hợp nhất vào “Phòng Nông nghiệp và Môi trường”")
        for line in lines
    ), lines  # fmt: skip
    assert "Nhiệm vụ đang mở của đơn vị đã hợp nhất, chuyển cho đơn vị kế thừa: 1" in lines
    # as of 16/12/2024 the open older task counts under TNMT, as of 01/03/2025 the successor
    assert "+ Phòng Tài nguyên và Môi trường: 03 nội dung" in office.section(BEFORE)
    counts = open_counts(session, CHANGE)
    assert counts[(Category.LATE, target.id)] == 2


def test_an_import_naming_a_split_unit_after_the_split_is_refused(session, office):
    from app.importing import ImportFailed

    reorganise.split(
        session,
        office.qldt,
        ["Phòng Đô thị", "Phòng Xây dựng"],
        assign={office.shared.id: "Phòng Đô thị", office.standing.id: "Phòng Xây dựng"},
        on=CHANGE,
        today=TODAY,
    )
    session.commit()
    with pytest.raises(ImportFailed) as failed:
        _import(
            session,
            ["5/TB-UBND", "10/04/2025", "UBND thành phố", "", "", "Cây xanh", "QLĐT", "",
             "30/04/2025", "", "", ""],
        )  # fmt: skip
    assert "đã thôi hoạt động từ ngày 01/03/2025 (chia tách hoặc giải thể)" in str(
        failed.value.problems[0]
    )


@pytest.fixture
def in_the_city():
    """The demo has several offices: the test reads the city office's, where the merger was."""
    from app.core.office_scope import use_office
    from app.dev.demo import city_office_id

    with use_office(city_office_id()):
        yield


def test_the_demo_merger_shows_the_successor_today_and_the_seed_section_before(
    app, session, client, in_the_city
):
    from app.dev.demo import SCENARIO_DATE, SUCCESSOR, seed_demo
    from app.models import Department
    from tests.test_summary import SEED_SECTION

    def login(client, user):
        client.post("/dang-xuat")
        form = {"username": user.username, "password": "demo1234"}
        assert client.post("/dang-nhap", data=form).status_code == 302

    users = seed_demo(session, dt.date(2026, 11, 27), "pbkdf2:sha256:1000")
    session.commit()
    assert summary_text(build_summary(session, SCENARIO_DATE)) == SEED_SECTION
    day_before = summary_text(build_summary(session, dt.date(2025, 2, 28)))
    assert "+ Trung tâm Phát triển quỹ đất:" in day_before
    assert "+ Ban Quản lý dự án đầu tư xây dựng thành phố: 01 nội dung" in day_before
    on_the_day = summary_text(build_summary(session, dt.date(2025, 3, 1)))
    assert "+ Trung tâm Phát triển quỹ đất:" not in on_the_day
    assert "+ Ban Quản lý dự án đầu tư xây dựng thành phố:" not in on_the_day
    assert "+ Ban Quản lý dự án đầu tư xây dựng và Phát triển quỹ đất thành phố:" in on_the_day

    successor = session.scalar(select(Department).where(Department.name == SUCCESSOR))
    assert users["bqlda.truong"].department_id == successor.id
    assert users["ttptqd.truong"].role == Role.DEPARTMENT_HEAD
    assert users["bqlda.truong"].role == Role.DEPARTMENT_MEMBER

    login(client, users["lanhdao"])
    dashboard = client.get("/").get_data(as_text=True)
    # The city office ended on 01/07/2025, its open tasks handed over: today its dashboard has
    # no unit with open work (the successor named as of the reports' dates below).
    assert SUCCESSOR not in dashboard
    assert ">Trung tâm Phát triển quỹ đất<" not in dashboard

    # the report page offers the units of its as-of date, named as then
    def offered(as_of):
        page = client.get(f"/bao-cao?as_of={as_of}").get_data(as_text=True)
        return page.split('name="department"')[1].split("</select>")[0]

    assert ">Trung tâm Phát triển quỹ đất<" in offered("16/12/2024")
    assert SUCCESSOR not in offered("16/12/2024")
    assert SUCCESSOR in offered("01/03/2025")
    assert ">Trung tâm Phát triển quỹ đất<" not in offered("01/03/2025")

    tasks = client.get("/nhiem-vu").get_data(as_text=True)
    current, former = tasks.split('<optgroup label="Đơn vị đã thôi hoạt động">')
    assert SUCCESSOR in current.split('id="department"')[1]
    assert ">Trung tâm Phát triển quỹ đất<" in former.split("</optgroup>")[0]

    login(client, users["admin"])
    units = client.get("/quan-tri/don-vi").get_data(as_text=True)
    assert SUCCESSOR in units and "Trung tâm Phát triển quỹ đất<" not in units
    assert "01/03/2025: Hợp nhất Ban Quản lý dự án đầu tư xây dựng thành phố, Trung tâm" in units
    units = client.get("/quan-tri/don-vi?truoc-day=1").get_data(as_text=True)
    assert "thôi hoạt động từ 01/03/2025" in units


def confirm(client, url, data):
    """Post a change: its preview must save nothing; then confirm it as the page does, posting
    back the inputs the preview carries."""
    from tests.test_units_preview import preview_form

    preview = client.post(url, data=data)
    assert preview.status_code == 200, preview.get_data(as_text=True)
    return client.post(url, data=preview_form(preview.get_data(as_text=True)))


def test_the_admin_pages_rename_merge_split_and_dissolve(app, session, client, office, factory):
    from tests.conftest import login

    admin = factory.user("admin", Role.ADMIN)
    session.commit()
    login(client, admin)
    page = client.get("/quan-tri/to-chuc").get_data(as_text=True)
    assert "Chưa có thay đổi tổ chức nào." in page and "Đổi tên" in page

    # a rename for a past date: previewed, confirmed, then the history lists it
    response = confirm(
        client, "/quan-tri/to-chuc/doi-ten",
        {"doi-ten-unit": office.qldt.id, "doi-ten-new_name": "Phòng Đô thị",
         "doi-ten-effective_on": "01/01/2025", "doi-ten-decision": "QĐ 1/QĐ-UBND"},
    )  # fmt: skip
    assert response.status_code == 302, response.get_data(as_text=True)
    assert "01/01/2025: Đổi tên “Phòng Quản lý đô thị thành phố” thành “Phòng Đô thị”" in (
        client.get("/quan-tri/to-chuc").get_data(as_text=True)
    )
    # a change in the future is refused with the reason, nothing saved
    response = client.post(
        "/quan-tri/to-chuc/giai-the",
        data={"giai-the-unit": office.nn.id, "giai-the-effective_on": "01/01/2099"},
    )
    assert response.status_code == 400 and "sau hôm nay" in response.get_data(as_text=True)
    # a merger needs either an existing unit or a new name, not both
    both = {"hop-nhat-units": [office.tnmt.id, office.nn.id], "hop-nhat-into": office.qldt.id,
            "hop-nhat-new_name": "Phòng Mới", "hop-nhat-effective_on": "01/03/2025"}  # fmt: skip
    response = client.post("/quan-tri/to-chuc/hop-nhat", data=both)
    assert response.status_code == 400 and "một trong hai" in response.get_data(as_text=True)

    # a split: first the transfer page lists every open task, then every one must be given
    step = {"chia-tach-unit": office.tnmt.id,
            "chia-tach-new_names": "Phòng Tài nguyên\nPhòng Môi trường",
            "chia-tach-effective_on": "01/03/2025", "chia-tach-decision": "QĐ 7"}  # fmt: skip
    page = client.post("/quan-tri/to-chuc/chia-tach", data=step).get_data(as_text=True)
    assert f'name="assign-{office.late.id}"' in page and f'name="assign-{office.shared.id}"' in page
    assert office.tnmt.ended_on is None
    partial = {**step, "step": "assign", f"assign-{office.late.id}": "Phòng Môi trường"}
    response = client.post("/quan-tri/to-chuc/chia-tach", data=partial)
    assert response.status_code == 400
    assert f"{office.shared.code}: chưa chọn đơn vị nhận." in response.get_data(as_text=True)
    session.expire_all()
    assert office.tnmt.ended_on is None
    full = {**partial, "assign-default": "Phòng Tài nguyên"}  # for every task not chosen alone
    response = confirm(client, "/quan-tri/to-chuc/chia-tach", full)
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    assert office.tnmt.ended_on == CHANGE
    assert office.late.lead_department.name == "Phòng Môi trường"
    assert [d.name for d in office.shared.cooperating_departments] == ["Phòng Tài nguyên"]
    change = reorganise.history(session)[-1]
    assert change.entered_by_id == admin.id and change.decision == "QĐ 7"
