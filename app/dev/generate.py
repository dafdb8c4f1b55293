"""A realistic province-sized database, written fast with bulk inserts.

Departments and districts with Vietnamese names, documents spread over the years, tasks with
deadlines, progress, extensions and completions, and the full event history the as-of rule
reads (about five events per task). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar
from app.core.textnorm import fold
from app.models import (
    Department,
    Document,
    Event,
    Extension,
    Issuer,
    ProgressReport,
    Task,
    User,
    task_cooperators,
)
from app.models.documents import DeadlineKind, TaskState
from app.models.people import Role

SO = [
    "Tài nguyên và Môi trường",
    "Tài chính",
    "Kế hoạch và Đầu tư",
    "Xây dựng",
    "Giao thông vận tải",
    "Nông nghiệp và Phát triển nông thôn",
    "Công Thương",
    "Giáo dục và Đào tạo",
    "Y tế",
    "Văn hóa, Thể thao và Du lịch",
    "Lao động – Thương binh và Xã hội",
    "Nội vụ",
    "Tư pháp",
    "Thông tin và Truyền thông",
    "Khoa học và Công nghệ",
    "Ngoại vụ",
]
DISTRICTS = [
    "thành phố Lạng Sơn",
    "huyện Cao Lộc",
    "huyện Lộc Bình",
    "huyện Đình Lập",
    "huyện Chi Lăng",
    "huyện Hữu Lũng",
    "huyện Bắc Sơn",
    "huyện Bình Gia",
    "huyện Văn Quan",
    "huyện Văn Lãng",
    "huyện Tràng Định",
]
OTHERS = [
    "Ban Quản lý Khu kinh tế cửa khẩu Đồng Đăng – Lạng Sơn",
    "Thanh tra tỉnh",
    "Công an tỉnh",
    "Bộ Chỉ huy Quân sự tỉnh",
    "Ban Dân tộc",
    "Văn phòng UBND tỉnh",
    "Trung tâm Phát triển quỹ đất tỉnh",
    "Ban Quản lý dự án đầu tư xây dựng tỉnh",
    "Cục Thuế tỉnh",
    "Kho bạc Nhà nước tỉnh",
    "Bảo hiểm xã hội tỉnh",
]
ACTIONS = [
    "Rà soát, tham mưu giải quyết kiến nghị về",
    "Báo cáo kết quả thực hiện",
    "Đẩy nhanh tiến độ",
    "Kiểm tra, xử lý dứt điểm",
    "Tham mưu ban hành kế hoạch",
    "Hoàn thiện hồ sơ",
    "Tổng hợp, đề xuất phương án",
    "Chỉ đạo triển khai",
]
SUBJECTS = [
    "cấp Giấy chứng nhận quyền sử dụng đất",
    "giải phóng mặt bằng dự án đường vành đai",
    "chuyển đổi số trong cơ quan nhà nước",
    "cải cách thủ tục hành chính",
    "phòng, chống dịch bệnh trên đàn gia súc",
    "xây dựng nông thôn mới",
    "quản lý trật tự xây dựng đô thị",
    "an toàn thực phẩm",
    "khai thác khoáng sản",
    "đầu tư công năm",
    "thu ngân sách",
    "hạ tầng khu kinh tế cửa khẩu",
    "bảo vệ rừng và phòng cháy chữa cháy rừng",
    "giảm nghèo bền vững",
]
ISSUERS = [
    ("UBND tỉnh Lạng Sơn", "UBND tỉnh", "TB-UBND"),
    ("Tỉnh ủy Lạng Sơn", "Tỉnh ủy", "TB/TU"),
    ("Thường trực HĐND tỉnh", "HĐND tỉnh", "TB-HĐND"),
    ("Văn phòng UBND tỉnh", "VP UBND tỉnh", "TB-VP"),
    ("Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "BTNMT-VP"),
    ("Ban Thường vụ Tỉnh ủy", "BTV Tỉnh ủy", "KL/TU"),
]
BENCH_PASSWORD = "bench-password"
CHUNK = 5000


def department_names(count: int) -> list[str]:
    names = [f"Sở {s}" for s in SO] + [f"UBND {d}" for d in DISTRICTS] + OTHERS
    extra = 0
    while len(names) < count:
        extra += 1
        names.append(f"UBND xã {extra:03d} thuộc {DISTRICTS[extra % len(DISTRICTS)]}")
    return names[:count]


CANCELLED_SHARE = 0.03
MAX_BACKLOG = 1 - CANCELLED_SHARE  # every past-due task that is not cancelled still open


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def _insert(session: Session, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)


def generate(
    session: Session,
    tasks: int,
    departments: int,
    years: int,
    today: dt.date,
    seed: int = 2024,
    progress=None,
    backlog: float | None = None,
) -> dict[str, int]:
    """Add the data (the caller commits). Returns counts of what was written.

    ``backlog`` is the share of tasks past their deadline that are still open today (a real
    office carries thousands); by default 1.5%, an office that finishes nearly everything."""
    if backlog is not None and not 0 <= backlog <= MAX_BACKLOG:
        raise ValueError(f"backlog must be between 0 and {MAX_BACKLOG}")
    # 3% of tasks are cancelled first; the rest of the past-due ones finish with this chance.
    past_due_finish = 0.985 if backlog is None else 1 - backlog / (1 - CANCELLED_SHARE)
    rng = random.Random(seed)
    calendar = WorkCalendar()
    say = progress or (lambda message: None)

    def next_id(model) -> int:
        return (session.scalar(select(func.max(model.id))) or 0) + 1

    dep_start = next_id(Department)
    dep_rows = [
        {
            "id": dep_start + i,
            "name": name,
            "short_name": f"ĐV{i + 1:03d}",
            "display_order": i + 1,
            "email": f"dv{i + 1:03d}@langson.example.vn",
            "is_active": True,
        }
        for i, name in enumerate(department_names(departments))
    ]
    _insert(session, Department.__table__, dep_rows)
    dep_ids = [r["id"] for r in dep_rows]
    # Skewed workload: a few departments carry most tasks, as in real provinces.
    weights = [1.0 / (rank + 1) for rank in range(len(dep_ids))]
    weights[0] *= 1.3  # the busiest (land and environment) carries a 2,000-row table

    issuer_start = next_id(Issuer)
    _insert(
        session,
        Issuer.__table__,
        [
            {"id": issuer_start + i, "name": name, "short_name": short, "display_order": i + 1}
            for i, (name, short, _) in enumerate(ISSUERS)
        ],
    )
    user_start = next_id(User)
    from werkzeug.security import generate_password_hash

    password = generate_password_hash(BENCH_PASSWORD, method="pbkdf2:sha256:1000")
    users = [
        {
            "id": user_start,
            "username": "bench.office",
            "full_name": "Văn phòng (bench)",
            "email": "bench.office@langson.example.vn",
            "password_hash": password,
            "role": Role.OFFICE,
            "department_id": None,
            "is_active": True,
            "created_at": dt.datetime(2020, 1, 1),
        }
    ]
    for i, dep_id in enumerate(dep_ids):
        users.append(
            {
                "id": user_start + 1 + i,
                "username": f"bench.dv{i + 1:03d}",
                "full_name": f"Trưởng đơn vị {i + 1:03d}",
                "email": f"truong.dv{i + 1:03d}@langson.example.vn",
                "password_hash": password,
                "role": Role.DEPARTMENT_HEAD,
                "department_id": dep_id,
                "is_active": True,
                "created_at": dt.datetime(2020, 1, 1),
            }
        )
    _insert(session, User.__table__, users)
    office_id = user_start
    say(f"{len(dep_rows)} departments, {len(users)} users")

    start_day = today - dt.timedelta(days=365 * years)
    span = (today - start_day).days
    doc_id, task_id, event_id = next_id(Document), next_id(Task), next_id(Event)
    report_id, extension_id = next_id(ProgressReport), next_id(Extension)
    numbers: dict[tuple[int, int], int] = {}
    docs, task_rows, coop_rows, events, reports, extensions = [], [], [], [], [], []
    created_at = dt.datetime.combine(today, dt.time(8))

    def event_row(
        event_id,
        task_id,
        kind,
        effective_on,
        user_id=None,
        state=None,
        sets_deadline=False,
        deadline=None,
        after=None,
        comment="",
    ):
        return {
            "id": event_id,
            "task_id": task_id,
            "user_id": user_id,
            "kind": kind,
            "effective_on": effective_on,
            "created_at": created_at,
            "state": state,
            "sets_deadline": sets_deadline,
            "deadline": deadline,
            "before": None,
            "after": after,
            "comment": comment,
        }

    written = 0
    while written < tasks:
        issued = start_day + dt.timedelta(days=int(rng.random() ** 0.8 * span))
        issuer_index = rng.randrange(len(ISSUERS))
        key = (issuer_index, issued.year)
        numbers[key] = numbers.get(key, 0) + 1
        docs.append(
            {
                "id": doc_id,
                "number": f"{numbers[key]}/{ISSUERS[issuer_index][2]}",
                "kind": "Thông báo kết luận",
                "issuer_id": issuer_start + issuer_index,
                "issued_on": issued,
                "issued_year": issued.year,  # a core insert: the model's validator is not run
                "summary": f"Thông báo kết luận về {rng.choice(SUBJECTS)}",
                "signer": "Chủ tịch UBND tỉnh",
                "created_at": created_at,
            }
        )
        for _ in range(min(rng.randint(1, 5), tasks - written)):
            lead = rng.choices(dep_ids, weights)[0]
            content = f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)} ({task_id})"
            roll = rng.random()
            if roll < 0.1:
                kind, deadline, working = DeadlineKind.NONE, None, None
            elif roll < 0.2:
                working = rng.choice((5, 10, 15, 20))
                kind, deadline = (
                    DeadlineKind.WORKING_DAYS,
                    calendar.add_working_days(issued, working),
                )
            else:
                kind, working = DeadlineKind.DATE, None
                deadline = calendar.next_working_day(issued + dt.timedelta(days=rng.randint(7, 60)))
            task_events = [
                event_row(
                    event_id,
                    task_id,
                    "created",
                    issued,
                    user_id=office_id,
                    state=TaskState.OPEN,
                    sets_deadline=True,
                    deadline=deadline,
                )
            ]
            event_id += 1
            state, done_on, current_deadline = TaskState.OPEN, None, deadline
            age = (today - issued).days
            # Progress for most tasks, a few days after issue, often reported twice.
            if rng.random() < 0.85 and age > 3:
                for number in range(1 if rng.random() < 0.5 else 2):
                    day = issued + dt.timedelta(days=rng.randint(1, min(age, 20)))
                    reports.append(
                        {
                            "id": report_id,
                            "task_id": task_id,
                            "department_id": lead,
                            "user_id": None,
                            "reported_on": day,
                            "content": "Đã triển khai, đang tổng hợp kết quả.",
                            "created_at": created_at,
                        }
                    )
                    events.append(
                        event_row(
                            event_id,
                            task_id,
                            "progress",
                            day,
                            after={"progress_report_id": report_id},
                        )
                    )
                    report_id += 1
                    event_id += 1
                    if number == 0:
                        events.append(
                            event_row(event_id, task_id, "state", day, state=TaskState.IN_PROGRESS)
                        )
                        event_id += 1
                state = TaskState.IN_PROGRESS
            # Some deadlines were extended on approval.
            if deadline and rng.random() < 0.12 and age > 30:
                approved = min(deadline, today - dt.timedelta(days=1))
                current_deadline = calendar.next_working_day(deadline + dt.timedelta(days=30))
                extensions.append(
                    {
                        "id": extension_id,
                        "task_id": task_id,
                        "requested_by_id": None,
                        "requested_on": approved,
                        "previous_deadline": deadline,
                        "requested_deadline": current_deadline,
                        "reason": "Cần thêm thời gian phối hợp.",
                        "status": "approved",
                        "decided_by_id": office_id,
                        "decided_on": approved,
                        "decision_note": "",
                        "created_at": created_at,
                    }
                )
                extension_id += 1
                events += [
                    event_row(event_id, task_id, "extension_requested", approved),
                    event_row(
                        event_id + 1,
                        task_id,
                        "deadline",
                        approved,
                        user_id=office_id,
                        sets_deadline=True,
                        deadline=current_deadline,
                    ),
                ]
                event_id += 2
            # Completion: tasks past their deadline are nearly all done, so that about one
            # open task in five is late; standing tasks close after a few months.
            if current_deadline is not None:
                finish_chance = past_due_finish if current_deadline < today else 0.2
            else:
                finish_chance = 0.9 if age > 180 else 0.3
            closed_on = None
            if rng.random() < CANCELLED_SHARE:
                state = TaskState.CANCELLED
                done_on = None
                day = issued + dt.timedelta(days=min(age, rng.randint(1, 30)))
                events.append(
                    event_row(
                        event_id,
                        task_id,
                        "state",
                        day,
                        user_id=office_id,
                        state=state,
                        comment="Hủy",
                    )
                )
                event_id += 1
                closed_on = day
            elif rng.random() < finish_chance and age > 2:
                late_by = rng.randint(-15, 25) if current_deadline else 0
                base = current_deadline or issued + dt.timedelta(days=30)
                done_on = min(
                    today, max(issued + dt.timedelta(days=1), base + dt.timedelta(days=late_by))
                )
                state = TaskState.DONE
                closed_on = done_on
                events += [
                    event_row(
                        event_id, task_id, "state", done_on, state=TaskState.AWAITING_CONFIRMATION
                    ),
                    event_row(
                        event_id + 1,
                        task_id,
                        "state",
                        done_on,
                        user_id=office_id,
                        state=state,
                        comment="Xác nhận hoàn thành",
                    ),
                ]
                event_id += 2
            events.extend(task_events)
            task_rows.append(
                {
                    "id": task_id,
                    "document_id": doc_id,
                    "content": content,
                    "lead_department_id": lead,
                    "deadline_kind": kind,
                    "deadline_working_days": working,
                    "deadline": current_deadline,
                    "original_deadline": deadline,
                    "state": state,
                    "done_on": done_on,
                    "closed_on": closed_on,
                    "cancel_reason": "",
                    "note": "",
                    "search_text": fold(content),
                    "version": 1,
                    "created_at": created_at,
                    "updated_at": created_at,
                }
            )
            if rng.random() < 0.3:
                coop_rows.append(
                    {
                        "task_id": task_id,
                        "department_id": rng.choice([d for d in dep_ids if d != lead]),
                    }
                )
            task_id += 1
            written += 1
        doc_id += 1
        if len(task_rows) >= 20000:
            _flush(session, docs, task_rows, coop_rows, events, reports, extensions)
            say(f"{written} tasks")
    _flush(session, docs, task_rows, coop_rows, events, reports, extensions)
    if session.get_bind().dialect.name == "postgresql":
        for table in (
            "departments",
            "issuers",
            "users",
            "documents",
            "tasks",
            "events",
            "progress_reports",
            "extensions",
        ):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT MAX(id) FROM {table}))"
                )
            )
    session.commit()
    with session.get_bind().connect() as connection:  # statistics for the query planner
        connection.execute(text("ANALYZE"))
        connection.commit()
    return {
        "departments": len(dep_rows),
        "tasks": written,
        "events": session.scalar(select(func.count(Event.id))),
    }


def _flush(session, docs, task_rows, coop_rows, events, reports, extensions) -> None:
    _insert(session, Document.__table__, docs)
    _insert(session, Task.__table__, task_rows)
    _insert(session, task_cooperators, coop_rows)
    _insert(session, Event.__table__, events)
    _insert(session, ProgressReport.__table__, reports)
    _insert(session, Extension.__table__, extensions)
    for rows in (docs, task_rows, coop_rows, events, reports, extensions):
        rows.clear()
