"""The demo's offices after 1 July 2025: the province's office with some departments (sở) and
the wards and communes that use the product, each with its divisions, people and a little
work of its own; the province's tasks given to sở and to wards. The city office of 2024 is
the rest of the demo (``app.dev.demo``); ``reform`` hands its open tasks over."""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy.orm import Session

from app.core.deadlines import load_calendar
from app.core.office_scope import use_office
from app.core.settings import save_settings
from app.dev.demo.people import give_demo_password
from app.models import Department, Document, Issuer, Office, User
from app.models.documents import DeadlineKind, TaskState
from app.models.offices import OfficeLevel
from app.models.people import Role
from app.offices.registry import create_office
from app.tasks.changes import add_task, change_state
from app.tasks.workflow import report_progress

REFORM_DATE = dt.date(2025, 7, 1)
CITY_CODE, CITY_NAME = "TPLS", "Văn phòng HĐND và UBND thành phố Lạng Sơn"
PROVINCE_CODE, PROVINCE_NAME = "LS", "Văn phòng UBND tỉnh Lạng Sơn"
CITY_UNIT = "UBND thành phố Lạng Sơn"  # the city as a unit of the province, until the reform

# The province's departments: (name, short name, login prefix of its head or None).
DEPARTMENTS = [
    ("Sở Nông nghiệp và Môi trường", "SNN&MT", "snnmt"),
    ("Sở Tài chính", "STC", "stc"),
    ("Sở Xây dựng", "SXD", None),
    ("Sở Nội vụ", "SNV", None),
    ("Sở Văn hóa, Thể thao và Du lịch", "SVHTTDL", None),
    ("Sở Y tế", "SYT", None),
    ("Sở Giáo dục và Đào tạo", "SGD&ĐT", None),
    ("Sở Tư pháp", "STP", None),
    ("Thanh tra tỉnh", "TTr tỉnh", None),
]
# The wards that replaced the city and two communes: (office code, "phường"/"xã", name, login
# prefix). Each is a unit of the province's office and an office of its own.
LOCAL = [
    ("TAMTHANH", "phường", "Tam Thanh", "tamthanh"),
    ("LUONGVANTRI", "phường", "Lương Văn Tri", "luongvantri"),
    ("KYLUA", "phường", "Kỳ Lừa", "kylua"),
    ("DONGKINH", "phường", "Đông Kinh", "dongkinh"),
    ("CAOLOC", "xã", "Cao Lộc", "caoloc"),
    ("DONGDANG", "xã", "Đồng Đăng", "dongdang"),
]
ECONOMY = {"phường": "Phòng Kinh tế, Hạ tầng và Đô thị", "xã": "Phòng Kinh tế"}
SOCIETY = "Phòng Văn hóa – Xã hội"
SERVICE_CENTRE = "Trung tâm Phục vụ hành chính công"


def local_office_name(kind: str, name: str) -> str:
    return f"Văn phòng HĐND và UBND {kind} {name}"


def _user(session, username, full_name, role, password_method, department=None) -> User:
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        email=f"{username}@langson.example.vn",
        department=department,
    )
    give_demo_password(user, password_method)
    session.add(user)
    return user


def _units(session, names: list[tuple[str, str]], created_on=None) -> list[Department]:
    units = []
    for order, (name, short) in enumerate(names, start=1):
        units.append(
            Department(name=name, short_name=short, display_order=order, created_on=created_on)
        )
        session.add(units[-1])
    session.flush()
    return units


def _issuers(session, names: list[tuple[str, str]]) -> dict[str, Issuer]:
    found = {}
    for order, (name, short) in enumerate(names, start=1):
        found[short] = Issuer(name=name, short_name=short, display_order=order)
        session.add(found[short])
    session.flush()
    return found


