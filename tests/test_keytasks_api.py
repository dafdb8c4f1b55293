"""The key task endpoints of the API: the web's permissions, grades recorded and revised, every
answer validated against the served OpenAPI document (the ``api`` fixture)."""

from __future__ import annotations

import datetime as dt

from test_api import api  # noqa: F401  (the fixture)

from app.core.timeutil import local_today

GOOD, EXCELLENT = "Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"


def _group_body(world, year):
    return {
        "name": "Nhóm nhiệm vụ về đất đai",
        "issuer_id": world.tnmt_task.document.issuer_id,
        "period_from": f"{year}-01-01",
        "period_to": f"{year}-12-31",
        "task_ids": [world.tnmt_task.id, world.qldt_task.id],
    }


def test_the_office_creates_a_group_and_records_then_revises_its_grade(api, world):  # noqa: F811
    year = local_today().year
    created = api("office", "POST", "/key-task-groups", json=_group_body(world, year))
    assert created.status_code == 201, created.get_json()
    group = created.get_json()
    assert group["task_ids"] == sorted([world.tnmt_task.id, world.qldt_task.id])
    assert group["figures"]["total"] == 2 and group["evaluation"] is None
    today = local_today().isoformat()
    url = f"/key-task-groups/{group['id']}/evaluations"
    first = api("office", "POST", url, json={"grade": GOOD, "effective_on": today})
    assert first.status_code == 201, first.get_json()
    assert first.get_json()["evaluation"]["grade"] == GOOD
    refused = api("office", "POST", url, json={"grade": EXCELLENT, "effective_on": today})
    assert refused.status_code == 400 and "lý do" in refused.get_json()["error"]["message"]
    revised = api(
        "office", "POST", url, json={"grade": EXCELLENT, "effective_on": today, "reason": "Rà soát"}
    )
    body = revised.get_json()
    assert revised.status_code == 201 and body["evaluation"]["grade"] == EXCELLENT
    assert [e["grade"] for e in body["evaluations"]] == [GOOD, EXCELLENT]
    assert body["evaluations"][1]["revises_id"] == body["evaluations"][0]["id"]
    bad = api("office", "POST", url, json={"grade": "Tốt lắm", "effective_on": today})
    assert bad.status_code == 400
    changed = {**_group_body(world, year), "name": "Nhóm đất đai", "task_ids": [world.tnmt_task.id]}
    put = api("office", "PUT", f"/key-task-groups/{group['id']}", json=changed)
    assert put.status_code == 200 and put.get_json()["task_ids"] == [world.tnmt_task.id]
    assert api("tnmt_head", "PUT", f"/key-task-groups/{group['id']}", json=changed).status_code == (
        403
    )
    section = api("leader", "GET", f"/key-tasks/section?year={year}").get_json()
    assert (
        f"Năm {year}, " in section["text"]
        and "01 nhóm nhiệm vụ hoàn thành xuất sắc" in (section["text"])
    )


def test_departments_read_their_own_and_record_nothing(api, world):  # noqa: F811
    year = local_today().year
    group = api("office", "POST", "/key-task-groups", json=_group_body(world, year)).get_json()
    today = local_today().isoformat()
    url = f"/key-task-groups/{group['id']}"
    assert api("vhtt_head", "GET", url).status_code == 403
    assert api("vhtt_head", "GET", "/key-task-groups").get_json()["items"] == []
    own = api("tnmt_head", "GET", url).get_json()
    assert own["task_ids"] == [world.tnmt_task.id]  # the other task is QLĐT's alone
    evaluation = {"grade": GOOD, "effective_on": today}
    for role in ("tnmt_head", "leader"):
        assert api(role, "POST", f"{url}/evaluations", json=evaluation).status_code == 403
        assert api(role, "POST", "/key-task-groups", json=_group_body(world, year)).status_code == (
            403
        )
    assert api("tnmt_head", "GET", f"/key-tasks/section?year={year}").status_code == 403
    unit = {**evaluation, "department_id": world.tnmt.id, "period_from": f"{year}-01-01",
            "period_to": f"{year}-12-31"}  # fmt: skip
    assert api("tnmt_head", "POST", "/unit-evaluations", json=unit).status_code == 403
    assert api("office", "POST", "/unit-evaluations", json=unit).status_code == 201
    query = f"/unit-evaluations?department={world.tnmt.id}&from={year}-01-01&to={year}-12-31"
    read = api("tnmt_head", "GET", query).get_json()
    assert read["evaluation"]["grade"] == GOOD and read["figures"]["total"] >= 1
    other = f"/unit-evaluations?department={world.qldt.id}&from={year}-01-01&to={year}-12-31"
    assert api("tnmt_head", "GET", other).status_code == 403
    assert api("office", "GET", "/unit-evaluations?department=1").status_code == 400


def test_the_api_refuses_bad_bodies_in_words(api, world):  # noqa: F811
    year = local_today().year
    body = _group_body(world, year)
    for change, field in (
        ({"task_ids": [999999]}, "task_ids"),
        ({"issuer_id": "1"}, "issuer_id"),
        ({"period_to": f"{year - 1}-01-01"}, None),
        ({"name": ""}, "name"),
        ({"extra": 1}, "extra"),
    ):
        answer = api("office", "POST", "/key-task-groups", json={**body, **change})
        assert answer.status_code == 400, change
        assert field is None or answer.get_json()["error"].get("field", "").startswith(field)
    future = (local_today() + dt.timedelta(days=5)).isoformat()
    group = api("office", "POST", "/key-task-groups", json=body).get_json()
    url = f"/key-task-groups/{group['id']}/evaluations"
    assert api("office", "POST", url, json={"grade": GOOD, "effective_on": future}).status_code == (
        400
    )
    assert api("office", "GET", "/key-task-groups/999999").status_code == 404
    assert api("office", "GET", "/key-task-groups?as_of=31/12/2024").status_code == 400
