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
