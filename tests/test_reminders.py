"""Reminders against a real SMTP server on loopback, with the clock given explicitly."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from app.core.classification import Category, classify_tasks
from app.core.deadlines import WorkCalendar
from app.core.timeutil import LOCAL_TZ, local_today
from app.dev.demo import seed_demo
from app.models import Reminder, ReminderPreference, SchedulerRun, User
from app.models.reminders import ReminderStatus
from app.reminders import ways
from app.reminders.compose import iso_week
from app.reminders.decide import decide_digests, decide_due
from app.reminders.delivery import MAX_ATTEMPTS, RETRY_DELAYS, send_pending
from app.reminders.record import unsubscribe_token
from app.reminders.schedule import due_fire
from app.reminders.selection import digests
from browser_form import form_data
from conftest import FAST_HASH, login

REPO = Path(__file__).resolve().parent.parent
D = dt.date


def utc(local: dt.datetime) -> dt.datetime:
    return local.replace(tzinfo=LOCAL_TZ).astimezone(dt.UTC).replace(tzinfo=None)


def this_week(day: dt.date, weekday: int, hour: int = 9) -> dt.datetime:
    """A time in the week of ``day`` (0 = Monday), not before it."""
    monday = day - dt.timedelta(days=day.weekday())
    return dt.datetime.combine(monday + dt.timedelta(days=weekday), dt.time(hour))


def digests_go_out(day: dt.date, hour: int = 9) -> dt.datetime:
    """When the week's Monday digests have gone out, whatever week the tests run in: the first
    working day from the Monday of ``day``'s week (a Monday holiday, or a whole week of Tết,
    moves them), at ``hour``."""
    monday = day - dt.timedelta(days=day.weekday())
    return dt.datetime.combine(WorkCalendar().next_working_day(monday), dt.time(hour))


def task_links(message) -> set[int]:
    text = message.get_body(("plain",)).get_content()
    return {int(n) for n in re.findall(r"/nhiem-vu/(\d+)", text)}


def keys(messages) -> Counter:
    return Counter((m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in messages)


# -- what goes in a digest ----------------------------------------------------------------


def test_each_demo_digest_has_exactly_its_late_and_due_soon_tasks(app, session, smtp):
    """In each office of the demo working today: the province, the wards and the communes (the
    city office ended on 01/07/2025, its open tasks went on in the wards and the province)."""
    from app.core.office_scope import use_office
    from app.dev.demo import city_office_id
    from app.scheduler.runner import working_offices

    today = local_today()
    seed_demo(session, today, FAST_HASH)
    session.commit()
    offices = [office_id for office_id, _code in working_offices(today)]
    assert len(offices) == 7 and city_office_id() not in offices
    checked = 0
    for office_id in offices:
        with use_office(office_id):
            checked += _check_the_digests(session, smtp, today)
    assert checked >= 8


def _check_the_digests(session, smtp, today) -> int:
    """The current office's digests as of ``today`` against the as-of rule: how many were
    mailed and checked."""
    statuses = classify_tasks(session, today)
    decide_digests(session, today, iso_week(today))
    session.commit()
    smtp.messages.clear()
    assert send_pending(session)["sent"] == len(smtp.messages) >= 1
    by_recipient = {m["To"].addresses[0].addr_spec: m for m in smtp.messages}
    checked = 0
    for digest in digests(session, today):
        late = {
            i
            for i, (tl, st) in statuses.items()
            if tl.lead_department_id == digest.department.id and st.category == Category.LATE
        }
        soon = {
            i
            for i, (tl, st) in statuses.items()
            if tl.lead_department_id == digest.department.id
            and st.category == Category.PENDING
            and st.deadline is not None
            and st.deadline <= today + dt.timedelta(days=7)
        }
        assert {t.id for t in digest.late} == late
        assert {t.id for t in digest.due_soon} == soon
        head = session.scalar(
            select(User).where(
                User.department_id == digest.department.id, User.role == "department_head"
            )
        )
        address = head.email if head else digest.department.email
        if not address:  # a province department with no account nor address: nobody to write to
            assert not any(digest.department.name in str(m["Subject"]) for m in smtp.messages)
            continue
        message = by_recipient.get(address)
        if digest.is_empty:
            assert message is None  # no "0 tasks" e-mails
            continue
        checked += 1
        assert late | soon <= task_links(message)
        assert task_links(message) == {
            t.id for t in digest.late + digest.due_soon + digest.unaddressed
        }
    return checked


def test_digest_goes_to_head_and_opted_in_members_only(app, session, smtp, world):
    today = local_today()
    decide_digests(session, today, "w")
    session.commit()
    recipients = {r.recipient_email for r in session.scalars(select(Reminder))}
    assert "tnmt.truong@example.vn" in recipients and "tnmt.cv@example.vn" not in recipients
    session.add(ReminderPreference(user_id=world.tnmt_member.id, kind="digest", subscribed=True))
    session.commit()
    decide_digests(session, today, "w2")
    session.commit()
    assert session.scalar(
        select(Reminder).where(
            Reminder.period == "w2", Reminder.recipient_email == "tnmt.cv@example.vn"
        )
    )


# -- the e-mail itself --------------------------------------------------------------------


def test_email_is_multipart_utf8_with_links_and_no_header_injection(app, session, smtp, world):
    world.tnmt.name = "Phòng Tài nguyên\r\nBcc: spy@evil.example"
    world.tnmt_task.content = "Nội dung\r\nBcc: spy@evil.example"
    session.commit()
    decide_digests(session, local_today(), "w")
    session.commit()
    send_pending(session)
    message = next(
        m for m in smtp.messages if m["To"].addresses[0].addr_spec == "tnmt.truong@example.vn"
    )
    assert message["Bcc"] is None and "\n" not in str(message["Subject"])
    assert str(message["Subject"]).startswith("[Nhắc việc] Phòng Tài nguyên Bcc:")
    assert message["To"].addresses[0].display_name == "Tnmt.Truong"
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert f"http://tracker.test/nhiem-vu/{world.tnmt_task.id}" in text
    assert f'href="http://tracker.test/nhiem-vu/{world.tnmt_task.id}"' in html
    assert "CHẬM THAM MƯU GIẢI QUYẾT" in text and "quá 10 ngày" in text
    assert "/nhac-viec/huy-dang-ky/" in text  # optional kind: one-click opt-out


def test_unsubscribe_link_stops_the_digest(app, session, client, world):
    token = unsubscribe_token(world.tnmt_head.id, "digest")
    page = client.get(f"/nhac-viec/huy-dang-ky/{token}")
    assert page.status_code == 200 and "Hủy nhận" in page.get_data(as_text=True)
    assert client.post(f"/nhac-viec/huy-dang-ky/{token}").status_code == 200
    assert client.get("/nhac-viec/huy-dang-ky/forged-token").status_code == 404
    decide_digests(session, local_today(), "w")
    session.commit()
    assert "tnmt.truong@example.vn" not in {
        r.recipient_email for r in session.scalars(select(Reminder))
    }


def test_without_smtp_messages_are_written_as_eml_files(app, session, world, tmp_path):
    decide_digests(session, local_today(), "w")
    session.commit()
    counts = send_pending(session)
    files = sorted((tmp_path / "outbox").glob("*.eml"))
    assert counts["sent"] == len(files) >= 2
    assert b"Subject: =?utf-8?" in files[0].read_bytes()
    assert {r.transport for r in session.scalars(select(Reminder))} == {"file"}


# -- schedules: working days, downtime ----------------------------------------------------


def test_a_digest_whose_monday_is_a_holiday_waits_for_the_next_working_day():
    calendar = WorkCalendar()
    cron = "30 7 * * mon"
    # Monday 2/9/2024 and Tuesday 3/9/2024 are National Day holidays.
    assert due_fire(cron, dt.datetime(2024, 9, 2, 9, 0), calendar) is None
    assert due_fire(cron, dt.datetime(2024, 9, 3, 9, 0), calendar) is None
    assert due_fire(cron, dt.datetime(2024, 9, 4, 7, 29), calendar) is None
    assert due_fire(cron, dt.datetime(2024, 9, 4, 7, 30), calendar) == dt.datetime(
        2024, 9, 2, 7, 30
    )
    # An ordinary Monday goes out at 07:30 that day.
    assert due_fire(cron, dt.datetime(2024, 9, 9, 7, 30), calendar) == dt.datetime(
        2024, 9, 9, 7, 30
    )


def test_downtime_over_mondays_makes_up_one_digest(app, session, smtp, world):
    last_monday = digests_go_out(local_today(), 7).replace(minute=30)
    now = last_monday + dt.timedelta(days=2, hours=2, minutes=30)  # two days later, 10:00
    three_weeks_ago = this_week(last_monday.date(), 0, 7).replace(minute=30) - dt.timedelta(21)
    session.add(SchedulerRun(kind="digest", fire_time=three_weeks_ago))
    session.commit()
    decided = decide_due(session, now)
    session.commit()
    assert decided["digest"] == 3  # one per department with something to say
    periods = {r.period for r in session.scalars(select(Reminder).where(Reminder.kind == "digest"))}
    assert periods == {iso_week(last_monday.date())}
    assert decide_due(session, now + dt.timedelta(hours=2)).get("digest") is None


def test_a_new_installation_sends_nothing_of_the_past(app, session, smtp, world):
    """The first start on a database with history (the demo's: 30 mails at once, a Monday digest
    on a Friday at 05:43) sends nothing that would have gone out before; each kind starts from
    its next time, and after downtime only the latest missed time is made up."""
    monday = digests_go_out(local_today(), 7).replace(minute=30)
    friday = monday + dt.timedelta(days=4, hours=-2, minutes=13)  # 05:43
    assert decide_due(session, friday) == {}
    session.commit()
    assert session.scalar(select(Reminder.id)) is None
    assert {r.created for r in session.scalars(select(SchedulerRun))} == {0}
    next_monday = digests_go_out(monday.date() + dt.timedelta(days=7), 7).replace(minute=30)
    assert decide_due(session, next_monday - dt.timedelta(minutes=1)).get("digest") is None
    assert decide_due(session, next_monday)["digest"] == 3
    session.commit()
    periods = {r.period for r in session.scalars(select(Reminder).where(Reminder.kind == "digest"))}
    assert periods == {iso_week(next_monday.date())}
    # Down for three weeks: one digest, the latest week's, none of the two before.
    later = next_monday + dt.timedelta(days=21, hours=3)
    assert decide_due(session, later)["digest"] == 3
    session.commit()
    periods = {r.period for r in session.scalars(select(Reminder).where(Reminder.kind == "digest"))}
    latest = digests_go_out(later.date(), 7).replace(minute=30)
    assert periods == {iso_week(next_monday.date()), iso_week(latest.date())}


def test_a_schedule_switched_on_or_changed_starts_from_its_next_time(
    app, session, smtp, world, client
):
    monday = digests_go_out(local_today(), 7).replace(minute=30)
    session.add(SchedulerRun(kind="digest", fire_time=monday - dt.timedelta(days=7)))
    session.commit()
    login(client, world.admin)
    page = client.get("/quan-tri/nhac-viec/lich").get_data(as_text=True)
    form = form_data(page, "/quan-tri/nhac-viec/lich")
    form.pop("enabled-digest")
    assert client.post("/quan-tri/nhac-viec/lich", data=form).status_code == 302
    page = client.get("/quan-tri/nhac-viec/lich").get_data(as_text=True)  # a new form key
    form = form_data(page, "/quan-tri/nhac-viec/lich")
    form["enabled-digest"] = "on"
    response = client.post("/quan-tri/nhac-viec/lich", data=form)  # on again, at the real now
    assert response.status_code == 302
    now = dt.datetime.now(LOCAL_TZ).replace(tzinfo=None)
    assert decide_due(session, now).get("digest") is None  # this week's is not sent now
    next_monday = digests_go_out(now.date() + dt.timedelta(days=7), 7).replace(minute=30)
    assert decide_due(session, next_monday)["digest"] == 3


# -- exactly once -------------------------------------------------------------------------


def _has_run_before(session, kind: str = "digest") -> None:
    """The scheduler ran a week ago: its next times are due (a new installation sends nothing
    of the past)."""
    week_ago = digests_go_out(local_today(), 7).replace(minute=30) - dt.timedelta(days=7)
    session.add(SchedulerRun(kind=kind, fire_time=week_ago))
    session.commit()


def _flask(args, database_url, smtp_port, **extra):
    env = {
        **os.environ,
        "FLASK_APP": "app",
        "DATABASE_URL": database_url,
        "SECRET_KEY": "test",
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAIL_FROM": "nhacviec@tracker.test",
        "BASE_URL": "http://tracker.test",
        **extra,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", *args],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _expected(session) -> int:
    return session.scalar(select(Reminder.id).order_by(Reminder.id.desc()).limit(1)) or 0


@pytest.mark.parametrize("command", [["reminders", "send-due"], ["scheduler", "run", "--once"]])
def test_two_schedulers_at_once_send_each_reminder_once(
    app, session, smtp, world, database_url, command
):
    _has_run_before(session)
    now = digests_go_out(local_today()).isoformat()  # Monday 09:00: digests are due
    processes = [_flask([*command, "--now", now], database_url, smtp.port) for _ in range(2)]
    outputs = [p.communicate(timeout=120)[0] for p in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    rows = session.scalars(select(Reminder)).all()
    assert rows and all(r.status == ReminderStatus.SENT for r in rows), (
        [(r.status, r.last_error) for r in rows],
        outputs,
    )
    assert len(smtp.messages) == len(rows)
    assert max(keys(smtp.messages).values()) == 1


def test_a_kill_between_decide_and_send_then_restart_sends_once(
    app, session, smtp, world, database_url
):
    _has_run_before(session)
    now = digests_go_out(local_today())
    smtp.stall_seconds = 60  # the first message hangs: the process dies mid-delivery
    process = _flask(["reminders", "send-due", "--now", now.isoformat()], database_url, smtp.port)
    assert smtp.stalled.wait(60), process.communicate(timeout=5)[0]
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=10)  # reap it and close its pipe
    session.expire_all()
    rows = session.scalars(select(Reminder)).all()
    assert len(rows) >= 3 and smtp.messages == []  # all decided, none delivered yet
    # Restarted after a while: every reminder, the interrupted one included, goes out once.
    later = now + dt.timedelta(minutes=20)
    restart = _flask(["reminders", "send-due", "--now", later.isoformat()], database_url, smtp.port)
    output = restart.communicate(timeout=120)[0]
    assert restart.returncode == 0, output
    session.expire_all()
    assert all(r.status == ReminderStatus.SENT for r in session.scalars(select(Reminder)))
    assert len(smtp.messages) == len(rows) and max(keys(smtp.messages).values()) == 1


def test_smtp_refusing_for_a_while_then_accepting_delivers_each_once(app, session, smtp, world):
    decide_digests(session, local_today(), "w")
    session.commit()
    total = session.query(Reminder).count()
    smtp.refuse = total + 2  # every message refused at first, some twice
    now = utc(this_week(local_today(), 0, 9))
    for step in range(8):
        send_pending(session, now + dt.timedelta(minutes=10 * step))
    rows = session.scalars(select(Reminder)).all()
    assert all(r.status == ReminderStatus.SENT for r in rows)
    assert max(r.attempts for r in rows) == 3 and len(smtp.messages) == total
    assert max(keys(smtp.messages).values()) == 1


def test_after_the_last_try_a_reminder_is_failed_and_shown(app, session, smtp, world, client):
    decide_digests(session, local_today(), "w")
    session.commit()
    smtp.refuse = 10_000
    now = utc(this_week(local_today(), 0, 9))
    # an outage of six hours: every try within it fails, none is given up yet
    step = now
    send_pending(session, step)
    for delay in RETRY_DELAYS[:-1]:
        step += delay
        send_pending(session, step)
    assert step - now >= dt.timedelta(hours=3)
    rows = session.scalars(select(Reminder)).all()
    assert {r.status for r in rows} == {ReminderStatus.PENDING}
    step += RETRY_DELAYS[-1]
    assert step - now > dt.timedelta(hours=7)  # the tries are spread over hours, not minutes
    send_pending(session, step)
    session.expire_all()
    rows = session.scalars(select(Reminder)).all()
    assert {r.status for r in rows} == {ReminderStatus.FAILED}
    assert {r.attempts for r in rows} == {MAX_ATTEMPTS} and "451" in rows[0].last_error
    login(client, world.admin)
    log = client.get("/quan-tri/nhac-viec?status=failed").get_data(as_text=True)
    assert log.count('data-status="failed"') == len(rows)
    cells = re.findall(r"<td[^>]*>([^<]*)", log)
    states = [c.split(" · ")[0] for c in cells]
    assert "Gửi lỗi" in states and "failed" not in states  # the state in words
    # the admin is warned on the dashboard, sends them again once the server is back
    dashboard = client.get("/").get_data(as_text=True)
    assert 'id="mail-trouble"' in dashboard and "451" in dashboard
    smtp.refuse = 0
    client.post("/quan-tri/nhac-viec/gui-lai", data={"reminder": rows[0].id})
    session.expire_all()
    assert session.get(Reminder, rows[0].id).status == ReminderStatus.PENDING
    result = app.test_cli_runner().invoke(args=["reminders", "retry-failed"])
    assert f"Đã đưa {len(rows) - 1} thư" in result.output
    send_pending(session, step + dt.timedelta(minutes=1))
    session.expire_all()
    assert {r.status for r in session.scalars(select(Reminder))} == {ReminderStatus.SENT}
    assert len(smtp.messages) == len(rows)
    assert 'id="mail-trouble"' not in client.get("/").get_data(as_text=True)
    login(client, world.office)
    assert 'id="mail-trouble"' not in client.get("/").get_data(as_text=True)  # admins only


# -- notices before and after deadlines, escalation, summary ------------------------------


def test_deadline_notices_and_escalation_name_each_task_once(app, session, smtp, world):
    today = local_today()
    world.qldt_task.deadline = WorkCalendar().add_working_days(today, 2)
    world.tnmt_task.deadline = today - dt.timedelta(days=20)
    session.commit()
    from app.reminders.decide import decide_kind
    from app.reminders.schedule import load_schedules

    schedules = {s.kind: s for s in load_schedules(session)}
    fire = dt.datetime.combine(today, dt.time(7))
    for kind in ("before_deadline", "after_deadline", "escalation"):
        assert decide_kind(session, schedules[kind], today, WorkCalendar(), fire) >= 1
        # The next day nothing new: the same tasks are not named twice.
        assert (
            decide_kind(
                session, schedules[kind], today + dt.timedelta(days=1), WorkCalendar(), fire
            )
            == 0
        )
    session.commit()
    rows = {(r.kind, r.recipient_email) for r in session.scalars(select(Reminder))}
    assert ("before_deadline", "qldt.truong@example.vn") in rows
    assert ("after_deadline", "tnmt.truong@example.vn") in rows
    assert ("after_deadline", "vanphong@example.vn") in rows
    assert ("escalation", "lanhdao@example.vn") in rows
    assert ("escalation", "vanphong@example.vn") in rows
    assert not any(kind == "escalation" and email.startswith("tnmt") for kind, email in rows)


def test_weekly_summary_for_office_and_leaders(app, session, smtp, world):
    from app.reminders.decide import decide_kind
    from app.reminders.schedule import load_schedules

    schedule = next(s for s in load_schedules(session) if s.kind == "summary")
    today = local_today()
    decide_kind(session, schedule, today, WorkCalendar(), dt.datetime.combine(today, dt.time(8)))
    session.commit()
    send_pending(session)
    assert {m["To"].addresses[0].addr_spec for m in smtp.messages} == {
        "vanphong@example.vn",
        "lanhdao@example.vn",
    }
    text = smtp.messages[0].get_body(("plain",)).get_content()
    assert "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 01 nội dung" in text


# -- commands and pages -------------------------------------------------------------------


def test_cli_preview_prints_a_digest(app, session):
    seed_demo(session, local_today(), FAST_HASH)
    session.commit()
    # A ward that took over the city's tasks on 01/07/2025, some of them long overdue.
    unit = "Phòng Kinh tế, Hạ tầng và Đô thị"
    result = app.test_cli_runner().invoke(
        args=["reminders", "preview", "--office", "KYLUA", "--kind", "digest", "--department", unit]
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Tiêu đề: [Nhắc việc] {unit}:")
    assert "NHIỆM VỤ CHẬM THAM MƯU GIẢI QUYẾT" in result.output
    unknown = app.test_cli_runner().invoke(
        args=["reminders", "preview", "--office", "KYLUA", "--department", "X"]
    )
    assert unknown.exit_code != 0 and "không có đơn vị" in unknown.output


def test_admin_preview_send_now_and_schedules(app, session, client, world, smtp):
    login(client, world.admin)
    preview = client.get("/quan-tri/nhac-viec/xem-truoc").get_data(as_text=True)
    assert 'data-department="Phòng Tài nguyên và Môi trường"' in preview
    smtp.stall_seconds = 60  # a server that would hold a sender: the page never talks to it
    response = client.post(f"/quan-tri/nhac-viec/gui-ngay/{world.tnmt.id}", follow_redirects=True)
    assert "Đã xếp 1 thư cho Phòng Tài nguyên và Môi trường vào hàng gửi" in response.get_data(
        as_text=True
    )
    assert smtp.messages == [] and not smtp.stalled.is_set()  # queued, not sent by the page
    queued = session.scalars(select(Reminder)).all()
    assert [r.status for r in queued] == [ReminderStatus.PENDING]
    smtp.stall_seconds = 0
    send_pending(session)  # what the scheduler's next tick does
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == ["tnmt.truong@example.vn"]
    form = form_data(
        client.get("/quan-tri/nhac-viec/lich").get_data(as_text=True), "/quan-tri/nhac-viec/lich"
    )
    form["time-digest"] = "thứ Hai"
    bad = client.post("/quan-tri/nhac-viec/lich", data=form)
    assert "Giờ gửi không hợp lệ" in bad.get_data(as_text=True)
    form.setlist("day-digest", ["tue"])
    form["time-digest"] = "08:00"
    for kind in ("summary", "decisions"):
        form.pop(f"enabled-{kind}")
    form["param-escalation-days_late"] = "30"
    crons = form
    client.post("/quan-tri/nhac-viec/lich", data=crons)
    from app.reminders.schedule import load_schedules

    schedules = {s.kind: s for s in load_schedules(session)}
    assert schedules["digest"].cron == "0 8 * * tue" and schedules["digest"].enabled
    assert not schedules["summary"].enabled and schedules["escalation"].params["days_late"] == 30
    assert schedules["office_requests"].enabled and not schedules["decisions"].enabled
    login(client, world.office)
    assert client.get("/quan-tri/nhac-viec").status_code == 403


def test_scheduler_lock_keeps_a_single_active_scheduler(app, database_url):
    from app.scheduler.runner import SchedulerLock

    first, second = SchedulerLock(app), SchedulerLock(app)
    assert first.acquire()
    try:
        probe = _flask(["scheduler", "run", "--once"], database_url, 1)
        output = probe.communicate(timeout=60)[0]
        assert "Một bộ lập lịch khác đang chạy" in output
    finally:
        first.release()
    assert second.acquire()
    second.release()


def test_every_subject_and_name_decodes_to_the_text_meant(app, session, smtp, world):
    """Long Vietnamese subjects of every kind, folded at every position the names move them to:
    the standard parser must read back exactly the stored subject and display names (the
    default policy's folder used to drop the space between two encoded words)."""
    from app.reminders.decide import decide_kind
    from app.reminders.schedule import load_schedules

    today = local_today()
    world.qldt_task.deadline = WorkCalendar().add_working_days(today, 2)
    world.tnmt_task.deadline = today - dt.timedelta(days=20)
    app.config["MAIL_FROM_NAME"] = "Văn phòng HĐND và UBND thành phố Lạng Sơn – hệ thống nhắc việc"
    schedules = {s.kind: s for s in load_schedules(session)}
    checked = set()
    for pad in range(0, 24, 3):
        for department in (world.tnmt, world.qldt, world.vhtt):
            base = department.name.split(" (")[0]
            department.name = f"{base} ({'đơn vị số ' * pad}ẩ)" if pad else base
        for user in (world.tnmt_head, world.qldt_head, world.office, world.leader):
            user.full_name = " ".join(["Nguyễn Thị Hồng Nhung", *["Lê"] * pad])
        session.execute(Reminder.__table__.delete())
        session.commit()
        smtp.messages.clear()
        fire = dt.datetime.combine(today, dt.time(7))
        for schedule in schedules.values():
            decide_kind(session, schedule, today, WorkCalendar(), fire)
        session.commit()
        send_pending(session)
        rows = {r.recipient_email + r.kind: r for r in session.scalars(select(Reminder))}
        assert len(smtp.messages) == len(rows) >= 5
        for message in smtp.messages:
            to = message["To"].addresses[0]
            row = rows[to.addr_spec + message["X-Reminder-Key"].split("/")[0]]
            assert str(message["Subject"]) == row.subject
            assert to.display_name == row.recipient_name
            assert message["From"].addresses[0].display_name == app.config["MAIL_FROM_NAME"]
            checked.add(row.kind)
    assert checked == {"digest", "before_deadline", "after_deadline", "escalation", "summary"}


def test_each_reader_is_spoken_to_in_its_own_words(app, session, smtp, world):
    from app.reminders.decide import decide_kind
    from app.reminders.schedule import load_schedules

    today = local_today()
    world.tnmt_task.deadline = today - dt.timedelta(days=20)
    session.commit()
    schedules = {s.kind: s for s in load_schedules(session)}
    fire = dt.datetime.combine(today, dt.time(7))
    for kind in ("after_deadline", "escalation"):
        decide_kind(session, schedules[kind], today, WorkCalendar(), fire)
    session.commit()
    text = {(r.kind, r.recipient_email): r.body_text for r in session.scalars(select(Reminder))}
    assert "đề nghị lãnh đạo chỉ đạo xử lý" in text["escalation", "lanhdao@example.vn"]
    office_escalation = text["escalation", "vanphong@example.vn"]
    assert "lãnh đạo chỉ đạo xử lý" not in office_escalation
    assert "Văn phòng tiếp tục theo dõi, đôn đốc" in office_escalation
    assert "đề nghị đơn vị khẩn trương" in text["after_deadline", "tnmt.truong@example.vn"]
    assert "để Văn phòng theo dõi, đôn đốc" in text["after_deadline", "vanphong@example.vn"]


def test_a_silent_smtp_server_times_out_and_the_reminder_waits_for_another_try(
    app, session, smtp, world
):
    decide_digests(session, local_today(), "w")
    session.commit()
    app.config["SMTP_TIMEOUT"] = 1
    smtp.stall_seconds = 5  # accepts the message, then says nothing
    counts = send_pending(session, utc(this_week(local_today(), 0, 9)))
    assert smtp.stalled.is_set() and counts["retry"] >= 1
    tried = session.scalars(select(Reminder).where(Reminder.attempts == 1)).all()
    (stalled,) = [r for r in tried if r.status == ReminderStatus.PENDING]  # the others went
    assert "timed out" in stalled.last_error
    assert stalled.next_attempt_at is not None


def test_a_scheduler_that_loses_its_lock_stops_until_it_holds_it_again(app, database_url, world):
    """The lock's connection is cut: before its next run the active scheduler notices, a
    standby takes over, and the first one stands by instead of running too."""
    from sqlalchemy import text

    from app.extensions import db
    from app.scheduler.runner import SchedulerLock, guarded_tick

    first, standby = SchedulerLock(app), SchedulerLock(app)
    assert first.acquire() and first.held() and guarded_tick(first)
    if not database_url.startswith("postgresql"):
        first.release()  # SQLite: a lock file held by the process, never lost while it lives
        return
    pid = first._connection.execute(text("SELECT pg_backend_pid()")).scalar()
    first._connection.commit()
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
        # pg_terminate_backend only signals: the lock goes when the backend has exited
        gone = text("SELECT count(*) FROM pg_stat_activity WHERE pid = :pid")
        for _ in range(100):
            if not other.execute(gone, {"pid": pid}).scalar():
                break
            other.commit()
            time.sleep(0.05)
    assert standby.acquire()  # the lock went with the connection: a standby gets it
    try:
        assert not first.held()
        assert guarded_tick(first) is False  # the first one stands by, it does not run too
    finally:
        standby.release()
    assert guarded_tick(first) is True and first.held()  # free again: it takes it back
    first.release()


def test_a_pass_delivers_over_one_connection_and_reopens_one_the_server_closed(
    app, session, smtp, world
):
    decide_digests(session, local_today(), "w")
    session.commit()
    total = session.query(Reminder).count()
    assert total >= 3
    smtp.hang_up = 1  # the server closes the connection after the first message
    counts = send_pending(session, utc(this_week(local_today(), 0, 9)))
    assert counts == {"sent": total, "retry": 0, "failed": 0}
    assert len(smtp.messages) == total and max(keys(smtp.messages).values()) == 1
    assert smtp.connections == 2  # the first message's, then one for all the others


def test_a_units_digest_rendered_once_is_each_readers_own(app, session, world):
    """Each reader's digest is the mail rendered for them alone: their name (escaped in the
    HTML), their unsubscribe link or none."""
    from app.reminders.compose import DigestMails, digest_mail
    from app.reminders.selection import digests

    [digest, *_] = [d for d in digests(session, local_today()) if not d.is_empty]
    mails = DigestMails(digest)
    readers = [("Nguyễn Văn <b>A</b> & “B”", "http://x/huy?t=1&k=<2>"), ("Trần Thị C", None),
               ("Lê D", "http://x/huy?t=3")]  # fmt: skip
    for name, url in readers:
        assert mails.to(name, url) == digest_mail(digest, name, url)
    assert "Nguyễn Văn &lt;b&gt;A&lt;/b&gt; &amp;" in mails.to(*readers[0]).html


def test_a_long_digest_shows_the_most_urgent_rows_of_each_part_and_links_the_rest(
    app, session, factory
):
    """A unit with a real backlog: each part lists its first rows (the longest overdue first)
    and says how many more there are, so the mail stays under the size at which Gmail clips
    it; the headings and the subject count everything."""
    from app.reminders.compose import DIGEST_ROWS, digest_mail

    today = local_today()
    unit = factory.department("Phòng Quản lý đô thị", 1, "QLĐT")
    late = DIGEST_ROWS + 12
    for n in range(late):
        factory.task(
            unit,
            today - dt.timedelta(days=400),
            today - dt.timedelta(days=300 - n),
            content=f"Nhiệm vụ chậm số {n + 1}: " + "rà soát, tổng hợp, báo cáo " * 8,
        )
    for n in range(DIGEST_ROWS + 500):
        factory.task(unit, today - dt.timedelta(days=10), None, content=f"Việc thường xuyên {n}")
    session.commit()
    [digest] = [d for d in digests(session, today) if d.department.id == unit.id]
    mail = digest_mail(digest, "Trưởng phòng", None)
    assert f"{late} nội dung chậm" in mail.subject
    assert f"Chậm tham mưu giải quyết: {late} nội dung" in mail.html
    assert "Nhiệm vụ chậm số 1:" in mail.html and f"Nhiệm vụ chậm số {DIGEST_ROWS}:" in mail.html
    assert f"Nhiệm vụ chậm số {DIGEST_ROWS + 1}:" not in mail.html
    assert "… và 12 nội dung chậm khác" in mail.html and "… và 12 nội dung chậm khác" in mail.text
    assert "… và 500 nội dung chưa có báo cáo khác" in mail.text
    assert mail.text.count("/nhiem-vu/") == 2 * DIGEST_ROWS
    assert len(mail.html.encode()) < 102 * 1024


def test_every_kind_is_declared_once_with_its_templates():
    from app.models.reminders import ReminderKind
    from app.reminders.kinds import KINDS

    assert [kind.value for kind in KINDS] == list(ReminderKind)
    for kind in KINDS:
        for suffix in ("txt", "html"):
            assert (REPO / "templates" / "reminders" / f"{kind.template}.{suffix}").is_file()
        assert set(kind.params) <= {"working_days_before", "days_late"}  # the page's words
        assert (kind.decide is ways.task_notices) == bool(kind.subject and kind.intro)


def test_the_digest_preview_of_a_unit_no_longer_active_says_so(app, session, world):
    world.vhtt.is_active = False
    session.commit()
    runner = app.test_cli_runner()
    ended = runner.invoke(args=["reminders", "preview", "--department", world.vhtt.name])
    assert ended.exit_code == 0, ended.output  # an IndexError before
    assert ended.output.strip() == f"{world.vhtt.name} không còn hoạt động: không có thư tổng hợp."
    active = runner.invoke(args=["reminders", "preview", "--department", world.tnmt.name])
    assert active.exit_code == 0 and active.output.startswith("Tiêu đề: ")
