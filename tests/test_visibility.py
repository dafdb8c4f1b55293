"""What each role sees: every list, page, export, API answer and calendar feed shows a
department's people only the tasks their unit leads or cooperates on, and everything to the
office, the leaders and the admin. Letting members see every department's tasks passed every
other test before these (issue 28, item 13)."""

from __future__ import annotations

import pytest

from app.models import ApiToken
from app.models.access import new_secret
from conftest import login

ROLES = ("admin", "office", "leader", "tnmt_head", "tnmt_member", "qldt_head", "vhtt_head")
EVERYTHING = {"tnmt_task", "qldt_task", "vhtt_task"}
SEES = {
    "admin": EVERYTHING,
    "office": EVERYTHING,
    "leader": EVERYTHING,
    "tnmt_head": {"tnmt_task"},
    "tnmt_member": {"tnmt_task"},  # a member sees what the head sees, no more
    "qldt_head": {"tnmt_task", "qldt_task"},  # it leads one and cooperates on the other
    "vhtt_head": {"vhtt_task"},
}


def _contents(world) -> dict[str, str]:
    return {name: getattr(world, name).content for name in EVERYTHING}


def _shown(text: str, world) -> set[str]:
    return {name for name, content in _contents(world).items() if content in text}


def test_the_three_tasks_are_told_apart_by_their_content(world):
    contents = list(_contents(world).values())
    assert all(a not in b for a in contents for b in contents if a is not b)


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_exports_show_each_role_its_tasks(client, world, role):
    login(client, getattr(world, role))
    listed = client.get("/nhiem-vu").get_data(as_text=True)
    assert _shown(listed, world) == SEES[role]
    overdue = client.get("/nhiem-vu/qua-han").get_data(as_text=True)
    assert _shown(overdue, world) == SEES[role] & {"tnmt_task"}  # the one late task
    csv = client.get("/nhiem-vu/xuat.csv").get_data(as_text=True)
    assert _shown(csv, world) == SEES[role]
    workbook = client.get("/nhiem-vu/xuat.xlsx")
    assert workbook.status_code == 200
    import io

    from openpyxl import load_workbook

    cells = " ".join(
        str(value)
        for row in load_workbook(io.BytesIO(workbook.data)).active.iter_rows(values_only=True)
        for value in row
        if value is not None
    )
    assert _shown(cells, world) == SEES[role]
    if role.endswith(("_head", "_member")):
        mine = client.get("/don-vi-cua-toi").get_data(as_text=True)
        assert _shown(mine, world) == SEES[role]


@pytest.mark.parametrize("role", ROLES)
def test_task_pages_open_for_what_a_role_sees_and_are_refused_otherwise(client, world, role):
    login(client, getattr(world, role))
    for name in EVERYTHING:
        page = client.get(f"/nhiem-vu/{getattr(world, name).id}")
        assert page.status_code == (200 if name in SEES[role] else 403), name


@pytest.mark.parametrize("role", ROLES)
def test_the_api_answers_each_role_with_its_tasks(client, world, session, role):
    token, secret = ApiToken.issue(getattr(world, role), "kiểm tra")
    session.add(token)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    listed = client.get("/api/v1/tasks?per_page=200", headers=headers)
    assert listed.status_code == 200
    ids = {item["id"] for item in listed.get_json()["items"]}
    assert ids == {getattr(world, name).id for name in SEES[role]}
    for name in EVERYTHING:
        one = client.get(f"/api/v1/tasks/{getattr(world, name).id}", headers=headers)
        assert one.status_code == (200 if name in SEES[role] else 403), name


@pytest.mark.parametrize("role", ROLES)
def test_a_personal_calendar_holds_each_role_its_tasks(client, world, session, role):
    user = getattr(world, role)
    user.calendar_token = new_secret()
    session.commit()
    feed = client.get(f"/lich/{user.calendar_token}.ics").get_data(as_text=True)
    unfolded = feed.replace("\r\n ", "")
    # a standing task has no deadline and no calendar entry
    assert _shown(unfolded, world) == SEES[role] - {"vhtt_task"}


def test_a_units_calendar_holds_only_the_tasks_it_leads(client, world, session):
    for department, expected in (
        (world.tnmt, {"tnmt_task"}),
        (world.qldt, {"qldt_task"}),
        (world.vhtt, set()),
    ):
        department.calendar_token = new_secret()
        session.commit()
        feed = client.get(f"/lich/{department.calendar_token}.ics").get_data(as_text=True)
        assert _shown(feed.replace("\r\n ", ""), world) == expected, department.name


def test_a_member_filtering_on_another_unit_finds_nothing(client, world):
    login(client, world.tnmt_member)
    assert client.get("/").status_code == 200
    listed = client.get(f"/nhiem-vu?department={world.vhtt.id}").get_data(as_text=True)
    assert _shown(listed, world) == set()
