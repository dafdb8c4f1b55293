"""Two offices in one installation: nothing of one office reaches the users of another.

Office A holds the usual world plus data whose every text carries a marker (a unit, an issuer,
a document, tasks, a progress report, an extension request, an attachment, a key task group,
a recurring duty, a user). Office B has its own units (one with the same name as A's), users
and tasks. Every route of the application and every API endpoint is then tried by B's users
with A's ids in the address and in the query: no answer carries A's marker (files the
product writes are opened: XLSX, DOCX and ZIP are read inside), none is a 500, and every
write aimed at A's rows leaves A's data as it was. The same sweep as A's own users finds the
marker (the check can fail).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from app.core.attachments import save_upload
from app.core.office_scope import use_office
from app.core.timeutil import local_today
from app.models import (
    ApiToken,
    Attachment,
    Department,
    Event,
    Extension,
    Issuer,
    KeyTaskGroup,
    Office,
    ProgressReport,
    Task,
    User,
)
from app.models.people import Role
from app.offices.registry import create_office
from app.tasks.workflow import report_progress, request_extension
from conftest import login

MARK = "BIMATA"  # in every text of office A's marked data
SKIP_ENDPOINTS = {"static", "auth.logout", "auth.login", "auth.oidc_start", "auth.oidc_callback"}


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False


class Offices:
    def __init__(self, session, factory, world) -> None:
        today = local_today()
        self.a = session.get(Office, 1)
        self.world = world
        # Office A's marked rows (the world is office A's too).
        self.unit = factory.department(f"Phòng {MARK} Tài chính", 9, MARK)
        self.user = factory.user(f"{MARK.lower()}.head", Role.DEPARTMENT_HEAD, self.unit)
        self.user.full_name = f"Ông {MARK}"
        self.issuer = factory.issuer(f"Tỉnh ủy {MARK}")
        document = factory.document(today - dt.timedelta(days=30), self.issuer)
        document.summary = f"Thông báo {MARK} về đất đai"
        self.task = factory.task(
            self.unit, today - dt.timedelta(days=30), today - dt.timedelta(days=3),
            document=document, content=f"Nhiệm vụ {MARK} rà soát", cooperators=[world.tnmt],
        )  # fmt: skip
        report_progress(session, self.task, self.user, f"Tiến độ {MARK} đã họp", today)
        self.extension = request_extension(
            session, self.task, self.user, today + dt.timedelta(days=20), f"Lý do {MARK}", today
        )
        upload = FileStorage(io.BytesIO(f"%PDF-1.4 {MARK}".encode()), filename=f"{MARK}.pdf")
        self.attachment = save_upload(upload, self.user, task_id=self.task.id)
        session.add(self.attachment)
        from app.keytasks.groups import GroupValues, save_group, set_tasks

        year = today.year
        values = GroupValues(f"Nhóm {MARK}", self.issuer.id, dt.date(year, 1, 1),
                             dt.date(year, 12, 31))  # fmt: skip
        self.group = save_group(session, values)
        set_tasks(session, self.group, [self.task.id])
        session.commit()

        # Office B: its own units (one named as A's), users and a task.
        self.b = create_office(session, "XA-B", "Văn phòng HĐND và UBND xã B", "commune")
        session.commit()
        with use_office(self.b.id):
            self.b_unit = factory.department("Phòng Tài nguyên và Môi trường", 1)
            self.b_admin = factory.user("b.admin", Role.ADMIN)
            self.b_office = factory.user("b.vanphong", Role.OFFICE)
            self.b_leader = factory.user("b.lanhdao", Role.LEADER)
            self.b_head = factory.user("b.truong", Role.DEPARTMENT_HEAD, self.b_unit)
            self.b_task = factory.task(
                self.b_unit, today - dt.timedelta(days=10), today + dt.timedelta(days=10),
                issuer=factory.issuer("UBND xã B"), content="Nhiệm vụ của xã B",
            )  # fmt: skip
            token_row, self.b_token = ApiToken.issue(self.b_admin, "b")
            session.add(token_row)
            session.commit()
            self.b_unit_id = self.b_unit.id
        self._ids = self._a_ids()
        self.a_id, self.b_id = self.a.id, self.b.id
        for user in (self.b_admin, self.b_office, self.b_leader, self.b_head, world.admin):
            session.refresh(user)
        # A request starts with nothing loaded, as in production (the tests' requests share
        # the test's session).
        session.expunge_all()

    def ids(self) -> dict[str, str]:
        return dict(self._ids)

    def _a_ids(self) -> dict[str, str]:
        """A's ids by the names the routes give their parts."""
        return {
            "task_id": self.task.id,
            "document_id": self.task.document_id,
            "department_id": self.unit.id,
            "unit_id": self.unit.id,
            "user_id": self.user.id,
            "issuer_id": self.issuer.id,
            "extension_id": self.extension.id,
            "attachment_id": self.attachment.id,
            "group_id": self.group.id,
            "report_id": self.task.id,
        }

    def snapshot(self, session) -> dict:
        """What A's data is: changed by nothing B's users do."""
        session.expire_all()
        with use_office(self.a_id):
            tasks = session.execute(
                select(Task.id, Task.version, Task.state, Task.deadline, Task.content).order_by(
                    Task.id
                )
            ).all()
            counts = {
                model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (
                    Event,
                    ProgressReport,
                    Extension,
                    Attachment,
                    Department,
                    User,
                    Issuer,
                    KeyTaskGroup,
                )  # fmt: skip
            }
            names = session.scalars(select(Department.name).order_by(Department.id)).all()
            users = session.execute(select(User.username, User.is_active, User.role)).all()
        return {"tasks": tasks, "counts": counts, "names": names, "users": sorted(users)}


