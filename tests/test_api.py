"""The JSON API: tokens, the same permissions as the web, errors that name the field, and
every response validated against the served OpenAPI description."""

from __future__ import annotations

import datetime as dt

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
from sqlalchemy import func, select
from werkzeug.test import EnvironBuilder

from app.core.timeutil import local_today, utcnow
from app.models import AccessDenial, ApiToken, Document, Task


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
        "/tasks/{task_id}/completion-request",
        "/tasks/{task_id}/confirmation",
        "/tasks/{task_id}/send-back",
        "/tasks/{task_id}/cancellation",
        "/tasks/{task_id}/extensions",
        "/extensions/{extension_id}/decision",
        "/documents",
        "/summary",
        "/stats",
        "/trend",
        "/series",
        "/edxml",
        "/key-task-groups",
        "/key-task-groups/{group_id}",
        "/key-task-groups/{group_id}/evaluations",
        "/key-tasks/section",
        "/unit-evaluations",
    }


def test_the_paths_come_from_the_routes(app, monkeypatch):
    """Each route's path, methods and path parameters are read from Flask's URL map; a route
    with no description, or a description with no route, fails the document."""
    from app.api import spec

    with app.test_request_context():
        paths = spec.route_paths()
        assert set(paths["/series"]) == {"get", "post"}
        assert paths["/series"]["post"]["tags"] == ["Nhiệm vụ định kỳ"]
        assert paths["/tasks/{task_id}/progress"]["post"]["tags"] == ["Nhiệm vụ"]
        assert paths["/tasks/{task_id}"]["get"]["parameters"][0] == {
            "name": "task_id",
            "in": "path",
            "required": True,
            "schema": {"type": "integer"},
        }
        # no path parameter: the Idempotency-Key header only
        assert [p["in"] for p in paths["/documents"]["post"]["parameters"]] == ["header"]
        monkeypatch.delitem(spec.OPERATIONS, "trend")
        with pytest.raises(LookupError, match="trend"):
            spec.route_paths()
        monkeypatch.setitem(spec.OPERATIONS, "trend", {})
        monkeypatch.setitem(spec.OPERATIONS, "gone", {})
        with pytest.raises(LookupError, match="gone"):
            spec.route_paths()


def test_the_reference_page_is_served_from_local_files(client, world):
    """The API reference (Swagger UI drawing openapi.json) is a page for a signed-in user, made
    of this server's files only; the account page, where tokens are made, links to it."""
    import re

    from conftest import login

    signed_out = client.get("/tai-khoan/api")
    assert signed_out.status_code == 302 and "/dang-nhap" in signed_out.location
    login(client, world.tnmt_member)
    response = client.get("/tai-khoan/api")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<title>Tài liệu API</title>" in html and "<h1" in html
    assert 'data-spec="/api/v1/openapi.json"' in html
    files = re.findall(r'(?:src|href)="([^"#]*)"', html)
    assert any("vendor/swagger-ui/swagger-ui-bundle.js" in f for f in files)
    assert [f for f in files if not f.startswith("/") or f.startswith("//")] == []
    for url in files:
        if url.startswith("/static/"):
            served = client.get(url)
            assert served.status_code == 200, url
            served.close()
    assert "<script>" not in html and "style=" not in html
    assert 'href="/tai-khoan/api"' in client.get("/tai-khoan").get_data(as_text=True)


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


def test_one_number_of_an_issuer_is_one_document_a_year(api, world, session):
    assert api("office", "POST", "/documents", json=new_document(world)).status_code == 201
    later = api("office", "POST", "/documents", json=new_document(world, issued_on="2026-05-04"))
    assert later.status_code == 409
    assert later.get_json()["error"] == {
        "code": 409,
        "message": "Đã có văn bản số 55/TB-UBND ngày 13/02/2026 của cơ quan này.",
        "field": "number",
    }
    next_year = new_document(world, issued_on="2027-02-12")
    assert api("office", "POST", "/documents", json=next_year).status_code == 201


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


def test_components_are_generated_from_the_models_that_validate(client):
    """The document's body schemas are the pydantic models': a new field or bound in a model
    appears in the served document, and every request body the API reads is described."""
    from app.api import schemas

    served = client.get("/api/v1/openapi.json").get_json()["components"]["schemas"]
    for model in schemas.REQUESTS:
        assert set(served[model.__name__]["properties"]) == set(model.model_fields)
        assert served[model.__name__]["additionalProperties"] is False
    task = served["NewTask"]["properties"]
    assert task["working_days"]["anyOf"][0]["maximum"] == 365
    assert served["NewDocument"]["properties"]["number"]["maxLength"] == 64
    assert set(served["TaskDetail"]["required"]) >= set(schemas.Task.model_fields)


