""" "The same document": one issuer's number in one year, the same for every path that writes
documents (app.documents.operations) and enforced by the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.documents import operations
from app.documents.operations import SameDocumentExists, save_document
from app.importing import ImportFailed, import_tasks
from app.models import Document
from tests.test_import import HEADERS, workbook_bytes

D = dt.date
MARCH_2 = D(2026, 3, 2)


def fields(issuer, number="45/TB-UBND", issued_on=MARCH_2) -> dict:
    return {"issuer_id": issuer.id, "number": number, "issued_on": issued_on}


def test_the_database_refuses_a_second_same_document_written_past_the_operations(session, factory):
    issuer = factory.issuer()
    save_document(session, None, **fields(issuer))
    session.commit()
    session.add(Document(issuer=issuer, number="45/TB-UBND", issued_on=D(2026, 5, 4)))
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()
    # another year, another issuer, another number: other documents
    session.add(Document(issuer=issuer, number="45/TB-UBND", issued_on=D(2027, 3, 2)))
    other = factory.issuer("Thành ủy Lạng Sơn")
    session.add(Document(issuer=other, number="45/TB-UBND", issued_on=D(2026, 3, 2)))
    session.add(Document(issuer=issuer, number="46/TB-UBND", issued_on=D(2026, 3, 2)))
    session.commit()
    assert session.scalar(select(func.count(Document.id))) == 4
    assert {d.issued_year for d in session.scalars(select(Document))} == {2026, 2027}


def test_saving_finds_the_same_document_and_changes_nothing(session, factory):
    issuer = factory.issuer()
    first = save_document(session, None, **fields(issuer), summary="  Kết luận  ")
    assert first.summary == "Kết luận" and first.issued_year == 2026
    second = save_document(session, None, **fields(issuer, "46/TB-UBND"))
    session.commit()
    with pytest.raises(SameDocumentExists) as same:
        save_document(session, None, **fields(issuer, " 45/TB-UBND ", D(2026, 12, 31)))
    assert same.value.existing.id == first.id
    with pytest.raises(SameDocumentExists):  # a change into another's number, that year
        save_document(session, second, **fields(issuer, "45/TB-UBND", D(2026, 7, 1)))
    assert session.get(Document, second.id).number == "46/TB-UBND"
    moved = save_document(session, first, **fields(issuer, "45/TB-UBND", D(2026, 3, 3)))
    assert moved.id == first.id and moved.issued_on == D(2026, 3, 3)  # itself is no clash


def test_a_same_document_written_meanwhile_is_told_as_one(session, factory, monkeypatch):
    """Between the look-up and the write another request stored it: the database refuses,
    the caller hears of the same document, and the session goes on."""
    issuer = factory.issuer()
    stored = save_document(session, None, **fields(issuer))
    session.commit()
    looked = []
    real = operations.find_same

    def late(*args, **kwargs):
        looked.append(args)
        return None if len(looked) == 1 else real(*args, **kwargs)

    monkeypatch.setattr(operations, "find_same", late)
    with pytest.raises(SameDocumentExists) as same:
        save_document(session, None, **fields(issuer, issued_on=D(2026, 9, 9)))
    assert same.value.existing.id == stored.id and len(looked) == 2
    assert session.scalar(select(func.count(Document.id))) == 1


def _row(number: str, day: str, content: str) -> list:
    return [number, day, "UBND tỉnh", "", "", content, "TNMT", "", "", "", None, ""]


def test_an_import_row_dated_otherwise_in_the_same_year_is_refused(session, factory):
    assert HEADERS[1] == "Ngày ban hành"
    issuer = factory.issuer("UBND tỉnh")
    save_document(session, None, **fields(issuer, "45/TB-UBND", D(2024, 11, 5)))
    session.commit()
    rows = [
        _row("45/TB-UBND", "06/11/2024", "Kiểm tra"),  # the stored one, dated otherwise
        _row("7/TB-UBND", "01/03/2024", "Rà soát"),
        _row("7/TB-UBND", "02/03/2024", "Báo cáo"),  # the row above, dated otherwise
        _row("45/TB-UBND", "05/11/2023", "Tổng kết"),  # another year: another document
    ]
    with pytest.raises(ImportFailed) as failed:
        import_tasks(session, workbook_bytes(rows=rows), "x.xlsx", today=D(2025, 3, 1))
    session.rollback()
    found = {(p.row, p.column): p.message for p in failed.value.problems}
    assert set(found) == {(2, "Ngày ban hành"), (4, "Ngày ban hành")}
    assert (
        "đã có văn bản 45/TB-UBND của cơ quan này ban hành ngày 05/11/2024"
        in found[2, "Ngày ban hành"]
    )
    assert "đã ghi ngày ban hành 01/03/2024 ở dòng 3" in found[4, "Ngày ban hành"]
    del rows[2]
    rows[0][1] = "05/11/2024"
    result = import_tasks(session, workbook_bytes(rows=rows), "x.xlsx", today=D(2025, 3, 1))
    assert result.created_documents == 2  # 7/TB-UBND of 2024, 45/TB-UBND of 2023
    assert session.scalar(select(func.count(Document.id))) == 3


def test_an_archive_naming_a_document_here_in_the_same_year_is_refused(session, factory):
    from app.archive import records
    from app.archive.format import ArchiveError
    from app.archive.plan import plan

    issuer = factory.issuer("UBND tỉnh")
    save_document(session, None, **fields(issuer, "45/TB-UBND", D(2024, 11, 5)))
    session.commit()
    documents = [
        records.Document(ref=1, issuer=9, number="45/TB-UBND", issued_on=D(2024, 11, 6)),
        records.Document(ref=2, issuer=9, number="8/TB-UBND", issued_on=D(2024, 1, 2)),
        records.Document(ref=3, issuer=9, number="8/TB-UBND", issued_on=D(2024, 2, 3)),
        records.Document(ref=4, issuer=9, number="45/TB-UBND", issued_on=D(2025, 11, 5)),
    ]
    with pytest.raises(ArchiveError) as refused:
        plan(session, [records.Issuer(ref=9, name="UBND tỉnh")], [], documents)
    assert refused.value.problems == [
        "Văn bản 45/TB-UBND ngày 06/11/2024 của UBND tỉnh: ở đây đã có văn bản số đó ngày "
        "05/11/2024 (cùng cơ quan, cùng số trong một năm là một văn bản).",
        "Văn bản 8/TB-UBND của UBND tỉnh có hai lần trong tệp, ngày 02/01/2024 và ngày "
        "03/02/2024 (cùng cơ quan, cùng số trong một năm là một văn bản).",
    ]
