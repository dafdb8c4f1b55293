"""Offices: the installation administrator creates one with its first administrator, who runs
it alone; a username names one account in the whole installation; every command works within
one office (``--office``); the scheduler works for every office."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.exc import StatementError
from test_own_account import STRONG, link_in, sign_in, text, wait_for_mails

from app.core.office_scope import all_offices, use_office
from app.models import Department, Office, Task, User
from app.models.people import Role
from app.offices.registry import create_office
from conftest import login


def new_office_form(**changes) -> dict:
    return {
        "code": "XA-TT",
        "name": "Văn phòng HĐND và UBND phường Tam Thanh",
        "level": "commune",
        "parent": 0,
        "parent_unit": 0,
        "admin_username": "tamthanh.admin",
        "admin_full_name": "Lê Thị Thanh",
        "admin_email": "thanh@tamthanh.example.vn",
        **changes,
    }


def test_an_installation_admin_creates_an_office_whose_admin_runs_it_alone(
    app, client, session, world, smtp
):
    world.admin.installation_admin = True
    session.commit()
    login(client, world.admin)
    assert "Cơ quan theo dõi" in text(client.get("/quan-tri/nguoi-dung"))  # the tab
    taken = client.post(
        "/quan-tri/co-quan-theo-doi/moi", data=new_office_form(admin_username="vanphong")
    )
    assert "Tên đăng nhập đã có người dùng." in text(taken)
    bad_code = client.post("/quan-tri/co-quan-theo-doi/moi", data=new_office_form(code="xã tt"))
    assert "Mã cơ quan gồm chữ không dấu" in text(bad_code)
    response = client.post("/quan-tri/co-quan-theo-doi/moi", data=new_office_form())
    assert response.status_code == 302
    listed = text(client.get("/quan-tri/co-quan-theo-doi"))
    assert "XA-TT" in listed and "phường Tam Thanh" in listed
    renamed = {"name": "Văn phòng HĐND và UBND thành phố Lạng Sơn", "level": "district"}
    assert client.post("/quan-tri/co-quan-theo-doi/1", data=renamed).status_code == 302
    edit_page = text(client.get("/quan-tri/co-quan-theo-doi/1"))
    assert 'value="Văn phòng HĐND và UBND thành phố Lạng Sơn"' in edit_page
    assert '<option selected value="district">' in edit_page
    again = client.post(
        "/quan-tri/co-quan-theo-doi/moi", data=new_office_form(admin_username="other.admin")
    )
    assert "đã có" in text(again)  # the code

    (message,) = wait_for_mails(smtp, 1)
    assert message["To"].addresses[0].addr_spec == "thanh@tamthanh.example.vn"
    path = link_in(message)
    assert client.post(path, data={"password": STRONG, "again": STRONG}).status_code == 302
    theirs = app.test_client()
    assert sign_in(theirs, "tamthanh.admin", STRONG).status_code == 302
    # Their office is empty: none of the first office's tasks, units or users.
    tasks = text(theirs.get("/nhiem-vu"))
    assert world.tnmt_task.content not in tasks
    assert "Phòng Tài nguyên và Môi trường" not in text(theirs.get("/quan-tri/don-vi"))
    assert "vanphong" not in text(theirs.get("/quan-tri/nguoi-dung"))
    # … and not theirs to create offices.
    assert "Cơ quan theo dõi" not in text(theirs.get("/quan-tri/nguoi-dung"))
    assert theirs.get("/quan-tri/co-quan-theo-doi").status_code == 403
    # A unit of the same name as one of the first office's is theirs to create.
    form = {"name": "Phòng Tài nguyên và Môi trường", "short_name": "TNMT", "display_order": 1,
            "is_active": "y"}  # fmt: skip
    assert theirs.post("/quan-tri/don-vi/moi", data=form).status_code == 302
    office = session.scalar(select(Office).where(Office.code == "XA-TT"))
    with use_office(office.id):
        assert session.scalars(select(Department.name)).all() == [form["name"]]
    # A username of the first office cannot be given again in theirs.
    clash = theirs.post(
        "/quan-tri/nguoi-dung/moi",
        data={
            "username": "Admin",
            "full_name": "X",
            "email": "x@example.vn",
            "role": "office",
            "department": 0,
            "is_active": "y",
            "password": STRONG,
        },  # fmt: skip
    )
    assert clash.status_code == 200 and "Tên đăng nhập đã có người dùng." in text(clash)


def test_only_an_installation_admin_sees_the_offices(client, world):
    login(client, world.admin)  # an office's admin, not the installation's
    assert "Cơ quan theo dõi" not in text(client.get("/quan-tri/nguoi-dung"))
    assert client.get("/quan-tri/co-quan-theo-doi").status_code == 403
    assert client.get("/quan-tri/co-quan-theo-doi/1").status_code == 403
    assert client.post("/quan-tri/co-quan-theo-doi/moi", data=new_office_form()).status_code == 403


def second_office(session, factory) -> Office:
    office = create_office(session, "XA-B", "Văn phòng UBND xã B", "commune")
    with use_office(office.id):
        unit = factory.department("Phòng Kinh tế", 1)
        factory.task(unit, dt.date(2024, 11, 1), dt.date(2024, 12, 1), content="Việc của xã B")
        factory.user("b.vanphong", Role.OFFICE)
    session.commit()
    return office


def test_every_command_works_within_one_office(app, session, factory, world):
    runner = app.test_cli_runner()
    alone = runner.invoke(args=["report", "summary", "--as-of", "2026-12-01"])
    assert alone.exit_code == 0, alone.output
    second_office(session, factory)
    listed = runner.invoke(args=["offices", "list"])
    assert listed.exit_code == 0
    lines = listed.output.strip().splitlines()
    assert lines[0].startswith("VP\t") and "3 nhiệm vụ đang mở" in lines[0]
    assert lines[1].startswith("XA-B\tVăn phòng UBND xã B\tCấp xã\t-\t1 nhiệm vụ đang mở")
    several = runner.invoke(args=["report", "summary", "--as-of", "2024-12-16"])
    assert several.exit_code == 2
    assert "nhiều cơ quan theo dõi: chọn một bằng --office" in several.output
    theirs = runner.invoke(args=["report", "summary", "--as-of", "2024-12-16", "--office", "xa-b"])
    assert theirs.exit_code == 0, theirs.output
    assert "Phòng Kinh tế: 01 nội dung" in theirs.output
    ours = runner.invoke(args=["report", "summary", "--as-of", "2024-12-16", "--office", "VP"])
    assert "Phòng Kinh tế" not in ours.output
    unknown = runner.invoke(args=["report", "summary", "--office", "KHONG"])
    assert unknown.exit_code == 2 and "không có cơ quan mã “KHONG”" in unknown.output
    # A user created by command goes to the chosen office; the username stays unique.
    made = runner.invoke(
        args=[
            "users",
            "create",
            "b.moi",
            "--role",
            "office",
            "--office",
            "XA-B",
            "--password-stdin",
            "--allow-weak",
        ],  # fmt: skip
        input="matkhau-dai-12345\n",
    )
    assert made.exit_code == 0, made.output
    with all_offices():
        office_id = session.scalar(select(User.office_id).where(User.username == "b.moi"))
    assert office_id == session.scalar(select(Office.id).where(Office.code == "XA-B"))
    clash = runner.invoke(
        args=[
            "users",
            "create",
            "vanphong",
            "--role",
            "office",
            "--office",
            "XA-B",
            "--password-stdin",
            "--allow-weak",
        ],  # fmt: skip
        input="matkhau-dai-12345\n",
    )
    assert clash.exit_code != 0 and "đã có người dùng" in clash.output


def test_the_scheduler_works_for_every_office(app, session, factory, world):
    from app.scheduler.runner import tick, tick_by_office

    office = second_office(session, factory)
    done = tick(dt.datetime(2026, 12, 7, 8, 0))
    assert set(done) == {"VP", "XA-B"}
    office.ended_on = dt.date(2026, 12, 1)
    session.commit()
    assert "XA-B" not in tick(dt.datetime(2026, 12, 7, 8, 1))
    office.ended_on = None
    session.commit()
    with use_office(office.id):  # a command's --office: that office only
        assert set(tick_by_office(dt.datetime(2026, 12, 7, 8, 2))) == {"XA-B"}
    runner = app.test_cli_runner()
    every = runner.invoke(args=["reminders", "send-due", "--now", "2026-12-07T08:03"])
    assert every.exit_code == 0, every.output
    assert every.output.startswith("VP: Thư mới: ") and "\nXA-B: Thư mới: " in every.output
    one = runner.invoke(args=["reminders", "send-due", "--office", "XA-B"])
    assert one.exit_code == 0 and one.output.startswith("Thư mới: ")
    with use_office(office.id):
        assert session.scalar(select(Task.content)) == "Việc của xã B"


def test_each_office_keeps_its_own_settings_and_grades(session, factory, world):
    from app.core.settings import load_settings, save_settings
    from app.keytasks.grades import DEFAULT_GRADES, load_grades, save_grades

    office = second_office(session, factory)
    with use_office(office.id):
        save_settings(session, governing_body="UBND xã B", requests_by="department")
        save_grades(session, ["Tốt", "Đạt", "Không đạt"])
        session.commit()
    with use_office(office.id):
        assert load_settings(session).governing_body == "UBND xã B"
        assert load_settings(session).members_may_ask
        assert load_grades(session) == ["Tốt", "Đạt", "Không đạt"]
    with use_office(1):
        assert load_settings(session).governing_body == ""
        assert not load_settings(session).members_may_ask
        assert load_grades(session) == list(DEFAULT_GRADES)


def test_a_row_flushed_while_reading_across_offices_stays_in_its_office(session, factory, world):
    from app.core.office_scope import OfficeScopeError

    office = second_office(session, factory)
    with use_office(office.id):
        session.add(Department(name="Phòng Văn hóa - Xã hội"))
        with all_offices():  # the autoflush writes the pending unit before reading
            assert session.scalar(select(Department.office_id).where(
                Department.name == "Phòng Văn hóa - Xã hội")) == office.id  # fmt: skip
    session.add(Department(name="Không thuộc cơ quan nào"))
    with all_offices(), pytest.raises(StatementError) as refused:
        session.flush()  # no office chosen outside: an error, never some office
    assert isinstance(refused.value.orig, OfficeScopeError)
    session.rollback()
