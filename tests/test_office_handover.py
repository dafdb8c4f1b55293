"""An office ends on a date and hands its open tasks to successor offices (issue 32, item 4).

A city office with tasks open, done and cancelled before 1 July 2025 (history on both sides:
progress, an extension, files); a province office existing all along and a ward office
created that day. Each report of the city dated before the end is the same before and after
the hand-over; from that day the city has no open task and the successors have the copies;
nothing is written while a task lacks a place; a task closed before stays where it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.classification import open_counts, open_statuses
from app.core.office_scope import use_office
from app.core.timeutil import local_today
from app.models import Attachment, Document, Event, Issuer, Office, Series, Task
from app.models.documents import TaskState
from app.models.history import EventKind
from app.models.offices import OfficeLevel
from app.models.people import Role
from app.offices import handover
from app.offices.registry import create_office
from app.reports.detail import build_detail
from app.reports.statistics import build_statistics, build_trend
from app.reports.summary import build_summary, summary_text
from app.tasks.changes import change_deadline, change_state
from app.tasks.queries import task_category
from app.tasks.workflow import WorkflowError, report_progress
from conftest import PASSWORD

D = dt.date(2025, 7, 1)
DECISION = "Nghị quyết số 1656/NQ-UBTVQH15"
PDF = b"%PDF-1.4 thong bao ket luan\n"


class Reform:
    """The city office (office 1) and its successors."""

    def __init__(self, session, factory, folder: Path) -> None:
        self.session = session
        self.city = session.get(Office, 1)
        self.city.code, self.city.name = "TP", "Văn phòng HĐND và UBND thành phố"
        self.city.level = OfficeLevel.DISTRICT
        self.land = factory.department("Phòng Tài nguyên và Môi trường", 1)
        self.urban = factory.department("Phòng Quản lý đô thị thành phố", 2)
        self.culture = factory.department("Phòng Văn hóa – Xã hội", 3)
        self.clerk = factory.user("vanphong", Role.OFFICE)
        head = factory.user("qldt.truong", Role.DEPARTMENT_HEAD, self.urban)
        # late on 30/06 (extended once, in 2025), with a cooperating unit the ward also has
        self.late = factory.task(
            self.land, dt.date(2025, 3, 3), dt.date(2025, 4, 1), cooperators=[self.culture],
            content="Rà soát đất công tại phường Tam Thanh",
        )  # fmt: skip
        self.late.document.summary = "Kết luận về quản lý đất đai"
        change_deadline(
            session, self.late, dt.date(2025, 5, 15), effective_on=dt.date(2025, 3, 30)
        )  # fmt: skip
        # in progress, due after the end; a second task of the same document
        self.pending = factory.task(
            self.urban, dt.date(2025, 6, 2), dt.date(2025, 8, 1),
            content="Kiểm tra công trình sai phép",
        )  # fmt: skip
        report_progress(
            session, self.pending, head, "Đã kiểm tra hiện trường", dt.date(2025, 6, 10)
        )
        self.sibling = factory.task(
            self.culture, dt.date(2025, 6, 2), None, document=self.pending.document,
            content="Tuyên truyền nếp sống văn minh đô thị",
        )  # fmt: skip
        # closed before the end: stay as they are
        self.done = factory.task(self.land, dt.date(2025, 2, 3), dt.date(2025, 3, 3))
        change_state(session, self.done, TaskState.DONE, effective_on=dt.date(2025, 2, 20))
        self.cancelled = factory.task(self.urban, dt.date(2025, 1, 6), dt.date(2025, 2, 3))
        change_state(
            session, self.cancelled, TaskState.CANCELLED, effective_on=dt.date(2025, 1, 20)
        )
        # files: the document's PDF and a task's file
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "doc1.pdf").write_bytes(PDF)
        (folder / "task1.pdf").write_bytes(b"%PDF-1.4 bien ban kiem tra\n")
        session.add_all([
            Attachment(document_id=self.late.document_id, filename="Thông báo.pdf",
                       stored_name="doc1.pdf", content_type="application/pdf", size=len(PDF)),
            Attachment(task_id=self.pending.id, filename="Biên bản.pdf", stored_name="task1.pdf",
                       content_type="application/pdf", size=27),
        ])  # fmt: skip
        session.flush()
        # the successors: the province all along, the ward from the end date
        self.province = create_office(session, "T", "Văn phòng UBND tỉnh", OfficeLevel.PROVINCE)
        with use_office(self.province.id):
            self.building = factory.department("Sở Xây dựng", 1)
            self.province_admin = factory.user("tinh.admin", Role.ADMIN)
            self.province_admin.installation_admin = True
        self.ward = create_office(
            session, "P1", "Văn phòng HĐND và UBND phường Tam Thanh", OfficeLevel.COMMUNE,
            self.province, created_on=D,
        )  # fmt: skip
        with use_office(self.ward.id):
            self.economy = factory.department("Phòng Kinh tế, Hạ tầng và Đô thị", 1)
            self.society = factory.department("Phòng Văn hóa – Xã hội", 2)
            self.later_unit = factory.department("Phòng lập sau", 3)
            self.later_unit.created_on = D + dt.timedelta(days=1)
            self.ward_clerk = factory.user("p1.vanphong", Role.OFFICE)
        self.later_office = create_office(
            session, "P2", "Phường lập sau", OfficeLevel.COMMUNE, self.province,
            created_on=D + dt.timedelta(days=1),
        )  # fmt: skip
        self.city.parent_id = self.province.id
        with use_office(self.later_office.id):
            factory.department("Phòng Kinh tế", 1)
        session.commit()

    def full_plan(self) -> dict[int, tuple[str, str]]:
        return {
            self.late.id: ("P1", "Phòng Kinh tế, Hạ tầng và Đô thị"),
            self.pending.id: ("T", "Sở Xây dựng"),
            self.sibling.id: ("p1", "phòng văn hóa –  xã hội"),  # case and spaces aside
        }


@pytest.fixture
def reform(session, factory, app) -> Reform:
    return Reform(session, factory, Path(app.config["ATTACHMENT_DIR"]))


def picture(session, day: dt.date) -> tuple:
    """What the city's summary, detailed table, statistics and trend say as of ``day``."""
    summary = summary_text(build_summary(session, day))
    detail = [
        (s.category, g.department.name,
         [(r.task.id, r.lead.name, r.deadline, r.original_deadline, r.days_late, r.progress_text)
          for r in g.rows])
        for s in build_detail(session, day).sections
        for g in s.groups
    ]  # fmt: skip
    year = build_statistics(session, dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), day)
    stats = [
        (r.department.name if r.department else None, sorted(r.counts.items()), r.open_tasks,
         r.updated_tasks, r.no_deadline_open)
        for r in [*year.rows, year.total]
    ]  # fmt: skip
    trend = [(p.as_of, p.late, p.pending, p.by_unit) for p in build_trend(session, day, 6).points]
    return summary, detail, stats, sorted(year.task_outcomes.items()), trend


