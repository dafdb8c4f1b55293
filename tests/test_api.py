"""The JSON API: tokens, the same permissions as the web, errors that name the field, and
every response validated against the served OpenAPI description."""

from __future__ import annotations

import datetime as dt

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from app.models import AccessDenial, ApiToken, Document
from app.timeutil import local_today, utcnow


@pytest.fixture
def api(client, world, session):
    spec = OpenAPI.from_dict(client.get("/api/v1/openapi.json").get_json())
    tokens = {}
    for role in ("admin", "office", "leader", "tnmt_head", "qldt_head", "vhtt_head"):
        token, secret = ApiToken.issue(getattr(world, role), role)
        session.add(token)
        tokens[role] = secret
    session.commit()

    def call(role, method, path, **kwargs):
        headers = kwargs.pop("headers", None) or (
            {"Authorization": f"Bearer {tokens[role]}"} if role else {}
        )
        response = client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)
        # A fresh copy of the request: the app may have answered without reading its body.
        request = EnvironBuilder(
            path=f"/api/v1{path}", method=method, headers=headers, json=kwargs.get("json")
        ).get_request()
        spec.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
        return response

    call.tokens = tokens
    call.client = client
    return call


def test_spec_is_served_and_valid(client):
    from openapi_spec_validator import validate

    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    assert set(spec["paths"]) == {
        "/tasks",
        "/tasks/{task_id}",
        "/tasks/{task_id}/progress",
        "/documents",
        "/summary",
    }


def test_no_token_or_a_wrong_one_is_401(api):
    assert api(None, "GET", "/tasks").status_code == 401
    response = api(None, "GET", "/tasks", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_revoked_token_stops_working(api, session, world):
    assert api("tnmt_head", "GET", "/tasks").status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == world.tnmt_head.id))
    assert token.last_used_at is not None and token.token_hash != api.tokens["tnmt_head"]
    token.revoked_at = utcnow()
    session.commit()
    response = api("tnmt_head", "GET", "/tasks")
    assert response.status_code == 401 and "thu hồi" in response.get_json()["error"]["message"]


@pytest.mark.parametrize(
    ("role", "visible"),
    [
        ("office", {"tnmt", "qldt", "vhtt"}),
        ("leader", {"tnmt", "qldt", "vhtt"}),
        ("tnmt_head", {"tnmt"}),
        ("qldt_head", {"tnmt", "qldt"}),
        ("vhtt_head", {"vhtt"}),
    ],
)
def test_list_follows_the_web_permissions(api, world, role, visible):
    ids = {getattr(world, f"{name}_task").id for name in visible}
    body = api(role, "GET", "/tasks").get_json()
    assert {item["id"] for item in body["items"]} == ids and body["total"] == len(ids)


def test_list_filters_like_the_web(api, world):
    late = api("office", "GET", "/tasks?category=late").get_json()
    assert [i["id"] for i in late["items"]] == [world.tnmt_task.id]
    assert late["items"][0]["days_late"] == 10 and late["items"][0]["category"] == "late"
    found = api("office", "GET", "/tasks?q=giay+chung+nhan").get_json()
    assert [i["id"] for i in found["items"]] == [world.tnmt_task.id]
    paged = api("office", "GET", "/tasks?per_page=1&page=2&sort=issued").get_json()
    assert paged["pages"] == 3 and len(paged["items"]) == 1


@pytest.mark.parametrize(
    ("query", "field"),
    [("deadline_from=16/12/2024", "deadline_from"), ("page=abc", "page"), ("sort=x", "sort")],
)
def test_bad_list_parameters_name_the_field(api, query, field):
    response = api("office", "GET", f"/tasks?{query}")
    assert response.status_code == 400 and response.get_json()["error"]["field"] == field


def test_task_with_history_and_another_departments_task(api, world):
    body = api("tnmt_head", "GET", f"/tasks/{world.tnmt_task.id}").get_json()
    assert body["history"][0]["kind"] == "created"
    assert body["lead_department"]["name"] == "Phòng Tài nguyên và Môi trường"
    assert api("tnmt_head", "GET", f"/tasks/{world.vhtt_task.id}").status_code == 403
    assert api("tnmt_head", "GET", "/tasks/999999").status_code == 404


