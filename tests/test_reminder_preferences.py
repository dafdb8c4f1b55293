"""Each user's choice of reminder mails (within the kinds the admin made mandatory) and the
deputy who receives an absent unit head's digests, with the decision dates pinned."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from app.core.deadlines import load_calendar
from app.core.timeutil import local_today
from app.models import Reminder, ReminderDeputy, ReminderPreference
from app.models.people import Role
from app.reminders.decide import decide_digests, decide_kind
from app.reminders.delivery import send_pending
from app.reminders.deputies import name_deputy
from app.reminders.record import unsubscribe_token
from app.reminders.schedule import load_schedules
from browser_form import form_data
from conftest import login

MONDAY = dt.date(2026, 3, 9)  # a working week with no day off: 9–13 March 2026
ISSUED = dt.date(2026, 1, 5)


class Unit:
    """A unit with its head and two members, a task due on Wednesday, and a second unit."""

    def __init__(self, session, factory) -> None:
        self.tnmt = factory.department("Phòng Tài nguyên và Môi trường", 1, "TNMT")
        self.qldt = factory.department("Phòng Quản lý đô thị", 2, "QLĐT")
        self.admin = factory.user("admin", Role.ADMIN)
        self.head = factory.user("tnmt.truong", Role.DEPARTMENT_HEAD, self.tnmt)
        self.member = factory.user("tnmt.cv", Role.DEPARTMENT_MEMBER, self.tnmt)
        self.reader = factory.user("tnmt.cv2", Role.DEPARTMENT_MEMBER, self.tnmt)
        self.other_head = factory.user("qldt.truong", Role.DEPARTMENT_HEAD, self.qldt)
        wednesday = MONDAY + dt.timedelta(days=2)
        factory.task(self.tnmt, ISSUED, wednesday, content="Rà soát hồ sơ đất đai")
        factory.task(self.qldt, ISSUED, wednesday, content="Kiểm tra công trình")
        # the second member reads the unit's digests on their own
        session.add(ReminderPreference(user_id=self.reader.id, kind="digest", subscribed=True))
        session.commit()


@pytest.fixture
def unit(session, factory) -> Unit:
    return Unit(session, factory)


def _digest_readers(session, day: dt.date) -> dict[str, str]:
    """Whom the digests decided as of ``day`` go to: e-mail → the name they are addressed to
    (the first line of the mail)."""
    period = f"test-{day.isoformat()}"
    decide_digests(session, day, period)
    session.commit()
    rows = session.scalars(
        select(Reminder).where(Reminder.kind == "digest", Reminder.period == period)
    )
    return {r.recipient_email: r.body_text.splitlines()[0] for r in rows}


def _notice_readers(session, kind: str, day: dt.date) -> set[str]:
    """Whom the deadline notices of ``kind`` decided as of ``day`` go to."""
    schedule = next(s for s in load_schedules(session) if s.kind == kind)
    fire = dt.datetime.combine(day, dt.time(7))
    decide_kind(session, schedule, day, load_calendar(session), fire)
    session.commit()
    rows = session.scalars(
        select(Reminder).where(Reminder.kind == kind, Reminder.period == day.isoformat())
    )
    return {r.recipient_email for r in rows}


def _page(client, user) -> str:
    login(client, user)
    return client.get("/tai-khoan").get_data(as_text=True)


def _choose(client, user, kinds: list[str], *extra: str):
    """What the account page's reminder form posts with ``kinds`` ticked (a browser leaves
    the disabled, mandatory boxes out), and ``extra`` values a tampered form adds."""
    login(client, user)
    data = MultiDict([("kind", kind) for kind in (*kinds, *extra)])
    return client.post("/tai-khoan/thu-nhac-viec", data=data)


# -- choosing kinds -------------------------------------------------------------------------


def test_opting_out_of_an_optional_kind_stops_exactly_that_kind_for_that_user(
    session, client, unit, smtp
):
    page = _page(client, unit.head)
    assert "Thư nhắc việc" in page and 'id="kind-digest"' in page
    assert 'id="kind-summary"' not in page  # not a unit's kind
    assert _choose(client, unit.head, ["before_deadline"]).status_code == 302

    readers = _digest_readers(session, MONDAY)
    assert "tnmt.truong@example.vn" not in readers  # opted out of the digest
    assert {"tnmt.cv2@example.vn", "qldt.truong@example.vn"} <= set(readers)  # others still
    assert "tnmt.truong@example.vn" in _notice_readers(session, "before_deadline", MONDAY)
    send_pending(session)
    sent = [(m["To"].addresses[0].addr_spec, str(m["Subject"])) for m in smtp.messages]
    to_head = [subject for email, subject in sent if email == "tnmt.truong@example.vn"]
    assert len(to_head) == 1 and "sắp đến hạn" in to_head[0]  # the other kind alone
    assert any(e == "tnmt.cv2@example.vn" and "Phòng Tài nguyên" in s for e, s in sent)

    # ticked again, it comes again
    _choose(client, unit.head, ["digest", "before_deadline"])
    assert "tnmt.truong@example.vn" in _digest_readers(session, MONDAY + dt.timedelta(days=7))


def test_a_member_opts_in_and_the_page_shows_what_they_receive(session, client, unit):
    page = _page(client, unit.member)
    assert 'value="digest" id="kind-digest">' in page  # members: not by default
    _choose(client, unit.member, ["digest"])
    assert "tnmt.cv@example.vn" in _digest_readers(session, MONDAY)
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert 'value="digest" id="kind-digest" checked>' in page


def test_a_kind_the_admin_made_mandatory_cannot_be_refused(session, client, unit):
    login(client, unit.admin)
    page = client.get("/quan-tri/nhac-viec/lich").get_data(as_text=True)
    form = form_data(page, "/quan-tri/nhac-viec/lich")
    assert "mandatory-after_deadline" not in page  # always mandatory: nothing to tick
    form["mandatory-digest"] = "on"
    assert client.post("/quan-tri/nhac-viec/lich", data=form).status_code == 302

    page = _page(client, unit.head)
    assert 'id="kind-digest" checked disabled aria-describedby="kind-digest-why"' in page
    assert "Bắt buộc theo cài đặt của quản trị hệ thống" in page
    # the browser does not post a disabled box: the head "refuses" everything
    assert _choose(client, unit.head, []).status_code == 302
    # the member's tampered form says "no" to the digest too (a forged stored refusal)
    _choose(client, unit.member, [])
    session.add(ReminderPreference(user_id=unit.head.id, kind="after_deadline", subscribed=False))
    session.commit()
    # the unsubscribe link of a mail sent before the admin's choice refuses too
    old_link = f"/nhac-viec/huy-dang-ky/{unsubscribe_token(unit.head.id, 'digest')}"
    assert "không hủy nhận được" in client.post(old_link).get_data(as_text=True)
    assert session.get(ReminderPreference, (unit.head.id, "digest")) is None  # not stored
    readers = _digest_readers(session, MONDAY)
    # everyone of the unit receives a mandatory kind, members included
    assert {"tnmt.truong@example.vn", "tnmt.cv@example.vn", "tnmt.cv2@example.vn"} <= set(readers)
    reminder = session.scalar(
        select(Reminder).where(
            Reminder.kind == "digest", Reminder.recipient_email == "tnmt.truong@example.vn"
        )
    )
    assert "/nhac-viec/huy-dang-ky/" not in reminder.body_text  # no opt-out link either
    thursday = MONDAY + dt.timedelta(days=3)  # the task is a day late
    assert "tnmt.truong@example.vn" in _notice_readers(session, "after_deadline", thursday)


def test_a_kind_declared_mandatory_is_shown_disabled_and_posted_values_are_ignored(
    session, client, unit
):
    page = _page(client, unit.head)
    assert 'id="kind-after_deadline" checked disabled' in page
    assert 'id="kind-decisions" checked disabled' in page
    # a tampered form: kinds of other roles and unknown ones are not stored
    _choose(client, unit.head, ["digest"], "summary", "office_requests", "nonsense")
    stored = {
        p.kind: p.subscribed
        for p in session.scalars(
            select(ReminderPreference).where(ReminderPreference.user_id == unit.head.id)
        )
    }
    assert stored == {"digest": True, "before_deadline": False}


# -- the deputy -----------------------------------------------------------------------------


def test_the_deputy_receives_the_heads_digest_within_the_dates_only(session, unit, smtp):
    friday = MONDAY + dt.timedelta(days=4)
    name_deputy(session, unit.head, unit.member, MONDAY, friday)
    session.commit()
    head, deputy = "tnmt.truong@example.vn", "tnmt.cv@example.vn"
    on_behalf = "Tnmt.Cv – thay cho Tnmt.Truong (vắng mặt từ 09/03/2026 đến 13/03/2026),"

    before = _digest_readers(session, MONDAY - dt.timedelta(days=1))
    assert head in before and deputy not in before
    for day in (MONDAY, MONDAY + dt.timedelta(days=2), friday):
        readers = _digest_readers(session, day)
        assert head not in readers, day  # "instead": the absent head gets none
        assert readers[deputy] == f"Kính gửi {on_behalf}", day
        assert "tnmt.cv2@example.vn" in readers and "qldt.truong@example.vn" in readers
    after = _digest_readers(session, friday + dt.timedelta(days=1))
    assert head in after and deputy not in after

    send_pending(session)
    mail = next(m for m in smtp.messages if m["To"].addresses[0].addr_spec == deputy)
    text = mail.get_body(("plain",)).get_content()
    assert on_behalf in text and "/nhac-viec/huy-dang-ky/" not in text
    assert "thay cho Tnmt.Truong" in mail.get_body(("html",)).get_content()
    # only the digest goes to the deputy: the head's other kinds are theirs
    assert head in (notified := _notice_readers(session, "before_deadline", MONDAY))
    assert deputy not in notified


def test_a_deputy_who_reads_the_digest_anyway_gets_one_mail_and_a_departed_one_none(session, unit):
    name_deputy(session, unit.head, unit.reader, MONDAY, MONDAY)
    session.commit()
    readers = _digest_readers(session, MONDAY)
    assert "thay cho Tnmt.Truong" in readers["tnmt.cv2@example.vn"]
    assert "tnmt.truong@example.vn" not in readers
    unit.reader.department = unit.qldt  # moved to another unit: stands in for no one
    session.commit()
    readers = _digest_readers(session, MONDAY)
    assert "thay cho" not in readers["tnmt.truong@example.vn"]


def test_the_head_names_a_deputy_of_their_unit_within_the_bounds(session, client, unit):
    today = local_today()
    day = today.strftime("%d/%m/%Y")

    def post(deputy, starts_on, ends_on):
        return client.post(
            "/tai-khoan/nguoi-nhan-thay",
            data={"deputy": deputy, "starts_on": starts_on, "ends_on": ends_on},
        )

    login(client, unit.head)
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert f'<option value="{unit.member.id}">' in page
    assert f'value="{unit.other_head.id}"' not in page  # the select holds the unit only
    refused = post(unit.other_head.id, day, day)  # another unit's head, by a tampered form
    assert refused.status_code == 422
    assert "Chọn một người khác của đơn vị mình." in refused.get_data(as_text=True)
    assert post(unit.head.id, day, day).status_code == 422  # oneself
    yesterday = (today - dt.timedelta(days=1)).strftime("%d/%m/%Y")
    assert "không được trước hôm nay" in post(unit.member.id, yesterday, day).get_data(as_text=True)
    assert "không được trước ngày bắt đầu" in post(unit.member.id, day, yesterday).get_data(
        as_text=True
    )
    too_long = (today + dt.timedelta(days=180)).strftime("%d/%m/%Y")
    assert "dài nhất 180 ngày" in post(unit.member.id, day, too_long).get_data(as_text=True)
    assert session.scalar(select(ReminderDeputy)) is None

    last = (today + dt.timedelta(days=179)).strftime("%d/%m/%Y")
    assert post(unit.member.id, day, last).status_code == 302  # today allowed, 180 days
    row = session.scalar(select(ReminderDeputy))
    assert (row.user_id, row.deputy_id, row.starts_on) == (unit.head.id, unit.member.id, today)
    page = client.get("/tai-khoan").get_data(as_text=True)
    assert "Tnmt.Cv nhận thay từ" in page

    login(client, unit.member)  # a member names no deputy
    assert post(unit.reader.id, day, day).status_code == 403


def test_the_admin_sees_and_clears_deputies_on_the_users_page(session, client, unit):
    today = local_today()
    name_deputy(session, unit.head, unit.member, today, today + dt.timedelta(days=3))
    session.commit()
    login(client, unit.admin)
    page = client.get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert 'data-clear-deputy="tnmt.truong"' in page and "Tnmt.Cv" in page
    response = client.post(f"/quan-tri/nguoi-dung/{unit.head.id}/bo-nguoi-nhan-thay")
    assert response.status_code == 302
    assert session.scalar(select(ReminderDeputy)) is None
    page = client.get("/quan-tri/nguoi-dung").get_data(as_text=True)
    assert "data-clear-deputy" not in page