DAYS_BEFORE = (D - dt.timedelta(days=1), dt.date(2025, 6, 15), dt.date(2025, 4, 10))


def end_city(session, reform: Reform, plan=None) -> handover.Handover:
    plan = handover.plan_end(
        session, reform.city, D, plan or reform.full_plan(), today=local_today()
    )
    return handover.commit_end(session, plan, decision=DECISION, by=reform.province_admin)


def test_reports_dated_before_the_end_are_unchanged(session, reform):
    with use_office(reform.city.id):
        before = {day: picture(session, day) for day in DAYS_BEFORE}
        on_the_day = picture(session, D)
    end_city(session, reform)
    session.expire_all()
    with use_office(reform.city.id):
        for day in DAYS_BEFORE:
            assert picture(session, day) == before[day], day
        assert before[DAYS_BEFORE[0]][0].startswith(
            "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 01 nội dung"
        )
        # from the end date on, the same reports no longer count the tasks handed over
        after = picture(session, D)
        assert after != on_the_day
        assert after[0].splitlines()[:2] == [
            "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: không có",
            "- Các đơn vị còn có nội dung chưa tham mưu giải quyết: không có",
        ]


def test_the_ended_office_has_no_open_task_and_counts_none_as_done_or_cancelled(session, reform):
    with use_office(reform.city.id):
        year = build_statistics(session, dt.date(2025, 1, 1), dt.date(2025, 12, 31), D)
        assert (year.total.total, year.total.done) == (4, 1)  # late, pending, standing, done
    end_city(session, reform)
    session.expire_all()
    with use_office(reform.city.id):
        for day in (D, D + dt.timedelta(days=40), local_today()):
            assert open_statuses(session, day) == {} and open_counts(session, day) == {}, day
            year = build_statistics(session, dt.date(2025, 1, 1), dt.date(2025, 12, 31), day)
            # the done task only: the handed-over ones are neither done nor cancelled here
            assert list(year.task_outcomes) == [reform.done.id], day
            assert (year.total.total, year.total.done, year.total.not_done) == (1, 1, 0)
        late = session.get(Task, reform.late.id)
        assert late.state == TaskState.HANDED_OVER and late.closed_on == D and late.done_on is None
        assert task_category(late, local_today()).value == "handed_over"
        event = session.scalars(
            select(Event).where(Event.task_id == late.id).order_by(Event.id.desc())
        ).first()
        assert (event.kind, event.state, event.effective_on) == ("handed_over", "handed_over", D)
        assert event.comment == (
            "Chuyển giao cho Văn phòng HĐND và UBND phường Tam Thanh "
            f"(Phòng Kinh tế, Hạ tầng và Đô thị) theo {DECISION}"
        )
        with pytest.raises(WorkflowError, match="chuyển giao"):
            report_progress(session, late, reform.clerk, "Còn làm tiếp", local_today())
    session.rollback()
    assert session.get(Office, reform.city.id).ended_on == D


