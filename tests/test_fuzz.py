"""Hostile input never makes a 500: every GET route with malformed query parameters, the main
forms with a malformed value in each field, and the API bodies, as each kind of user.

Each case is sent through the test client; every 5xx is collected and the test fails listing
them all (with the count of requests sent), so one run shows the whole picture.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from app.core.timeutil import local_today
from app.models import ApiToken
from conftest import login

VALUES = [
    "",
    "abc",
    "²",
    "-1",
    "0",
    "99999999999999999999",
    "1e309",
    "0001-01-01",
    "9999-12-31",
    "31/02/2024",
    "'; DROP TABLE tasks; --",
    "%00",
    "\x00",
    "x" * 5000,
]
PER_PARAM_VALUES = ["²", "99999999999999999999", "-1", "9999-12-31"]
PARAMS = [
    "department",
    "issuer",
    "page",
    "per_page",
    "year",
    "as_of",
    "since",
    "report_number",
    "report_date",
    "category",
    "sort",
    "q",
    "kind",
    "deadline_from",
    "deadline_to",
    "issued_from",
    "issued_to",
    "done_from",
    "done_to",
    "days",
    "on",
    "issued_on",
    "status",
    "next",
    "format",
]
SKIP_ENDPOINTS = {"static", "auth.logout"}


def get_routes(app, ids: dict) -> list[str]:
    """Every GET route, its ``<int:…>`` parts filled with an existing id, then a huge one."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint in SKIP_ENDPOINTS:
            continue
        for fill in ("real", "huge"):
            url = rule.rule
            for arg in rule.arguments:
                value = "99999999999999999999" if fill == "huge" else ids.get(arg, "1")
                url = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(value), url)
            urls.append(url)
    return sorted(set(urls))


def summary(recorder) -> str:
    """The distinct failing places (route and what broke), for the failure message."""
    seen = {}
    for error in recorder.errors:
        key = re.sub(r"(all=|=).*", "", error)
        seen.setdefault(key, error)
    return "\n".join(sorted(seen.values()))


class Recorder:
    def __init__(self) -> None:
        self.sent = 0
        self.errors: list[str] = []

    def check(self, response, what: str) -> None:
        self.sent += 1
        # /healthz says 503 by design when no scheduler runs (none does in the tests); it
        # must still answer with its report, never with an error page.
        reported = what.startswith("GET /healthz") and response.status_code == 503
        if reported and (response.get_json() or {}).get("scheduler", {}).get("ok") is False:
            response.close()
            return
        if response.status_code >= 500:
            self.errors.append(f"{response.status_code} {what}"[:300])
        response.close()


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    """Errors become the 500 page a user would get, to be counted, instead of raising."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


@pytest.fixture
def targets(world, session):
    group = key_task_group(session, world)
    return {
        "group_id": group.id,
        "task_id": world.tnmt_task.id,
        "document_id": world.tnmt_task.document_id,
        "user_id": world.tnmt_head.id,
        "department_id": world.tnmt.id,
        "issuer_id": world.tnmt_task.document.issuer_id,
        "extension_id": 1,
        "attachment_id": 1,
        "reminder_id": 1,
        "fmt": "xlsx",
        "code": "en",
        "token": "khong-phai-token",
        "day": "2026-13-45",
    }


@pytest.mark.parametrize("role", ["admin", "tnmt_head"])
def test_no_get_route_answers_500(app, client, world, targets, role):
    login(client, getattr(world, role))
    recorder = Recorder()
    for url in get_routes(app, targets):
        for value in VALUES:
            query = {name: value for name in PARAMS}
            recorder.check(client.get(url, query_string=query), f"GET {url} all={value[:20]!r}")
        for name in PARAMS:
            for value in PER_PARAM_VALUES:
                recorder.check(
                    client.get(url, query_string={name: value}), f"GET {url}?{name}={value}"
                )
    print(f"{recorder.sent} GET requests as {role}")
    assert recorder.errors == [], f"{len(recorder.errors)} of {recorder.sent}: " + summary(recorder)


def key_task_group(session, world):
    """A key task group holding the world's tasks, with one grade recorded."""
    from app.keytasks.evaluations import Decision, Subject, record
    from app.keytasks.groups import GroupValues, save_group, set_tasks

    issuer_id = world.tnmt_task.document.issuer_id
    year = dt.date.today().year
    values = GroupValues("Nhóm A", issuer_id, dt.date(year, 1, 1), dt.date(year, 12, 31))
    group = save_group(session, values)
    set_tasks(session, group, [world.tnmt_task.id, world.vhtt_task.id])
    decision = Decision("Hoàn thành nhiệm vụ", dt.date(year, 1, 1))
    record(session, Subject.of_group(group), decision, dt.date.today())
    session.commit()
    return group


