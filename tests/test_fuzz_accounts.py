"""Hostile input never makes a 500 on the forms people run their own accounts with: password
change, "forgot password", the set-your-password link, two-factor enrolment, new recovery
codes and switching off, the second sign-in step, reminder choices, the deputy, and the
admin's invitation — a malformed value in each field, as in ``test_fuzz.py``."""

from __future__ import annotations

import datetime as dt

import pytest
from test_fuzz import VALUES, Recorder, summary

from app.auth import tokens
from app.core.timeutil import utcnow
from conftest import PASSWORD, login

STRONG = "Đồi thông bốn mùa xanh 2031"


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    """Errors become the 500 page a user would get, to be counted, instead of raising."""
    app.config["PROPAGATE_EXCEPTIONS"] = False


def account_cases(world, link: str) -> list[tuple[str, dict, str | None]]:
    """(url, a body valid but for the field fuzzed, who is signed in — None: nobody)."""
    today = dt.date.today()
    head, member = world.tnmt_head, world.tnmt_member
    return [
        ("/tai-khoan/doi-mat-khau",
         {"current": PASSWORD, "password": STRONG, "again": STRONG}, "tnmt_member"),
        ("/quen-mat-khau", {"name": member.username}, None),
        (f"/dat-mat-khau/{link}", {"password": STRONG, "again": STRONG}, None),
        ("/dat-mat-khau/khong-phai-token", {"password": STRONG, "again": STRONG}, None),
        ("/tai-khoan/xac-thuc-hai-buoc", {"enrol-code": "123456"}, "office"),
        ("/tai-khoan/xac-thuc-hai-buoc/ma-du-phong", {"codes-code": "123456"}, "office"),
        ("/tai-khoan/xac-thuc-hai-buoc/tat",
         {"off-password": PASSWORD, "off-code": "123456"}, "office"),
        ("/dang-nhap/ma-xac-thuc", {"code": "123456"}, None),
        ("/tai-khoan/thu-nhac-viec", {"kind": "digest"}, "tnmt_member"),
        ("/tai-khoan/nguoi-nhan-thay",
         {"deputy": str(member.id), "starts_on": today.strftime("%d/%m/%Y"),
          "ends_on": (today + dt.timedelta(days=5)).strftime("%d/%m/%Y")}, "tnmt_head"),
        (f"/quan-tri/nguoi-dung/{head.id}/bo-nguoi-nhan-thay", {"x": "1"}, "admin"),
        ("/quan-tri/nguoi-dung/moi",
         {"username": "moi.cv", "full_name": "Người mới", "email": "moi@example.vn",
          "role": "department_member", "department": str(world.tnmt.id), "is_active": "y",
          "invite": "y", "password": ""}, "admin"),
        (f"/quan-tri/nguoi-dung/{member.id}/tat-xac-thuc-hai-buoc", {"x": "1"}, "admin"),
    ]  # fmt: skip


def test_no_account_form_field_answers_500(app, world, session):
    link = tokens.issue(session, world.vhtt_head, "reset", utcnow())
    session.commit()
    recorder = Recorder()
    for url, body, who in account_cases(world, link):
        for field in list(body):
            for value in [*VALUES, "-5", "1.5", "0x10"]:
                client = app.test_client()
                if who:
                    login(client, getattr(world, who))
                recorder.check(
                    client.post(url, data={**body, field: value}),
                    f"POST {url} {field}={value[:20]!r}",
                )
                session.rollback()
    print(f"{recorder.sent} account form posts")
    assert recorder.sent > 400
    assert recorder.errors == [], f"{len(recorder.errors)} of {recorder.sent}: " + summary(recorder)