def test_bodies_are_checked_strictly(api, world):
    """Strings are not numbers, dates are YYYY-MM-DD, unknown fields are refused."""
    cases = [
        ({"issuer_id": str(world.tnmt_task.document.issuer_id)}, "issuer_id", "số nguyên"),
        ({"issued_on": "2026-02-13T00:00:00"}, "issued_on", "YYYY-MM-DD"),
        ({"issued_on": "1800-01-01"}, "issued_on", "Năm phải từ 1900"),
        ({"numbr": "5"}, "numbr", "không được nhận"),
        ({"number": "x" * 65}, "number", "Dài quá 64"),
    ]
    for change, field, words in cases:
        response = api("office", "POST", "/documents", json=new_document(world, **change))
        error = response.get_json()["error"]
        assert response.status_code == 400 and error["field"] == field, (change, error)
        assert words in error["message"], (change, error)
    unknown = new_document(world)
    unknown["tasks"][0]["cooperating_department_ids"] = [world.qldt.id, 999]
    error = api("office", "POST", "/documents", json=unknown).get_json()["error"]
    assert error == {
        "code": 400,
        "message": "Không có đơn vị này.",
        "field": "tasks[0].cooperating_department_ids[1]",
    }


def test_completion_workflow_through_the_api(api, world, session):
    task = world.tnmt_task
    path = f"/tasks/{task.id}"
    # only the lead department's head asks; a cooperating head or the office cannot
    assert api("qldt_head", "POST", f"{path}/completion-request", json={}).status_code == 403
    assert api("office", "POST", f"{path}/completion-request", json={}).status_code == 403
    asked = api("tnmt_head", "POST", f"{path}/completion-request", json={"comment": "Xong"})
    assert asked.status_code == 200 and asked.get_json()["state"] == "awaiting_confirmation"
    again = api("tnmt_head", "POST", f"{path}/completion-request", json={})
    assert again.status_code == 409 and "chờ Văn phòng" in again.get_json()["error"]["message"]
    # the office sends it back with a reason, then the head asks again and the office confirms
    assert api("tnmt_head", "POST", f"{path}/send-back", json={"reason": "x"}).status_code == 403
    no_reason = api("office", "POST", f"{path}/send-back", json={"reason": " "})
    assert no_reason.status_code == 400 and no_reason.get_json()["error"]["field"] == "reason"
    back = api("office", "POST", f"{path}/send-back", json={"reason": "Thiếu biên bản"})
    assert back.get_json()["state"] == "in_progress"
    api("tnmt_head", "POST", f"{path}/completion-request", json={})
    future = (local_today() + dt.timedelta(days=1)).isoformat()
    late = api("office", "POST", f"{path}/confirmation", json={"done_on": future})
    assert late.status_code == 400 and late.get_json()["error"] == {
        "code": 400,
        "message": "Ngày hoàn thành không được sau ngày hôm nay.",
        "field": "done_on",
    }
    done_on = local_today().isoformat()
    confirmed = api("office", "POST", f"{path}/confirmation", json={"done_on": done_on})
    body = confirmed.get_json()
    assert confirmed.status_code == 200 and body["state"] == "done" and body["done_on"] == done_on
    assert body["category"] == "done_late"
    history = api("office", "GET", path).get_json()["history"]
    assert [h["kind"] for h in history].count("state") == 4


def test_extension_and_cancellation_through_the_api(api, world, session):
    from app.models import Extension, Task

    task = world.qldt_task
    path = f"/tasks/{task.id}"
    new_deadline = (task.deadline + dt.timedelta(days=30)).isoformat()
    body = {"new_deadline": new_deadline, "reason": "Chờ ý kiến Sở Xây dựng"}
    assert api("tnmt_head", "POST", f"{path}/extensions", json=body).status_code == 403
    asked = api("qldt_head", "POST", f"{path}/extensions", json=body)
    assert asked.status_code == 201 and asked.get_json()["status"] == "pending"
    extension_id = asked.get_json()["id"]
    twice = api("qldt_head", "POST", f"{path}/extensions", json=body)
    assert twice.status_code == 409
    decision = f"/extensions/{extension_id}/decision"
    assert api("qldt_head", "POST", decision, json={"decision": "approve"}).status_code == 403
    bad = api("office", "POST", decision, json={"decision": "yes"})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "decision"
    refused_without_reason = api("office", "POST", decision, json={"decision": "refuse"})
    assert refused_without_reason.status_code == 400
    assert refused_without_reason.get_json()["error"]["field"] == "note"

    approved = api("office", "POST", decision, json={"decision": "approve", "note": "Đồng ý"})
    assert approved.status_code == 200 and approved.get_json()["status"] == "approved"
    session.expire_all()
    assert session.get(Task, task.id).deadline.isoformat() == new_deadline
    assert session.get(Extension, extension_id).decision_note == "Đồng ý"
    assert api("office", "POST", "/extensions/999999/decision", json={}).status_code == 404
    too_late = {"new_deadline": "2099-01-01", "reason": "x"}
    far = api("qldt_head", "POST", f"{path}/extensions", json=too_late)
    assert far.status_code == 400 and far.get_json()["error"]["field"] == "new_deadline"
    # cancel: office only, a reason, and a finished task cannot be cancelled again
    cancel = {"reason": "Không còn phù hợp"}
    assert api("qldt_head", "POST", f"{path}/cancellation", json=cancel).status_code == 403
    cancelled = api("office", "POST", f"{path}/cancellation", json=cancel)
    assert cancelled.status_code == 200 and cancelled.get_json()["state"] == "cancelled"
    assert api("office", "POST", f"{path}/cancellation", json=cancel).status_code == 409


