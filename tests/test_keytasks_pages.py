"""The key task pages and their permissions: only the office records a grade, a department
reads the groups holding its tasks and its own unit's grades; the admin sets the rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from app.core.timeutil import local_today
from app.keytasks.grades import DEFAULT_GRADES
from app.keytasks.groups import GroupValues, save_group, set_tasks
from app.models import Evaluation, KeyTaskGroup
from conftest import login

EXCELLENT, GOOD, DONE, FAILED = DEFAULT_GRADES


@pytest.fixture
def groups(session, factory, world):
    issuer = factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    year = local_today().year
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    given = min(local_today(), start)
    land = save_group(session, GroupValues("Nhóm đất đai", issuer.id, start, end, given))
    set_tasks(session, land, [world.tnmt_task.id, world.qldt_task.id])
    culture = save_group(session, GroupValues("Nhóm văn hóa", issuer.id, start, end, given))
    set_tasks(session, culture, [world.vhtt_task.id])
    session.commit()
    return {"land": land, "culture": culture}


def _evaluation(group_id: int, **more) -> dict:
    return {
        "grade": GOOD,
        "effective_on": local_today().strftime("%d/%m/%Y"),
        "decided_by": "Ban Thường vụ Thành ủy",
        "note": "Đạt yêu cầu",
        "reason": "",
        **more,
    }


def test_the_office_records_and_revises_a_grade_with_its_reason(client, session, world, groups):
    land = groups["land"]
    login(client, world.office)
    page = client.get(f"/nhom-nhiem-vu/{land.id}").get_data(as_text=True)
    assert "Nhóm đất đai" in page and 'id="proposal"' in page and 'id="figures"' in page
    assert world.tnmt_task.content in page and world.qldt_task.content in page
    url = f"/nhom-nhiem-vu/{land.id}/danh-gia"
    assert client.post(url, data=_evaluation(land.id)).status_code == 302
    # A second grade without a reason is refused, with the reason why.
    refused = client.post(url, data=_evaluation(land.id, grade=EXCELLENT))
    assert refused.status_code == 400 and "nhập lý do" in refused.get_data(as_text=True)
    again = _evaluation(land.id, grade=EXCELLENT, reason="Hoàn thành thêm hai nhiệm vụ")
    assert client.post(url, data=again).status_code == 302
    rows = session.scalars(select(Evaluation).order_by(Evaluation.id)).all()
    assert [r.grade for r in rows] == [GOOD, EXCELLENT]
    assert rows[1].revises_id == rows[0].id and rows[1].reason == "Hoàn thành thêm hai nhiệm vụ"
    assert rows[0].recorded_by_id == world.office.id and rows[0].figures["overdue"] == 1
    history = client.get(f"/nhom-nhiem-vu/{land.id}").get_data(as_text=True)
    assert "Hoàn thành thêm hai nhiệm vụ" in history and "đánh giá lại" in history


def test_a_bad_evaluation_is_refused_in_words(client, world, groups):
    login(client, world.office)
    url = f"/nhom-nhiem-vu/{groups['land'].id}/danh-gia"
    for data in (
        _evaluation(0, grade="Xuất sắc lắm"),
        _evaluation(0, effective_on="31/02/2024"),
        _evaluation(0, effective_on=(local_today() + dt.timedelta(days=3)).strftime("%d/%m/%Y")),
        _evaluation(0, note="x" * 6000),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, data


@pytest.mark.parametrize("who", ["tnmt_head", "tnmt_member", "leader"])
def test_only_the_office_records_grades(client, world, groups, who):
    login(client, getattr(world, who))
    land = groups["land"]
    assert client.get(f"/nhom-nhiem-vu/{land.id}").status_code == 200
    assert 'id="evaluation-form"' not in client.get(f"/nhom-nhiem-vu/{land.id}").get_data(
        as_text=True
    )
    assert client.post(f"/nhom-nhiem-vu/{land.id}/danh-gia", data=_evaluation(0)).status_code == 403
    assert client.get("/nhom-nhiem-vu/moi").status_code == 403
    assert client.get(f"/nhom-nhiem-vu/{land.id}/sua").status_code == 403
    assert client.get("/quan-tri/danh-gia").status_code == 403


def test_a_department_reads_the_groups_holding_its_tasks_and_only_its_tasks(client, world, groups):
    login(client, world.vhtt_head)
    listing = client.get("/nhom-nhiem-vu").get_data(as_text=True)
    assert "Nhóm văn hóa" in listing and "Nhóm đất đai" not in listing
    assert client.get(f"/nhom-nhiem-vu/{groups['land'].id}").status_code == 403
    login(client, world.qldt_head)  # leads one task of the land group, cooperates on the other
    page = client.get(f"/nhom-nhiem-vu/{groups['land'].id}").get_data(as_text=True)
    assert world.qldt_task.content in page and world.tnmt_task.content in page
    login(client, world.tnmt_head)
    page = client.get(f"/nhom-nhiem-vu/{groups['land'].id}").get_data(as_text=True)
    assert world.tnmt_task.content in page and world.qldt_task.content not in page


def test_unit_grades_the_office_records_and_the_department_reads(client, session, world):
    year = local_today().year
    period = f"from=01/01/{year}&to=31/12/{year}"
    own = f"/danh-gia-don-vi?department={world.tnmt.id}&{period}"
    login(client, world.office)
    page = client.get(own).get_data(as_text=True)
    assert 'id="proposal"' in page and 'id="evaluation-form"' in page
    data = _evaluation(0, grade=DONE)
    assert client.post(own, data=data).status_code == 302
    stats = client.get(f"/thong-ke?period=year&year={year}").get_data(as_text=True)
    assert f'data-column="grade">{DONE}</td>' in stats
    login(client, world.tnmt_head)
    assert DONE in client.get(own).get_data(as_text=True)
    assert client.post(own, data=_evaluation(0, grade=GOOD, reason="x")).status_code == 403
    other = f"/danh-gia-don-vi?department={world.qldt.id}&{period}"
    assert client.get(other).status_code == 403
    assert session.scalar(select(Evaluation.grade).where(Evaluation.department_id.is_not(None)))
    assert client.get(f"/danh-gia-don-vi?department={world.tnmt.id}").status_code == 400


def test_the_office_creates_a_group_from_task_codes(client, session, world, factory):
    issuer = factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    session.commit()
    login(client, world.office)
    data = {
        "name": "Nhóm mới",
        "issuer_id": str(issuer.id),
        "period_from": "01/01/2025",
        "period_to": "31/12/2025",
        "given_on": "",
        "display_order": "1",
        "task_codes": f"NV-{world.tnmt_task.id:05d}, {world.vhtt_task.id}",
        "note": "",
    }
    response = client.post("/nhom-nhiem-vu/moi", data=data)
    assert response.status_code == 302
    group = session.scalar(select(KeyTaskGroup).where(KeyTaskGroup.name == "Nhóm mới"))
    assert sorted(t.id for t in group.tasks) == sorted([world.tnmt_task.id, world.vhtt_task.id])
    assert group.given_on == dt.date(2025, 1, 1)
    bad = client.post("/nhom-nhiem-vu/moi", data={**data, "task_codes": "NV-99999"})
    assert bad.status_code == 400 and "Không có nhiệm vụ mã NV-99999" in bad.get_data(as_text=True)
    bad = client.post("/nhom-nhiem-vu/moi", data={**data, "task_codes": "abc"})
    assert bad.status_code == 400 and "không phải mã nhiệm vụ" in bad.get_data(as_text=True)
    bad = client.post("/nhom-nhiem-vu/moi", data={**data, "period_to": "01/01/2024"})
    assert bad.status_code == 400


def test_the_admin_sets_grades_and_rules(client, session, world):
    from app.keytasks.grades import load_grades

    login(client, world.admin)
    assert client.get("/quan-tri/danh-gia").status_code == 200
    one = client.post("/quan-tri/danh-gia/muc", data={"grades": "Tốt"})
    assert one.status_code == 400 and "từ 2 đến" in one.get_data(as_text=True)
    grades = "Xuất sắc\r\nTốt\r\nKhông đạt"
    assert client.post("/quan-tri/danh-gia/muc", data={"grades": grades}).status_code == 302
    assert load_grades(session) == ["Xuất sắc", "Tốt", "Không đạt"]
    form = {
        "group-rows-0-grade": "Xuất sắc",
        "group-rows-0-min_on_time": "95",
        "group-rows-1-grade": "Tốt",
        "group-rows-1-min_on_time": "101",
    }
    refused = client.post("/quan-tri/danh-gia/quy-tac/group", data=form)
    assert refused.status_code == 400 and "Từ 0 đến 100" in refused.get_data(as_text=True)
    form["group-rows-1-min_on_time"] = "60,5"
    assert client.post("/quan-tri/danh-gia/quy-tac/group", data=form).status_code == 302
    assert client.post("/quan-tri/danh-gia/quy-tac/nope", data=form).status_code == 404


def test_a_group_without_a_grade_can_be_deleted_by_the_office_only(client, session, world, groups):
    land, culture = groups["land"], groups["culture"]
    login(client, world.tnmt_head)
    assert client.post(f"/nhom-nhiem-vu/{land.id}/xoa").status_code == 403
    login(client, world.office)
    assert client.post(f"/nhom-nhiem-vu/{land.id}/danh-gia", data=_evaluation(0)).status_code == 302
    refused = client.post(f"/nhom-nhiem-vu/{land.id}/xoa", follow_redirects=True)
    assert "Nhóm đã có đánh giá: không xóa được" in refused.get_data(as_text=True)
    assert client.post(f"/nhom-nhiem-vu/{culture.id}/xoa").status_code == 302
    session.expire_all()
    names = session.scalars(select(KeyTaskGroup.name)).all()
    assert names == ["Nhóm đất đai"]
    assert session.get(type(world.vhtt_task), world.vhtt_task.id) is not None  # its task stays


def test_every_page_reading_a_date_from_the_address_says_what_was_not_a_date(client, world):
    """The report pages, their files and the key task pages read a date typed in the address
    the same way (``app.web.forms.date_arg``): a 400, never a 500, never silently today."""
    login(client, world.office)
    for url in (
        "/bao-cao?as_of=31/02/2024",
        "/bao-cao?since=31/02/2024",
        "/bao-cao/bieu-chi-tiet.xlsx?as_of=31/02/2024",
        "/bao-cao/so-sanh.xlsx?as_of=31/02/2024",
        "/bao-cao/nhiem-vu-trong-tam.docx?as_of=31/02/2024",
        "/nhom-nhiem-vu?as_of=31/02/2024",
    ):
        assert client.get(url).status_code == 400, url
        assert client.get(url.replace("31/02/2024", "28/02/2024")).status_code == 200, url
