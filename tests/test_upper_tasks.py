"""Two levels: a province task given to a commune's People's Committee reaches that commune's
office (intake, take-in with the document and files, split among its divisions), the province
reads the commune's work on its task, requests go up to the province's queue and its
decisions come back down; a task given to a Sở that uses no product stays an ordinary task."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from upper_levels import DOCX, PDF, Levels

from app.core.attachments import attachment_path
from app.core.deadlines import WorkCalendar
from app.core.office_scope import all_offices, use_office
from app.models import Attachment, Department, Document, Event, Extension, Issuer, Office, Task
from app.models import User as UserModel
from app.models.documents import TaskState
from app.models.history import EventKind, ExtensionStatus
from app.offices import sides, sub_tasks, upper_tasks
from app.offices.upper_flow import UpperTaskError
from app.reminders.decide import decide_kind
from app.reminders.delivery import send_pending
from app.reminders.schedule import load_schedules
from app.scheduler.runner import local_now
from app.tasks import workflow
from app.tasks.office_queue import count_waiting, recent_decisions, waiting_for_office


@pytest.fixture
def levels(session, factory) -> Levels:
    return Levels(session, factory)


def office(session, office_id: int) -> Office:
    return session.get(Office, office_id)


def user(session, username: str) -> UserModel:
    session.flush()  # what is pending belongs to the current office
    with all_offices():
        return session.scalar(select(UserModel).where(UserModel.username == username))


def task(session, task_id: int) -> Task:
    return session.scalar(select(Task).where(Task.id == task_id))


def unit(session, unit_id: int) -> Department:
    return session.scalar(select(Department).where(Department.id == unit_id))


def take_in(session, levels: Levels) -> int:
    """Tân Đoàn's office takes the province task in, led by its Phòng Kinh tế."""
    with use_office(levels.tan_doan_id):
        taken = upper_tasks.take_in(
            session, office(session, levels.tan_doan_id), levels.ids["task"],
            unit(session, levels.ids["kinh_te"]), user(session, "td.vanphong"), levels.today,
        )  # fmt: skip
        session.commit()
        return taken.id


def test_the_intake_lists_the_open_tasks_given_to_that_commune_only(session, levels):
    with use_office(levels.tan_doan_id):
        tan_doan = office(session, levels.tan_doan_id)
        items = upper_tasks.intake(session, tan_doan)
        assert [i.id for i in items] == [levels.ids["task"]]  # not Hồng Phong's, the Sở's, closed
        item = items[0]
        assert (item.number, item.issuer, item.issued_on) == (
            "145/TB-UBND", "UBND tỉnh Lạng Sơn", levels.issued,
        )  # fmt: skip
        assert item.summary == "Kết luận về chuyển đổi số cấp xã"
        assert item.content == "Hoàn thành số hóa hồ sơ hộ tịch của xã"
        assert item.deadline == levels.deadline
        assert sorted(f.filename for f in item.files) == ["145-TB-UBND.pdf", "phu-luc.docx"]
        assert upper_tasks.count_intake(session, tan_doan) == 1
        # Read across offices, yet nothing of the province stays in the session.
        assert all(getattr(o, "office_id", levels.tan_doan_id) == levels.tan_doan_id
                   for o in session.identity_map.values())  # fmt: skip
    with use_office(levels.hong_phong_id):
        hong_phong = office(session, levels.hong_phong_id)
        assert [i.id for i in upper_tasks.intake(session, hong_phong)] == [
            levels.ids["hong_phong_task"]
        ]
        assert [f.filename for f in upper_tasks.intake(session, hong_phong)[0].files] == [
            "145-TB-UBND.pdf"  # the document's file; the task file is Tân Đoàn's task's only
        ]
    with use_office(levels.province_id):  # the province has no office above: no intake
        assert upper_tasks.intake(session, office(session, levels.province_id)) == []


def test_a_commune_downloads_only_the_files_of_tasks_given_to_it(session, levels):
    with use_office(levels.tan_doan_id):
        tan_doan = office(session, levels.tan_doan_id)
        for key in ("document_file", "task_file"):
            assert upper_tasks.given_file(session, tan_doan, levels.ids[key]) is not None
    with use_office(levels.hong_phong_id):
        hong_phong = office(session, levels.hong_phong_id)
        assert upper_tasks.given_file(session, hong_phong, levels.ids["document_file"])
        assert upper_tasks.given_file(session, hong_phong, levels.ids["task_file"]) is None
        assert upper_tasks.given_task(session, hong_phong, levels.ids["task"]) is None
        with pytest.raises(UpperTaskError):
            upper_tasks.take_in(
                session, hong_phong, levels.ids["task"], unit(session, levels.hp_unit.id),
                user(session, "hp.vanphong"), levels.today,
            )  # fmt: skip
        session.rollback()


