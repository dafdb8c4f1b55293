"""Who sees and does what, through the test client: every refusal is a recorded 403."""

import pytest
from sqlalchemy import func, select

from app import create_app
from app.extensions import db
from app.models import AccessDenial
from conftest import login


def test_anonymous_is_sent_to_sign_in(client, world):
    response = client.get("/nhiem-vu")
    assert response.status_code == 302 and "/dang-nhap" in response.location


def test_wrong_password_is_refused(client, world):
    response = client.post("/dang-nhap", data={"username": "vanphong", "password": "sai"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_sign_in_ignores_an_outside_next_url(client, world):
    response = client.post(
        "/dang-nhap?next=https://evil.example/x",
        data={"username": "vanphong", "password": "secret-pass"},
    )
    assert response.location == "/"


PAGES = [
    "/",
    "/nhiem-vu",
    "/nhiem-vu/qua-han",
    "/nhiem-vu/xuat.xlsx",
    "/nhiem-vu/xuat.csv",
    "/van-ban/moi",
    "/nhap-du-lieu",
    "/quan-tri/nguoi-dung",
    "/quan-tri/don-vi",
    "/quan-tri/ngay-lam-viec",
    "/don-vi-cua-toi",
]
EXPECTED = {
    "admin": [200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 403],
    "office": [200, 200, 200, 200, 200, 200, 200, 403, 403, 403, 403],
    "leader": [200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 403],
    "tnmt_head": [200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
    "tnmt_member": [200, 200, 200, 200, 200, 403, 403, 403, 403, 403, 200],
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_pages_by_role(client, world, role):
    login(client, getattr(world, role))
    got = [client.get(page).status_code for page in PAGES]
    assert got == EXPECTED[role]


def test_every_refusal_is_recorded(client, world, session):
    login(client, world.leader)
    assert client.get("/van-ban/moi").status_code == 403
    page = client.get("/quan-tri/nguoi-dung")
    assert page.status_code == 403 and "Không có quyền truy cập" in page.get_data(as_text=True)
    denials = session.scalars(select(AccessDenial).order_by(AccessDenial.id)).all()
    assert [(d.user_id, d.method, d.path) for d in denials] == [
        (world.leader.id, "GET", "/van-ban/moi"),
        (world.leader.id, "GET", "/quan-tri/nguoi-dung"),
    ]


def test_department_user_sees_only_its_tasks(client, world):
    login(client, world.qldt_head)
    listing = client.get("/nhiem-vu").get_data(as_text=True)
    assert f'data-task="{world.qldt_task.id}"' in listing
    assert f'data-task="{world.tnmt_task.id}"' in listing  # cooperates on it
    assert f'data-task="{world.vhtt_task.id}"' not in listing
    assert client.get(f"/nhiem-vu/{world.vhtt_task.id}").status_code == 403
    assert client.get(f"/nhiem-vu/{world.tnmt_task.id}").status_code == 200
    assert client.get("/nhiem-vu/999999").status_code == 404


OTHER_DEPARTMENT_POSTS = [
    ("/nhiem-vu/{id}/tien-do", {"content": "x"}),
    ("/nhiem-vu/{id}/de-nghi-hoan-thanh", {}),
    ("/nhiem-vu/{id}/gia-han", {"new_deadline": "2099-01-01", "reason": "x"}),
    ("/nhiem-vu/{id}/xac-nhan", {"done_on": "2024-01-01"}),
    ("/nhiem-vu/{id}/huy", {"cancel-reason": "x"}),
    ("/nhiem-vu/{id}/sua", {"content": "x"}),
]


@pytest.mark.parametrize(("url", "data"), OTHER_DEPARTMENT_POSTS)
def test_another_departments_task_cannot_be_changed(client, world, session, url, data):
    login(client, world.qldt_head)
    before = world.vhtt_task.version
    response = client.post(url.format(id=world.vhtt_task.id), data=data)
    assert response.status_code == 403
    session.refresh(world.vhtt_task)
    assert world.vhtt_task.version == before


def test_cooperating_department_reports_but_does_not_close(client, world, session):
    login(client, world.qldt_head)
    task = world.tnmt_task
    ok = client.post(
        f"/nhiem-vu/{task.id}/tien-do",
        data={"content": "Đã phối hợp kiểm tra hiện trường", "version": task.version},
    )
    assert ok.status_code == 302
    session.refresh(task)
    assert task.state == "in_progress"
    assert (
        client.post(
            f"/nhiem-vu/{task.id}/de-nghi-hoan-thanh", data={"version": task.version}
        ).status_code
        == 403
    )
    assert (
        client.post(
            f"/nhiem-vu/{task.id}/gia-han",
            data={"version": task.version, "new_deadline": "2099-01-01", "reason": "x"},
        ).status_code
        == 403
    )


def test_leader_reads_everything_and_changes_nothing(client, world, session):
    login(client, world.leader)
    assert client.get(f"/nhiem-vu/{world.vhtt_task.id}").status_code == 200
    for url, data in OTHER_DEPARTMENT_POSTS:
        assert client.post(url.format(id=world.tnmt_task.id), data=data).status_code == 403
    assert session.scalar(select(func.count(AccessDenial.id))) == len(OTHER_DEPARTMENT_POSTS)


def test_forms_need_a_csrf_token(world, database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "t", "TESTING": True})
    with app.app_context():
        client = app.test_client()
        response = client.post(
            "/dang-nhap", data={"username": "vanphong", "password": "secret-pass"}
        )
        assert response.status_code == 400
        db.session.remove()
        db.engine.dispose()


def test_session_cookie_flags(client, world):
    response = client.post("/dang-nhap", data={"username": "vanphong", "password": "secret-pass"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