def add_province(
    session: Session, city: Office, password_method: str
) -> tuple[Office, dict[str, User]]:
    """The province's office above the city: its departments, the city as a unit until the
    reform, the wards and communes as units from then on, and its people."""
    province = create_office(session, PROVINCE_CODE, PROVINCE_NAME, OfficeLevel.PROVINCE)
    users = {}
    with use_office(province.id):
        units = _units(session, [(n, s) for n, s, _ in DEPARTMENTS])
        city_unit = Department(
            name=CITY_UNIT, short_name="UBND TP", display_order=len(units) + 1,
            ended_on=REFORM_DATE, is_active=False,
        )  # fmt: skip
        session.add(city_unit)
        locals_ = [(f"UBND {kind} {name}", f"UBND {name}") for _, kind, name, _ in LOCAL]
        for offset, unit in enumerate(_units(session, locals_, REFORM_DATE)):
            unit.display_order = len(units) + 2 + offset
        session.flush()
        for username, full_name, role in (
            ("tinh.admin", "Quản trị hệ thống tỉnh", Role.ADMIN),
            ("tinh.vanphong", "Hoàng Thị Lan", Role.OFFICE),
            ("tinh.lanhdao", "Vi Văn Thành", Role.LEADER),
        ):
            users[username] = _user(session, username, full_name, role, password_method)
        users["tinh.admin"].installation_admin = True
        heads = ["Lương Thị Hạnh", "Nông Văn Dũng"]
        for (_name, _short, login), unit in zip(DEPARTMENTS, units, strict=True):
            if login:
                username = f"{login}.truong"
                users[username] = _user(
                    session, username, heads.pop(0), Role.DEPARTMENT_HEAD, password_method, unit
                )
        save_settings(
            session, governing_body="UBND tỉnh Lạng Sơn", office_name="Văn phòng UBND tỉnh",
            key_task_body="UBND tỉnh",
        )  # fmt: skip
        session.flush()
    city.parent_id, city.parent_unit_id = province.id, city_unit.id
    return province, users


def add_local_offices(
    session: Session, province: Office, password_method: str
) -> tuple[dict[str, Office], dict[str, User]]:
    """The wards and communes: each an office with its divisions and four people (an
    administrator, the office's clerk, the heads of its economy and its culture and society
    divisions)."""
    offices, users = {}, {}
    with use_office(province.id):
        units = {d.name: d for d in session.query(Department).all()}
    clerks = ["Nguyễn Thu Trang", "Hà Thị Duyên", "Lăng Văn Khải", "Chu Thị Mến", "Tô Văn Sáng",
              "Mã Thị Hồng"]  # fmt: skip
    heads = ["Hoàng Văn Quý", "Lộc Thị Nga", "Vy Văn Toàn", "Đàm Thị Thoa", "Bế Văn Cường",
             "Dương Thị Yến"]  # fmt: skip
    society_heads = ["Nông Thị Thắm", "Hứa Văn Lâm", "Triệu Thị Hiền", "Lành Văn Hưng",
                     "Mông Thị Quyên", "Hoàng Thị Nhung"]  # fmt: skip
    for index, (code, kind, name, login) in enumerate(LOCAL):
        office = create_office(
            session, code, local_office_name(kind, name), OfficeLevel.COMMUNE, province,
            units[f"UBND {kind} {name}"], REFORM_DATE,
        )  # fmt: skip
        offices[code] = office
        with use_office(office.id):
            divisions = _units(
                session,
                [(ECONOMY[kind], "KT" if kind == "xã" else "KT-HT-ĐT"), (SOCIETY, "VH-XH"),
                 (SERVICE_CENTRE, "TTPVHCC")],
                REFORM_DATE,
            )  # fmt: skip
            for division in divisions:
                division.email = f"{login}.{division.short_name.lower()}@langson.example.vn"
            people = (
                (f"{login}.admin", f"Quản trị {kind} {name}", Role.ADMIN, None),
                (f"{login}.vanphong", clerks[index], Role.OFFICE, None),
                (f"{login}.kinhte", heads[index], Role.DEPARTMENT_HEAD, divisions[0]),
                (f"{login}.vhxh", society_heads[index], Role.DEPARTMENT_HEAD, divisions[1]),
            )
            for username, full_name, role, unit in people:
                users[username] = _user(session, username, full_name, role, password_method, unit)
            _issuers(
                session,
                [("UBND tỉnh Lạng Sơn", "UBND tỉnh"), (f"Đảng ủy {kind} {name}", "Đảng ủy"),
                 (f"UBND {kind} {name}", f"UBND {kind}")],
            )  # fmt: skip
            save_settings(
                session, governing_body=f"UBND {kind} {name}",
                office_name="Văn phòng HĐND và UBND", key_task_body=f"UBND {kind}",
            )  # fmt: skip
            session.flush()
    return offices, users


