"""The interim home page lists what is chậm and chưa today."""

from app.demo import seed_demo
from app.timeutil import local_today


def test_home_lists_demo_tasks(client, session):
    seed_demo(session, local_today())
    session.commit()
    page = client.get("/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"tính đến ngày {local_today():%d/%m/%Y}" in html
    assert "Phòng Tài nguyên và Môi trường" in html
    assert "Chậm tham mưu giải quyết" in html
    late_only = client.get("/?category=late").get_data(as_text=True)
    assert late_only.count("<tr>") < html.count("<tr>")
    assert 'class="late"' in late_only and 'class="pending"' not in late_only


def test_home_on_an_empty_database(client):
    html = client.get("/").get_data(as_text=True)
    assert "Không có nhiệm vụ nào." in html
    assert "chậm tham mưu giải quyết: không có" in html


def test_healthz(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
