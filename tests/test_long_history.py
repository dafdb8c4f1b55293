"""A task with thousands of progress reports: its page and its API answer show one page of the
history at a time, newest first, at the same cost however long the history has grown."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import insert, select
from test_query_counts import counting

from app.core.timeutil import local_today, utcnow
from app.models import ApiToken, Event, ProgressReport
from app.models.history import EventKind
from app.tasks.history import HISTORY_PAGE
from conftest import login


def add_reports(session, task, user, count: int) -> None:
    today = local_today()
    first = (session.scalar(select(ProgressReport.id).order_by(ProgressReport.id.desc())) or 0) + 1
    session.execute(
        insert(ProgressReport),
        [
            {"id": first + i, "task_id": task.id, "department_id": task.lead_department_id,
             "user_id": user.id, "reported_on": today, "content": f"Báo cáo số {first + i}",
             "created_at": utcnow()}
            for i in range(count)
        ],
    )  # fmt: skip
    session.execute(
        insert(Event),
        [
            {"task_id": task.id, "user_id": user.id, "kind": EventKind.PROGRESS,
             "effective_on": today, "after": {"progress_report_id": first + i},
             "comment": f"Báo cáo số {first + i}", "created_at": utcnow()}
            for i in range(count)
        ],
    )  # fmt: skip
    session.commit()


def entries_of(html: str) -> list[str]:
    timeline = html.split('id="timeline"')[1].split("</ul>")[0]
    return re.findall(r"Báo cáo số (\d+)", timeline)


def test_the_task_page_pages_its_history(client, world, session):
    task = world.tnmt_task
    add_reports(session, task, world.tnmt_head, 5000)
    login(client, world.office)
    html = client.get(f"/nhiem-vu/{task.id}").get_data(as_text=True)
    newest = entries_of(html)
    assert len(set(newest)) == HISTORY_PAGE and newest[0] == "5000"  # newest first
    older = re.search(r'id="history-older" href="([^"]+)"', html).group(1).replace("&amp;", "&")
    second = entries_of(client.get(older).get_data(as_text=True))
    assert second[0] == str(5000 - HISTORY_PAGE) and not set(second) & set(newest)


@pytest.mark.parametrize("path", ["/nhiem-vu/{id}", "/api/v1/tasks/{id}"])
def test_the_cost_does_not_grow_with_the_history(client, world, session, path):
    """The same statements, fetching the same number of rows, for 20 reports and for 5,000."""
    task = world.tnmt_task
    token_row, token = ApiToken.issue(world.office, "t")
    session.add(token_row)
    session.commit()
    login(client, world.office)
    url = path.format(id=task.id)
    headers = {"Authorization": f"Bearer {token}"} if "api" in path else {}

    def measure() -> tuple[int, int]:
        client.get(url, headers=headers)  # warm-up
        with counting() as statements:
            response = client.get(url, headers=headers)
        assert response.status_code == 200
        return len(statements), len(response.data)

    add_reports(session, task, world.tnmt_head, 120)
    few = measure()
    add_reports(session, task, world.tnmt_head, 4880)
    many = measure()
    assert many[0] == few[0]
    assert abs(many[1] - few[1]) < 0.05 * few[1]  # the page does not grow either


def test_the_api_pages_history_and_reports_with_cursors(client, world, session):
    task = world.tnmt_task
    add_reports(session, task, world.tnmt_head, 250)
    token_row, token = ApiToken.issue(world.office, "t")
    session.add(token_row)
    session.commit()
    headers = {"Authorization": f"Bearer {token}"}
    seen = []
    cursor = None
    while True:
        query = f"?progress_before={cursor}" if cursor else ""
        body = client.get(f"/api/v1/tasks/{task.id}{query}", headers=headers).get_json()
        seen += [r["id"] for r in body["progress_reports"]]
        cursor = body["progress_next"]
        if cursor is None:
            break
    assert len(seen) == 250 and seen == sorted(seen, reverse=True)
    first = client.get(f"/api/v1/tasks/{task.id}", headers=headers).get_json()
    assert len(first["history"]) == 100 and first["history_next"] is not None
    bad = client.get(f"/api/v1/tasks/{task.id}?history_before=x", headers=headers)
    assert bad.status_code == 400 and bad.get_json()["error"]["field"] == "history_before"
