"""The monthly section, in the seed report's exact form."""

import datetime as dt

from sqlalchemy import func, select

from app.core.office_scope import use_office
from app.dev.demo import REFORM_DATE, SCENARIO_DATE, city_office_id, seed_demo
from app.models import Task
from app.models.documents import TaskState
from app.reports.summary import build_summary, summary_text
from app.tasks.changes import change_state

D = dt.date

# Report 1321/BC-UBND, Lạng Sơn city, 16/12/2024 (shared/seed), one line each, no full stops.
SEED_SECTION = """\
- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 13 nội dung
+ Phòng Tài nguyên và Môi trường: 07 nội dung
+ Phòng Văn hóa – Thông tin thành phố: 03 nội dung
+ Trung tâm Văn hóa - Thể thao thành phố: 01 nội dung
+ Phòng Lao động – Thương binh và Xã hội thành phố: 01 nội dung
+ Phòng Quản lý đô thị thành phố: 01 nội dung
- Các đơn vị còn có nội dung chưa tham mưu giải quyết: 22 nội dung
+ Phòng Tài nguyên và Môi trường: 18 nội dung
+ Trung tâm Phát triển quỹ đất: 02 nội dung
+ Phòng Quản lý đô thị thành phố: 02 nội dung
(Có biểu chi tiết kèm theo Báo cáo)"""


def test_empty_categories_read_khong_co(session):
    text = summary_text(build_summary(session, D(2024, 12, 16)))
    assert text.splitlines() == [
        "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: không có",
        "- Các đơn vị còn có nội dung chưa tham mưu giải quyết: không có",
        "(Có biểu chi tiết kèm theo Báo cáo)",
    ]


def test_order_by_count_then_display_order_and_only_lead_counts(session, factory):
    first = factory.department("Phòng A", order=1)
    second = factory.department("Phòng B", order=2)
    third = factory.department("Phòng C", order=3)
    for lead in (third, second, third):
        factory.task(lead, D(2024, 10, 1), D(2024, 11, 1), cooperators=[first])
    factory.task(first, D(2024, 10, 1), D(2024, 11, 1))
    cancelled = factory.task(first, D(2024, 10, 1), D(2024, 11, 1))
    change_state(session, cancelled, TaskState.CANCELLED, effective_on=D(2024, 10, 5))
    session.commit()
    summary = build_summary(session, D(2024, 12, 16))
    assert [(r.department.name, r.count) for r in summary.late] == [
        ("Phòng C", 2),
        ("Phòng A", 1),
        ("Phòng B", 1),
    ]
    assert summary.pending == []
    assert "- Các đơn vị còn có nội dung chậm tham mưu giải quyết: 04 nội dung" in summary_text(
        summary
    )


def test_issuer_filter(session, factory):
    dept = factory.department("Phòng A", order=1)
    province = factory.issuer("UBND tỉnh Lạng Sơn")
    city = factory.issuer("UBND thành phố Lạng Sơn")
    factory.task(dept, D(2024, 10, 1), D(2024, 11, 1), issuer=province)
    factory.task(dept, D(2024, 10, 1), None, issuer=city)
    session.commit()
    only_province = build_summary(session, D(2024, 12, 16), [province.id])
    assert only_province.late_total == 1 and only_province.pending_total == 0
    both = build_summary(session, D(2024, 12, 16))
    assert both.late_total == 1 and both.pending_total == 1


def test_demo_scenario_gives_the_seed_section(app, session):
    seed_demo(session, D(2026, 11, 27), "pbkdf2:sha256:1000")
    session.commit()
    with use_office(city_office_id()):  # the city office of 2024
        assert summary_text(build_summary(session, SCENARIO_DATE)) == SEED_SECTION
        # The scenario has history on both sides of the date: the same tasks differ later.
        later = build_summary(session, D(2025, 6, 30))
        assert summary_text(later) != SEED_SECTION and later.pending_total < 22
        assert session.scalar(select(func.count(Task.id))) > 35
        # From 01/07/2025 the city office is no more: its open tasks went on in the wards and
        # the province, and its reports count none (every date before is as it was).
        assert build_summary(session, REFORM_DATE).late_total == 0
        assert build_summary(session, REFORM_DATE).pending_total == 0


def test_cli_prints_the_seed_section(app, session):
    """The demo has several offices: the city office of 2024 is chosen by its code, and its
    section as of 16/12/2024 is the seed's, word for word, after the city ended and handed
    its open tasks over on 01/07/2025."""
    seed_demo(session, D(2026, 11, 27), "pbkdf2:sha256:1000")
    session.commit()
    runner = app.test_cli_runner()
    args = ["report", "summary", "--as-of", "2024-12-16"]
    result = runner.invoke(args=[*args, "--office", "TPLS"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == SEED_SECTION
    refused = runner.invoke(args=args)  # several offices and none chosen
    assert refused.exit_code == 2 and "--office" in refused.output
    ward = runner.invoke(args=[*args, "--office", "KYLUA"]).output  # created 01/07/2025
    assert "chậm tham mưu giải quyết: không có" in ward


def test_cli_rejects_a_bad_date(app):
    result = app.test_cli_runner().invoke(args=["report", "summary", "--as-of", "16/12/2024"])
    assert result.exit_code != 0
    assert "YYYY-MM-DD" in result.output
