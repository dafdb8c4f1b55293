"""Key task groups and evaluations: the seed's sentence from the demo, proposals at each
threshold, evaluations kept as of their date, and the report's words."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from app.core.office_scope import use_office
from app.dev.demo import city_office_id, seed_demo
from app.keytasks.evaluations import Decision, EvaluationError, Subject, record
from app.keytasks.grades import DEFAULT_GRADES, Figures, Rule, propose
from app.keytasks.groups import GroupValues, group_progress, save_group, set_tasks
from app.keytasks.sentence import build_section
from tests.conftest import FAST_HASH

D = dt.date
SEED = Path("/work/shared/seed/bao-cao-1321-BC-UBND-2024-12-16.txt")
SEED_SENTENCE = (
    "Năm 2024, Thành ủy đã giao UBND thành phố tổ chức triển khai thực hiện gồm 02 nhóm nhiệm "
    "vụ trọng tâm. Kết quả thực hiện, cơ bản 02/02 nhóm nhiệm vụ trọng tâm đều đã được triển "
    "khai cơ bản đảm bảo theo tiến độ và kế hoạch đã đề ra, qua đánh giá có 01 nhóm nhiệm vụ "
    "hoàn thành tốt nhiệm vụ và 01 nhóm nhiệm vụ hoàn thành xuất sắc nhiệm vụ."
)
EXCELLENT, GOOD, DONE, FAILED = DEFAULT_GRADES


def test_the_sentence_is_the_seed_report_s_own():
    if SEED.exists():  # the seed report, where this machine has it
        text = SEED.read_text(encoding="utf-8")
        section = text.split("8. Công tác triển khai thực hiện nhiệm vụ trọng tâm", 1)[1]
        assert section.strip().splitlines()[0].strip() == SEED_SENTENCE


def test_cli_prints_the_seed_sentence_from_the_demo(app, session):
    seed_demo(session, D(2026, 11, 27), FAST_HASH)
    session.commit()
    args = ["report", "key-tasks", "--office", "TPLS", "--year", "2024", "--as-of", "2024-12-16"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code == 0, result.output
    assert result.output.strip() == SEED_SENTENCE
    # The grades of 12/12/2024 are the ones the default rules propose from the groups' figures.
    from sqlalchemy import select

    from app.models import Evaluation

    with use_office(city_office_id()):
        first = session.scalars(
            select(Evaluation).where(Evaluation.effective_on == D(2024, 12, 12))
        ).all()
    assert [(e.grade, e.proposal) for e in first] == [(GOOD, GOOD), (EXCELLENT, EXCELLENT)]
    # The demo revised the first group's grade on 15/01/2025: later reports say so, the report
    # of 16/12/2024 does not change.
    later = app.test_cli_runner().invoke(args=[*args[:6], "--as-of", "2025-02-01"]).output
    assert "02 nhóm nhiệm vụ hoàn thành xuất sắc nhiệm vụ." in later
    before = app.test_cli_runner().invoke(args=[*args[:6], "--as-of", "2024-12-01"]).output
    assert "chưa đánh giá" in before


def test_cli_refuses_a_year_and_a_period_together(app):
    args = ["report", "key-tasks", "--year", "2024", "--from", "2024-01-01", "--to", "2024-06-30"]
    result = app.test_cli_runner().invoke(args=args)
    assert result.exit_code != 0 and "không chọn cả hai" in result.output


RULES = [
    Rule(EXCELLENT, Decimal(90), Decimal(10), Decimal(0), Decimal(80)),
    Rule(GOOD, Decimal(70), None, Decimal("10.5")),
    Rule(DONE, Decimal(50)),
]


def _figures(on_time: int, late: int, overdue: int, in_time: int = 0, updated=None) -> Figures:
    open_tasks = overdue + in_time
    return Figures(
        done_on_time=on_time,
        done_late=late,
        overdue=overdue,
        in_time=in_time,
        open_tasks=open_tasks,
        updated=open_tasks if updated is None else updated,
    )


@pytest.mark.parametrize(
    ("figures", "grade"),
    [
        (_figures(90, 10, 0), EXCELLENT),  # 90,0 % on time, 10,0 % late: both bounds hold
        (_figures(899, 101, 0), GOOD),  # 89,9 % on time: just under
        (_figures(900, 99, 1), GOOD),  # 0,1 % overdue is over 0
        (_figures(89, 11, 0), GOOD),  # 11 % done late is over 10
        (_figures(9, 0, 0, 1, updated=0), GOOD),  # update rate 0 % under 80
        (_figures(8, 0, 0, 2, updated=2), GOOD),  # 80,0 % on time: under 90
        (_figures(9, 0, 0, 1, updated=1), EXCELLENT),  # update 100 %
        (_figures(700, 195, 105), GOOD),  # 70,0 % on time, 10,5 % overdue: both bounds hold
        (_figures(699, 195, 106), DONE),  # 69,9 %: under
        (_figures(700, 194, 106), DONE),  # 10,6 % overdue: over
        (_figures(50, 0, 50), DONE),  # 50,0 %: the last threshold holds
        (_figures(499, 0, 501), FAILED),  # 49,9 %: no rule holds, the last grade
        (_figures(0, 0, 0), ""),  # nothing counted, nothing proposed
    ],
)
def test_proposals_follow_the_thresholds_at_each_boundary(figures, grade):
    assert propose(figures, RULES, list(DEFAULT_GRADES)) == grade


def test_a_grade_without_a_rule_is_never_proposed():
    rules = [r for r in RULES if r.grade != EXCELLENT]
    assert propose(_figures(100, 0, 0), rules, list(DEFAULT_GRADES)) == GOOD


def _group(session, factory, tasks=(), year=2024):
    issuer = factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    group = save_group(
        session, GroupValues("Nhóm A", issuer.id, D(year, 1, 1), D(year, 12, 31), D(year, 1, 2))
    )
    set_tasks(session, group, [t.id for t in tasks])
    return group


def test_a_revision_after_a_date_leaves_the_report_of_that_date(session, factory):
    lead = factory.department("Phòng A")
    task = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    group = _group(session, factory, [task])
    subject = Subject.of_group(group)
    today = D(2025, 6, 1)
    record(session, subject, Decision(GOOD, D(2024, 12, 10), "", "BTV"), today)
    with pytest.raises(EvaluationError, match="lý do"):
        record(session, subject, Decision(EXCELLENT, D(2025, 1, 5)), today)
    revision = record(session, subject, Decision(EXCELLENT, D(2025, 1, 5), reason="Rà soát"), today)
    assert revision.revises_id is not None and revision.reason == "Rà soát"
    with pytest.raises(EvaluationError, match="từ ngày 05/01/2025"):
        record(session, subject, Decision(DONE, D(2024, 12, 20), reason="x"), today)
    session.commit()

    def words(day):
        return build_section(session, D(2024, 1, 1), D(2024, 12, 31), day, "năm 2024").text

    assert "01 nhóm nhiệm vụ hoàn thành tốt nhiệm vụ." in words(D(2024, 12, 16))
    assert "01 nhóm nhiệm vụ hoàn thành xuất sắc nhiệm vụ." in words(D(2025, 1, 5))
    assert words(D(2024, 12, 9)).endswith("đang triển khai thực hiện, chưa đánh giá.")
    # Before the group was given, the year had no group.
    assert words(D(2024, 1, 1)) == "Năm 2024, không có nhóm nhiệm vụ trọng tâm nào được giao."


def test_an_evaluation_is_refused_for_a_grade_not_in_the_list_or_a_day_to_come(session, factory):
    group = _group(session, factory)
    subject = Subject.of_group(group)
    with pytest.raises(EvaluationError, match="mức đánh giá"):
        record(session, subject, Decision("Tốt lắm", D(2024, 12, 1)), D(2025, 1, 1))
    with pytest.raises(EvaluationError, match="sau hôm nay"):
        record(session, subject, Decision(GOOD, D(2025, 1, 2)), D(2025, 1, 1))


def test_group_progress_counts_as_the_statistics_do(session, factory):
    from app.models.documents import TaskState
    from app.tasks.changes import change_state

    lead = factory.department("Phòng A")
    on_time = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    late = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    overdue = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    later = factory.task(lead, D(2024, 9, 1), D(2024, 12, 1))
    change_state(session, on_time, TaskState.DONE, effective_on=D(2024, 2, 20))
    change_state(session, late, TaskState.DONE, effective_on=D(2024, 3, 20))
    group = _group(session, factory, [on_time, late, overdue, later])
    session.commit()
    figures = group_progress(session, group.id, D(2024, 6, 30)).figures
    assert (figures.done_on_time, figures.done_late, figures.overdue) == (1, 1, 1)
    assert figures.total == 3 and figures.on_time_share == Decimal("33.3")
    assert group_progress(session, group.id, D(2024, 6, 30)).not_yet == 1


def test_section_words_for_mixed_grades(session, factory):
    from app.keytasks.sentence import GroupLine, section_text

    class G:  # what the sentence reads of a group
        def __init__(self, short):
            self.issuer = type("I", (), {"short_name": short, "name": short})()

    def line(short, grade, on_track=True):
        evaluation = type("E", (), {"grade": grade})() if grade else None
        return GroupLine(G(short), evaluation, None, on_track)

    text = section_text(
        "quý I năm 2025",
        [line("Thành ủy", GOOD), line("UBND tỉnh", FAILED, False), line("Thành ủy", None)],
    )
    assert text == (
        "Quý I năm 2025, Thành ủy và UBND tỉnh đã giao UBND thành phố tổ chức triển khai thực "
        "hiện gồm 03 nhóm nhiệm vụ trọng tâm. Kết quả thực hiện, cơ bản 02/03 nhóm nhiệm vụ "
        "trọng tâm đã được triển khai cơ bản đảm bảo theo tiến độ và kế hoạch đã đề ra, qua "
        "đánh giá có 01 nhóm nhiệm vụ hoàn thành tốt nhiệm vụ, 01 nhóm nhiệm vụ không hoàn "
        "thành nhiệm vụ và 01 nhóm nhiệm vụ đang triển khai thực hiện."
    )
    assert re.search(r"\b\d\d nhóm", text)


def test_the_report_page_and_its_downloads_carry_the_section(app, client, session):
    import csv
    import io

    from docx import Document as Docx
    from openpyxl import load_workbook

    from conftest import PASSWORD, login

    users = seed_demo(session, D(2026, 11, 27), FAST_HASH)
    with use_office(city_office_id()):
        users["vanphong"].set_password(PASSWORD, FAST_HASH)
        users["tnmt.truong"].set_password(PASSWORD, FAST_HASH)
    session.commit()
    login(client, users["vanphong"])
    page = client.get("/bao-cao?as_of=16/12/2024").get_data(as_text=True)
    assert SEED_SENTENCE in page
    query = "as_of=2024-12-16&year=2024"
    docx = Docx(io.BytesIO(client.get(f"/bao-cao/nhiem-vu-trong-tam.docx?{query}").data))
    assert SEED_SENTENCE in [p.text for p in docx.paragraphs]
    assert "Hoàn thành tốt nhiệm vụ" in [c.text for c in docx.tables[-1].columns[-1].cells]
    sheet = load_workbook(io.BytesIO(client.get(f"/bao-cao/nhiem-vu-trong-tam.xlsx?{query}").data))
    assert SEED_SENTENCE in [c.value for row in sheet.active.iter_rows() for c in row]
    text = client.get(f"/bao-cao/nhiem-vu-trong-tam.csv?{query}").get_data(as_text=True)
    rows = list(csv.reader(text.splitlines()))
    assert [r[-1] for r in rows[1:]] == ["Hoàn thành tốt nhiệm vụ", "Hoàn thành xuất sắc nhiệm vụ"]
    assert client.get("/bao-cao/nhiem-vu-trong-tam.pdf").status_code == 404
    assert client.get("/bao-cao/nhiem-vu-trong-tam.csv?year=2024&from=2024-01-01").status_code == (
        400
    )
    login(client, users["tnmt.truong"])
    assert client.get(f"/bao-cao/nhiem-vu-trong-tam.csv?{query}").status_code == 403


def test_the_archive_carries_groups_and_evaluations(app, session, database_url, request, tmp_path):
    """Exported from the demo and loaded into an empty instance, the key-task section says the
    same on every date, and the revision keeps its reason and what it revised."""
    import json
    import zipfile

    from sqlalchemy import func, select
    from test_archive import empty_instance

    from app.extensions import db
    from app.models import Evaluation, KeyTaskGroup

    seed_demo(session, D(2026, 11, 27), FAST_HASH)
    session.commit()
    days = (D(2024, 12, 1), D(2024, 12, 16), D(2025, 2, 1))

    def said(s):
        return [build_section(s, D(2024, 1, 1), D(2024, 12, 31), d, "năm 2024").text for d in days]

    with use_office(city_office_id()):  # the city office of 2024 is exported
        before = said(session)
        groups = {
            g.name: sorted(t.id for t in g.tasks) for g in session.scalars(select(KeyTaskGroup))
        }
    target = tmp_path / "ho-so.zip"
    runner = app.test_cli_runner()
    exported = runner.invoke(args=["archive", "export", "--office", "TPLS", str(target)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(target) as archive:
        assert json.loads(archive.read("manifest.json"))["counts"]["evaluations"] == 6
    empty_instance(app, database_url, request)
    result = runner.invoke(args=["archive", "import", str(target)])
    assert result.exit_code == 0, result.output
    session = db.session
    assert said(session) == before and before[1] == SEED_SENTENCE
    loaded = session.scalars(select(KeyTaskGroup)).all()
    assert {g.name: len(g.tasks) for g in loaded} == {n: len(t) for n, t in groups.items()}
    revision = session.scalar(select(Evaluation).where(Evaluation.revises_id.is_not(None)))
    assert revision.reason.startswith("Ban Thường vụ Thành ủy xem xét lại")
    assert revision.effective_on == D(2025, 1, 15)
    assert (
        session.scalar(
            select(func.count())
            .select_from(Evaluation)
            .where(Evaluation.department_id.is_not(None))
        )
        == 3
    )


def test_an_archive_without_the_key_task_parts_still_loads(app, session, tmp_path):
    """Archives written before the key task groups have no such parts: read as empty."""
    import zipfile

    from app.archive.format import read_lines

    target = tmp_path / "old.zip"
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("issuers.jsonl", "")
    with zipfile.ZipFile(target) as archive:
        assert list(read_lines(archive, "evaluations")) == []
        assert list(read_lines(archive, "key_task_groups")) == []


def test_the_body_given_the_groups_is_the_office_s_setting(session, factory):
    from app.core.settings import save_settings

    lead = factory.department("Phòng A")
    _group(session, factory, [factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))])
    save_settings(session, key_task_body="UBND huyện")
    text = build_section(session, D(2024, 1, 1), D(2024, 12, 31), D(2024, 6, 1), "năm 2024").text
    assert text.startswith(
        "Năm 2024, Thành ủy đã giao UBND huyện tổ chức triển khai thực hiện gồm 01"
    )


def test_groups_classified_together_count_as_each_alone(session, factory):
    """A task in two groups counts in both; updates count for the open tasks only."""
    from app.keytasks.groups import groups_progress
    from app.models.documents import TaskState
    from app.tasks.changes import change_state

    lead = factory.department("Phòng A")
    shared = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    done = factory.task(lead, D(2024, 2, 1), D(2024, 3, 1))
    change_state(session, done, TaskState.DONE, effective_on=D(2024, 2, 10))
    a = _group(session, factory, [shared, done])
    issuer = a.issuer
    b = save_group(session, GroupValues("Nhóm B", issuer.id, D(2024, 1, 1), D(2024, 12, 31)))
    set_tasks(session, b, [shared.id])
    from app.models import ProgressReport

    session.add(ProgressReport(task_id=shared.id, department_id=lead.id, reported_on=D(2024, 6, 20),
                               content="Đang làm"))  # fmt: skip
    session.commit()
    together = groups_progress(session, [a.id, b.id], D(2024, 6, 30))
    for group in (a, b):
        alone = groups_progress(session, [group.id], D(2024, 6, 30))[group.id]
        assert together[group.id].figures == alone.figures
    assert together[a.id].figures.total == 2 and together[b.id].figures.total == 1
    assert together[b.id].figures.overdue == 1 and together[b.id].figures.updated == 1
