"""What a reminder says and who it says it from: the week written as dates, no zero counts,
no mail from a localhost sender outside development, the office's names in the footer.
Mails are received by the aiosmtpd server of the ``smtp`` fixture."""

from __future__ import annotations

import datetime as dt
import logging

from sqlalchemy import select

from app.core.settings import save_settings
from app.core.timeutil import local_today
from app.models import Reminder
from app.models.reminders import ReminderStatus
from app.ops.config_check import ERROR, check_smtp
from app.reminders.compose import week_dates
from app.reminders.decide import decide_digests
from app.reminders.delivery import send_pending
from app.reminders.jobs import deliver
from app.scheduler.runner import local_now

D = dt.date


def received(smtp) -> dict[str, object]:
    return {m["To"].addresses[0].addr_spec: m for m in smtp.messages}


def test_the_week_is_written_as_its_dates():
    assert week_dates(D(2026, 11, 30)) == "tuần từ 30/11 đến 04/12/2026"
    assert week_dates(D(2026, 12, 4)) == "tuần từ 30/11 đến 04/12/2026"
    assert week_dates(D(2026, 12, 6)) == "tuần từ 30/11 đến 04/12/2026"  # a Sunday
    assert week_dates(D(2025, 12, 31)) == "tuần từ 29/12/2025 đến 02/01/2026"


def test_digest_subjects_say_the_week_and_no_zero_count(app, session, smtp, world):
    """TN&MT has a late task and none due soon; QLĐT one due soon and none late; VH-TT only
    a task without a progress report."""
    today = local_today()
    decide_digests(session, today, "w")
    session.commit()
    assert send_pending(session)["sent"] == 3
    week = week_dates(today)
    subjects = {to: str(m["Subject"]) for to, m in received(smtp).items()}
    assert subjects == {
        "tnmt.truong@example.vn": f"[Nhắc việc] {world.tnmt.name}: 1 nội dung chậm ({week})",
        "qldt.truong@example.vn": f"[Nhắc việc] {world.qldt.name}: 1 sắp đến hạn ({week})",
        "vhtt.truong@example.vn": (
            f"[Nhắc việc] {world.vhtt.name}: 1 chưa có báo cáo tiến độ ({week})"
        ),
    }
    late_only = received(smtp)["tnmt.truong@example.vn"].get_body(("plain",)).get_content()
    assert "CHẬM THAM MƯU GIẢI QUYẾT (1)" in late_only and "ĐẾN HẠN" not in late_only
    assert not any(" 0 " in s or ": 0" in s for s in subjects.values())


def test_a_localhost_sender_is_refused_outside_development(app, session, smtp, world, caplog):
    app.config.update(MAIL_FROM="nhacviec@localhost", BASE_URL="https://theodoi.example.gov.vn")
    decide_digests(session, local_today(), "w")
    session.commit()
    with caplog.at_level(logging.INFO, logger="app.scheduler"):
        result = deliver(session, local_now(), {})  # the scheduler's delivery
    assert result["sent"]["refused"] == 3 and result["sent"]["sent"] == 0
    assert smtp.messages == []
    assert "nhacviec@localhost" in caplog.text and "MAIL_FROM" in caplog.text
    statuses = {r.status for r in session.scalars(select(Reminder))}
    assert statuses == {ReminderStatus.PENDING}  # kept: they go out once MAIL_FROM is set
    assert {r.attempts for r in session.scalars(select(Reminder))} == {0}
    problems = {f.topic: f for f in check_smtp(app) if f.level == ERROR}
    assert "localhost" in problems["MAIL_FROM"].message
    # `make run`: this machine only, the default sender is fine
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    assert "MAIL_FROM" not in {f.topic for f in check_smtp(app) if f.level == ERROR}
    # a real server with the office's address
    app.config.update(MAIL_FROM="nhacviec@langson.gov.vn", BASE_URL="https://theodoi.example.vn")
    assert [f.level for f in check_smtp(app)] == ["ok"]
    assert send_pending(session)["sent"] == 3 and len(smtp.messages) == 3
    assert smtp.messages[0]["From"].addresses[0].addr_spec == "nhacviec@langson.gov.vn"


def test_the_default_sender_is_localhost(app):
    from app import create_app

    assert create_app({"TESTING": True, "SECRET_KEY": "x" * 32}).config["MAIL_FROM"] == (
        "nhacviec@localhost"
    )


def test_footers_name_the_office_from_the_settings(app, session, smtp, world):
    decide_digests(session, local_today(), "before")
    save_settings(
        session, office_name="Văn phòng HĐND và UBND", governing_body="UBND huyện Cao Lộc"
    )
    session.commit()
    decide_digests(session, local_today(), "after")
    session.commit()
    send_pending(session)
    signed = "Văn phòng HĐND và UBND – UBND huyện Cao Lộc — thư tự động, vui lòng không trả lời."
    by_period = {}
    for message in smtp.messages:
        period = message["X-Reminder-Key"].split("/")[-1]
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        by_period.setdefault(period, []).append((text, html))
        assert "Văn phòng HĐND và UBND thành phố —" not in text + html
    assert all(signed in text and signed in html for text, html in by_period["after"])
    before = "Hệ thống theo dõi văn bản chỉ đạo — thư tự động"  # no names set yet
    assert all(before in text and before in html for text, html in by_period["before"])