def add_province_work(session: Session, province: Office, today: dt.date, users) -> None:
    """The province's own follow-up: conclusions of the last months giving tasks to sở and to
    wards and communes (some late, some due soon, one done), and two recurring duties."""
    from app.recurring.series import create_due_tasks, create_series

    rng = random.Random(2025)
    with use_office(province.id):
        cal = load_calendar(session)
        units = {d.short_name: d for d in session.query(Department).all()}
        issuers = _issuers(session, [("UBND tỉnh Lạng Sơn", "UBND tỉnh"),
                                     ("Tỉnh ủy Lạng Sơn", "Tỉnh ủy")])  # fmt: skip
        clerk = users["tinh.vanphong"]
        documents = [
            ("UBND tỉnh", "501/TB-UBND", "Thông báo kết luận", 45, "Kết luận của Chủ tịch UBND tỉnh tại buổi làm việc về công tác quản lý đất đai, trật tự xây dựng sau sắp xếp đơn vị hành chính", [
                ("SNN&MT", "Hướng dẫn các xã, phường tiếp nhận hồ sơ đất đai còn tồn đọng của thành phố Lạng Sơn", -10),
                ("SXD", "Rà soát quy hoạch chung đô thị Lạng Sơn sau sắp xếp đơn vị hành chính", 20),
                ("UBND Tam Thanh", "Xử lý dứt điểm các công trình xây dựng sai phép trên địa bàn phường", -5),
                ("UBND Cao Lộc", "Đẩy nhanh tiến độ giải phóng mặt bằng dự án đường cao tốc trên địa bàn xã", 10),
            ]),
            ("Tỉnh ủy", "27-CT/TU", "Chỉ thị", 20, "Chỉ thị của Ban Thường vụ Tỉnh ủy về nâng cao hiệu quả hoạt động của chính quyền địa phương hai cấp", [
                ("STC", "Hướng dẫn các xã, phường lập dự toán ngân sách năm sau", 15),
                ("UBND Kỳ Lừa", "Duy trì trật tự, văn minh đô thị tại khu vực chợ Kỳ Lừa", None),
                ("SVHTTDL", "Tổ chức tuyên truyền về chính quyền địa phương hai cấp", "done"),
            ]),
            ("UBND tỉnh", "288/KH-UBND", "Kế hoạch", 70, "Kế hoạch triển khai chuyển đổi số trong các cơ quan hành chính cấp xã", [
                ("SNV", "Rà soát, bố trí công chức phụ trách chuyển đổi số ở cấp xã", -30),
                ("UBND Đông Kinh", "Triển khai một cửa điện tử tại Trung tâm Phục vụ hành chính công phường", 5),
                ("UBND Lương Văn Tri", "Số hóa hồ sơ, giấy tờ của công dân trên địa bàn phường", -2),
                ("UBND Đồng Đăng", "Bố trí điểm hỗ trợ dịch vụ công trực tuyến tại xã", 30),
            ]),
        ]  # fmt: skip
        for issuer, number, kind, days_ago, summary, tasks in documents:
            issued = today - dt.timedelta(days=days_ago)
            document = Document(
                number=number, kind=kind, issuer=issuers[issuer], issued_on=issued, summary=summary,
                signer="Chủ tịch UBND tỉnh" if issuer == "UBND tỉnh" else "Bí thư Tỉnh ủy",
            )  # fmt: skip
            session.add(document)
            for lead, content, due in tasks:
                deadline = None
                if isinstance(due, int):
                    deadline = cal.next_working_day(today + dt.timedelta(days=due))
                elif due == "done":
                    deadline = cal.next_working_day(issued + dt.timedelta(days=15))
                task = add_task(
                    session, document, content=content, lead=units[lead],
                    deadline_kind=DeadlineKind.DATE if deadline else DeadlineKind.NONE,
                    deadline=deadline, by=clerk,
                )  # fmt: skip
                if due == "done":
                    change_state(session, task, TaskState.DONE,
                                 effective_on=issued + dt.timedelta(days=10), by=clerk,
                                 comment="Xác nhận hoàn thành")  # fmt: skip
                elif rng.random() < 0.5:
                    head = users.get("snnmt.truong") if lead == "SNN&MT" else clerk
                    report_progress(
                        session, task, head, "Đã triển khai, đang tổng hợp kết quả.",
                        min(today, issued + dt.timedelta(days=rng.randint(3, 15))),
                    )  # fmt: skip
        issued = today - dt.timedelta(days=100)
        document = Document(
            number="320/KH-UBND", kind="Kế hoạch", issuer=issuers["UBND tỉnh"], issued_on=issued,
            summary="Kế hoạch theo dõi thu, chi ngân sách và quản lý đất đai năm nay",
            signer="Chủ tịch UBND tỉnh",
        )  # fmt: skip
        session.add(document)
        session.flush()
        create_series(
            session, document, content="Báo cáo tình hình thu, chi ngân sách nhà nước gửi Văn phòng UBND tỉnh",
            lead=units["STC"], phrase="hằng tháng, trước ngày 20", starts_on=issued,
        )  # fmt: skip
        create_series(
            session, document, content="Báo cáo kết quả cấp Giấy chứng nhận quyền sử dụng đất của các xã, phường",
            lead=units["SNN&MT"], phrase="hằng quý, trước ngày 15 của tháng cuối quý", starts_on=issued,
        )  # fmt: skip
        session.flush()
        create_due_tasks(session, today)


