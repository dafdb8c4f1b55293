"""Demo data: the departments of the Lạng Sơn report, documents around today, and the
"Lạng Sơn 12/2024" scenario whose summary as of 16/12/2024 is the seed report's section.

Everything goes through ``tasks.changes`` so the demo has the same history as real use.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar, load_calendar
from app.core.settings import save_settings
from app.models import Department, Document, Extension, Issuer, ProgressReport, User
from app.models.documents import DeadlineKind, TaskState
from app.models.history import ExtensionStatus
from app.models.people import Role
from app.tasks.changes import add_task, change_deadline, change_state

DEMO_PASSWORD = "demo1234"
SCENARIO_DATE = dt.date(2024, 12, 16)

# (name, short name, code used for logins); display order is the list order.
DEPARTMENTS = [
    ("Phòng Tài nguyên và Môi trường", "TN&MT", "tnmt"),
    ("Phòng Văn hóa – Thông tin thành phố", "VH-TT", "vhtt"),
    ("Trung tâm Văn hóa - Thể thao thành phố", "TTVHTT", "ttvhtt"),
    ("Phòng Lao động – Thương binh và Xã hội thành phố", "LĐ-TB&XH", "ldtbxh"),
    ("Trung tâm Phát triển quỹ đất", "TTPTQĐ", "ttptqd"),
    ("Phòng Quản lý đô thị thành phố", "QLĐT", "qldt"),
    ("Phòng Tài chính – Kế hoạch thành phố", "TC-KH", "tckh"),
    ("Phòng Kinh tế thành phố", "KT", "kt"),
    ("Phòng Nội vụ thành phố", "NV", "nv"),
    ("Phòng Giáo dục và Đào tạo thành phố", "GD&ĐT", "gddt"),
    ("Phòng Y tế thành phố", "YT", "yt"),
    ("Phòng Tư pháp thành phố", "TP", "tp"),
    ("Thanh tra thành phố", "TTr", "ttr"),
    ("Ban Quản lý dự án đầu tư xây dựng thành phố", "BQLDA", "bqlda"),
]
ISSUERS = [
    ("UBND tỉnh Lạng Sơn", "UBND tỉnh"),
    ("Tỉnh ủy Lạng Sơn", "Tỉnh ủy"),
    ("Thành ủy Lạng Sơn", "Thành ủy"),
    ("UBND thành phố Lạng Sơn", "UBND thành phố"),
]
PLACES = [
    "phường Vĩnh Trại",
    "phường Đông Kinh",
    "phường Chi Lăng",
    "phường Hoàng Văn Thụ",
    "phường Tam Thanh",
    "xã Mai Pha",
    "xã Hoàng Đồng",
    "xã Quảng Lạc",
]
CONTENT = {
    "tnmt": [
        "Rà soát, tham mưu giải quyết kiến nghị của hộ gia đình về cấp Giấy chứng nhận quyền sử dụng đất tại {place}",
        "Tham mưu xử lý dứt điểm tình trạng lấn chiếm đất công tại {place}",
        "Đẩy nhanh tiến độ cấp Giấy chứng nhận quyền sử dụng đất lần đầu cho hộ gia đình, cá nhân tại {place}",
        "Kiểm tra, xử lý các trường hợp san gạt, đổ thải trái phép tại {place}",
        "Rà soát hiện trạng sử dụng các cơ sở nhà, đất dôi dư sau sắp xếp tại {place}",
        "Tham mưu thu hồi đất, giao đất tái định cư cho các hộ ảnh hưởng dự án tại {place}",
        "Xử lý ô nhiễm môi trường do nước thải chăn nuôi tại {place}",
        "Báo cáo kết quả kiểm tra việc khai thác đất, cát trái phép tại {place}",
        "Tham mưu điều chỉnh kế hoạch sử dụng đất năm 2025 đối với các dự án tại {place}",
        "Rà soát hồ sơ đăng ký biến động đất đai còn tồn đọng tại {place}",
    ],
    "vhtt": [
        "Tham mưu tổ chức các hoạt động tuyên truyền kỷ niệm các ngày lễ lớn tại {place}",
        "Kiểm tra hoạt động kinh doanh dịch vụ karaoke, internet tại {place}",
        "Xây dựng kế hoạch chuyển đổi số năm 2025 của thành phố",
        "Tham mưu tháo dỡ biển quảng cáo không phép tại {place}",
    ],
    "ttvhtt": [
        "Chuẩn bị các điều kiện tổ chức Hội chợ Hoa Đào Quảng Lạc lần thứ VIII năm 2025",
        "Tổ chức chương trình nghệ thuật tại sân khấu Phố đi bộ Kỳ Lừa",
    ],
    "ldtbxh": [
        "Rà soát, đề xuất hỗ trợ hộ nghèo, hộ cận nghèo có hoàn cảnh khó khăn tại {place}",
        "Tham mưu tổ chức thăm hỏi, tặng quà người có công dịp Tết Nguyên đán",
    ],
    "ttptqd": [
        "Hoàn thiện hồ sơ bồi thường, hỗ trợ giải phóng mặt bằng Khu tái định cư tại {place}",
        "Tham mưu phương án đấu giá quyền sử dụng đất các lô đất tại {place}",
    ],
    "qldt": [
        "Kiểm tra, xử lý công trình xây dựng sai phép tại {place}",
        "Tham mưu chỉnh trang vỉa hè, hệ thống chiếu sáng tuyến đường tại {place}",
        "Xử lý tình trạng lấn chiếm lòng đường, vỉa hè làm nơi kinh doanh tại {place}",
    ],
    "tckh": [
        "Tham mưu phân bổ vốn đầu tư công năm 2025 cho các công trình tại {place}",
        "Rà soát, đề xuất điều chỉnh dự toán ngân sách các đơn vị",
    ],
    "kt": [
        "Triển khai các giải pháp phòng chống dịch bệnh trên đàn gia súc tại {place}",
        "Kiểm tra công tác bảo đảm an toàn thực phẩm tại {place}",
    ],
    "nv": ["Tham mưu sắp xếp, kiện toàn tổ chức bộ máy các cơ quan chuyên môn"],
    "gddt": ["Kiểm tra cơ sở vật chất các điểm trường tại {place}"],
    "yt": ["Kiểm tra các cơ sở hành nghề y dược tư nhân tại {place}"],
    "tp": ["Rà soát văn bản quy phạm pháp luật do HĐND, UBND thành phố ban hành"],
    "ttr": ["Tham mưu giải quyết đơn khiếu nại của công dân tại {place}"],
    "bqlda": ["Đẩy nhanh tiến độ thi công công trình cải tạo, mở rộng đường tại {place}"],
}
SUMMARIES = {
    "UBND tỉnh": [
        "Thông báo kết luận của Chủ tịch UBND tỉnh tại buổi làm việc với thành phố Lạng Sơn",
        "Về việc tăng cường công tác quản lý đất đai, trật tự xây dựng trên địa bàn",
    ],
    "Tỉnh ủy": [
        "Thông báo kết luận của Thường trực Tỉnh ủy về tình hình kinh tế - xã hội thành phố"
    ],
    "Thành ủy": [
        "Chỉ thị của Ban Thường vụ Thành ủy về triển khai nhiệm vụ trọng tâm cuối năm",
        "Thông báo kết luận của đồng chí Bí thư Thành ủy tại buổi kiểm tra tiến độ các dự án",
    ],
    "UBND thành phố": [
        "Thông báo kết luận của Chủ tịch UBND thành phố tại buổi làm việc với {dept}",
        "Thông báo kết luận phiên họp thường kỳ của UBND thành phố",
    ],
}
PROGRESS_TEXTS = [
    "Đã tổ chức kiểm tra hiện trường, đang hoàn thiện báo cáo.",
    "Đã làm việc với UBND phường, xã và các hộ liên quan; dự kiến trình trong tuần tới.",
    "Đang tổng hợp hồ sơ, xin ý kiến các đơn vị phối hợp.",
    "Đã có dự thảo văn bản, đang chờ ý kiến lãnh đạo phòng.",
]


@dataclass
class Demo:
    session: Session
    calendar: WorkCalendar
    rng: random.Random
    departments: dict[str, Department]
    issuers: list[Issuer]
    users: dict[str, User]
    counters: dict[str, int]

    def content(self, code: str) -> str:
        templates = CONTENT[code]
        index = self.counters.get(code, 0)
        self.counters[code] = index + 1
        template = templates[index % len(templates)]
        place = PLACES[(index // len(templates) + index) % len(PLACES)]
        text = template.format(place=place)
        if index >= len(templates) * len(PLACES):
            text += f" (đợt {index // (len(templates) * len(PLACES)) + 1})"
        return text

    def document(
        self, issued_on: dt.date, issuer: Issuer | None = None, lead_code: str = "tnmt"
    ) -> Document:
        issuer = issuer or self.rng.choice(self.issuers)
        n = self.counters.get("doc", 0) + 1
        self.counters["doc"] = n
        number, kind = {
            "UBND tỉnh": (f"{300 + n}/TB-UBND", "Thông báo kết luận"),
            "Tỉnh ủy": (f"{80 + n}-TB/TU", "Thông báo kết luận"),
            "Thành ủy": (f"{20 + n}-CT/TU", "Chỉ thị"),
            "UBND thành phố": (f"{1000 + n}/TB-UBND", "Thông báo kết luận"),
        }[issuer.short_name]
        summary = self.rng.choice(SUMMARIES[issuer.short_name]).format(
            dept=self.departments[lead_code].name
        )
        document = Document(
            number=number,
            kind=kind,
            issuer=issuer,
            issued_on=issued_on,
            summary=summary,
            signer="Chủ tịch UBND thành phố",
        )
        self.session.add(document)
        return document

    def progress(self, task, day: dt.date, text: str | None = None) -> None:
        member = self.users.get(f"{self._code(task.lead_department)}.cv")
        self.session.add(
            ProgressReport(
                task=task,
                department=task.lead_department,
                user=member,
                reported_on=day,
                content=text or self.rng.choice(PROGRESS_TEXTS),
            )
        )
        if task.state == TaskState.OPEN:
            change_state(
                self.session,
                task,
                TaskState.IN_PROGRESS,
                effective_on=day,
                by=member,
                comment="Báo cáo tiến độ",
            )

    def _code(self, department: Department) -> str:
        return next(c for c, d in self.departments.items() if d is department)

    def extension(
        self,
        task,
        requested_on: dt.date,
        new_deadline: dt.date,
        decided_on: dt.date | None,
        approve: bool = True,
    ) -> None:
        office = self.users["vanphong"]
        head = self.users.get(f"{self._code(task.lead_department)}.truong")
        extension = Extension(
            task=task,
            requested_by=head,
            requested_on=requested_on,
            previous_deadline=task.deadline,
            requested_deadline=new_deadline,
            reason="Nội dung phức tạp, cần thêm thời gian phối hợp với các đơn vị liên quan.",
        )
        self.session.add(extension)
        if decided_on is None:
            return
        extension.decided_by, extension.decided_on = office, decided_on
        if approve:
            extension.status = ExtensionStatus.APPROVED
            change_deadline(
                self.session,
                task,
                new_deadline,
                effective_on=decided_on,
                by=office,
                comment="Phê duyệt gia hạn",
            )
        else:
            extension.status = ExtensionStatus.REFUSED


# The scenario: per lead department, what each task is as of 16/12/2024.
SCENARIO = {
    "tnmt": {
        "late": 6,
        "late_ext_after": 1,
        "pending": 15,
        "pending_none": 1,
        "pending_ext_before": 1,
        "pending_issued_on_day": 1,
        "done_on_time": 3,
        "done_late": 2,
        "cancelled": 1,
        "issued_after": 2,
    },
    "vhtt": {"late": 3, "done_on_time": 1},
    "ttvhtt": {"late": 1},
    "ldtbxh": {"late": 1, "done_late": 1},
    "qldt": {"late": 1, "pending": 2, "done_on_time": 1},
    "ttptqd": {"pending": 2, "cancelled": 1},
    "tckh": {"done_on_time": 2},
    "kt": {"done_on_time": 1, "issued_after": 1},
}


def _scenario(demo: Demo) -> None:
    session, cal, rng = demo.session, demo.calendar, demo.rng
    day = SCENARIO_DATE
    for code, outcomes in SCENARIO.items():
        lead = demo.departments[code]
        helpers = [d for c, d in demo.departments.items() if c != code]
        for outcome, count in outcomes.items():
            for _ in range(count):
                deadline_kind, working_days = DeadlineKind.DATE, None
                if outcome in ("late", "late_ext_after"):
                    issued = day - dt.timedelta(days=rng.randint(40, 200))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=rng.randint(10, 30)))
                elif outcome == "pending_none":
                    issued, deadline = day - dt.timedelta(days=90), None
                    deadline_kind = DeadlineKind.NONE
                elif outcome == "pending_issued_on_day":
                    issued, working_days = day, 10
                    deadline_kind = DeadlineKind.WORKING_DAYS
                    deadline = cal.add_working_days(issued, working_days)
                elif outcome == "pending_ext_before":
                    issued = day - dt.timedelta(days=60)
                    deadline = cal.next_working_day(day - dt.timedelta(days=20))
                elif outcome == "issued_after":
                    issued = day + dt.timedelta(days=rng.randint(2, 10))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=20))
                elif outcome == "pending":
                    issued = day - dt.timedelta(days=rng.randint(0, 30))
                    # The first one falls due on the report date itself: still chưa.
                    offset = 0 if demo.counters.get("boundary") is None else rng.randint(1, 60)
                    demo.counters["boundary"] = 1
                    deadline = cal.next_working_day(day + dt.timedelta(days=offset))
                else:  # done or cancelled before the report date
                    issued = day - dt.timedelta(days=rng.randint(60, 300))
                    deadline = cal.next_working_day(issued + dt.timedelta(days=30))
                document = demo.document(issued, lead_code=code)
                cooperators = rng.sample(helpers, rng.choice((0, 0, 1, 2)))
                task = add_task(
                    session,
                    document,
                    content=demo.content(code),
                    lead=lead,
                    cooperators=cooperators,
                    deadline_kind=deadline_kind,
                    deadline=deadline,
                    working_days=working_days,
                )
                _play_scenario(demo, task, outcome, issued, deadline)


def _play_scenario(
    demo: Demo, task, outcome: str, issued: dt.date, deadline: dt.date | None
) -> None:
    session, rng, day = demo.session, demo.rng, SCENARIO_DATE
    office = demo.users["vanphong"]
    if (
        outcome in ("late", "late_ext_after", "pending", "pending_ext_before")
        and rng.random() < 0.5
    ):
        demo.progress(task, min(day, issued + dt.timedelta(days=5)))
    if outcome == "late_ext_after":
        demo.extension(
            task,
            day - dt.timedelta(days=3),
            day + dt.timedelta(days=30),
            decided_on=day + dt.timedelta(days=4),
        )
    elif outcome == "pending_ext_before":
        demo.extension(
            task,
            day - dt.timedelta(days=22),
            day + dt.timedelta(days=25),
            decided_on=day - dt.timedelta(days=6),
        )
    elif outcome == "done_on_time":
        demo.progress(task, issued + dt.timedelta(days=3))
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=deadline - dt.timedelta(days=2),
            by=office,
            comment="Xác nhận hoàn thành",
        )
    elif outcome == "done_late":
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=deadline + dt.timedelta(days=9),
            by=office,
            comment="Xác nhận hoàn thành",
        )
    elif outcome == "cancelled":
        change_state(
            session,
            task,
            TaskState.CANCELLED,
            effective_on=issued + dt.timedelta(days=7),
            by=office,
            cancel_reason="Nội dung đã được thay thế bởi văn bản khác",
        )
    # What happened after the report: most tasks were finished in 2025, a few never were.
    if outcome.startswith(("late", "pending")) and rng.random() < 0.85:
        finished = dt.date(2025, 1, 6) + dt.timedelta(days=rng.randint(0, 150))
        change_state(
            session,
            task,
            TaskState.DONE,
            effective_on=finished,
            by=office,
            comment="Xác nhận hoàn thành",
        )


def _series(demo: Demo, today: dt.date) -> None:
    """Two recurring duties of a directive issued a few months ago: a monthly report to the
    office and a quarterly one, with the periods due so far."""
    from app.recurring.series import create_due_tasks, create_series

    issued = today - dt.timedelta(days=100)
    document = demo.document(issued, lead_code="tckh")
    create_series(
        demo.session, document,
        content="Báo cáo tình hình thực hiện dự toán thu, chi ngân sách gửi Văn phòng HĐND và UBND",
        lead=demo.departments["tckh"], phrase="hằng tháng, trước ngày 20", starts_on=issued,
    )  # fmt: skip
    create_series(
        demo.session, document,
        content="Báo cáo kết quả thu hồi, giao đất và giải phóng mặt bằng các dự án trọng điểm",
        lead=demo.departments["tnmt"], cooperators=[demo.departments["ttptqd"]],
        phrase="hằng quý, trước ngày 15 của tháng cuối quý", starts_on=issued,
    )  # fmt: skip
    demo.session.flush()
    create_due_tasks(demo.session, today)


def _current(demo: Demo, today: dt.date) -> None:
    """Documents of the last two months, so every screen has something to show today."""
    session, cal, rng = demo.session, demo.calendar, demo.rng
    office = demo.users["vanphong"]
    codes = ["tnmt", "qldt", "vhtt", "ttptqd", "tckh", "ldtbxh", "kt", "ttvhtt"]
    for index in range(12):
        code = codes[index % len(codes)]
        issued = today - dt.timedelta(days=rng.randint(3, 60))
        document = demo.document(issued, lead_code=code)
        for sub in range(rng.choice((1, 2, 3))):
            lead_code = code if sub == 0 else rng.choice(codes)
            lead = demo.departments[lead_code]
            # one entry per unit (two codes name the unit of the 2025 merger), never the lead
            helpers = [d for d in dict.fromkeys(demo.departments.values()) if d is not lead]
            kind, working_days = DeadlineKind.DATE, None
            roll = rng.random()
            if roll < 0.1:
                kind, deadline = DeadlineKind.NONE, None
            elif roll < 0.3:
                kind, working_days = DeadlineKind.WORKING_DAYS, rng.choice((5, 10, 15))
                deadline = cal.add_working_days(issued, working_days)
            else:
                deadline = cal.next_working_day(today + dt.timedelta(days=rng.randint(-25, 25)))
                deadline = max(deadline, cal.next_working_day(issued + dt.timedelta(days=3)))
            task = add_task(
                session,
                document,
                content=demo.content(lead_code),
                lead=lead,
                cooperators=rng.sample(helpers, rng.choice((0, 1, 1, 2))),
                deadline_kind=kind,
                deadline=deadline,
                working_days=working_days,
                by=office,
            )
            fate = rng.random()
            if fate < 0.45:
                demo.progress(task, min(today, issued + dt.timedelta(days=rng.randint(1, 10))))
            if 0.45 <= fate < 0.6:
                demo.progress(
                    task,
                    min(today, issued + dt.timedelta(days=2)),
                    "Đã hoàn thành, gửi báo cáo kết quả kèm theo.",
                )
                change_state(
                    session,
                    task,
                    TaskState.AWAITING_CONFIRMATION,
                    effective_on=min(today, issued + dt.timedelta(days=2)),
                    by=demo.users.get(f"{lead_code}.truong"),
                    comment="Đề nghị xác nhận",
                )
            elif 0.6 <= fate < 0.75:
                change_state(
                    session,
                    task,
                    TaskState.DONE,
                    effective_on=min(today, issued + dt.timedelta(days=rng.randint(2, 20))),
                    by=office,
                    comment="Xác nhận hoàn thành",
                )
            elif 0.75 <= fate < 0.8 and deadline is not None:
                demo.extension(task, min(today, deadline), deadline + dt.timedelta(days=14), None)


MERGER_DATE = dt.date(2025, 3, 1)
MERGER_DECISION = "Quyết định số 412/QĐ-UBND ngày 25/02/2025 của UBND thành phố"
SUCCESSOR = "Ban Quản lý dự án đầu tư xây dựng và Phát triển quỹ đất thành phố"


def _reorganisation(demo: Demo, today: dt.date) -> None:
    """The 2025 reorganisation: the Ban Quản lý dự án and the Trung tâm Phát triển quỹ đất
    merged into one unit on 01/03/2025, after a conclusion notice of January gave them three
    tasks. Their open tasks went to the new unit, the ones done before stay with their unit;
    the report as of 16/12/2024 is untouched. Later demo tasks of either go to the new unit."""
    from app.units.reorganise import merge

    if today < MERGER_DATE:
        return
    session, bqlda, ttptqd = demo.session, demo.departments["bqlda"], demo.departments["ttptqd"]
    issuer = next(i for i in demo.issuers if i.short_name == "UBND thành phố")
    document = Document(
        number="95/TB-UBND",
        kind="Thông báo kết luận",
        issuer=issuer,
        issued_on=dt.date(2025, 1, 15),
        summary="Kết luận của Chủ tịch UBND thành phố về tiến độ giải phóng mặt bằng và các "
        "dự án đầu tư công năm 2025",
        signer="Chủ tịch UBND thành phố",
    )
    session.add(document)
    office = demo.users["vanphong"]
    for lead, content, deadline, done_on in (
        (ttptqd, "Hoàn thiện phương án bồi thường, hỗ trợ tái định cư dự án Khu đô thị Nam "
         "Hoàng Đồng", dt.date(2025, 2, 28), None),
        (bqlda, "Khởi công dự án cải tạo, nâng cấp đường Bà Triệu", dt.date(2025, 6, 30), None),
        (bqlda, "Quyết toán các dự án hoàn thành năm 2024", dt.date(2025, 2, 15),
         dt.date(2025, 2, 10)),
    ):  # fmt: skip
        task = add_task(
            session, document, content=content, lead=lead, deadline_kind=DeadlineKind.DATE,
            deadline=deadline, by=office,
        )  # fmt: skip
        if done_on:
            change_state(session, task, TaskState.DONE, effective_on=done_on, by=office)
    change = merge(
        session, [bqlda, ttptqd], SUCCESSOR, on=MERGER_DATE, today=today, decision=MERGER_DECISION,
        by=demo.users["admin"], head=demo.users["ttptqd.truong"],
    )  # fmt: skip
    successor = change.units("to")[0]
    successor.short_name = "BQLDA&PTQĐ"
    successor.email = "bqlda.ptqd@langson.example.vn"
    demo.departments["ttptqd"] = demo.departments["bqlda"] = successor


def _users(
    session: Session, departments: dict[str, Department], password_method: str
) -> dict[str, User]:
    people = [
        ("admin", "Quản trị hệ thống", Role.ADMIN, None),
        ("vanphong", "Nguyễn Thị Hằng", Role.OFFICE, None),
        ("lanhdao", "Hoàng Văn Minh", Role.LEADER, None),
    ]
    names = [
        "Lương Văn Sơn",
        "Vi Thị Thu",
        "Hoàng Đức Anh",
        "Nông Thị Mai",
        "Lộc Văn Hùng",
        "Triệu Thị Hoa",
        "Đinh Văn Tuấn",
        "Lăng Thị Ngọc",
    ]
    for index, code in enumerate(departments):
        people.append((f"{code}.truong", names[index % len(names)], Role.DEPARTMENT_HEAD, code))
        if index < 6:
            people.append(
                (f"{code}.cv", names[(index + 3) % len(names)], Role.DEPARTMENT_MEMBER, code)
            )
    users = {}
    for username, full_name, role, code in people:
        user = User(
            username=username,
            full_name=full_name,
            role=role,
            email=f"{username}@langson.example.vn",
            department=departments[code] if code else None,
        )
        user.set_password(DEMO_PASSWORD, password_method)
        session.add(user)
        users[username] = user
    return users


def has_data(session: Session) -> bool:
    return session.scalar(select(Department.id).limit(1)) is not None


def seed_demo(session: Session, today: dt.date, password_method: str = "scrypt") -> dict[str, User]:
    """Load the demo; the caller commits. Refuses to run on a database that has data."""
    if has_data(session):
        raise ValueError("the database already has data")
    departments = {}
    for order, (name, short, code) in enumerate(DEPARTMENTS, start=1):
        departments[code] = Department(
            name=name, short_name=short, display_order=order, email=f"{code}@langson.example.vn"
        )
        session.add(departments[code])
    issuers = []
    for order, (name, short) in enumerate(ISSUERS, start=1):
        issuers.append(Issuer(name=name, short_name=short, display_order=order))
        session.add(issuers[-1])
    users = _users(session, departments, password_method)
    session.flush()
    demo = Demo(
        session, load_calendar(session), random.Random(1321), departments, issuers, users, {}
    )
    _scenario(demo)
    _reorganisation(demo, today)
    _current(demo, today)
    _series(demo, today)
    save_settings(
        session, governing_body="UBND thành phố Lạng Sơn", office_name="Văn phòng HĐND và UBND"
    )
    session.flush()
    return users