def test_taking_in_copies_the_document_and_files_links_the_task_and_records_it_twice(
    session, levels
):
    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        taken = task(session, taken_id)
        assert taken.office_id == levels.tan_doan_id and taken.upper_task_id == levels.ids["task"]
        assert taken.lead_department_id == levels.ids["kinh_te"]
        assert (taken.content, taken.deadline) == (
            "Hoàn thành số hóa hồ sơ hộ tịch của xã", levels.deadline,
        )  # fmt: skip
        document = taken.document
        assert document.office_id == levels.tan_doan_id != levels.ids["document"]
        assert (document.number, document.issued_on, document.summary, document.signer) == (
            "145/TB-UBND", levels.issued, "Kết luận về chuyển đổi số cấp xã", "Đoàn Thu Hà",
        )  # fmt: skip
        assert document.issuer.name == "UBND tỉnh Lạng Sơn"
        assert document.issuer.office_id == levels.tan_doan_id
        files = session.scalars(select(Attachment).order_by(Attachment.id)).all()
        assert [(f.filename, f.document_id, f.task_id) for f in files] == [
            ("145-TB-UBND.pdf", document.id, None), ("phu-luc.docx", None, taken_id),
        ]  # fmt: skip
        assert [attachment_path(f).read_bytes() for f in files] == [PDF, DOCX]
        with all_offices():
            sources = session.scalars(
                select(Attachment.stored_name).where(Attachment.office_id == levels.province_id)
            ).all()
        assert not {f.stored_name for f in files} & set(sources)  # new files, not shared
        kinds = session.scalars(select(Event.kind).where(Event.task_id == taken_id)).all()
        assert kinds == [EventKind.CREATED, EventKind.TAKEN_IN]
        assert upper_tasks.intake(session, office(session, levels.tan_doan_id)) == []
        with pytest.raises(UpperTaskError, match="đã được tiếp nhận"):
            upper_tasks.take_in(
                session, office(session, levels.tan_doan_id), levels.ids["task"],
                unit(session, levels.ids["van_hoa"]), user(session, "td.vanphong"), levels.today,
            )  # fmt: skip
        session.rollback()
        assert session.scalar(select(Task.id).where(Task.id != taken_id)) is None
    with use_office(levels.province_id):
        said = session.scalars(
            select(Event).where(Event.task_id == levels.ids["task"]).order_by(Event.id)
        ).all()
        assert [e.kind for e in said] == [EventKind.CREATED, EventKind.TAKEN_IN_BELOW]
        assert said[-1].user_id is None
        assert "Văn phòng HĐND và UBND xã Tân Đoàn (Td.Vanphong)" in said[-1].comment
        assert "Phòng Kinh tế" in said[-1].comment


def test_a_second_task_of_the_same_document_shares_the_copy(session, levels, factory):
    take_in(session, levels)
    with use_office(levels.province_id):
        document = session.get(Document, levels.ids["document"])
        second = factory.task(session.get(Department, levels.ids["tan_doan_unit"]),
                              levels.issued, None, document=document,
                              content="Báo cáo kết quả hằng quý")  # fmt: skip
        session.commit()
        second_id = second.id
    with use_office(levels.tan_doan_id):
        again = upper_tasks.take_in(
            session, office(session, levels.tan_doan_id), second_id,
            unit(session, levels.ids["van_hoa"]), user(session, "td.vanphong"), levels.today,
        )  # fmt: skip
        session.commit()
        assert again.deadline is None and again.deadline_kind == "none"
        assert len(session.scalars(select(Document)).all()) == 1
        assert len(session.scalars(select(Issuer)).all()) == 1
        assert len(session.scalars(select(Attachment)).all()) == 2  # the PDF once


