"""The office's decision on an extension: its comment is kept and shown afterwards (the task's
history, the extension's line the requester reads, the decisions mail), and the office may
grant another date than the one asked, within bounds (issue 29, item 13)."""

from __future__ import annotations

import datetime as dt

import lxml.html
from sqlalchemy import select

from app.core.timeutil import local_today, utcnow
from app.models import Extension
from app.tasks import workflow
from app.tasks.office_queue import recent_decisions
from conftest import login


def _asked(session, world, days: int = 30) -> Extension:
    extension = workflow.request_extension(
        session,
        world.qldt_task,
        world.qldt_head,
        local_today() + dt.timedelta(days=days),
        "Chờ kết quả đo đạc",
        local_today(),
    )
    session.commit()
    return extension


def _text(html: str, xpath: str) -> str:
    return " ".join(e.text_content() for e in lxml.html.fromstring(html).xpath(xpath))


def test_the_office_grants_another_date_with_a_comment(client, world, session):
    since = utcnow() - dt.timedelta(seconds=1)
    extension = _asked(session, world)
    asked, granted = extension.requested_deadline, local_today() + dt.timedelta(days=20)
    login(client, world.office)
    page = client.get(f"/nhiem-vu/{world.qldt_task.id}").get_data(as_text=True)
    field = lxml.html.fromstring(page).get_element_by_id("deadline")
    assert field.get("value") == asked.strftime("%d/%m/%Y")  # the date asked, to keep or change

    response = client.post(
        f"/gia-han/{extension.id}",
        data={
            "decision": "approve",
            "deadline": granted.strftime("%d/%m/%Y"),
            "note": "Đồng ý gia hạn 20 ngày, đủ để đo đạc",
        },
    )
    assert response.status_code == 302
    session.expire_all()
    task, extension = world.qldt_task, session.get(Extension, extension.id)
    assert task.deadline == granted and extension.approved_deadline == granted
    assert extension.decision_note == "Đồng ý gia hạn 20 ngày, đủ để đo đạc"

    # The requester reads the decision, the date granted and the comment on the task page.
    login(client, world.qldt_head)
    page = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    line = _text(page, "//li[@data-extension='approved']")
    shown = f"gia hạn đến {granted:%d/%m/%Y} (đề nghị {asked:%d/%m/%Y})"
    assert shown in line and "Đồng ý gia hạn 20 ngày, đủ để đo đạc" in line
    history = _text(page, "//ul[@id='timeline']/li[@data-kind='deadline']")
    assert f"Gia hạn đến {granted:%d/%m/%Y} (đề nghị {asked:%d/%m/%Y})" in history
    assert "Đồng ý gia hạn 20 ngày, đủ để đo đạc" in history
    assert "Phê duyệt gia hạn" not in history  # the marker is not shown as a comment

    # The decisions mail to the unit says it too.
    decision = next(d for d in recent_decisions(session, since) if d.task.id == task.id)
    assert decision.title == (f"Đồng ý gia hạn đến {granted:%d/%m/%Y} (đề nghị {asked:%d/%m/%Y})")
    assert decision.comment == "Đồng ý gia hạn 20 ngày, đủ để đo đạc"


def test_approving_as_asked_keeps_the_comment(client, world, session):
    extension = _asked(session, world)
    asked = extension.requested_deadline
    login(client, world.office)
    client.post(f"/gia-han/{extension.id}", data={"decision": "approve", "note": "Đồng ý"})
    session.expire_all()
    assert world.qldt_task.deadline == asked
    assert session.get(Extension, extension.id).approved_deadline == asked
    page = client.get(f"/nhiem-vu/{world.qldt_task.id}").get_data(as_text=True)
    history = _text(page, "//ul[@id='timeline']/li[@data-kind='deadline']")
    assert f"Gia hạn đến {asked:%d/%m/%Y}: Đồng ý" in " ".join(history.split())
    assert "(đề nghị" not in history


def test_a_date_granted_is_bounded(client, world, session):
    extension = _asked(session, world)
    task = world.qldt_task
    current = task.deadline
    login(client, world.office)
    for day, message in (
        (current, "phải sau thời hạn hiện tại"),
        (current - dt.timedelta(days=3), "phải sau thời hạn hiện tại"),
        (dt.date(2199, 12, 31), "không được quá 20 năm"),
    ):
        response = client.post(
            f"/gia-han/{extension.id}",
            data={"decision": "approve", "deadline": day.strftime("%d/%m/%Y"), "note": "Xem lại"},
        )
        assert response.status_code == 400
        doc = lxml.html.fromstring(response.get_data(as_text=True))
        field = doc.get_element_by_id("deadline")
        assert field.get("aria-invalid") == "true" and field.get("value") == f"{day:%d/%m/%Y}"
        assert message in doc.get_element_by_id("deadline-error").text_content()
        assert [a.get("href") for a in doc.get_element_by_id("error-summary").iter("a")] == [
            "#deadline"
        ]
        assert "Xem lại" in doc.get_element_by_id("note").text_content()
    session.expire_all()
    assert task.deadline == current
    assert session.get(Extension, extension.id).status == "pending"
    # A refusal does not look at the date.
    client.post(
        f"/gia-han/{extension.id}",
        data={"decision": "refuse", "deadline": "01/01/2000", "note": "Chưa có căn cứ"},
    )
    session.expire_all()
    refused = session.scalar(select(Extension).where(Extension.id == extension.id))
    assert refused.status == "refused" and refused.approved_deadline is None
    page = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    assert "Chưa có căn cứ" in _text(page, "//li[@data-extension='refused']")


def test_the_api_grants_another_date(client, world, session):
    from app.models import ApiToken

    extension = _asked(session, world)
    granted = local_today() + dt.timedelta(days=12)
    token, secret = ApiToken.issue(world.office, "office")
    session.add(token)
    session.commit()
    response = client.post(
        f"/api/v1/extensions/{extension.id}/decision",
        json={"decision": "approve", "deadline": granted.isoformat(), "note": "Chỉ 12 ngày"},
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["approved_deadline"] == granted.isoformat()
    assert body["decision_note"] == "Chỉ 12 ngày"
    session.expire_all()
    assert world.qldt_task.deadline == granted