def test_the_successors_see_the_tasks_from_the_end_date(session, reform, app):
    copies = end_city(session, reform).copies
    session.expire_all()
    assert set(copies) == {reform.late.id, reform.pending.id, reform.sibling.id}
    with use_office(reform.ward.id):
        assert open_statuses(session, D - dt.timedelta(days=1)) == {}
        statuses = open_statuses(session, D)
        late, sibling = copies[reform.late.id], copies[reform.sibling.id]
        assert set(statuses) == {late.id, sibling.id}
        assert statuses[late.id].category == "late"  # its deadline, 15/05/2025, had passed
        assert statuses[late.id].deadline == dt.date(2025, 5, 15)
        assert statuses[sibling.id].category == "pending"
        assert (late.content, late.deadline, late.original_deadline, late.state) == (
            "Rà soát đất công tại phường Tam Thanh", dt.date(2025, 5, 15), dt.date(2025, 4, 1),
            TaskState.OPEN,
        )  # fmt: skip
        assert late.lead_department_id == reform.economy.id
        # the cooperating unit mapped to the ward's unit of the same name
        assert [d.id for d in late.cooperating_departments] == [reform.society.id]
        assert late.handed_from_task_id == reform.late.id
        assert late.office_id == reform.ward.id
        summary = summary_text(build_summary(session, D))
        assert "+ Phòng Kinh tế, Hạ tầng và Đô thị: 01 nội dung" in summary
        # the document copied under the ward's own issuer, with its file
        document = session.get(Document, late.document_id)
        assert document.id != reform.late.document_id and document.office_id == reform.ward.id
        assert (document.number, document.issued_on, document.summary) == (
            reform.late.document.number, dt.date(2025, 3, 3), "Kết luận về quản lý đất đai"
        )  # fmt: skip
        issuer = session.get(Issuer, document.issuer_id)
        assert issuer.office_id == reform.ward.id and issuer.name == "UBND thành phố Lạng Sơn"
        files = session.scalars(select(Attachment).where(Attachment.document_id == document.id))
        (file,) = files.all()
        assert file.stored_name != "doc1.pdf" and file.filename == "Thông báo.pdf"
        folder = Path(app.config["ATTACHMENT_DIR"])
        assert (folder / file.stored_name).read_bytes() == PDF
        event = session.scalars(select(Event).where(Event.task_id == late.id)).one()
        assert (event.kind, event.effective_on, event.state, event.deadline) == (
            EventKind.RECEIVED, D, TaskState.OPEN, dt.date(2025, 5, 15)
        )  # fmt: skip
        assert event.comment == (
            f"Tiếp nhận từ Văn phòng HĐND và UBND thành phố ({reform.late.code}) theo {DECISION}"
        )
    with use_office(reform.province.id):
        pending = session.get(Task, copies[reform.pending.id].id)
        assert set(open_statuses(session, D)) == {pending.id}
        assert open_statuses(session, D - dt.timedelta(days=1)) == {}
        assert pending.state == TaskState.IN_PROGRESS and pending.lead_department_id == (
            reform.building.id
        )
        assert pending.cooperating_departments == []  # no unit of that name: dropped
        (file,) = session.scalars(select(Attachment).where(Attachment.task_id == pending.id))
        assert file.filename == "Biên bản.pdf" and file.office_id == reform.province.id
        # two tasks of one document to two offices: a copy of the document in each
        assert session.get(Document, pending.document_id).office_id == reform.province.id