def test_a_taken_in_task_is_split_with_deadlines_no_later_than_its_own(session, levels):
    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        parent = task(session, taken_id)
        by = user(session, "td.vanphong")
        with pytest.raises(UpperTaskError, match="không được sau thời hạn") as late:
            sub_tasks.add_sub_task(
                session, parent, content="Quét hồ sơ", lead=unit(session, levels.ids["van_hoa"]),
                deadline=levels.deadline + dt.timedelta(days=1), by=by, today=levels.today,
            )  # fmt: skip
        assert late.value.field == "deadline"
        session.rollback()
        parent = task(session, taken_id)
        for key, content, days in (("kinh_te", "Quét hồ sơ 2010–2020", 10),
                                   ("van_hoa", "Nhập dữ liệu vào phần mềm", 30)):  # fmt: skip
            sub_tasks.add_sub_task(
                session, parent, content=content, lead=unit(session, levels.ids[key]),
                deadline=levels.today + dt.timedelta(days=days), by=by, today=levels.today,
            )  # fmt: skip
        session.commit()
        parts = sub_tasks.sub_tasks(session, task(session, taken_id))
        assert [(p.content, p.lead_department_id, p.parent_task_id) for p in parts] == [
            ("Quét hồ sơ 2010–2020", levels.ids["kinh_te"], taken_id),
            ("Nhập dữ liệu vào phần mềm", levels.ids["van_hoa"], taken_id),
        ]
        assert parts[1].deadline == levels.deadline  # the same day is allowed
        kinds = session.scalars(select(Event.kind).where(Event.task_id == taken_id)).all()
        assert kinds.count(EventKind.SUB_TASK) == 2
        with pytest.raises(UpperTaskError, match="Chỉ chia"):
            sub_tasks.add_sub_task(
                session, parts[0], content="x", lead=unit(session, levels.ids["kinh_te"]),
                deadline=levels.today, by=by, today=levels.today,
            )  # fmt: skip


def test_the_province_reads_the_communes_work_on_its_task(session, levels):
    with use_office(levels.province_id):
        before = sides.lower_work(session, task(session, levels.ids["task"]))
        assert before.office == "Văn phòng HĐND và UBND xã Tân Đoàn" and not before.taken
        assert sides.lower_work(session, task(session, levels.ids["so_task"])) is None
    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        parent = task(session, taken_id)
        by, head = user(session, "td.vanphong"), user(session, "td.kt.truong")
        part = sub_tasks.add_sub_task(
            session, parent, content="Quét hồ sơ", lead=unit(session, levels.ids["kinh_te"]),
            deadline=levels.today + dt.timedelta(days=5), by=by, today=levels.today,
        )  # fmt: skip
        workflow.report_progress(session, part, head, "Đã quét 1.200 hồ sơ", levels.today)
        workflow.report_progress(session, parent, head, "Đang triển khai", levels.today)
        session.commit()
        link = sides.upper_link(session, task(session, taken_id))
        assert (link.office, link.state_label) == ("Văn phòng UBND tỉnh", "Chưa thực hiện")
    with use_office(levels.province_id):
        work = sides.lower_work(session, task(session, levels.ids["task"]))
        assert work.taken and work.lead == "Phòng Kinh tế" and work.state_label == "Đang thực hiện"
        assert [r.content for r in work.reports] == ["Đang triển khai"]
        [seen] = work.parts
        assert (seen.content, seen.lead, seen.state_label) == (
            "Quét hồ sơ", "Phòng Kinh tế", "Đang thực hiện",
        )  # fmt: skip
        assert seen.last_progress.content == "Đã quét 1.200 hồ sơ"
        assert all(getattr(o, "office_id", levels.province_id) == levels.province_id
                   for o in session.identity_map.values())  # fmt: skip


def queue_keys(session, office_id: int) -> list[tuple[str, int]]:
    with use_office(office_id):
        return [(w.kind, w.task.id) for w in waiting_for_office(session)]


