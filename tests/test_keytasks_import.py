"""The import's optional column "Nhóm nhiệm vụ trọng tâm": a row's task joins existing groups."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from test_import import HEADERS, ROWS, workbook_bytes

from app.importing import ImportFailed, import_tasks
from app.keytasks.groups import GroupValues, member_ids, save_group
from app.models import Task

D = dt.date
COLUMN = "Nhóm nhiệm vụ trọng tâm"


def _groups(session, factory):
    issuer = factory.issuer("Thành ủy Lạng Sơn", "Thành ủy")
    land = save_group(
        session, GroupValues("Nhóm đất đai", issuer.id, D(2024, 1, 1), D(2024, 12, 31))
    )
    city = save_group(
        session, GroupValues("Nhóm đô thị", issuer.id, D(2024, 1, 1), D(2024, 12, 31))
    )
    session.commit()
    return land, city


def _rows(groups: list[str]) -> list[list]:
    return [[*row, name] for row, name in zip(ROWS, groups, strict=True)]


def test_rows_join_the_groups_they_name(session, factory):
    land, city = _groups(session, factory)
    names = ["nhom dat dai", "Nhóm đất đai; Nhóm đô thị", "", "", ""]
    data = workbook_bytes(rows=_rows(names), headers=[*HEADERS, COLUMN])
    import_tasks(session, data, "theo-doi.xlsx", today=D(2025, 3, 1))
    session.commit()
    tasks = {t.content: t.id for t in session.scalars(select(Task))}
    first = tasks["Rà soát hồ sơ cấp GCN tại phường Vĩnh Trại"]
    second = next(i for c, i in tasks.items() if "lấn chiếm" in c)
    assert member_ids(session, land.id) == sorted([first, second])
    assert member_ids(session, city.id) == [second]
    # Imported again: nothing doubles.
    data = workbook_bytes(rows=_rows(names), headers=[*HEADERS, COLUMN])
    import_tasks(session, data, "theo-doi.xlsx", today=D(2025, 3, 1))
    session.commit()
    assert member_ids(session, land.id) == sorted([first, second])


def test_an_unknown_group_is_the_row_s_error_and_nothing_is_written(session, factory):
    _groups(session, factory)
    data = workbook_bytes(rows=_rows(["Nhóm không có", "", "", "", ""]), headers=[*HEADERS, COLUMN])
    with pytest.raises(ImportFailed) as failed:
        import_tasks(session, data, "theo-doi.xlsx", today=D(2025, 3, 1))
    assert any(
        "không có nhóm nhiệm vụ trọng tâm “Nhóm không có”" in str(p) for p in failed.value.problems
    )
    session.rollback()
    assert session.scalar(select(Task.id)) is None