@pytest.fixture
def offices(session, factory, world) -> Offices:
    return Offices(session, factory, world)


def readable(response) -> str:
    """The answer's text; the XML inside a ZIP (XLSX, DOCX, an archive) read out."""
    data = response.get_data()
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return " ".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if not name.endswith((".png", ".jpg"))
            )
    return data.decode("utf-8", "replace")


def routes(app, ids: dict, method: str, prefix: str = "") -> list[str]:
    urls = set()
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or rule.endpoint in SKIP_ENDPOINTS:
            continue
        if not rule.rule.startswith(prefix) or (not prefix and rule.rule.startswith("/api/")):
            continue
        url = rule.rule
        for arg in rule.arguments:
            value = ids.get(arg, "x" if "token" in arg or arg in ("fmt", "code") else "1")
            url = re.sub(rf"<(?:[a-z]+:)?{arg}>", str(value), url)
        urls.add(url)
    return sorted(urls)


def query_of(ids: dict) -> dict:
    """A's ids in every query parameter the lists and reports filter by."""
    return {
        "department": ids["department_id"], "department_id": ids["department_id"],
        "unit": ids["department_id"], "lead": ids["department_id"],
        "issuer": ids["issuer_id"], "issuer_id": ids["issuer_id"],
        "document": ids["document_id"], "group": ids["group_id"], "task": ids["task_id"],
        "user": ids["user_id"], "q": "rà soát", "year": local_today().year,
    }  # fmt: skip


def sweep_pages(app, client, ids) -> tuple[list[str], list[str], int]:
    leaks, errors, sent = [], [], 0
    for url in routes(app, ids, "GET"):
        for query in ({}, query_of(ids)):
            response = client.get(url, query_string=query)
            sent += 1
            if response.status_code >= 500 and url != "/healthz":  # 503: no scheduler runs
                errors.append(f"{response.status_code} {url}")
            elif MARK in readable(response) or MARK.lower() in readable(response):
                leaks.append(f"{response.status_code} {url} {query and 'with query'}")
            response.close()
    return leaks, errors, sent


@pytest.mark.parametrize("who", ["b_admin", "b_office", "b_leader", "b_head"])
def test_no_page_of_another_office_reaches_a_user(app, client, offices, who):
    login(client, getattr(offices, who))
    leaks, errors, sent = sweep_pages(app, client, offices.ids())
    assert sent > 100
    assert errors == []
    assert leaks == [], f"{len(leaks)} of {sent} answers show office A's data"


def test_the_same_sweep_finds_the_marker_for_the_office_itself(app, client, offices):
    """The check can fail: A's own admin sees A's marked data on many pages."""
    login(client, offices.world.admin)
    leaks, errors, _sent = sweep_pages(app, client, offices.ids())
    assert errors == []
    shown = " ".join(leaks)
    ids = offices.ids()
    for page in (f"/nhiem-vu/{ids['task_id']}", "/nhiem-vu", f"/van-ban/{ids['document_id']}"):
        assert page in shown


@pytest.mark.parametrize("who", ["b_admin", "b_office", "b_head"])
def test_no_write_of_another_office_changes_its_data(app, client, session, offices, who):
    before = offices.snapshot(session)
    login(client, getattr(offices, who))
    ids = offices.ids()
    today = local_today().strftime("%d/%m/%Y")
    body = {
        "content": "B sửa", "reason": "B", "version": "1", "last_event": "0",
        "deadline": today, "new_deadline": today, "decision": "approve", "name": "B",
        "lead": str(offices.b_unit_id), "state": "done", "done_on": today, "note": "B",
        "is_active": "", "role": "admin", "confirm": "1", "full_name": "B",
    }  # fmt: skip
    errors = []
    for url in routes(app, ids, "POST"):
        if url.startswith("/api/"):
            continue
        response = client.post(url, data=body)
        if response.status_code >= 500:
            errors.append(f"{response.status_code} {url}")
        response.close()
    assert errors == []
    assert offices.snapshot(session) == before


