"""A province office and two communes' offices under it, for the two-level tests.

The province (office 1) has a department that uses no product (Sở Tài chính) and two units
standing for the communes' People's Committees; each commune office has two divisions, an
office user and a head per division. The province has given Tân Đoàn one task (with a document
PDF and a task file), Hồng Phong one, the Sở one, and Tân Đoàn a second task of another
document that is already closed.
"""

from __future__ import annotations

import datetime as dt
import io

from werkzeug.datastructures import FileStorage

from app.core.attachments import save_upload
from app.core.office_scope import use_office
from app.core.timeutil import local_today
from app.models import Office
from app.models.documents import TaskState
from app.models.people import Role
from app.offices.registry import create_office
from app.tasks.changes import change_state

PDF = b"%PDF-1.4 cong van cua tinh\n"
DOCX = b"PK\x03\x04 phu luc"


class Levels:
    def __init__(self, session, factory) -> None:
        today = local_today()
        self.today = today
        province = session.get(Office, 1)
        province.code, province.name, province.level = "TINH", "Văn phòng UBND tỉnh", "province"
        province.settings = {"governing_body": "UBND tỉnh Lạng Sơn"}
        self.province_id = province.id
        self.so = factory.department("Sở Tài chính", 1)
        self.tan_doan_unit = factory.department("UBND xã Tân Đoàn", 2)
        self.hong_phong_unit = factory.department("UBND xã Hồng Phong", 3)
        self.p_office = factory.user("tinh.vanphong", Role.OFFICE)
        self.p_admin = factory.user("tinh.admin", Role.ADMIN)
        issuer = factory.issuer("UBND tỉnh Lạng Sơn", "UBND tỉnh")
        self.issued = today - dt.timedelta(days=20)
        self.deadline = today + dt.timedelta(days=30)
        document = factory.document(self.issued, issuer)
        document.number, document.summary = "145/TB-UBND", "Kết luận về chuyển đổi số cấp xã"
        document.signer = "Đoàn Thu Hà"
        self.task = factory.task(
            self.tan_doan_unit, self.issued, self.deadline, document=document,
            content="Hoàn thành số hóa hồ sơ hộ tịch của xã",
        )  # fmt: skip
        self.hong_phong_task = factory.task(
            self.hong_phong_unit, self.issued, self.deadline, document=document,
            content="Rà soát hộ nghèo xã Hồng Phong",
        )  # fmt: skip
        self.so_task = factory.task(
            self.so, self.issued, self.deadline, document=document,
            content="Bố trí kinh phí chuyển đổi số",
        )  # fmt: skip
        closed = factory.task(self.tan_doan_unit, self.issued, None, issuer=issuer,
                              content="Nhiệm vụ đã hủy")  # fmt: skip
        change_state(session, closed, TaskState.CANCELLED, effective_on=today, comment="Hủy")
        self.closed_task = closed
        self.document_file = save_upload(
            FileStorage(io.BytesIO(PDF), filename="145-TB-UBND.pdf"), self.p_office,
            document_id=document.id,
        )  # fmt: skip
        self.task_file = save_upload(
            FileStorage(io.BytesIO(DOCX), filename="phu-luc.docx"), self.p_office,
            task_id=self.task.id,
        )  # fmt: skip
        session.add_all([self.document_file, self.task_file])
        session.commit()
        self.ids = {
            "task": self.task.id, "hong_phong_task": self.hong_phong_task.id,
            "so_task": self.so_task.id, "closed": closed.id, "document": document.id,
            "document_file": self.document_file.id, "task_file": self.task_file.id,
            "tan_doan_unit": self.tan_doan_unit.id, "so": self.so.id, "issuer": issuer.id,
        }  # fmt: skip

        self.tan_doan = create_office(session, "XA-TD", "Văn phòng HĐND và UBND xã Tân Đoàn",
                                      "commune", province, self.tan_doan_unit)  # fmt: skip
        self.hong_phong = create_office(session, "XA-HP", "Văn phòng HĐND và UBND xã Hồng Phong",
                                        "commune", province, self.hong_phong_unit)  # fmt: skip
        session.commit()
        self.tan_doan_id, self.hong_phong_id = self.tan_doan.id, self.hong_phong.id
        with use_office(self.tan_doan_id):
            self.kinh_te = factory.department("Phòng Kinh tế", 1)
            self.van_hoa = factory.department("Phòng Văn hóa – Xã hội", 2)
            self.c_office = factory.user("td.vanphong", Role.OFFICE)
            self.kt_head = factory.user("td.kt.truong", Role.DEPARTMENT_HEAD, self.kinh_te)
            self.vh_head = factory.user("td.vh.truong", Role.DEPARTMENT_HEAD, self.van_hoa)
            session.commit()
            self.ids |= {"kinh_te": self.kinh_te.id, "van_hoa": self.van_hoa.id}
        with use_office(self.hong_phong_id):
            self.hp_unit = factory.department("Phòng Kinh tế", 1)
            self.hp_office = factory.user("hp.vanphong", Role.OFFICE)
            session.commit()
        for user in (self.p_office, self.p_admin, self.c_office, self.kt_head, self.vh_head,
                     self.hp_office):  # fmt: skip
            session.refresh(user)
        self.users = {
            u.username: u.id
            for u in (self.p_office, self.p_admin, self.c_office, self.kt_head, self.vh_head,
                      self.hp_office)
        }  # fmt: skip


