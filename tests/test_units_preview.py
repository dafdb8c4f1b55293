"""An organisation change previewed before it is saved, and undone while nothing has happened
since to what it moved.

The preview is the plan the save carries out: what it lists is exactly what moves. An undo puts
every report as of every date back as it read before the change.
"""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.models import (
    Department,
    DepartmentName,
    Event,
    Series,
    Task,
    TaskTransfer,
    UnitChange,
    User,
)
from app.models.documents import TaskState
from app.models.people import Role
from app.recurring.series import create_series
from app.reports.detail import build_detail
from app.reports.summary import build_summary, summary_text
from app.tasks.changes import change_state, edit_task
from app.units import plan as planning
from app.units import reorganise, undo
from app.units.outcome import heads_after, outcomes
from app.units.reorganise import ReorganisationError
from tests.test_units import BEFORE, CHANGE, TODAY, Office

DAYS = [BEFORE, dt.date(2025, 2, 28), CHANGE, dt.date(2025, 7, 1), TODAY]


class Duties(Office):
    """The office, with a recurring duty led by TNMT (NN cooperating) and one led by QLĐT with
    TNMT cooperating."""

    def __init__(self, session, factory) -> None:
        super().__init__(session, factory)
        document = factory.document(dt.date(2024, 9, 1))
        self.duty = create_series(
            session, document, content="Báo cáo quý", lead=self.tnmt, cooperators=[self.nn],
            phrase="hằng quý, trước ngày 15", starts_on=dt.date(2024, 10, 1),
        )  # fmt: skip
        self.other = create_series(
            session, document, content="Báo cáo tháng", lead=self.qldt, cooperators=[self.tnmt],
            phrase="hằng tháng, trước ngày 20", starts_on=dt.date(2024, 10, 1),
        )  # fmt: skip
        session.commit()


@pytest.fixture
def office(session, factory) -> Duties:
    return Duties(session, factory)


def _detail(session, day):
    return [
        (
            str(section.category),
            group.department.name,
            [(r.task.id, r.lead.name, r.deadline, r.days_late, r.progress) for r in group.rows],
        )
        for section in build_detail(session, day).sections
        for group in section.groups
    ]


def _state(session):
    """Everything a change may alter, and every report as of every day."""
    session.expire_all()
    return {
        "sections": {day: summary_text(build_summary(session, day)) for day in DAYS},
        "detail": {day: _detail(session, day) for day in DAYS},
        "tasks": {
            t.id: (t.lead_department_id, sorted(d.id for d in t.cooperating_departments), t.state)
            for t in session.scalars(select(Task))
        },
        "people": {
            u.username: (u.department_id, u.role, u.is_active)
            for u in session.scalars(select(User))
        },
        "series": {
            s.id: (s.lead_department_id, s.cooperator_ids) for s in session.scalars(select(Series))
        },
        "units": {
            d.id: (d.name, d.ended_on, d.is_active, d.calendar_token, d.created_on)
            for d in session.scalars(select(Department))
        },
        "events": sorted(session.scalars(select(Event.id))),
        "names": sorted(session.scalars(select(DepartmentName.id))),
        "transfers": sorted(session.scalars(select(TaskTransfer.id))),
    }


def _changes(office):
    """Each kind of change, as (plan, save) on the office."""
    merge_args = ([office.tnmt, office.nn], "Phòng Nông nghiệp và Môi trường")
    split_assign = {office.late.id: "Phòng Môi trường", office.shared.id: "Phòng Tài nguyên"}
    return {
        "merge": (
            lambda s: planning.plan_merge(s, *merge_args, on=CHANGE, today=TODAY,
                                          head=office.nn_head),
        ),
        "merge-existing": (
            lambda s: planning.plan_merge(s, [office.tnmt], office.nn, on=CHANGE, today=TODAY,
                                          head=office.tnmt_cv),
        ),
        "split": (
            lambda s: planning.plan_split(
                s, office.tnmt, ["Phòng Tài nguyên", "Phòng Môi trường"], assign=split_assign,
                on=CHANGE, today=TODAY,
            ),
        ),
        "rename": (
            lambda s: planning.plan_rename(s, office.qldt, "Phòng Đô thị", on=CHANGE, today=TODAY),
        ),
        "dissolve": (lambda s: planning.plan_dissolve(s, office.qldt, on=CHANGE, today=TODAY),),
    }  # fmt: skip