def _state(session) -> tuple:
    from app.core.office_scope import all_offices

    with all_offices():
        return (
            sorted(session.execute(select(Task.id, Task.state, Task.closed_on, Task.office_id))),
            session.scalar(select(func.count()).select_from(Document)),
            session.scalar(select(func.count()).select_from(Event)),
            session.scalar(select(func.count()).select_from(Attachment)),
            session.scalar(select(func.count()).select_from(Issuer)),
            [o.ended_on for o in session.scalars(select(Office).order_by(Office.id))],
        )


def test_nothing_is_saved_while_a_task_lacks_a_place(session, reform, app):
    before = _state(session)
    files = sorted(Path(app.config["ATTACHMENT_DIR"]).iterdir())
    plan = reform.full_plan()
    del plan[reform.sibling.id]
    plan[reform.pending.id] = ("P2", "Phòng Kinh tế")  # an office that did not exist on 01/07
    plan[reform.late.id] = ("P1", "Phòng lập sau")  # a unit that did not exist on 01/07
    with pytest.raises(handover.HandoverError) as refused:
        handover.plan_end(session, reform.city, D, plan, today=local_today())
    assert refused.value.problems == [
        f"{reform.late.code}: Văn phòng HĐND và UBND phường Tam Thanh không có đơn vị "
        "“Phòng lập sau” đang hoạt động ngày 01/07/2025.",
        f"{reform.pending.code}: “P2” không phải cơ quan kế thừa (một cơ quan khác còn hoạt "
        "động ngày 01/07/2025).",
        f"{reform.sibling.code}: chưa chọn cơ quan và đơn vị nhận.",
    ]
    session.rollback()
    assert _state(session) == before
    # the command: the same refusal, the list of tasks without a place
    path = Path(app.config["ATTACHMENT_DIR"]).parent / "plan.csv"
    rows = [["Mã nhiệm vụ", "Cơ quan nhận", "Đơn vị nhận"],
            [reform.late.code, "P1", "Phòng Kinh tế, Hạ tầng và Đô thị"]]  # fmt: skip
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    path.write_text(text.getvalue(), encoding="utf-8")
    result = app.test_cli_runner().invoke(
        args=["offices", "end", "TP", "--on", "2025-07-01", "--plan", str(path)]
    )
    assert result.exit_code == 1, result.output
    assert "chưa ghi gì" in result.output
    assert f"{reform.pending.code}: chưa chọn cơ quan và đơn vị nhận." in result.output
    assert f"{reform.sibling.code}: chưa chọn cơ quan và đơn vị nhận." in result.output
    assert reform.late.code not in result.output.split("chưa ghi gì")[1]
    assert _state(session) == before
    assert sorted(Path(app.config["ATTACHMENT_DIR"]).iterdir()) == files


def test_a_task_closed_before_the_end_is_not_handed_over(session, reform, app):
    tasks = handover.open_tasks_on(session, reform.city, D)
    assert [t.id for t in tasks] == [reform.late.id, reform.pending.id, reform.sibling.id]
    plan = {**reform.full_plan(), reform.done.id: ("P1", "Phòng Kinh tế, Hạ tầng và Đô thị")}
    with pytest.raises(handover.HandoverError) as refused:
        handover.plan_end(session, reform.city, D, plan, today=local_today())
    assert refused.value.problems == [
        f"{reform.done.code}: không phải nhiệm vụ đang mở của cơ quan ngày 01/07/2025."
    ]
    session.rollback()
    copies = end_city(session, reform).copies
    session.expire_all()
    from app.core.office_scope import all_offices

    with all_offices():
        done, cancelled = session.get(Task, reform.done.id), session.get(Task, reform.cancelled.id)
        assert (done.state, done.closed_on) == (TaskState.DONE, dt.date(2025, 2, 20))
        assert (cancelled.state, cancelled.closed_on) == (TaskState.CANCELLED, dt.date(2025, 1, 20))
        copied_from = set(session.scalars(select(Task.handed_from_task_id).where(
            Task.handed_from_task_id.is_not(None))))  # fmt: skip
        assert copied_from == set(copies) and reform.done.id not in copied_from
        assert not session.scalars(select(Event).where(
            Event.task_id.in_([done.id, cancelled.id]), Event.kind == EventKind.HANDED_OVER
        )).all()  # fmt: skip


