"""The user's own account (issue 29, items 1–4): changing one's password, the signed-in
sessions and signing out everywhere, "forgot password" by e-mail, the administrator's
invitation, and the strength check on every way a password is set."""

from __future__ import annotations

import datetime as dt
import re
import time

import pytest
from sqlalchemy import select, update

from app.auth.throttle import RESET_ADDRESS_LIMIT, RESET_NAME_LIMIT
from app.models import PasswordToken, User, UserSession
from conftest import PASSWORD, login

STRONG = "đèn vàng ở ngõ bảy"
STRONGER = "cầu tre gỗ lim bến sông"
WEAK_REASON = "Mật khẩu này dễ bị đoán"


def fresh():
    """The tests' app context lives across requests: forget the request's user between
    clients, as a new request in a real server does."""
    from flask import g

    g.pop("_login_user", None)


def sign_in(client, username, password=PASSWORD, agent="Mozilla/5.0 (X11; Linux) Firefox/128.0"):
    fresh()
    return client.post(
        "/dang-nhap",
        data={"username": username, "password": password},
        headers={"User-Agent": agent},
    )


def signed_in(client) -> bool:
    fresh()
    return client.get("/").status_code == 200


def text(response) -> str:
    return response.get_data(as_text=True)


def wait_for_mails(smtp, count: int, seconds: float = 10.0) -> list:
    deadline = time.monotonic() + seconds
    while len(smtp.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return smtp.messages


def link_in(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://tracker\.test(/dat-mat-khau/\S+)", body).group(1)


# -- the password strength check ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "why"),
    [
        ("tnmt.truong", "tên đăng nhập, họ tên hoặc e-mail của bạn"),  # the username
        ("Tnmt Truong 2024", "tên đăng nhập, họ tên hoặc e-mail của bạn"),  # the full name
        ("anhyeuem123", "từ hay gặp trong mật khẩu của người Việt (“anhyeuem”)"),
        ("mật khẩu của tôi", "từ hay gặp trong mật khẩu của người Việt (“matkhau”)"),
        ("langson@2024", "langson"),
        ("1234567890", "mật khẩu"),
        ("ngắn", "ít nhất 8 ký tự"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason_in_vietnamese(
    app, session, world, password, why
):
    from app.auth.passwords import password_problem

    user = world.tnmt_head
    with app.test_request_context():
        problem = password_problem(session, password, user.username, user.full_name, user.email)
    assert problem is not None and why in problem


def test_the_offices_own_names_are_refused(app, session, world):
    from app.auth.passwords import password_problem
    from app.core.settings import save_settings

    save_settings(session, governing_body="UBND thành phố Lạng Sơn", office_name="")
    with app.test_request_context():
        problem = password_problem(session, "UBND thanh pho Lang Son", "x", "X", "")
        assert problem and "tên cơ quan" in problem
        assert password_problem(session, STRONG, "x", "X", "") is None


# -- changing one's own password --------------------------------------------------------------


def test_changing_ones_password_asks_the_current_one_and_ends_the_other_sessions(
    app, client, world
):
    other = app.test_client()
    assert sign_in(other, "vanphong").status_code == 302
    assert sign_in(client, "vanphong").status_code == 302
    url = "/tai-khoan/doi-mat-khau"
    form = {"current": "sai-roi-nhe", "password": STRONG, "again": STRONG}
    wrong = client.post(url, data=form)
    assert wrong.status_code == 200 and "Mật khẩu hiện tại không đúng." in text(wrong)
    weak = client.post(url, data={**form, "current": PASSWORD, "password": "vanphong123",
                                  "again": "vanphong123"})  # fmt: skip
    assert weak.status_code == 200 and WEAK_REASON in text(weak)
    assert 'href="#password"' in text(weak)  # the summary links to the field
    assert signed_in(other)  # nothing changed yet
    done = client.post(url, data={**form, "current": PASSWORD})
    assert done.status_code == 302
    assert signed_in(client)  # this browser stays signed in …
    assert not signed_in(other)  # … every other session ended
    assert sign_in(app.test_client(), "vanphong").status_code == 200  # the old password: no
    assert sign_in(app.test_client(), "vanphong", STRONG).status_code == 302


def test_the_account_page_lists_the_sessions_and_signs_out_everywhere_else(app, client, world):
    phone = app.test_client()
    phone_agent = "Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile Safari/537.36"
    assert sign_in(phone, "vanphong", agent=phone_agent).status_code == 302
    assert sign_in(client, "vanphong").status_code == 302
    fresh()
    page = text(client.get("/tai-khoan"))
    assert "Chrome · Android" in page and "Firefox · Linux" in page
    assert page.count("Trình duyệt này") == 1
    assert signed_in(phone)
    fresh()
    assert client.post("/tai-khoan/dang-xuat-noi-khac").status_code == 302
    assert not signed_in(phone)  # the other browser is signed out …
    assert signed_in(client)  # … this one is not
    fresh()
    page = text(client.get("/tai-khoan"))
    assert "Chrome · Android" not in page


def test_one_session_is_ended_from_the_list_and_only_ones_own(app, client, session, world):
    phone = app.test_client()
    assert sign_in(phone, "vanphong").status_code == 302
    assert sign_in(app.test_client(), "lanhdao").status_code == 302
    leaders = session.scalar(select(UserSession.id).where(UserSession.user_id == world.leader.id))
    phones = session.scalar(select(UserSession.id).where(UserSession.user_id == world.office.id))
    login(client, world.office)
    fresh()
    assert client.post(f"/tai-khoan/phien/{leaders}/ket-thuc").status_code == 404
    fresh()
    assert client.post(f"/tai-khoan/phien/{phones}/ket-thuc").status_code == 302
    assert not signed_in(phone) and signed_in(client)


def test_a_session_unused_for_thirty_days_ends(app, client, session, world):
    assert sign_in(client, "vanphong").status_code == 302
    long_ago = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(days=31)
    session.execute(update(UserSession).values(last_seen_at=long_ago))
    session.commit()
    assert not signed_in(client)


# -- forgot password --------------------------------------------------------------------------


def test_a_reset_link_arrives_by_mail_and_works_once(app, client, session, world, smtp):
    elsewhere = app.test_client()
    assert sign_in(elsewhere, "vanphong").status_code == 302
    answer = client.post("/quen-mat-khau", data={"name": "VanPhong"})
    assert answer.status_code == 200 and "vừa được gửi tới e-mail đó" in text(answer)
    (message,) = wait_for_mails(smtp, 1)
    assert message["To"].addresses[0].addr_spec == world.office.email
    path = link_in(message)
    stored = session.scalars(select(PasswordToken.token_hash)).all()
    assert path.rsplit("/", 1)[1] not in stored  # only the hash is kept
    page = client.get(path)
    assert page.status_code == 200 and 'autocomplete="new-password"' in text(page)
    assert page.headers["Cache-Control"] == "no-store"
    weak = client.post(path, data={"password": "vanphong2024", "again": "vanphong2024"})
    assert weak.status_code == 200 and WEAK_REASON in text(weak)
    done = client.post(path, data={"password": STRONG, "again": STRONG})
    assert done.status_code == 302 and done.headers["Location"].endswith("/dang-nhap")
    assert not signed_in(elsewhere)  # every session ended with the reset
    assert sign_in(app.test_client(), "vanphong").status_code == 200
    assert sign_in(app.test_client(), "vanphong", STRONG).status_code == 302
    again = client.get(path)
    assert again.status_code == 404 and "đã được dùng, đã hết hạn" in text(again)
    reused = client.post(path, data={"password": STRONGER, "again": STRONGER})
    assert reused.status_code == 404
    assert sign_in(app.test_client(), "vanphong", STRONGER).status_code == 200


def test_an_expired_reset_link_is_refused(app, client, session, world, smtp):
    client.post("/quen-mat-khau", data={"name": world.office.email})  # by e-mail address
    (message,) = wait_for_mails(smtp, 1)
    path = link_in(message)
    assert client.get(path).status_code == 200
    just_now = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(seconds=1)
    session.execute(update(PasswordToken).values(expires_at=just_now))
    session.commit()
    assert client.get(path).status_code == 404
    assert client.post(path, data={"password": STRONG, "again": STRONG}).status_code == 404


def test_an_unknown_name_gets_the_same_page_and_no_mail(app, client, world, smtp):
    unknown = client.post("/quen-mat-khau", data={"name": "khong-ai-ca"})
    nobody = client.post("/quen-mat-khau", data={"name": "ai@nowhere.vn"})
    known = client.post("/quen-mat-khau", data={"name": "lanhdao"})
    assert unknown.status_code == nobody.status_code == known.status_code == 200
    assert text(unknown) == text(known) == text(nobody)
    wait_for_mails(smtp, 1)
    time.sleep(0.3)  # a mail to a made-up name, were one sent, would have come by now
    assert [m["To"].addresses[0].addr_spec for m in smtp.messages] == [world.leader.email]


def test_the_answer_does_not_wait_for_the_mail_server(app, client, world, smtp):
    """A known name's answer takes as long as an unknown one's: the mail leaves from a thread,
    so a slow mail server shows nobody which names exist."""
    import threading

    smtp.stall_seconds = 3.0
    started = time.monotonic()
    known = client.post("/quen-mat-khau", data={"name": "lanhdao"})
    assert known.status_code == 200 and time.monotonic() - started < 1.5
    assert smtp.stalled.wait(5)  # the mail was on its way meanwhile
    for thread in threading.enumerate():
        if thread.name == "account-mail":
            thread.join(10)


def test_reset_requests_are_throttled_by_name_and_by_address(app, client, world, smtp):
    for _ in range(RESET_NAME_LIMIT):
        assert client.post("/quen-mat-khau", data={"name": "lanhdao"}).status_code == 200
    refused = client.post("/quen-mat-khau", data={"name": "LanhDao"})
    assert refused.status_code == 429 and "thử lại sau" in text(refused)
    wait_for_mails(smtp, RESET_NAME_LIMIT)
    time.sleep(0.3)
    assert len(smtp.messages) == RESET_NAME_LIMIT  # none for the refused request
    for number in range(RESET_ADDRESS_LIMIT - RESET_NAME_LIMIT):
        client.post("/quen-mat-khau", data={"name": f"ten-{number}"})
    assert client.post("/quen-mat-khau", data={"name": "vanphong"}).status_code == 429
    other_address = app.test_client()
    answer = other_address.post(
        "/quen-mat-khau", data={"name": "vanphong"}, environ_base={"REMOTE_ADDR": "10.0.0.9"}
    )
    assert answer.status_code == 200  # another address may ask for the same name
    assert len(wait_for_mails(smtp, RESET_NAME_LIMIT + 1)) == RESET_NAME_LIMIT + 1


# -- the administrator's invitation -----------------------------------------------------------


def new_user_form(**changes) -> dict:
    return {
        "username": "nguyen.an",
        "full_name": "Nguyễn Văn An",
        "email": "an@example.vn",
        "role": "office",
        "department": 0,
        "is_active": "y",
        "invite": "y",
        "password": "",
        **changes,
    }


def test_an_invited_user_sets_a_password_from_the_mail(app, client, session, world, smtp):
    login(client, world.admin)
    no_mail = client.post("/quan-tri/nguoi-dung/moi", data=new_user_form(email=""))
    assert no_mail.status_code == 200 and "Cần e-mail để gửi thư mời." in text(no_mail)
    assert client.post("/quan-tri/nguoi-dung/moi", data=new_user_form()).status_code == 302
    user = session.scalar(select(User).where(User.username == "nguyen.an"))
    assert user.password_hash == ""  # no password typed by anyone
    assert 'data-no-password="nguyen.an"' in text(client.get("/quan-tri/nguoi-dung"))
    (message,) = wait_for_mails(smtp, 1)
    assert message["To"].addresses[0].addr_spec == "an@example.vn"
    path = link_in(message)
    page = client.get(path)
    assert "Nguyễn Văn An" in text(page)
    weak = client.post(path, data={"password": "Nguyễn Văn An", "again": "Nguyễn Văn An"})
    assert WEAK_REASON in text(weak) and "nguyenvanan" in text(weak)  # the full name
    assert client.post(path, data={"password": STRONG, "again": STRONG}).status_code == 302
    assert sign_in(app.test_client(), "nguyen.an", STRONG).status_code == 302
    assert client.get(path).status_code == 404


def test_a_new_user_needs_an_invitation_or_a_strong_password(app, client, session, world):
    login(client, world.admin)
    neither = client.post("/quan-tri/nguoi-dung/moi", data=new_user_form(invite=""))
    assert "Gửi thư mời hoặc đặt mật khẩu" in text(neither)
    weak = client.post(
        "/quan-tri/nguoi-dung/moi", data=new_user_form(invite="", password="nguyen.an2024")
    )
    assert weak.status_code == 200 and WEAK_REASON in text(weak)
    assert session.scalar(select(User).where(User.username == "nguyen.an")) is None
    typed = client.post("/quan-tri/nguoi-dung/moi", data=new_user_form(invite="", password=STRONG))
    assert typed.status_code == 302
    assert sign_in(app.test_client(), "nguyen.an", STRONG).status_code == 302


# -- the command line -------------------------------------------------------------------------


def test_the_command_line_checks_strength_unless_told_not_to(app, session, world):
    def invoke(*args, stdin):
        return app.test_cli_runner().invoke(args=list(args), input=stdin)

    weak = invoke("users", "set-password", "vanphong", "--password-stdin", stdin="anhyeuem2024\n")
    assert weak.exit_code != 0 and "anhyeuem" in weak.output and WEAK_REASON in weak.output
    forced = invoke(
        "users", "set-password", "vanphong", "--password-stdin", "--allow-weak",
        stdin="anhyeuem2024\n",
    )  # fmt: skip
    assert forced.exit_code == 0, forced.output
    session.expire_all()
    assert world.office.check_password("anhyeuem2024")