KINDS = ["merge", "merge-existing", "split", "rename", "dissolve"]


def _prepare(session, office, kind):
    if kind == "dissolve":  # QLĐT may go once it leads nothing open
        change_state(session, office.shared, TaskState.DONE, effective_on=dt.date(2025, 2, 1))
        office.other.active = False
        session.commit()


@pytest.mark.parametrize("kind", KINDS)
def test_the_preview_lists_exactly_what_the_save_moves(session, office, kind):
    _prepare(session, office, kind)
    plan = _changes(office)[kind][0](session)
    assert not session.new and not session.dirty  # a preview writes nothing
    fingerprint = plan.fingerprint("QĐ 45")
    # the same inputs give the same plan; the save carries that plan out
    assert _changes(office)[kind][0](session).fingerprint("QĐ 45") == fingerprint
    tasks, duties = outcomes(session, plan)  # the rows the preview page shows
    change = reorganise.apply(session, plan, decision="QĐ 45")
    session.commit()
    names = {u.id: u.name for u in session.scalars(select(Department))}
    for row in tasks:
        task = row.item
        assert task.lead_department.name == row.lead_after, row
        assert sorted(d.name for d in task.cooperating_departments) == row.cooperating_after
    for row in duties:
        duty = row.item
        assert names[duty.lead_department_id] == row.lead_after, row
        assert sorted(names[i] for i in duty.cooperator_ids) == row.cooperating_after, row
    assert {r.item.id for r in tasks} == {m.task.id for m in plan.tasks}
    for move in plan.tasks:
        task = move.task
        cooperating = [d.name for d in task.cooperating_departments]
        if move.role == planning.LEAD:
            assert task.lead_department.name == move.target, move
        elif move.dropped:
            assert move.source.name not in cooperating, move
        else:
            assert move.target in cooperating and move.source.name not in cooperating, move
    for move in plan.people:
        assert (move.user.role, move.user.is_active) == (move.role, move.active), move
        if move.target is not None:
            assert move.user.department.name == move.target
    for move in plan.series:
        series = move.series
        held = (
            [names[series.lead_department_id]]
            if move.role == planning.LEAD
            else [names[i] for i in series.cooperator_ids]
        )
        assert move.source.name not in held, move
        if move.dropped:  # the target leads it (or cooperates already)
            assert move.target in held or names[series.lead_department_id] == move.target
        else:
            assert move.target in held, move
    # and nothing the plan did not list moved
    assert {t["id"] for t in change.undo["tasks"]} == {m.task.id for m in plan.tasks}
    assert {p["id"] for p in change.undo["people"]} == {m.user.id for m in plan.people}
    assert {s["id"] for s in change.undo["series"]} == {m.series.id for m in plan.series}
    assert [d.name for d in change.units("to")] == list(plan.targets)
    assert change.units("from") == plan.ended


def test_a_merger_plan_lists_tasks_cooperations_people_and_duties(session, office):
    plan = planning.plan_merge(
        session, [office.tnmt, office.nn], "Phòng Nông nghiệp và Môi trường",
        on=CHANGE, today=TODAY, head=office.nn_head,
    )  # fmt: skip
    target = "Phòng Nông nghiệp và Môi trường"
    assert plan.created() == [target]
    assert [(m.task.id, m.role, m.source.name, m.target) for m in plan.tasks] == [
        (office.late.id, "lead", office.tnmt.name, target),
        (office.shared.id, "cooperating", office.tnmt.name, target),
        (office.standing.id, "lead", office.nn.name, target),
    ]
    assert {(m.user.username, m.target, m.role) for m in plan.people} == {
        ("tnmt.truong", target, Role.DEPARTMENT_MEMBER),
        ("tnmt.cv", target, Role.DEPARTMENT_MEMBER),
        ("nn.truong", target, Role.DEPARTMENT_HEAD),
    }
    assert [(m.series.content, m.role, m.source.name) for m in plan.series] == [
        ("Báo cáo quý", "lead", office.tnmt.name),
        ("Báo cáo tháng", "cooperating", office.tnmt.name),
        ("Báo cáo quý", "cooperating", office.nn.name),
    ]
    assert heads_after(session, plan) == [office.nn_head]
    unchosen = planning.plan_merge(
        session, [office.tnmt, office.nn], target, on=CHANGE, today=TODAY
    )
    assert heads_after(session, unchosen) == [office.tnmt_head, office.nn_head]  # two: asked
    # a different head, date or decision is a different plan
    other = planning.plan_merge(
        session, [office.tnmt, office.nn], target, on=CHANGE, today=TODAY, head=office.tnmt_head
    )
    assert other.fingerprint() != plan.fingerprint()
    assert plan.fingerprint("QĐ 1") != plan.fingerprint("QĐ 2")