def add_a_ward(session, today: dt.date, password: str, method: str) -> dict[str, list[str]]:
    """A ward's office under the demo's city office (the caller's office: ``use_office``),
    standing for a unit of it: two tasks given to it, one taken in and split. The pages it adds
    to an audit: the ward office user's intake, task taken in and split page; the city office's
    page of the task taken in (its "Xã/phường thực hiện" section)."""
    from sqlalchemy import select

    from app.models import Attachment, Department, Document, Issuer, User
    from app.offices.sub_tasks import add_sub_task
    from app.offices.upper_tasks import take_in
    from app.tasks.changes import add_task

    city = session.get(Office, 1)
    unit = Department(name="UBND phường Thử Nghiệm", display_order=99)
    issuer = session.scalar(select(Issuer).order_by(Issuer.id))
    document = Document(number="301/TB-UBND", issuer=issuer, issued_on=today - dt.timedelta(days=5),
                        summary="Kết luận về chỉnh trang đô thị phường Thử Nghiệm")  # fmt: skip
    session.add_all([unit, document])
    session.flush()
    given = [
        add_task(session, document, content=content, lead=unit, deadline=today + dt.timedelta(days))
        for content, days in (
            ("Chỉnh trang vỉa hè tuyến phố Lê Lợi", 30),
            ("Xử lý điểm tập kết rác tự phát", 20),
        )  # fmt: skip
    ]
    # A file of the document (its bytes are not needed: the intake lists it, a copy skips it).
    session.add(Attachment(document_id=document.id, filename="301-TB-UBND.pdf",
                           stored_name="a11y-301-tb-ubnd.pdf", content_type="application/pdf",
                           size=9))  # fmt: skip
    session.flush()  # create_office reads across offices: nothing may be pending then
    ward = create_office(session, "PH-TN", "Văn phòng HĐND và UBND phường Thử Nghiệm", "commune",
                         city, unit)  # fmt: skip
    session.commit()
    given_ids = [t.id for t in given]
    with use_office(ward.id):
        division = Department(name="Phòng Kinh tế, Hạ tầng và Đô thị", display_order=1)
        user = User(username="thunghiem.vanphong", full_name="Lê Thu Trang", role=Role.OFFICE,
                    email="thunghiem.vanphong@example.vn")  # fmt: skip
        user.set_password(password, method)
        session.add_all([division, user])
        session.flush()
        taken = take_in(session, ward, given_ids[0], division, user, today)
        add_sub_task(session, taken, content="Khảo sát hiện trạng vỉa hè", lead=division,
                     deadline=today + dt.timedelta(days=10), by=user, today=today)  # fmt: skip
        session.commit()
        taken_id = taken.id
    return {
        "thunghiem.vanphong": [
            "/nhiem-vu-cap-tren-giao", f"/nhiem-vu/{taken_id}", f"/nhiem-vu/{taken_id}/chia-viec",
        ],
        "vanphong": [f"/nhiem-vu/{given_ids[0]}"],
    }  # fmt: skip
