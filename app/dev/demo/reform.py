"""1 July 2025 in the demo: the city office ends and hands its open tasks over, by a fixed plan
(the demo's, not the resolution's exact boundaries): a task about a place of the former city
goes to the ward that place is part of, led by that ward's division for the city unit's field;
a city-wide task goes to the province's department (sở) for that field. Then the wards do a
little work on what they received."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from app.core.office_scope import use_office
from app.dev.demo.offices import ECONOMY, LOCAL, REFORM_DATE, SOCIETY
from app.models import Office, Task, User
from app.offices.handover import Place, apply_end, open_tasks_on, plan_end, units_on
from app.tasks.workflow import confirm_completion, report_progress

REFORM_DECISION = (
    "Nghị quyết của Ủy ban Thường vụ Quốc hội về việc sắp xếp các đơn vị hành chính cấp xã "
    "của tỉnh Lạng Sơn năm 2025"
)
# The places the demo's texts name → the ward (its name in ``LOCAL``) that took them over.
WARD_OF_PLACE = {
    "Vĩnh Trại": "Lương Văn Tri",
    "Chi Lăng": "Lương Văn Tri",
    "Đông Kinh": "Đông Kinh",
    "Mai Pha": "Đông Kinh",
    "Hoàng Văn Thụ": "Kỳ Lừa",
    "Hoàng Đồng": "Kỳ Lừa",
    "Kỳ Lừa": "Kỳ Lừa",
    "Tam Thanh": "Tam Thanh",
    "Quảng Lạc": "Tam Thanh",
}
# A city unit (its name as the reform found it) → (the ward division for its field, the sở).
FIELDS = {
    "Phòng Tài nguyên và Môi trường": (ECONOMY["phường"], "Sở Nông nghiệp và Môi trường"),
    "Phòng Quản lý đô thị thành phố": (ECONOMY["phường"], "Sở Xây dựng"),
    "Phòng Kinh tế thành phố": (ECONOMY["phường"], "Sở Nông nghiệp và Môi trường"),
    "Phòng Tài chính – Kế hoạch thành phố": (ECONOMY["phường"], "Sở Tài chính"),
    "Ban Quản lý dự án đầu tư xây dựng và Phát triển quỹ đất thành phố": (
        ECONOMY["phường"],
        "Sở Xây dựng",
    ),
    "Phòng Văn hóa – Thông tin thành phố": (SOCIETY, "Sở Văn hóa, Thể thao và Du lịch"),
    "Trung tâm Văn hóa - Thể thao thành phố": (SOCIETY, "Sở Văn hóa, Thể thao và Du lịch"),
    "Phòng Lao động – Thương binh và Xã hội thành phố": (SOCIETY, "Sở Nội vụ"),
    "Phòng Giáo dục và Đào tạo thành phố": (SOCIETY, "Sở Giáo dục và Đào tạo"),
    "Phòng Y tế thành phố": (SOCIETY, "Sở Y tế"),
    "Phòng Nội vụ thành phố": (None, "Sở Nội vụ"),
    "Phòng Tư pháp thành phố": (None, "Sở Tư pháp"),
    "Thanh tra thành phố": (None, "Thanh tra tỉnh"),
}


def place_of(task: Task, wards: dict[str, Office], province: Office, units) -> Place:
    """Where the demo's plan sends ``task``."""
    division, department = FIELDS[task.lead_department.name]
    ward = next((w for p, w in WARD_OF_PLACE.items() if p in task.content), None)
    if ward is not None and division is not None:
        office = wards[ward]
        name = division
    else:
        office, name = province, department
    return Place(office, next(u for u in units[office.id] if u.name == name))


def hand_over_city(
    session: Session,
    city: Office,
    province: Office,
    offices: dict[str, Office],
    today: dt.date,
    users: dict[str, User],
) -> dict[int, Task]:
    """The city office ends on 01/07/2025; its open tasks go on in the wards and the province;
    each ward reports on the first task it received, and confirms one done."""
    wards = {name: offices[code] for code, kind, name, _ in LOCAL if kind == "phường"}
    units = units_on(session, [province, *wards.values()], REFORM_DATE)
    tasks = open_tasks_on(session, city, REFORM_DATE)
    assign = {t.id: place_of(t, wards, province, units) for t in tasks}
    plan = plan_end(session, city, REFORM_DATE, assign, today=today)
    copies = apply_end(session, plan, decision=REFORM_DECISION, by=users["tinh.admin"]).copies
    for code, kind, _name, login in LOCAL:
        if kind != "phường":
            continue
        received = [c for c in copies.values() if c.office_id == offices[code].id]
        with use_office(offices[code].id):
            head = users[f"{login}.kinhte"]
            led = [c for c in received if c.lead_department_id == head.department_id]
            if led:
                report_progress(
                    session, led[0], head, "Đã tiếp nhận hồ sơ từ thành phố, đang rà soát lại.",
                    REFORM_DATE + dt.timedelta(days=14),
                )  # fmt: skip
            if len(led) > 1:
                confirm_completion(
                    session, led[-1], users[f"{login}.vanphong"],
                    REFORM_DATE + dt.timedelta(days=40), today,
                )  # fmt: skip
            session.flush()
    return copies