def test_the_head_after_a_merger_is_one_of_the_merging_units_people(session, office):
    candidates = planning.head_candidates(session, [office.tnmt, office.nn], None)
    assert {u.username for u in candidates} == {"tnmt.truong", "tnmt.cv", "nn.truong"}
    with pytest.raises(ReorganisationError, match="không thuộc các đơn vị hợp nhất"):
        planning.plan_merge(
            session, [office.tnmt, office.nn], "Phòng Mới", on=CHANGE, today=TODAY,
            head=office.qldt_head,
        )  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_an_undo_puts_every_report_back_as_it_was(session, office, kind):
    _prepare(session, office, kind)
    before = _state(session)
    plan = _changes(office)[kind][0](session)
    change = reorganise.apply(session, plan, decision="QĐ 45")
    session.commit()
    assert _state(session) != before
    assert undo.refusal(session, change) is None
    undo.undo(session, change)
    session.commit()
    after = _state(session)
    for key in before:
        assert after[key] == before[key], key
    assert session.scalar(select(UnitChange.id)) is None


def test_an_undo_is_refused_once_a_moved_task_changed_or_a_unit_changed_again(session, office):
    change = reorganise.merge(
        session, [office.tnmt, office.nn], office.qldt, on=CHANGE, today=TODAY
    )
    session.commit()
    edit_task(session, office.late, effective_on=TODAY, content="Đất đai (sửa)")
    session.commit()
    reason = undo.refusal(session, change)
    assert (
        reason
        == f"Nhiệm vụ {office.late.code} đã có cập nhật sau thay đổi này: không hoàn tác được."
    )
    with pytest.raises(ReorganisationError, match="đã có cập nhật"):
        undo.undo(session, change)
    session.rollback()
    assert office.tnmt.ended_on == CHANGE  # nothing undone

    # a later change of a unit involved: only that one may be undone
    office2 = reorganise.rename(session, office.qldt, "Phòng Đô thị", on=TODAY, today=TODAY)
    session.commit()
    assert "đã có thay đổi khác của cùng đơn vị" in undo.refusal(session, change)
    assert undo.last_changes(session) == {office2.id}
    undo.undo(session, office2)
    session.commit()
    assert office.qldt.name == "Phòng Quản lý đô thị thành phố"


def test_an_undo_is_refused_when_a_new_unit_has_work_of_its_own(session, office, factory):
    change = reorganise.merge(
        session, [office.tnmt, office.nn], "Phòng Mới", on=CHANGE, today=TODAY
    )
    session.commit()
    target = change.units("to")[0]
    factory.task(target, dt.date(2025, 4, 1), None, content="Việc mới")
    session.commit()
    assert "đã có nhiệm vụ, người dùng hoặc báo cáo mới" in undo.refusal(session, change)


def test_an_undo_is_refused_when_a_new_unit_has_a_recorded_grade(session, office):
    from app.keytasks.evaluations import Decision, Subject, record

    change = reorganise.merge(
        session, [office.tnmt, office.nn], "Phòng Mới", on=CHANGE, today=TODAY
    )
    session.commit()
    target = change.units("to")[0]
    assert undo.refusal(session, change) is None
    subject = Subject(CHANGE, TODAY, department_id=target.id)
    record(session, subject, Decision("Hoàn thành nhiệm vụ", TODAY), TODAY)
    session.commit()
    assert "đã có nhiệm vụ, người dùng hoặc báo cáo mới" in undo.refusal(session, change)


def test_a_change_without_its_record_cannot_be_undone(session, office):
    change = reorganise.rename(session, office.qldt, "Phòng Đô thị", on=CHANGE, today=TODAY)
    change.undo = None  # entered before undo existed, or loaded from an archive
    session.commit()
    assert "trước khi có chức năng hoàn tác" in undo.refusal(session, change)


