"""The task page tells a member of the lead unit who sends completion and extension requests:
the unit's head, or (the office's setting "members may ask") the member too."""

import re

from app.core.settings import save_settings
from conftest import login

HEAD_ONLY = "Đề nghị hoàn thành và đề nghị gia hạn do trưởng đơn vị gửi."
MEMBERS_TOO = "Theo cài đặt của Văn phòng, bạn được gửi đề nghị hoàn thành và đề nghị gia hạn"


def task_page(client, task) -> str:
    response = client.get(f"/nhiem-vu/{task.id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def note(html: str) -> str | None:
    found = re.search(r'<p[^>]*id="requests-note"[^>]*>([^<]*)</p>', html)
    return found.group(1).strip() if found else None


def forms(html: str) -> set[str]:
    return {name for name in ("de-nghi-hoan-thanh", "gia-han") if f'/{name}"' in html}


def test_a_member_is_told_the_head_sends_requests(client, world, session):
    login(client, world.tnmt_member)
    html = task_page(client, world.tnmt_task)
    assert note(html) == HEAD_ONLY
    assert forms(html) == set() and "tien-do" in html  # the progress form only
    # the note sits where the forms would be: after the progress form
    assert html.index('id="report"') < html.index('id="requests-note"')


def test_a_member_is_told_they_may_ask_when_the_office_allows_it(client, world, session):
    save_settings(session, requests_by="department")
    session.commit()
    login(client, world.tnmt_member)
    html = task_page(client, world.tnmt_task)
    assert note(html).startswith(MEMBERS_TOO)
    assert forms(html) == {"de-nghi-hoan-thanh", "gia-han"}


def test_a_head_and_other_units_see_no_note(client, world, session):
    login(client, world.tnmt_head)
    html = task_page(client, world.tnmt_task)
    assert note(html) is None and forms(html) == {"de-nghi-hoan-thanh", "gia-han"}
    login(client, world.qldt_head)  # cooperating: the lead unit asks
    assert note(task_page(client, world.tnmt_task)) is None
    login(client, world.office)
    assert note(task_page(client, world.tnmt_task)) is None