def key_task_cases(world, group) -> list[tuple[str, dict, str]]:
    today = dt.date.today().strftime("%d/%m/%Y")
    evaluation = {"grade": "Hoàn thành tốt nhiệm vụ", "effective_on": today,
                  "decided_by": "BTV", "note": "", "reason": "Lý do"}  # fmt: skip
    body = {"name": "Nhóm B", "issuer_id": str(world.tnmt_task.document.issuer_id),
            "period_from": "01/01/2025", "period_to": "31/12/2025", "given_on": "",
            "display_order": "1", "task_codes": f"NV-{world.tnmt_task.id:05d}",
            "note": ""}  # fmt: skip
    rules = {"unit-rows-0-grade": "x", "unit-rows-0-min_on_time": "90",
             "unit-rows-0-max_done_late": "10", "unit-rows-0-max_overdue": "0",
             "unit-rows-0-min_update": "80", "unit-rows-1-min_on_time": "70"}  # fmt: skip
    unit = f"/danh-gia-don-vi?department={world.tnmt.id}&from=01/01/2025&to=31/12/2025"
    return [
        ("/nhom-nhiem-vu/moi", body, "office"),
        (f"/nhom-nhiem-vu/{group.id}/sua", body, "office"),
        (f"/nhom-nhiem-vu/{group.id}/danh-gia", evaluation, "office"),
        (unit, evaluation, "office"),
        ("/quan-tri/danh-gia/quy-tac/unit", rules, "admin"),
        (f"/nhom-nhiem-vu/{group.id}/xoa", {"x": "1"}, "office"),
        ("/quan-tri/danh-gia/muc", {"grades": "Tốt\nKhông đạt"}, "admin"),
    ]