def test_a_step_on_a_task_changed_since_it_was_read_is_409(api, world, session):
    task = world.tnmt_task
    read = api("tnmt_head", "GET", f"/tasks/{task.id}").get_json()["version"]
    api("qldt_head", "POST", f"/tasks/{task.id}/progress", json={"content": "Đã phối hợp"})
    stale = api(
        "tnmt_head",
        "POST",
        f"/tasks/{task.id}/completion-request",
        json={"version": read},
    )
    assert stale.status_code == 409 and stale.get_json()["error"]["field"] == "version"
    session.expire_all()
    assert session.get(type(task), task.id).state == "in_progress"
    fresh = api("tnmt_head", "GET", f"/tasks/{task.id}").get_json()["version"]
    ok = api("tnmt_head", "POST", f"/tasks/{task.id}/completion-request", json={"version": fresh})
    assert ok.status_code == 200


def test_a_token_records_its_use_to_the_minute_not_on_every_call(api, session, world):
    """Reading through the API does not write on every call (on SQLite every write waits for
    the others); the token's last use is kept to the minute."""
    import datetime as dt

    from sqlalchemy import event

    from app.extensions import db

    assert api("office", "GET", "/tasks").status_code == 200
    token = session.scalar(select(ApiToken).where(ApiToken.user_id == world.office.id))
    recent = utcnow() - dt.timedelta(seconds=10)
    token.last_used_at = recent
    session.commit()
    writes = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE API_TOKENS"):
            writes.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for _ in range(3):
            assert api("office", "GET", "/tasks").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert writes == []
    token.last_used_at = utcnow() - dt.timedelta(minutes=2)
    session.commit()
    api("office", "GET", "/tasks")
    session.expire_all()
    assert session.get(ApiToken, token.id).last_used_at > recent


def test_recurring_duties_through_the_api(api, world, session):
    body = {
        "document_id": world.tnmt_task.document_id,
        "content": "Báo cáo tình hình giải quyết hồ sơ đất đai",
        "lead_department_id": world.tnmt.id,
        "phrase": "hằng tháng, trước ngày 31",  # this month's deadline is still ahead
    }
    assert api("tnmt_head", "POST", "/series", json=body).status_code == 403
    bad = api("office", "POST", "/series", json={**body, "phrase": "thỉnh thoảng"})
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "phrase"
    created = api("office", "POST", "/series", json=body)
    series = created.get_json()
    assert created.status_code == 201 and series["rule"] == "hằng tháng, ngày 31"
    assert len(series["periods"]) == 1 and len(series["upcoming"]) == 3
    listed = api("tnmt_head", "GET", "/series").get_json()["items"]
    assert [s["id"] for s in listed] == [series["id"]]
    assert api("vhtt_head", "GET", "/series").get_json()["items"] == []


def test_a_document_naming_a_unit_a_merger_ended_is_refused_or_handed_over(api, world, session):
    import datetime as dt

    from app.units import reorganise

    reorganise.merge(
        session, [world.qldt], world.tnmt, on=dt.date(2026, 1, 1), today=dt.date(2026, 1, 1)
    )
    session.commit()
    after = api("office", "POST", "/documents", json=new_document(world))  # issued 13/02/2026
    error = after.get_json()["error"]
    assert after.status_code == 400 and error["field"] == "tasks[0].cooperating_department_ids"
    assert error["message"] == (
        "Đơn vị “Phòng Quản lý đô thị thành phố” đã thôi hoạt động từ ngày 01/01/2026: "
        "hãy giao cho “Phòng Tài nguyên và Môi trường”."
    )
    older = {
        "tasks": [{"content": "Kiểm tra", "lead_department_id": world.qldt.id, "deadline": None}],
        "issued_on": "2025-12-01",
    }
    response = api("office", "POST", "/documents", json=new_document(world, **older))
    assert response.status_code == 201
    task = session.get(Task, response.get_json()["tasks"][0]["id"])
    # open, of a document older than the merger: led by QLĐT then, by its successor since
    assert task.lead_department_id == world.tnmt.id
    from app.core.units_as_of import leads_on

    assert leads_on(session, [task.id], dt.date(2025, 12, 31)) == {task.id: world.qldt.id}