def preview_form(page: str, step: str = "confirm", **changed) -> MultiDict:
    """What the preview page's form posts when its button ``step`` is pressed (its hidden
    inputs, the head chosen on it), with ``changed`` fields set otherwise."""
    assert "Xác nhận" in page
    form = MultiDict()
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        form.add(html.unescape(name), html.unescape(value))
    head = re.search(r'<select[^>]* name="(hop-nhat-head)"[^>]*>(.*?)</select>', page, re.S)
    if head:
        chosen = re.search(r'<option selected value="(\d+)"', head.group(2))
        form.add(head.group(1), chosen.group(1) if chosen else "0")
    for name, value in changed.items():
        form.setlist(name, value if isinstance(value, list) else [value])
    form["step"] = step
    return form


def _admin(client, factory, session):
    from tests.conftest import login

    admin = factory.user("admin", Role.ADMIN)
    session.commit()
    login(client, admin)
    return admin


MERGE = "/quan-tri/to-chuc/hop-nhat"


def test_a_merger_is_saved_only_once_confirmed_as_previewed(app, session, client, office, factory):
    _admin(client, factory, session)
    data = {"hop-nhat-units": [office.tnmt.id, office.nn.id], "hop-nhat-into": 0,
            "hop-nhat-new_name": "Phòng Nông nghiệp và Môi trường",
            "hop-nhat-effective_on": "01/03/2025", "hop-nhat-decision": "QĐ 45"}  # fmt: skip
    response = client.post(MERGE, data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    session.expire_all()
    assert office.tnmt.ended_on is None and session.scalar(select(UnitChange.id)) is None
    for text in (office.late.code, office.shared.code, office.standing.code, "Báo cáo quý",
                 "Tnmt.Truong", "Nn.Truong", "Xác nhận", "đơn vị mới"):  # fmt: skip
        assert text in page, text
    assert office.closed.code not in page

    # the head is offered among the merging units' people only
    head = re.search(r'name="hop-nhat-head"[^>]*>(.*?)</select>', page, re.S).group(1)
    offered = {int(v) for v in re.findall(r'value="(\d+)"', head)}
    assert offered == {0, office.tnmt_head.id, office.tnmt_cv.id, office.nn_head.id}
    # one from elsewhere is refused; nothing saved
    response = client.post(MERGE, data=preview_form(page, **{"hop-nhat-head": office.qldt_head.id}))
    assert response.status_code == 400
    assert "phải là người của các đơn vị hợp nhất" in response.get_data(as_text=True)

    # an input changed between preview and confirm: shown again, not saved
    response = client.post(MERGE, data=preview_form(page, **{"hop-nhat-head": office.nn_head.id}))
    again = response.get_data(as_text=True)
    assert response.status_code == 200 and "Chưa ghi: nội dung thay đổi đã khác" in again
    session.expire_all()
    assert office.tnmt.ended_on is None
    # a task changed meanwhile: the plan differs, shown again
    edit_task(session, office.late, effective_on=TODAY, content="Đất đai (sửa)")
    session.commit()
    page = client.post(MERGE, data=preview_form(again, step="preview")).get_data(as_text=True)
    change_state(session, office.standing, TaskState.DONE, effective_on=dt.date(2025, 2, 1))
    session.commit()
    response = client.post(MERGE, data=preview_form(page))
    assert "Chưa ghi: nội dung thay đổi đã khác" in response.get_data(as_text=True)
    session.expire_all()
    assert office.tnmt.ended_on is None
    # confirmed as previewed: saved, with the head chosen
    response = client.post(MERGE, data=preview_form(response.get_data(as_text=True)))
    assert response.status_code == 302, response.get_data(as_text=True)
    session.expire_all()
    assert office.tnmt.ended_on == CHANGE and office.nn_head.role == Role.DEPARTMENT_HEAD
    assert office.tnmt_head.role == Role.DEPARTMENT_MEMBER
    assert office.standing.lead_department_id == office.nn.id  # closed before: stayed


def test_undo_from_the_admin_page(app, session, client, office, factory):
    _admin(client, factory, session)
    before = _state(session)
    change = reorganise.merge(session, [office.tnmt, office.nn], "Phòng Mới", on=CHANGE,
                              today=TODAY)  # fmt: skip
    session.commit()
    change_id = change.id
    page = client.get("/quan-tri/to-chuc").get_data(as_text=True)
    url = f"/quan-tri/to-chuc/{change_id}/hoan-tac"
    assert f'href="{url}"' in page
    page = client.get(url).get_data(as_text=True)
    assert "Xóa đơn vị “Phòng Mới”" in page and "Xác nhận hoàn tác" in page
    session.expire_all()
    assert session.get(UnitChange, change_id) is not None  # asking saved nothing
    response = client.post(url)
    assert response.status_code == 302
    assert _state(session) == before

    change = reorganise.merge(session, [office.tnmt, office.nn], office.qldt, on=CHANGE,
                              today=TODAY)  # fmt: skip
    session.commit()
    change_state(session, office.late, TaskState.DONE, effective_on=TODAY)
    session.commit()
    url = f"/quan-tri/to-chuc/{change.id}/hoan-tac"
    page = client.get(url).get_data(as_text=True)
    assert "Không hoàn tác được." in page and "đã có cập nhật sau thay đổi này" in page
    assert "Xác nhận hoàn tác" not in page
    response = client.post(url)
    assert response.status_code == 409
    session.expire_all()
    assert office.tnmt.ended_on == CHANGE


def test_the_command_line_prints_the_plan_then_undoes(app, session, office):
    runner = app.test_cli_runner()
    args = ["units", "merge", "TNMT", "NN", "--into", "Phòng Nông nghiệp và Môi trường",
            "--date", "2025-03-01", "--head", "nn.truong", "--decision", "QĐ 45"]  # fmt: skip
    before = _state(session)
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "chưa ghi gì" in result.output
    assert (
        f"Nhiệm vụ {office.late.code}: chủ trì Phòng Tài nguyên và Môi trường → "
        "Phòng Nông nghiệp và Môi trường; phối hợp → không có"
    ) in result.output
    assert "Người dùng tnmt.truong: → Phòng Nông nghiệp và Môi trường, Chuyên viên đơn vị" in (
        result.output
    )
    assert f"Nhiệm vụ định kỳ số {office.duty.id}: chủ trì" in result.output
    assert _state(session) == before  # nothing written

    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    edit_task(session, office.late, effective_on=TODAY, content="Đất đai (sửa)")
    session.commit()
    result = runner.invoke(args=["units", "undo", "NN"])
    assert result.exit_code != 0 and "đã có cập nhật sau thay đổi này" in result.output
    session.rollback()
    event = session.scalars(select(Event).order_by(Event.id.desc())).first()
    session.delete(event)  # (as if the edit had not happened)
    office.late.content = "Đất đai"
    session.commit()
    result = runner.invoke(args=["units", "undo", "Phòng Nông nghiệp và Phát triển nông thôn"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Đã hoàn tác: 01/03/2025: Hợp nhất")
    assert _state(session) == before


def test_a_task_imported_later_and_handed_over_by_the_merger_goes_back_on_undo(
    session, office, factory
):
    change = reorganise.merge(
        session, [office.tnmt, office.nn], office.qldt, on=CHANGE, today=TODAY
    )
    session.commit()
    # an older task naming TNMT arrives after the merger: handed over on the merger's date
    late_comer = factory.task(office.tnmt, dt.date(2024, 11, 1), dt.date(2024, 12, 1),
                              cooperators=[office.nn], content="Nhập sau")  # fmt: skip
    assert reorganise.hand_over_stranded(session) == 2  # as lead (TNMT), as cooperating (NN)
    session.commit()
    assert late_comer.lead_department_id == office.qldt.id
    assert undo.refusal(session, change) is None
    undo.undo(session, change)
    session.commit()
    assert late_comer.lead_department_id == office.tnmt.id
    assert [d.id for d in late_comer.cooperating_departments] == [office.nn.id]
    assert session.scalar(select(TaskTransfer.id)) is None
    assert "+ Phòng Tài nguyên và Môi trường: 02 nội dung" in summary_text(
        build_summary(session, TODAY)
    )


def test_an_edit_of_one_moved_task_is_seen_whatever_happens_to_the_others(session, office, factory):
    change = reorganise.merge(
        session, [office.tnmt, office.nn], office.qldt, on=CHANGE, today=TODAY
    )
    session.commit()
    edit_task(session, office.late, effective_on=TODAY, content="Đất đai (sửa)")
    session.commit()
    factory.task(office.tnmt, dt.date(2024, 11, 1), None, content="Nhập sau")
    reorganise.hand_over_stranded(session)  # a later event of the change itself
    session.commit()
    assert "đã có cập nhật sau thay đổi này" in undo.refusal(session, change)