def test_progress_by_department_roles(api, world, session):
    task = world.tnmt_task
    created = api(
        "qldt_head", "POST", f"/tasks/{task.id}/progress", json={"content": "Đã phối hợp kiểm tra"}
    )
    assert (
        created.status_code == 201
        and created.get_json()["department"] == "Phòng Quản lý đô thị thành phố"
    )
    assert (
        api("vhtt_head", "POST", f"/tasks/{task.id}/progress", json={"content": "x"}).status_code
        == 403
    )
    assert (
        api("leader", "POST", f"/tasks/{task.id}/progress", json={"content": "x"}).status_code
        == 403
    )
    empty = api("tnmt_head", "POST", f"/tasks/{task.id}/progress", json={"content": " "})
    assert empty.status_code == 400 and empty.get_json()["error"]["field"] == "content"
    not_json = api.client.post(
        f"/api/v1/tasks/{task.id}/progress",
        data="content=x",
        headers={"Authorization": f"Bearer {api.tokens['tnmt_head']}"},
    )
    assert not_json.status_code == 400 and "JSON" in not_json.get_json()["error"]["message"]
    assert session.scalar(select(func.count(AccessDenial.id))) == 2
    detail = api("tnmt_head", "GET", f"/tasks/{task.id}").get_json()
    assert detail["state"] == "in_progress" and len(detail["progress_reports"]) == 1


def new_document(world, **changes):
    body = {
        "number": "55/TB-UBND",
        "kind": "Thông báo kết luận",
        "issuer_id": world.tnmt_task.document.issuer_id,
        "issued_on": "2026-02-13",
        "tasks": [
            {
                "content": "Rà soát đất công",
                "lead_department_id": world.tnmt.id,
                "cooperating_department_ids": [world.qldt.id],
                "working_days": 1,
            },
            {"content": "Tuyên truyền", "lead_department_id": world.vhtt.id, "deadline": None},
        ],
    }
    body.update(changes)
    return body


def test_create_document_with_tasks(api, world, session):
    response = api("office", "POST", "/documents", json=new_document(world))
    assert response.status_code == 201
    body = response.get_json()
    assert [t["deadline"] for t in body["tasks"]] == ["2026-02-23", None]
    assert body["tasks"][0]["cooperating_departments"][0]["id"] == world.qldt.id
    again = api("office", "POST", "/documents", json=new_document(world))
    assert again.status_code == 409 and again.get_json()["error"]["field"] == "number"
    assert api("tnmt_head", "POST", "/documents", json=new_document(world)).status_code == 403
    assert session.scalar(select(func.count(Document.id))) == 4


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"issued_on": "13/02/2026"}, "issued_on"),
        ({"issuer_id": "một"}, "issuer_id"),
        ({"issuer_id": 999}, "issuer_id"),
        ({"tasks": []}, "tasks"),
        ({"number": ""}, "number"),
        ({"tasks": [{"content": "x", "lead_department_id": 999}]}, "tasks[0].lead_department_id"),
        (
            {"tasks": [{"content": "x", "lead_department_id": 1, "deadline": "mai"}]},
            "tasks[0].deadline",
        ),
        (
            {"tasks": [{"content": "x", "lead_department_id": 1, "working_days": 0}]},
            "tasks[0].working_days",
        ),
        ({"tasks": [{"lead_department_id": 1}]}, "tasks[0].content"),
    ],
)
def test_bad_documents_are_400_naming_the_field(client, world, session, change, field):
    token, secret = ApiToken.issue(world.office, "t")
    session.add(token)
    session.commit()
    response = client.post(
        "/api/v1/documents",
        json=new_document(world, **change),
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 400, response.get_json()
    assert response.get_json()["error"]["field"] == field
    assert session.scalar(select(func.count(Document.id))) == 3


def test_summary_as_of_a_date(api, world):
    body = api("leader", "GET", "/summary").get_json()
    assert body["late"]["total"] == 1 and body["pending"]["total"] == 2
    assert body["text"].startswith("- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 01")
    earlier = (local_today() - dt.timedelta(days=60)).isoformat()
    assert api("leader", "GET", f"/summary?as_of={earlier}").get_json()["late"]["total"] == 0
    bad = api("leader", "GET", "/summary?as_of=hom-nay")
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "as_of"


def test_a_browser_session_does_not_authenticate_the_api(client, world):
    from conftest import login

    login(client, world.office)
    assert client.get("/api/v1/tasks").status_code == 401


def test_the_spec_check_would_catch_a_drift(api, client):
    """The validation used above is live: a spec that disagrees with a response fails it."""
    from openapi_core.exceptions import OpenAPIError

    spec = client.get("/api/v1/openapi.json").get_json()
    spec["components"]["schemas"]["Task"]["required"].append("not_a_field")
    strict = OpenAPI.from_dict(spec)
    response = api("office", "GET", "/tasks")
    request = EnvironBuilder(
        path="/api/v1/tasks", headers={"Authorization": f"Bearer {api.tokens['office']}"}
    ).get_request()
    with pytest.raises(OpenAPIError):
        strict.validate_response(WerkzeugOpenAPIRequest(request), WerkzeugOpenAPIResponse(response))
