"""The task list opens on what is still to do, the most urgent first; every task is one click
away, and links that name a filter keep their meaning (issue 29, item 9)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import lxml.html

from app.core.timeutil import local_today
from app.tasks import workflow
from conftest import login


def _rows(client, url: str) -> tuple[list[int], lxml.html.HtmlElement]:
    response = client.get(url)
    assert response.status_code == 200, url
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    rows = doc.xpath("//table[@id='task-list']//tr[@data-task]")
    return [int(tr.get("data-task")) for tr in rows], doc


def _finished_and_more(session, factory, world):
    """Beside the world's three (10 days late, due in 5 days, standing): a task finished in
    2024, one cancelled, one 3 days late and one due tomorrow."""
    today = local_today()
    done = factory.task(world.tnmt, dt.date(2024, 1, 10), dt.date(2024, 2, 1), content="Xong")
    workflow.request_completion(session, done, world.tnmt_head, today)
    workflow.confirm_completion(session, done, world.office, dt.date(2024, 1, 30), today)
    cancelled = factory.task(world.qldt, dt.date(2024, 3, 1), dt.date(2024, 3, 5))
    workflow.cancel_task(session, cancelled, world.office, "Không còn cần", today)
    issued = today - dt.timedelta(days=30)
    late3 = factory.task(world.vhtt, issued, today - dt.timedelta(days=3))
    tomorrow = factory.task(world.qldt, issued, today + dt.timedelta(days=1))
    session.commit()
    return done, cancelled, late3, tomorrow


def test_the_list_opens_on_open_tasks_most_urgent_first(client, world, session, factory):
    done, cancelled, late3, tomorrow = _finished_and_more(session, factory, world)
    login(client, world.office)
    shown, doc = _rows(client, "/nhiem-vu")
    assert shown == [
        world.tnmt_task.id,  # 10 days late
        late3.id,  # 3 days late
        tomorrow.id,
        world.qldt_task.id,  # due in 5 days
        world.vhtt_task.id,  # standing: no deadline
    ]
    assert doc.get_element_by_id("total").text_content().strip() == "5"
    assert doc.get_element_by_id("scope-open").get("aria-current") == "page"

    # "Tất cả" is one click: every task, the finished and cancelled after the open ones.
    every, doc = _rows(client, doc.get_element_by_id("scope-all").get("href"))
    assert every[:5] == shown and set(every[5:]) == {done.id, cancelled.id}
    assert doc.get_element_by_id("scope-all").get("aria-current") == "page"
    assert doc.get_element_by_id("total").text_content().strip() == "7"


def test_the_default_lists_pages_and_exports_agree_with_it(client, world, session, factory):
    done, *_ = _finished_and_more(session, factory, world)
    login(client, world.office)
    shown, doc = _rows(client, "/nhiem-vu")
    export = next(a.get("href") for a in doc.xpath("//a") if "xuat.csv" in a.get("href", ""))
    rows = list(csv.reader(io.StringIO(client.get(export).data.decode("utf-8-sig"))))
    codes = {task.code: task.id for task in (world.tnmt_task, world.qldt_task, world.vhtt_task)}
    exported = [r[1] for r in rows[1:]]
    assert done.code not in exported and len(exported) == len(shown)
    assert [codes[c] for c in exported if c in codes] == [i for i in shown if i in codes.values()]
    # The filter form keeps the default too: sent as it is, it shows the same list.
    sent = {
        e.get("name"): e.get("value") or ""
        for e in doc.xpath("//form[@role='search']//input[@name]")
    }
    sent["category"] = doc.xpath("//select[@id='category']/option[@selected]")[0].get("value")
    sent["sort"] = doc.xpath("//select[@id='sort']/option[@selected]")[0].get("value")
    again, _ = _rows(client, "/nhiem-vu?" + "&".join(f"{k}={v}" for k, v in sent.items()))
    assert again == shown


def test_links_that_name_a_filter_keep_their_meaning(client, world, session, factory):
    done, *_ = _finished_and_more(session, factory, world)
    login(client, world.office)
    of_unit, _ = _rows(client, f"/nhiem-vu?department={world.tnmt.id}")
    assert set(of_unit) == {world.tnmt_task.id, done.id}
    finished, _ = _rows(client, "/nhiem-vu?category=done")
    assert finished == [done.id]
    found, _ = _rows(client, "/nhiem-vu?q=xong")
    assert found == [done.id]
