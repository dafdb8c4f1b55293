"""The pages of two levels: the commune office's intake (menu count, files, take-in), the split
page, the task pages on each side, and who may do what; another commune reads nothing of a
task not given to it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from upper_levels import PDF, Levels

from app.core.office_scope import use_office
from app.models import Task
from conftest import login


@pytest.fixture
def levels(session, factory) -> Levels:
    levels = Levels(session, factory)
    session.expunge_all()  # a request starts with nothing loaded, as in production
    return levels


class As:
    def __init__(self, username: str) -> None:
        self.username = username


def taken_in(client, levels: Levels, unit: str = "kinh_te"):
    task_id = levels.ids["task"]
    return client.post(
        f"/nhiem-vu-cap-tren-giao/{task_id}/tiep-nhan", data={f"t{task_id}-lead": levels.ids[unit]}
    )


def test_the_commune_office_finds_the_task_in_its_intake_and_takes_it_in(client, levels):
    login(client, As("td.vanphong"))
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'id="upper-intake-count">1<', home)
    page = client.get("/nhiem-vu-cap-tren-giao").get_data(as_text=True)
    shown = ("Hoàn thành số hóa hồ sơ hộ tịch của xã", "145/TB-UBND", "UBND tỉnh Lạng Sơn",
             "Kết luận về chuyển đổi số cấp xã", "145-TB-UBND.pdf", "phu-luc.docx")  # fmt: skip
    for text in shown:
        assert text in page
    assert "Rà soát hộ nghèo" not in page and "Bố trí kinh phí" not in page
    assert 'name="idempotency_key"' in page
    file = client.get(f"/nhiem-vu-cap-tren-giao/tep/{levels.ids['document_file']}")
    assert file.status_code == 200 and file.data == PDF
    file.close()
    answer = taken_in(client, levels)
    assert answer.status_code == 302
    task_page = client.get(answer.headers["Location"])
    text = task_page.get_data(as_text=True)
    assert "Đã tiếp nhận nhiệm vụ" in text and 'id="upper-task"' in text
    assert 'id="split-link"' in text and 'id="office-actions"' not in text
    assert "Đề nghị xác nhận hoàn thành" in text  # the office asks the province
    home = client.get("/").get_data(as_text=True)
    assert 'id="upper-intake-count"' not in home and 'id="nav-upper-intake"' in home
    again = taken_in(client, levels, "van_hoa")
    assert again.status_code == 302 and again.headers["Location"].endswith(
        "/nhiem-vu-cap-tren-giao"
    )
    assert "đã được tiếp nhận" in client.get("/nhiem-vu-cap-tren-giao").get_data(as_text=True)
    with use_office(levels.tan_doan_id):
        from app.extensions import db

        assert len(db.session.scalars(select(Task)).all()) == 1


def test_the_split_page_refuses_a_deadline_after_the_tasks(client, levels):
    login(client, As("td.vanphong"))
    task_url = taken_in(client, levels).headers["Location"]
    task_id = int(task_url.rsplit("/", 1)[1])
    late = levels.deadline + dt.timedelta(days=3)
    answer = client.post(f"/nhiem-vu/{task_id}/chia-viec", data={
        "content": "Quét hồ sơ", "lead": levels.ids["van_hoa"], "deadline": f"{late:%d/%m/%Y}",
    })  # fmt: skip
    assert answer.status_code == 400
    page = answer.get_data(as_text=True)
    assert "Thời hạn phần việc không được sau thời hạn của nhiệm vụ" in page
    assert 'id="error-summary"' in page
    answer = client.post(f"/nhiem-vu/{task_id}/chia-viec", data={
        "content": "Quét hồ sơ", "lead": levels.ids["van_hoa"],
        "deadline": f"{levels.deadline:%d/%m/%Y}",
    })  # fmt: skip
    assert answer.status_code == 302
    page = client.get(f"/nhiem-vu/{task_id}/chia-viec").get_data(as_text=True)
    assert "Đã giao phần việc" in page and "Quét hồ sơ" in page
    assert "Phòng Văn hóa – Xã hội" in page.split('id="sub-tasks"')[1]


@pytest.mark.parametrize("who", ["td.kt.truong", "tinh.vanphong"])
def test_only_the_communes_office_takes_in_and_splits(client, levels, who):
    login(client, As("td.vanphong"))
    task_id = int(taken_in(client, levels).headers["Location"].rsplit("/", 1)[1])
    login(client, As(who))
    home = client.get("/").get_data(as_text=True)
    assert 'id="nav-upper-intake"' not in home
    if who == "td.kt.truong":
        assert client.get("/nhiem-vu-cap-tren-giao").status_code == 403
        assert taken_in(client, levels).status_code == 403
        assert client.get(f"/nhiem-vu/{task_id}/chia-viec").status_code == 403
    else:  # the province's office: not its task, no office above
        assert client.get(f"/nhiem-vu/{task_id}/chia-viec").status_code == 404
        assert taken_in(client, levels).status_code == 404
        assert "Hoàn thành số hóa" not in client.get("/nhiem-vu-cap-tren-giao").get_data(
            as_text=True
        )


def test_another_commune_reads_nothing_of_a_task_not_given_to_it(client, levels):
    login(client, As("hp.vanphong"))
    page = client.get("/nhiem-vu-cap-tren-giao").get_data(as_text=True)
    assert "Rà soát hộ nghèo xã Hồng Phong" in page  # its own
    assert "Hoàn thành số hóa hồ sơ hộ tịch" not in page and "phu-luc.docx" not in page
    refused = client.get(f"/nhiem-vu-cap-tren-giao/tep/{levels.ids['task_file']}")
    assert refused.status_code == 404
    refused.close()
    assert taken_in(client, levels).status_code == 404
    assert client.get(f"/nhiem-vu/{levels.ids['task']}").status_code == 404


def test_the_province_sees_the_communes_work_on_its_task_read_only(client, levels):
    login(client, As("tinh.vanphong"))
    page = client.get(f"/nhiem-vu/{levels.ids['task']}").get_data(as_text=True)
    assert "Xã/phường thực hiện" in page and "Chưa tiếp nhận." in page
    so_page = client.get(f"/nhiem-vu/{levels.ids['so_task']}").get_data(as_text=True)
    assert 'id="lower-work"' not in so_page  # a Sở without the product: an ordinary task
    login(client, As("td.vanphong"))
    task_id = int(taken_in(client, levels).headers["Location"].rsplit("/", 1)[1])
    client.post(f"/nhiem-vu/{task_id}/chia-viec", data={
        "content": "Quét hồ sơ 2010–2020", "lead": levels.ids["kinh_te"],
        "deadline": f"{levels.today:%d/%m/%Y}",
    })  # fmt: skip
    login(client, As("td.kt.truong"))
    with use_office(levels.tan_doan_id):
        from app.extensions import db

        part_id, version = db.session.execute(
            select(Task.id, Task.version).where(Task.parent_task_id == task_id)
        ).one()
        db.session.remove()
    answer = client.post(f"/nhiem-vu/{part_id}/tien-do", data={
        "content": "Đã quét 1.200 hồ sơ", "version": str(version), "last_event": "0",
    })  # fmt: skip
    assert answer.status_code == 302
    login(client, As("tinh.vanphong"))
    page = client.get(f"/nhiem-vu/{levels.ids['task']}").get_data(as_text=True)
    section = page.split('id="lower-work"')[1].split('id="history"')[0]
    assert "Văn phòng HĐND và UBND xã Tân Đoàn" in section and "Phòng Kinh tế" in section
    assert "Quét hồ sơ 2010–2020" in section and "Đã quét 1.200 hồ sơ" in section
    assert f"/nhiem-vu/{task_id}" not in page and f"/nhiem-vu/{part_id}" not in page


def test_the_pages_speak_english_too(client, levels):
    login(client, As("td.vanphong"))
    client.get("/ngon-ngu/en")
    page = client.get("/nhiem-vu-cap-tren-giao").get_data(as_text=True)
    assert "Tasks from the office above" in page and ">Take in<" in page
    assert "From above" in page and "Nhiệm vụ cấp trên giao" not in page
    task_id = int(taken_in(client, levels).headers["Location"].rsplit("/", 1)[1])
    split = client.get(f"/nhiem-vu/{task_id}/chia-viec").get_data(as_text=True)
    assert "Split among the units" in split and "Assign the part" in split
    login(client, As("tinh.vanphong"))
    client.get("/ngon-ngu/en")
    page = client.get(f"/nhiem-vu/{levels.ids['task']}").get_data(as_text=True)
    assert "Commune/ward at work" in page and "Taken in as NV-" in page
