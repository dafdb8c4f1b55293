"""Profile page: API tokens and calendar feeds; the .ics feeds themselves."""

from icalendar import Calendar
from sqlalchemy import select

from app.models import ApiToken
from app.models.access import hash_token
from conftest import login


def test_create_use_and_revoke_a_token(client, world, session):
    login(client, world.tnmt_head)
    page = client.post("/tai-khoan", data={"action": "create-token", "name": "Phần mềm VB"})
    html = page.get_data(as_text=True)
    token = html.split('<code class="user-select-all">')[1].split("</code>")[0]
    stored = session.scalar(select(ApiToken))
    assert stored.token_hash == hash_token(token) and token not in stored.token_hash
    api = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert api.status_code == 200
    client.post("/tai-khoan", data={"action": "revoke-token", "token_id": stored.id})
    assert "Đã thu hồi" in client.get("/tai-khoan").get_data(as_text=True)
    again = client.get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert again.status_code == 401
    login(client, world.vhtt_head)  # someone else's token cannot be revoked
    assert (
        client.post(
            "/tai-khoan", data={"action": "revoke-token", "token_id": stored.id}
        ).status_code
        == 404
    )


def test_department_calendar_feed(client, world, session):
    login(client, world.tnmt_head)
    client.post(
        "/tai-khoan", data={"action": "department-calendar", "department_id": world.tnmt.id}
    )
    session.refresh(world.tnmt)
    url = f"/lich/{world.tnmt.calendar_token}.ics"
    assert url in client.get("/tai-khoan").get_data(as_text=True)
    client.post("/dang-xuat")  # calendar apps have no session: the secret URL is enough
    response = client.get(url)
    assert response.status_code == 200 and response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == [f"task-{world.tnmt_task.id}@tracker"]
    assert events[0].decoded("dtstart") == world.tnmt_task.deadline
    assert str(events[0]["summary"]).startswith("[Hạn] Rà soát hồ sơ")
    assert client.get("/lich/not-a-real-token-at-all.ics").status_code == 404
    login(client, world.tnmt_head)  # another department's feed cannot be made
    assert (
        client.post(
            "/tai-khoan", data={"action": "department-calendar", "department_id": world.vhtt.id}
        ).status_code
        == 403
    )


def test_user_calendar_feed_follows_visibility(client, world, session):
    login(client, world.qldt_head)
    client.post("/tai-khoan", data={"action": "calendar"})
    session.refresh(world.qldt_head)
    old = world.qldt_head.calendar_token
    events = Calendar.from_ical(client.get(f"/lich/{old}.ics").data).walk("VEVENT")
    # QLĐT leads one task and cooperates on TNMT's; VHTT's standing task has no date.
    assert {str(e["uid"]) for e in events} == {
        f"task-{world.qldt_task.id}@tracker",
        f"task-{world.tnmt_task.id}@tracker",
    }
    client.post("/tai-khoan", data={"action": "calendar"})
    assert client.get(f"/lich/{old}.ics").status_code == 404


def test_no_page_showing_a_secret_is_kept_by_a_cache(app, client, world, session):
    """A new API token (shown once) and the calendar addresses (secrets in their URL) are sent
    with Cache-Control: no-store, wherever they appear, for every role."""
    from test_security import PAGES

    login(client, world.tnmt_head)
    created = client.post("/tai-khoan", data={"action": "create-token", "name": "Phần mềm VB"})
    assert 'class="user-select-all"' in created.get_data(as_text=True)
    assert "no-store" in created.headers.get("Cache-Control", "")
    client.post(
        "/tai-khoan", data={"action": "department-calendar", "department_id": world.tnmt.id}
    )
    shown = 0
    for user in (world.admin, world.office, world.leader, world.tnmt_head, world.tnmt_member):
        login(client, user)
        for path in PAGES:
            response = client.get(path)
            if "/lich/" in response.get_data(as_text=True):
                shown += 1
                assert "no-store" in response.headers.get("Cache-Control", ""), (user, path)
    assert shown >= 1