def form_cases(world) -> list[tuple[str, dict, str]]:
    """(url, a valid body, who) for the main forms."""
    task, today = world.tnmt_task, dt.date.today()
    version = {"version": str(task.version), "last_event": "0"}
    document = {
        "number": "99/TB-UBND",
        "issuer": str(task.document.issuer_id),
        "issued_on": today.strftime("%d/%m/%Y"),
        "kind": "Thông báo kết luận",
        "summary": "Trích yếu",
        "tasks-0-content": "Nội dung",
        "tasks-0-lead": str(world.tnmt.id),
        "tasks-0-cooperators": str(world.qldt.id),
        "tasks-0-deadline_kind": "working_days",
        "tasks-0-working_days": "10",
        "tasks-0-deadline": "",
        "tasks-0-task_id": "",
        "edxml_entry": "",
    }
    return [
        ("/van-ban/moi", document, "office"),
        (f"/van-ban/{task.document_id}", document, "office"),
        (
            f"/nhiem-vu/{task.id}/sua",
            {
                **version,
                "content": "Nội dung",
                "lead": str(world.tnmt.id),
                "cooperators": str(world.qldt.id),
                "deadline_kind": "date",
                "deadline": (today + dt.timedelta(days=9)).strftime("%d/%m/%Y"),
                "working_days": "",
                "note": "",
            },
            "office",
        ),
        (f"/nhiem-vu/{task.id}/tien-do", {**version, "content": "Tiến độ"}, "tnmt_head"),
        (f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh", {**version, "comment": "Xong"}, "tnmt_head"),
        (
            f"/nhiem-vu/{task.id}/gia-han",
            {**version, "new_deadline": "01/01/2030", "reason": "Lý do"},
            "tnmt_head",
        ),
        (f"/nhiem-vu/{task.id}/xac-nhan", {**version, "done_on": "01/01/2026"}, "office"),
        (f"/nhiem-vu/{task.id}/tra-lai", {**version, "back-reason": "Lý do"}, "office"),
        (f"/nhiem-vu/{task.id}/huy", {**version, "cancel-reason": "Lý do"}, "office"),
        ("/gia-han/1", {"decision": "approve", "note": ""}, "office"),
        (
            f"/quan-tri/nguoi-dung/{world.tnmt_member.id}",
            {
                "username": "tnmt.cv",
                "full_name": "Chuyên viên",
                "role": "department_member",
                "department": str(world.tnmt.id),
                "email": "cv@example.vn",
                "is_active": "y",
                "password": "",
            },
            "admin",
        ),
        (
            f"/quan-tri/don-vi/{world.vhtt.id}",
            {
                "name": "Phòng VHTT",
                "short_name": "VHTT",
                "display_order": "3",
                "email": "",
                "organ_id": "000.12.03.H37",
            },  # fmt: skip
            "admin",
        ),
        (
            "/quan-tri/co-quan-ban-hanh/moi",
            {"name": "Sở X", "display_order": "1", "organ_id": "000.00.00.H37"},
            "admin",
        ),
        ("/quan-tri/ngay-lam-viec", {"day": "01/05/2027", "is_working_day": "0"}, "admin"),
        ("/quan-tri/cai-dat", {"governing_body": "UBND", "requests_by": "head"}, "admin"),
        (
            "/quan-tri/nhac-viec/lich",
            {"cron-digest": "30 7 * * mon", "param-escalation-days_late": "15"},
            "admin",
        ),
        ("/tai-khoan", {"action": "revoke-token", "token_id": "1"}, "office"),
        ("/tai-khoan", {"action": "department-calendar", "department_id": "1"}, "office"),
        ("/nhap-du-lieu/xac-nhan", {"job": "1", "choice-2": "update"}, "office"),
        ("/nhap-du-lieu/xac-nhan", {"job": "abc", "choice-²": "new"}, "office"),
        (
            "/van-ban/doc-van-ban",
            {
                "text": "Số: 5/TB-UBND\nngày 5 tháng 11 năm 2024\nGiao Phòng Tài nguyên và Môi "
                "trường rà soát trước ngày 30/11/2024."
            },
            "office",
        ),  # fmt: skip
        ("/dang-nhap", {"username": "vanphong", "password": "sai"}, "office"),
    ]


def test_no_form_field_answers_500(app, world, session):
    from app.models import Reminder
    from app.recurring.series import create_series

    series = create_series(
        session, world.tnmt_task.document, content="Báo cáo tháng", lead=world.tnmt,
        phrase="hằng tháng, trước ngày 31", starts_on=world.tnmt_task.document.issued_on,
    )  # fmt: skip
    failed = Reminder(kind="digest", recipient_email="a@example.vn", scope="user:1",
                      period="2026-W48", subject="s", body_text="t", body_html="h",
                      status="failed")  # fmt: skip
    session.add(failed)
    session.commit()
    changed_on = (dt.date.today() - dt.timedelta(days=10)).strftime("%d/%m/%Y")
    extra = [
        (f"/dinh-ky/{series.id}/sua", {"phrase": "hằng quý, trước ngày 15", "content": "x"},
         "office"),
        ("/quan-tri/nhac-viec/gui-lai", {"reminder": str(failed.id)}, "admin"),
        (f"/dinh-ky/{series.id}/dung", {"x": "1"}, "office"),
        *key_task_cases(world, key_task_group(session, world)),
        # organisation changes last: a valid one ends units the cases before would use
        ("/quan-tri/to-chuc/doi-ten", {"doi-ten-unit": str(world.qldt.id),
         "doi-ten-new_name": "Phòng Đô thị", "doi-ten-effective_on": changed_on,
         "doi-ten-decision": "QĐ 1", "step": "confirm", "fingerprint": "0" * 64}, "admin"),
        ("/quan-tri/to-chuc/chia-tach", {"chia-tach-unit": str(world.vhtt.id),
         "chia-tach-new_names": "Phòng A\nPhòng B", "chia-tach-effective_on": changed_on,
         "chia-tach-decision": "QĐ 2", "step": "assign",
         f"assign-{world.vhtt_task.id}": "Phòng A", "assign-default": "Phòng B"}, "admin"),
        ("/quan-tri/to-chuc/giai-the", {"giai-the-unit": str(world.vhtt.id),
         "giai-the-effective_on": changed_on, "giai-the-decision": ""}, "admin"),
        ("/quan-tri/to-chuc/hop-nhat", {"hop-nhat-units": str(world.tnmt.id),
         "hop-nhat-into": "0", "hop-nhat-new_name": "Phòng Mới", "hop-nhat-head": "0",
         "hop-nhat-effective_on": changed_on, "hop-nhat-decision": "", "step": "preview"},
         "admin"),
    ]  # fmt: skip
    recorder = Recorder()
    for url, body, who in [*form_cases(world), *extra]:
        for field in list(body):
            for value in [*VALUES, "-5", "1.5", "0x10"]:
                client = app.test_client()
                login(client, getattr(world, who))
                recorder.check(
                    client.post(url, data={**body, field: value}),
                    f"POST {url} {field}={value[:20]!r}",
                )
                session.rollback()
    print(f"{recorder.sent} form posts")
    assert recorder.errors == [], f"{len(recorder.errors)} of {recorder.sent}: " + summary(recorder)


def _fuzz_key_task_bodies(client, world, session, headers, recorder) -> None:
    """The key task endpoints' bodies, each field given each hostile value."""
    group = key_task_group(session, world)
    year = dt.date.today().year
    new_group = {"name": "Nhóm", "issuer_id": world.tnmt_task.document.issuer_id,
                 "period_from": f"{year}-01-01", "period_to": f"{year}-12-31",
                 "given_on": None, "display_order": 0, "note": "",
                 "task_ids": [world.tnmt_task.id]}  # fmt: skip
    evaluation = {"grade": "Hoàn thành tốt nhiệm vụ", "effective_on": dt.date.today().isoformat(),
                  "decided_by": "", "note": "", "reason": "x"}  # fmt: skip
    unit = {**evaluation, "department_id": world.tnmt.id, "period_from": f"{year}-01-01",
            "period_to": f"{year}-12-31"}  # fmt: skip
    cases = [
        ("POST", "/api/v1/key-task-groups", new_group),
        ("PUT", f"/api/v1/key-task-groups/{group.id}", new_group),
        ("POST", f"/api/v1/key-task-groups/{group.id}/evaluations", evaluation),
        ("POST", "/api/v1/unit-evaluations", unit),
    ]
    for method, url, body in cases:
        for field in body:
            for value in JSON_VALUES:
                recorder.check(
                    client.open(url, method=method, json={**body, field: value}, headers=headers),
                    f"{method} {url} {field}={str(value)[:20]}",
                )
                session.rollback()


JSON_VALUES = [None, "", "abc", -1, 0, 10**20, 1.5, True, [], {}, [10**20], "9999-12-31",
               "0001-01-01", "x" * 10000]  # fmt: skip


def test_no_api_body_answers_500(client, world, session):
    token_row, token = ApiToken.issue(world.office, "fuzz")
    session.add(token_row)
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    recorder = Recorder()
    task = {
        "content": "Nội dung",
        "lead_department_id": world.tnmt.id,
        "cooperating_department_ids": [world.qldt.id],
        "deadline": "2027-01-15",
        "working_days": None,
    }
    document = {
        "number": "5/TB-UBND",
        "issuer_id": world.tnmt_task.document.issuer_id,
        "issued_on": "2026-11-02",
        "kind": "Thông báo",
        "summary": "",
        "tasks": [task],
    }
    for field in document:
        for value in JSON_VALUES:
            body = {**document, field: value}
            recorder.check(
                client.post("/api/v1/documents", json=body, headers=headers), f"doc {field}"
            )
            session.rollback()
    for field in task:
        for value in JSON_VALUES:
            body = {**document, "tasks": [{**task, field: value}]}
            recorder.check(
                client.post("/api/v1/documents", json=body, headers=headers),
                f"task {field}={str(value)[:20]}",
            )
            session.rollback()
    for value in JSON_VALUES:
        recorder.check(
            client.post(
                f"/api/v1/tasks/{world.tnmt_task.id}/progress",
                json={"content": value},
                headers=headers,
            ),
            f"progress {str(value)[:20]}",
        )
    steps = {
        "completion-request": {"comment": "x", "version": 1},
        "confirmation": {"done_on": "2026-11-02", "version": 1},
        "send-back": {"reason": "x", "version": 1},
        "cancellation": {"reason": "x", "version": 1},
        "extensions": {"new_deadline": "2027-11-02", "reason": "x", "version": 1},
    }
    head_row, head_token = ApiToken.issue(world.qldt_head, "fuzz")
    session.add(head_row)
    session.commit()
    as_head = {"Authorization": f"Bearer {head_token}"}
    asked = client.post(
        f"/api/v1/tasks/{world.qldt_task.id}/extensions",
        json={"new_deadline": f"{local_today().year + 1}-12-31", "reason": "x"},
        headers=as_head,
    )
    assert asked.status_code == 201, asked.get_json()
    for step, step_body in steps.items():
        asks = step in ("completion-request", "extensions")  # the lead head's steps
        for field in step_body:
            for value in JSON_VALUES:
                recorder.check(
                    client.post(
                        f"/api/v1/tasks/{world.qldt_task.id}/{step}",
                        json={**step_body, field: value},
                        headers=as_head if asks else headers,
                    ),
                    f"{step} {field}={str(value)[:20]}",
                )
                session.rollback()
    for field in ("decision", "note"):
        for value in JSON_VALUES:
            recorder.check(
                client.post(
                    f"/api/v1/extensions/{asked.get_json()['id']}/decision",
                    json={"decision": "refuse", "note": "x", field: value},
                    headers=headers,
                ),
                f"decision {field}={str(value)[:20]}",
            )
            session.rollback()
    series = {
        "document_id": world.tnmt_task.document_id,
        "content": "Báo cáo",
        "lead_department_id": world.tnmt.id,
        "cooperating_department_ids": [world.qldt.id],
        "phrase": "hằng tháng, trước ngày 31",
        "starts_on": "2026-11-02",
        "ends_on": None,
        "max_count": None,
    }
    for field in series:
        for value in JSON_VALUES:
            recorder.check(
                client.post("/api/v1/series", json={**series, field: value}, headers=headers),
                f"series {field}={str(value)[:20]}",
            )
            session.rollback()
    _fuzz_key_task_bodies(client, world, session, headers, recorder)
    for raw in ("{", "[]", "null", '{"tasks": "x"}', "\x00"):
        recorder.check(
            client.post(
                "/api/v1/documents",
                data=raw,
                headers={**headers, "Content-Type": "application/json"},
            ),
            f"raw {raw!r}",
        )
    print(f"{recorder.sent} API bodies")
    assert recorder.errors == [], f"{len(recorder.errors)} of {recorder.sent}: " + summary(recorder)
