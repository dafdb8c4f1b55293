"""The demo's units, issuers and people."""

from __future__ import annotations

import functools

from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from app.models import Department, User
from app.models.people import Role

DEMO_PASSWORD = "demo1234"


@functools.cache
def _demo_hash(method: str) -> str:
    return generate_password_hash(DEMO_PASSWORD, method=method)


def give_demo_password(user: User, method: str) -> None:
    """The demo's one password (printed by ``make run``), hashed once for every account: a
    real hash per account would cost a tenth of a second each, most of the demo's load time."""
    user.password_hash = _demo_hash(method)
    user.rotate_sessions()


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


def add_users(
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
            installation_admin=username == "admin",  # also creates offices
        )
        give_demo_password(user, password_method)
        session.add(user)
        users[username] = user
    return users