def test_a_later_end_date_and_an_ended_office_are_refused(session, reform):
    with pytest.raises(handover.HandoverError, match="sau hôm nay"):
        handover.plan_end(
            session, reform.city, local_today() + dt.timedelta(days=1), {}, today=local_today()
        )
    end_city(session, reform)
    with pytest.raises(handover.HandoverError, match="đã kết thúc từ ngày 01/07/2025"):
        handover.plan_end(session, reform.city, D, reform.full_plan(), today=local_today())
    # the ended office is no successor of another office ending later
    assert reform.city not in handover.successor_offices(session, reform.ward, D)


def test_the_command_lists_the_open_tasks_then_ends_the_office(session, reform, app, tmp_path):
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["offices", "open-tasks", "TP", "--on", "2025-07-01"])
    assert listed.exit_code == 0, listed.output
    rows = list(csv.reader(io.StringIO(listed.output)))
    assert rows[0][:3] == ["Mã nhiệm vụ", "Cơ quan nhận", "Đơn vị nhận"]
    # proposed where one successor has a unit of the lead unit's name, blank otherwise
    assert [r[:4] for r in rows[1:]] == [
        [reform.late.code, "", "", "Phòng Tài nguyên và Môi trường"],
        [reform.pending.code, "", "", "Phòng Quản lý đô thị thành phố"],
        [reform.sibling.code, "P1", "Phòng Văn hóa – Xã hội", "Phòng Văn hóa – Xã hội"],
    ]
    rows[1][1:3] = ["P1", "Phòng Kinh tế, Hạ tầng và Đô thị"]
    rows[2][1:3] = ["T", "Sở Xây dựng"]
    plan = tmp_path / "ke-hoach.csv"
    with plan.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    result = runner.invoke(
        args=["offices", "end", "TP", "--on", "2025-07-01", "--plan", str(plan),
              "--decision", DECISION]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "TP kết thúc từ ngày 01/07/2025: 3 nhiệm vụ chuyển giao",
        "  P1\tVăn phòng HĐND và UBND phường Tam Thanh: 2 nhiệm vụ",
        "  T\tVăn phòng UBND tỉnh: 1 nhiệm vụ",
    ]
    listing = runner.invoke(args=["offices", "list"]).output.splitlines()
    assert listing == [
        "T\tVăn phòng UBND tỉnh\tCấp tỉnh\t-\t1 nhiệm vụ đang mở",
        "P1\tVăn phòng HĐND và UBND phường Tam Thanh\tCấp xã\tT\t2 nhiệm vụ đang mở",
        "P2\tPhường lập sau\tCấp xã\tT\t0 nhiệm vụ đang mở",
        "TP\tVăn phòng HĐND và UBND thành phố\tCấp huyện (trước 01/7/2025)\tT\t"
        "0 nhiệm vụ đang mở\tkết thúc 01/07/2025",
    ]
    again = runner.invoke(args=["offices", "end", "TP", "--on", "2025-07-01", "--plan", str(plan)])
    assert again.exit_code == 1 and "đã kết thúc từ ngày 01/07/2025" in again.output


def test_recurring_duties_of_the_ended_office_stop(session, reform):
    from app.recurring.series import create_series

    with use_office(reform.city.id):
        series = create_series(
            session, reform.late.document, content="Báo cáo tháng", lead=reform.land,
            phrase="hằng tháng, trước ngày 20", starts_on=dt.date(2025, 3, 3),
        )  # fmt: skip
        session.commit()
    plan = handover.plan_end(session, reform.city, D, reform.full_plan(), today=local_today())
    assert plan.series == [series]
    handover.commit_end(session, plan)
    with use_office(reform.city.id):
        stopped = session.get(Series, series.id)
        assert (stopped.active, stopped.stopped_on) == (False, D)


# -- the page ---------------------------------------------------------------------------------


