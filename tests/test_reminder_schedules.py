"""Reminder schedules are chosen in words (days of the week or of the month, a time); the
crontab expression is only how they are stored."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import ReminderSchedule
from app.reminders.cron_words import MONTH, WEEK, When, expression, read
from app.reminders.kinds import KINDS
from browser_form import form_data
from conftest import login

PAGE = "/quan-tri/nhac-viec/lich"


@pytest.mark.parametrize("cron", sorted({kind.cron for kind in KINDS}))
def test_every_default_schedule_reads_in_words_and_back(cron):
    when = read(cron)
    assert when is not None and expression(when) == cron


@pytest.mark.parametrize(
    ("cron", "when"),
    [
        ("30 7 * * mon", When(WEEK, ("mon",), None, 7, 30)),
        ("0 8-17 * * mon-fri", When(WEEK, ("mon", "tue", "wed", "thu", "fri"), None, 8, 0, 17)),
        ("15 8 * * tue,thu", When(WEEK, ("tue", "thu"), None, 8, 15)),
        ("0 9 * * *", When(WEEK, ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), None, 9, 0)),
        ("0 7 5 * *", When(MONTH, (), 5, 7, 0)),
    ],
)
def test_expressions_and_words(cron, when):
    assert read(cron) == when and expression(when) == cron


@pytest.mark.parametrize("cron", ["*/5 * * * *", "0 7 * * 1", "0 7 1 * mon", "0 7 * 1 *"])
def test_what_words_cannot_say_is_left_as_an_expression(cron):
    assert read(cron) is None


def test_the_page_offers_days_and_a_time_not_crontab_text(client, session, world):
    login(client, world.admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert "* * mon" not in page and 'name="cron-' not in page and "crontab" not in page
    form = form_data(page, PAGE)
    assert form.getlist("day-digest") == ["mon"] and form["time-digest"] == "07:30"
    assert form["repeat-digest"] == "week" and not form["until-digest"]
    assert form.getlist("day-office_requests") == ["mon", "tue", "wed", "thu", "fri"]
    assert (form["time-office_requests"], form["until-office_requests"]) == ("08:00", "17")
    assert "Thứ Hai" in page and "Chủ nhật" in page

    form.setlist("day-digest", ["tue", "thu"])
    form["time-digest"] = "08:15"
    form["repeat-summary"], form["dom-summary"], form["time-summary"] = "month", "5", "07:00"
    assert client.post(PAGE, data=form).status_code == 302
    stored = {row.kind: row.cron for row in session.scalars(select(ReminderSchedule))}
    assert stored == {"digest": "15 8 * * tue,thu", "summary": "0 7 5 * *"}
    again = form_data(client.get(PAGE).get_data(as_text=True), PAGE)
    assert again.getlist("day-digest") == ["tue", "thu"] and again["dom-summary"] == "5"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("day-digest", None, "Chọn ít nhất một ngày"),
        ("time-digest", "25:00", "Giờ gửi không hợp lệ"),
        ("until-digest", "3", "Giờ lặp lại cuối cùng"),
    ],
)
def test_a_schedule_that_says_no_time_is_refused_in_words(
    client, session, world, field, value, message
):
    login(client, world.admin)
    form = form_data(client.get(PAGE).get_data(as_text=True), PAGE)
    if value is None:
        form.poplist(field)
    else:
        form[field] = value
    response = client.post(PAGE, data=form)
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert session.scalar(select(ReminderSchedule.kind)) is None