def test_the_api_answers_nothing_of_another_office(app, client, session, offices):
    ids = offices.ids()
    headers = {"Authorization": f"Bearer {offices.b_token}"}
    before = offices.snapshot(session)
    leaks, errors, sent = [], [], 0
    for url in routes(app, ids, "GET", "/api/"):
        for query in ({}, query_of(ids)):
            response = client.get(url, query_string=query, headers=headers)
            sent += 1
            if response.status_code >= 500 and url != "/healthz":
                errors.append(f"{response.status_code} {url}")
            elif MARK in readable(response):
                leaks.append(f"{response.status_code} {url}")
    for method in ("POST", "PATCH", "PUT", "DELETE"):
        for url in routes(app, ids, method, "/api/"):
            body = {"content": "B", "state": "done", "lead_department_id": offices.b_unit_id,
                    "deadline": local_today().isoformat(), "reason": "B"}  # fmt: skip
            response = client.open(url, method=method, json=body, headers=headers)
            sent += 1
            if response.status_code >= 500:
                errors.append(f"{response.status_code} {method} {url}")
    assert sent > 20
    assert errors == []
    assert leaks == []
    assert offices.snapshot(session) == before
    # B's own task is there (the token works).
    response = client.get("/api/v1/tasks", headers=headers)
    assert response.status_code == 200
    assert [t["content"] for t in response.get_json()["items"]] == ["Nhiệm vụ của xã B"]


def test_a_department_name_may_be_used_by_two_offices(session, offices):
    with use_office(offices.b_id):
        names = session.scalars(select(Department.name)).all()
    assert names == ["Phòng Tài nguyên và Môi trường"]
    with use_office(offices.a_id):
        assert "Phòng Tài nguyên và Môi trường" in session.scalars(select(Department.name)).all()


def test_nobody_signed_in_sees_no_office(app, client, offices):
    leaks, errors, sent = sweep_pages(app, client, offices.ids())
    assert sent > 100
    assert errors == []
    assert leaks == []


def test_a_calendar_feed_holds_its_own_office_only(client, session, offices):
    with use_office(offices.b_id):
        admin = session.get(User, offices.b_admin.id)
        admin.calendar_token = "b-admin-calendar-token-0123456789"
        unit = session.get(Department, offices.b_unit_id)
        unit.calendar_token = "b-unit-calendar-token-0123456789"
        session.commit()
    for token in ("b-admin-calendar-token-0123456789", "b-unit-calendar-token-0123456789"):
        text = client.get(f"/lich/{token}.ics").get_data(as_text=True)
        assert "Nhiệm vụ của xã B" in text
        assert MARK not in text


@pytest.mark.parametrize("who", ["b_office", "b_admin"])
def test_a_commune_under_the_office_reads_only_what_is_given_to_it(
    app, client, session, offices, who
):
    """B becomes a commune of A, standing for A's Phòng Quản lý đô thị: its intake reads A's
    task given to that unit (the cross-office read works), and still nothing of A's marked
    task, document or file, on any page; taking in or downloading them is refused."""
    with use_office(offices.a_id):
        unit_id = session.scalar(
            select(Department.id).where(Department.name == "Phòng Quản lý đô thị thành phố")
        )
        office = session.get(Office, offices.b_id)
        office.parent_id, office.parent_unit_id = offices.a_id, unit_id
        session.commit()
    before = offices.snapshot(session)
    session.expunge_all()
    login(client, getattr(offices, who))
    leaks, errors, sent = sweep_pages(app, client, offices.ids())
    assert sent > 100 and errors == []
    assert leaks == [], f"{len(leaks)} of {sent} answers show office A's data"
    intake = client.get("/nhiem-vu-cap-tren-giao").get_data(as_text=True)
    assert "Kiểm tra công trình xây dựng sai phép" in intake  # given to B: read across
    ids = offices.ids()
    task_id = ids["task_id"]
    taking = client.post(
        f"/nhiem-vu-cap-tren-giao/{task_id}/tiep-nhan", data={f"t{task_id}-lead": offices.b_unit_id}
    )
    assert taking.status_code == 404
    file = client.get(f"/nhiem-vu-cap-tren-giao/tep/{ids['attachment_id']}")
    assert file.status_code == 404
    file.close()
    assert offices.snapshot(session) == before