def test_completion_goes_up_to_the_provinces_queue_and_its_confirmation_comes_down(session, levels):
    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        workflow.request_completion(
            session, task(session, taken_id), user(session, "td.vanphong"), levels.today,
            "Đã số hóa 5.000 hồ sơ",
        )  # fmt: skip
        session.commit()
        assert count_waiting(session) == 0  # waits for the province, not the commune's office
        with pytest.raises(workflow.WorkflowError, match="cấp trên"):
            workflow.confirm_completion(
                session, task(session, taken_id), user(session, "td.vanphong"), levels.today,
                levels.today,
            )  # fmt: skip
        session.rollback()
    assert queue_keys(session, levels.tan_doan_id) == []
    assert queue_keys(session, levels.province_id) == [("completion", levels.ids["task"])]
    with use_office(levels.province_id):
        asked = session.scalars(
            select(Event).where(Event.task_id == levels.ids["task"]).order_by(Event.id.desc())
        ).first()
        assert asked.office_id == levels.province_id and asked.user_id is None
        assert asked.state == TaskState.AWAITING_CONFIRMATION
        assert asked.comment == (
            "Văn phòng HĐND và UBND xã Tân Đoàn (Td.Vanphong): Đã số hóa 5.000 hồ sơ"
        )
        assert count_waiting(session) == 1
        done_on = levels.today - dt.timedelta(days=1)
        workflow.confirm_completion(
            session, task(session, levels.ids["task"]), user(session, "tinh.vanphong"), done_on,
            levels.today,
        )  # fmt: skip
        session.commit()
    with use_office(levels.tan_doan_id):
        taken = task(session, taken_id)
        assert (taken.state, taken.done_on) == (TaskState.DONE, done_on)
        last = session.scalars(
            select(Event).where(Event.task_id == taken_id).order_by(Event.id.desc())
        ).first()
        assert last.office_id == levels.tan_doan_id and last.user_id is None
        assert last.comment == "Văn phòng UBND tỉnh (Tinh.Vanphong)"
        since = dt.datetime.now(dt.UTC).replace(tzinfo=None) - dt.timedelta(hours=1)
        [decision] = recent_decisions(session, since)
        assert decision.task.id == taken_id and decision.title.startswith("Xác nhận hoàn thành")


def test_a_sent_back_request_and_extension_decisions_come_down(session, levels):
    taken_id = take_in(session, levels)
    later, other = levels.deadline + dt.timedelta(days=20), levels.deadline + dt.timedelta(days=15)
    with use_office(levels.tan_doan_id):
        workflow.request_completion(
            session, task(session, taken_id), user(session, "td.kt.truong"), levels.today
        )
        workflow.request_extension(
            session, task(session, taken_id), user(session, "td.vanphong"), later,
            "Chờ kinh phí", levels.today,
        )  # fmt: skip
        session.commit()
    with use_office(levels.province_id):
        province = user(session, "tinh.vanphong")
        assert count_waiting(session) == 2
        workflow.send_back(
            session, task(session, levels.ids["task"]), province, "Thiếu biên bản", levels.today
        )
        [extension] = session.scalars(select(Extension)).all()
        assert extension.requested_by_id is None and "Chờ kinh phí" in extension.reason
        workflow.decide_extension(session, extension, province, True, "Đồng ý", levels.today,
                                  other)  # fmt: skip
        session.commit()
    with use_office(levels.tan_doan_id):
        taken = task(session, taken_id)
        assert (taken.state, taken.deadline) == (TaskState.IN_PROGRESS, other)
        [mine] = session.scalars(select(Extension)).all()
        assert (mine.status, mine.approved_deadline) == (ExtensionStatus.APPROVED, other)
        assert mine.decision_note == "Văn phòng UBND tỉnh (Tinh.Vanphong): Đồng ý"
        comments = session.scalars(
            select(Event.comment).where(Event.task_id == taken_id).order_by(Event.id)
        ).all()
        assert "Trả lại: Văn phòng UBND tỉnh (Tinh.Vanphong): Thiếu biên bản" in comments
        # A second request, refused above: refused here with the province's words.
        workflow.request_extension(
            session, task(session, taken_id), user(session, "td.vanphong"),
            other + dt.timedelta(days=10), "Lần hai", levels.today,
        )  # fmt: skip
        session.commit()
    with use_office(levels.province_id):
        pending = session.scalar(select(Extension).where(Extension.status == "pending"))
        workflow.decide_extension(session, pending, user(session, "tinh.vanphong"), False,
                                  "Không có căn cứ", levels.today)  # fmt: skip
        session.commit()
    with use_office(levels.tan_doan_id):
        statuses = session.scalars(select(Extension.status).order_by(Extension.id)).all()
        assert statuses == [ExtensionStatus.APPROVED, ExtensionStatus.REFUSED]
        assert task(session, taken_id).deadline == other