def sign_in(client, username: str) -> None:
    client.post("/dang-xuat")
    response = client.post("/dang-nhap", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.get_data(as_text=True)


def test_the_installation_administrator_ends_an_office_from_the_page(client, session, reform):
    from app.models import User

    with use_office(reform.city.id):
        city_admin = User(username="admin", full_name="Quản trị", role=Role.ADMIN, email="")
        city_admin.set_password(PASSWORD, "pbkdf2:sha256:1000")
        session.add(city_admin)
        session.commit()
    sign_in(client, "admin")  # an administrator of an office, not of the installation
    assert client.get("/quan-tri/co-quan/ket-thuc").status_code == 403
    assert "Kết thúc cơ quan" not in client.get("/quan-tri/nguoi-dung").get_data(as_text=True)
    sign_in(client, "tinh.admin")
    page = client.get("/quan-tri/co-quan/ket-thuc").get_data(as_text=True)
    assert "Kết thúc cơ quan và chuyển giao nhiệm vụ" in page and "TP – Văn phòng HĐND" in page
    base = {"office": reform.city.id, "effective_on": "01/07/2025", "decision": DECISION}
    assigning = client.post("/quan-tri/co-quan/ket-thuc", data={**base, "step": "assign"})
    html = assigning.get_data(as_text=True)
    assert assigning.status_code == 200
    for task in (reform.late, reform.pending, reform.sibling):
        assert f'name="place-{task.id}"' in html
    assert reform.done.code not in html and reform.cancelled.code not in html
    # the proposal: the ward's unit bearing the lead unit's name
    proposed = html.split(f'name="place-{reform.sibling.id}"')[1].split("</select>")[0]
    assert f'<option value="{reform.society.id}" selected>' in proposed
    assert '<optgroup label="Văn phòng UBND tỉnh">' in html
    assert "Phường lập sau" not in html and "Phòng lập sau" not in html  # not there on 01/07
    places = {
        f"place-{reform.late.id}": reform.economy.id,
        f"place-{reform.sibling.id}": reform.society.id,
    }
    refused = client.post("/quan-tri/co-quan/ket-thuc", data={**base, **places, "step": "preview"})
    assert refused.status_code == 400
    assert f"{reform.pending.code}: chưa chọn cơ quan và đơn vị nhận." in refused.get_data(
        as_text=True
    )
    places[f"place-{reform.pending.id}"] = reform.building.id
    preview = client.post("/quan-tri/co-quan/ket-thuc", data={**base, **places, "step": "preview"})
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Xem trước" in html
    assert "Văn phòng HĐND và UBND phường Tam Thanh: 2; Văn phòng UBND tỉnh: 1" in html
    fingerprint = html.split('name="fingerprint" value="')[1].split('"')[0]
    assert session.get(Office, reform.city.id).ended_on is None  # nothing saved yet
    stale = client.post(
        "/quan-tri/co-quan/ket-thuc",
        data={**base, **places, f"place-{reform.pending.id}": reform.economy.id,
              "step": "confirm", "fingerprint": fingerprint},
    )  # fmt: skip
    assert stale.status_code == 200 and "Chưa ghi" in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(Office, reform.city.id).ended_on is None
    saved = client.post(
        "/quan-tri/co-quan/ket-thuc",
        data={**base, **places, "step": "confirm", "fingerprint": fingerprint},
    )
    assert saved.status_code == 302
    session.expire_all()
    assert session.get(Office, reform.city.id).ended_on == D
    done_page = client.get("/quan-tri/co-quan/ket-thuc").get_data(as_text=True)
    assert "Đã kết thúc Văn phòng HĐND và UBND thành phố từ ngày 01/07/2025" in done_page
    assert "TP – Văn phòng HĐND và UBND thành phố: kết thúc từ ngày 01/07/2025" in done_page
    # the two sides of a task: the city's page says where it went, the ward's where it came from
    with use_office(reform.ward.id):
        copy = session.scalar(select(Task).where(Task.handed_from_task_id == reform.late.id))
    sign_in(client, "vanphong")
    old = client.get(f"/nhiem-vu/{reform.late.id}").get_data(as_text=True)
    assert f"Văn phòng HĐND và UBND phường Tam Thanh (mã {copy.code}, đơn vị chủ trì: " in old
    assert 'id="office-actions"' not in old and "Đã chuyển giao" in old
    sign_in(client, "p1.vanphong")
    new = client.get(f"/nhiem-vu/{copy.id}").get_data(as_text=True)
    assert f"Văn phòng HĐND và UBND thành phố (mã {reform.late.code}, đơn vị chủ trì: " in new
    assert "Tiếp nhận từ cơ quan đã kết thúc" in new and 'id="office-actions"' in new
    assert client.get(f"/nhiem-vu/{reform.late.id}").status_code == 404


# -- the demo: the city office of 2024 ended on 01/07/2025 ------------------------------------


def _demo_picture(session) -> dict:
    """What the demo's city office reports as of the first day of each month of 2024 and 2025
    up to its last day, and as of its last day."""
    from app.dev.demo import CITY_LAST_DAY

    days = [dt.date(year, month, 1) for year in (2024, 2025) for month in range(1, 13)]
    days = [d for d in days if d <= CITY_LAST_DAY] + [dt.date(2024, 12, 16), CITY_LAST_DAY]
    return {day: picture(session, day) for day in days}


def test_the_demo_city_reports_before_the_reform_as_a_demo_without_it(app, session, request):
    """The demo as of 30/06/2025 has the city office alone; the demo of today ended it on
    01/07/2025 and handed its open tasks over: every report of the city dated before is the
    same in both."""
    import shutil

    from app.dev.demo import CITY_LAST_DAY, city_office_id, seed_demo
    from app.extensions import db
    from conftest import FAST_HASH, make_app

    seed_demo(session, local_today(), FAST_HASH)
    session.commit()
    with use_office(city_office_id()):
        now = _demo_picture(session)
        assert open_statuses(session, D) == {}
        assert len(open_statuses(session, CITY_LAST_DAY)) == 35
    session.remove()
    path = Path(app.config["ATTACHMENT_DIR"]).parent / "before.db"
    shutil.copy(request.getfixturevalue("sqlite_template"), path)
    before_app = make_app(f"sqlite:///{path}")
    with before_app.app_context():
        seed_demo(db.session, CITY_LAST_DAY, FAST_HASH)
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Office)) == 1
        then = _demo_picture(db.session)
        db.session.remove()
        db.engine.dispose()
    assert now == then