def add_local_work(session: Session, offices: dict[str, Office], today: dt.date, users) -> None:
    """Each ward's and commune's own conclusions of the last weeks, to its divisions."""
    rng = random.Random(7)
    for code, kind, name, login in LOCAL:
        with use_office(offices[code].id):
            cal = load_calendar(session)
            divisions = session.query(Department).order_by(Department.display_order).all()
            issuer = session.query(Issuer).filter(Issuer.name == f"UBND {kind} {name}").one()
            issued = today - dt.timedelta(days=rng.randint(10, 40))
            document = Document(
                number=f"{rng.randint(20, 90)}/TB-UBND", kind="Thông báo kết luận", issuer=issuer,
                issued_on=issued, signer=f"Chủ tịch UBND {kind}",
                summary=f"Kết luận của Chủ tịch UBND {kind} tại cuộc họp giao ban tháng",
            )  # fmt: skip
            session.add(document)
            for division, content, due in (
                (divisions[0], f"Rà soát các hộ kinh doanh lấn chiếm vỉa hè, lòng đường trên địa bàn {kind}", -3),
                (divisions[1], f"Tổ chức thăm hỏi các gia đình chính sách trên địa bàn {kind}", 12),
                (divisions[2], "Hướng dẫn công dân nộp hồ sơ trực tuyến tại bộ phận một cửa", 25),
            ):  # fmt: skip
                task = add_task(
                    session, document, content=content, lead=division,
                    deadline=cal.next_working_day(today + dt.timedelta(days=due)),
                    by=users[f"{login}.vanphong"],
                )  # fmt: skip
                if division is divisions[0]:
                    report_progress(
                        session, task, users[f"{login}.kinhte"],
                        "Đã lập danh sách, đang vận động các hộ tự tháo dỡ.",
                        min(today, issued + dt.timedelta(days=5)),
                    )  # fmt: skip
            session.flush()