def test_a_request_the_province_cannot_take_is_refused_below_and_nothing_is_saved(session, levels):
    taken_id = take_in(session, levels)
    with use_office(levels.province_id):
        workflow.cancel_task(session, task(session, levels.ids["task"]),
                             user(session, "tinh.vanphong"), "Không còn phù hợp",
                             levels.today)  # fmt: skip
        session.commit()
    with use_office(levels.tan_doan_id):
        taken = task(session, taken_id)  # the cancellation came down
        assert taken.state == TaskState.CANCELLED
        assert taken.cancel_reason == "Văn phòng UBND tỉnh (Tinh.Vanphong): Không còn phù hợp"


def test_a_request_on_a_task_the_province_closed_meanwhile_is_refused(session, levels):
    taken_id = take_in(session, levels)
    with use_office(levels.province_id):  # done above without the commune's copy knowing
        upper = task(session, levels.ids["task"])
        upper.state = TaskState.DONE
        session.commit()
    with use_office(levels.tan_doan_id):
        with pytest.raises(workflow.WorkflowError, match="Văn phòng cấp trên chưa nhận"):
            workflow.request_completion(
                session, task(session, taken_id), user(session, "td.vanphong"), levels.today
            )
        session.rollback()
        assert task(session, taken_id).state == TaskState.OPEN


def test_a_task_given_to_a_department_without_the_product_stays_ordinary(session, levels):
    with use_office(levels.province_id):
        so_task = task(session, levels.ids["so_task"])
        head = UserModel(username="so.truong", full_name="Sở", role="department_head",
                         department_id=levels.ids["so"], email="so@example.vn")  # fmt: skip
        session.add(head)
        session.flush()
        workflow.request_completion(session, so_task, head, levels.today)
        workflow.confirm_completion(
            session, so_task, user(session, "tinh.vanphong"), levels.today, levels.today
        )
        session.commit()
        assert task(session, levels.ids["so_task"]).state == TaskState.DONE
    with all_offices():
        assert session.scalar(
            select(Task.id).where(Task.upper_task_id == levels.ids["so_task"])
        ) is None  # fmt: skip


def remind(session, office_id: int, kind: str, today: dt.date) -> int:
    """The scheduler's decision for one kind in one office, now, then delivery."""
    with use_office(office_id):
        schedule = next(s for s in load_schedules(session) if s.kind == kind)
        created = decide_kind(session, schedule, today, WorkCalendar(), local_now())
        session.commit()
        send_pending(session)
        session.commit()
        return created


def test_the_mails_go_to_the_provinces_office_then_the_communes_lead_head(session, levels, smtp):
    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        workflow.request_completion(
            session, task(session, taken_id), user(session, "td.vanphong"), levels.today, "Xong"
        )
        session.commit()
    assert remind(session, levels.tan_doan_id, "office_requests", levels.today) == 0
    assert remind(session, levels.province_id, "office_requests", levels.today) == 1
    [told] = smtp.messages
    assert [a.addr_spec for a in told["To"].addresses] == ["tinh.vanphong@example.vn"]
    text = told.get_body(("plain",)).get_content()
    assert "Hoàn thành số hóa hồ sơ hộ tịch của xã" in text and "UBND xã Tân Đoàn" in text
    assert "Văn phòng HĐND và UBND xã Tân Đoàn (Td.Vanphong): Xong" in text
    with use_office(levels.province_id):
        workflow.confirm_completion(
            session, task(session, levels.ids["task"]), user(session, "tinh.vanphong"),
            levels.today, levels.today,
        )  # fmt: skip
        session.commit()
    assert remind(session, levels.province_id, "decisions", levels.today) == 0  # no head there
    assert remind(session, levels.tan_doan_id, "decisions", levels.today) == 1
    decided = smtp.messages[1]
    assert [a.addr_spec for a in decided["To"].addresses] == ["td.kt.truong@example.vn"]
    assert "Xác nhận hoàn thành" in decided.get_body(("plain",)).get_content()


def test_the_database_refuses_a_second_take_in_made_at_the_same_moment(session, levels):
    """Two office users taking the same task in at once: the check in ``take_in`` passes for
    both, the unique key (office, task taken in) keeps one."""
    from sqlalchemy.exc import IntegrityError

    from app.tasks.changes import add_task

    taken_id = take_in(session, levels)
    with use_office(levels.tan_doan_id):
        first = task(session, taken_id)
        twin = add_task(session, first.document, content="x", lead=first.lead_department)
        twin.upper_task_id = levels.ids["task"]
        with pytest.raises(IntegrityError):
            session.flush()
        session.rollback()