def test_the_demo_offices_listed_with_their_parent_and_open_tasks(app, session, client):
    from app.core.office_scope import all_offices
    from app.dev.demo import CITY_LAST_DAY, city_office_id, seed_demo
    from conftest import FAST_HASH

    seed_demo(session, local_today(), FAST_HASH)
    session.commit()
    lines = app.test_cli_runner().invoke(args=["offices", "list"]).output.splitlines()
    codes = ["LS", "CAOLOC", "DONGDANG", "DONGKINH", "KYLUA", "LUONGVANTRI", "TAMTHANH", "TPLS"]
    assert [line.split("\t")[0] for line in lines] == codes
    with all_offices():
        offices = {o.code: o for o in session.scalars(select(Office))}
    for line in lines:
        code, name, level, above, count, *ended = line.split("\t")
        office = offices[code]
        assert name == office.name and level == office.level_label
        assert above == ("-" if code == "LS" else "LS"), line
        with use_office(office.id):  # the open tasks today by the as-of rule
            assert count == f"{len(open_statuses(session, local_today()))} nhiệm vụ đang mở"
        assert ended == (["kết thúc 01/07/2025"] if code == "TPLS" else []), line
    assert [ln.split("\t")[2] for ln in lines] == ["Cấp tỉnh"] + ["Cấp xã"] * 6 + [
        "Cấp huyện (trước 01/7/2025)"
    ]
    assert lines[-1].split("\t")[1] == "Văn phòng HĐND và UBND thành phố Lạng Sơn"
    # each city task open on its last day went on in one ward or the province, from 01/07
    with use_office(city_office_id()):
        handed = set(open_statuses(session, CITY_LAST_DAY))
        assert handed == set(
            session.scalars(select(Task.id).where(Task.state == TaskState.HANDED_OVER))
        )
    with all_offices():
        copies = session.execute(
            select(Task.handed_from_task_id, Office.code)
            .join(Office, Office.id == Task.office_id)
            .where(Task.handed_from_task_id.is_not(None))
        ).all()
    assert sorted(t for t, _ in copies) == sorted(handed)
    received = {code for _, code in copies}
    assert received == {"LS", "TAMTHANH", "LUONGVANTRI", "KYLUA", "DONGKINH"}
    # every office's logins: an administrator, the office's clerk, a division head
    for username in ("tinh.admin", "tinh.vanphong", "snnmt.truong", "vanphong", "tnmt.truong",
                     "kylua.admin", "kylua.vanphong", "kylua.kinhte", "caoloc.vhxh"):  # fmt: skip
        client.post("/dang-xuat")
        signed = client.post("/dang-nhap", data={"username": username, "password": "demo1234"})
        assert signed.status_code == 302, username
        assert client.get("/nhiem-vu").status_code == 200
