"""The office's own queue: requests waiting for it, counted and listed, and the e-mails that
tell the office of new requests and the lead department's head of the office's decisions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from app.core.deadlines import WorkCalendar
from app.core.timeutil import local_today
from app.models import Reminder
from app.reminders.decide import decide_kind
from app.reminders.delivery import send_pending
from app.reminders.schedule import load_schedules
from app.tasks import workflow
from app.tasks.office_queue import count_waiting, recent_decisions, waiting_for_office
from conftest import login


def ask_both(session, world):
    today = local_today()
    workflow.request_completion(session, world.tnmt_task, world.tnmt_head, today, "Đã xong")
    session.commit()
    workflow.request_extension(
        session, world.qldt_task, world.qldt_head, today + dt.timedelta(days=60), "Chờ Sở", today
    )
    session.commit()


def remind(session, kind: str, fire: dt.datetime) -> int:
    schedule = next(s for s in load_schedules(session) if s.kind == kind)
    created = decide_kind(session, schedule, fire.date(), WorkCalendar(), fire)
    session.commit()
    return created


def test_the_queue_lists_requests_longest_waiting_first(session, world):
    assert waiting_for_office(session) == [] and count_waiting(session) == 0
    ask_both(session, world)
    items = waiting_for_office(session)
    assert [(i.kind, i.task.id) for i in items] == [
        ("completion", world.tnmt_task.id),
        ("extension", world.qldt_task.id),
    ]
    assert items[0].since <= items[1].since and items[0].by == world.tnmt_head
    assert count_waiting(session) == 2
    assert [i.task.id for i in waiting_for_office(session, world.qldt.id)] == [world.qldt_task.id]
    today = local_today()
    workflow.confirm_completion(session, world.tnmt_task, world.office, today, today)
    workflow.decide_extension(session, items[1].extension, world.office, True, "", today)
    session.commit()
    assert waiting_for_office(session) == [] and count_waiting(session) == 0


def test_queue_page_counts_and_list_filter(client, session, world):
    ask_both(session, world)
    login(client, world.office)
    queue = client.get("/cho-van-phong-xu-ly").get_data(as_text=True)
    assert queue.index(world.tnmt_task.content) < queue.index(world.qldt_task.content)
    assert 'id="queue-count">2<' in queue
    dashboard = client.get("/").get_data(as_text=True)
    assert 'data-stat="office_queue"' in dashboard
    listed = client.get("/nhiem-vu?category=waiting_office").get_data(as_text=True)
    assert f'data-task="{world.tnmt_task.id}"' in listed
    assert f'data-task="{world.qldt_task.id}"' in listed
    assert f'data-task="{world.vhtt_task.id}"' not in listed
    login(client, world.tnmt_head)
    assert client.get("/cho-van-phong-xu-ly").status_code == 403
    assert 'id="queue-count"' not in client.get("/").get_data(as_text=True)


def test_the_office_is_told_of_new_requests_once_and_never_by_an_empty_mail(
    app, session, smtp, world
):
    fire = dt.datetime.combine(local_today(), dt.time(9))
    assert remind(session, "office_requests", fire) == 0  # nothing waits: no mail
    ask_both(session, world)
    assert remind(session, "office_requests", fire) == 1  # one office member, one mail
    assert remind(session, "office_requests", fire) == 0  # the same hour again: nothing
    assert remind(session, "office_requests", fire + dt.timedelta(hours=1)) == 0  # nothing new
    send_pending(session)
    [mail] = smtp.messages
    assert mail["To"].addresses[0].addr_spec == "vanphong@example.vn"
    assert "2 đề nghị" in str(mail["Subject"])
    text = mail.get_body(("plain",)).get_content()
    assert world.tnmt_task.content in text and world.qldt_task.content in text
    # A new request: the next mail names only it.
    workflow.request_completion(session, world.vhtt_task, world.vhtt_head, local_today())
    session.commit()
    assert remind(session, "office_requests", fire + dt.timedelta(hours=2)) == 1
    send_pending(session)
    text = smtp.messages[-1].get_body(("plain",)).get_content()
    assert world.vhtt_task.content in text and world.tnmt_task.content not in text


def test_the_head_is_told_of_the_office_decisions(app, session, smtp, world):
    ask_both(session, world)
    today = local_today()
    fire = dt.datetime.combine(today, dt.time(10, 5))
    workflow.send_back(session, world.tnmt_task, world.office, "Thiếu biên bản", today)
    extension = waiting_for_office(session)[0].extension
    workflow.decide_extension(session, extension, world.office, False, "Không có căn cứ", today)
    session.commit()
    titles = {d.title for d in recent_decisions(session, fire - dt.timedelta(days=1))}
    assert titles == {"Trả lại, chưa xác nhận hoàn thành", "Không đồng ý gia hạn"}
    assert remind(session, "decisions", fire) == 2  # TNMT's head and QLĐT's head
    assert remind(session, "decisions", fire + dt.timedelta(hours=1)) == 0
    send_pending(session)
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp.messages}
    assert set(by_recipient) == {"tnmt.truong@example.vn", "qldt.truong@example.vn"}
    tnmt = by_recipient["tnmt.truong@example.vn"].get_body(("plain",)).get_content()
    assert "Trả lại, chưa xác nhận hoàn thành: Thiếu biên bản" in tnmt
    qldt = by_recipient["qldt.truong@example.vn"].get_body(("plain",)).get_content()
    assert "Không đồng ý gia hạn: Không có căn cứ" in qldt
    # A completion done without a request (the office closing a task itself) is no decision.
    workflow.confirm_completion(session, world.vhtt_task, world.office, today, today)
    session.commit()
    assert remind(session, "decisions", fire + dt.timedelta(hours=2)) == 0
    kinds = {r.kind for r in session.scalars(select(Reminder))}
    assert kinds == {"decisions"}


def test_the_queue_speaks_english_too(client, session, world):
    ask_both(session, world)
    login(client, world.office)
    client.get("/ngon-ngu/en")
    html = client.get("/cho-van-phong-xu-ly").get_data(as_text=True)
    assert "Waiting for the office" in html and "Extension asked to" in html
