"""The demo's 2025 reorganisation: two units merged into one."""

from __future__ import annotations

import datetime as dt

from app.dev.demo.writer import Demo
from app.models import Document
from app.models.documents import DeadlineKind, TaskState
from app.tasks.changes import add_task, change_state

MERGER_DATE = dt.date(2025, 3, 1)
MERGER_DECISION = "Quyết định số 412/QĐ-UBND ngày 25/02/2025 của UBND thành phố"
SUCCESSOR = "Ban Quản lý dự án đầu tư xây dựng và Phát triển quỹ đất thành phố"


def add_reorganisation(demo: Demo, today: dt.date) -> None:
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
