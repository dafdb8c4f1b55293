"""Before loading an archive: each archived unit and issuer matched with one here by name, and
every conflict with what is here listed (nothing is written while there is one)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.archive import records
from app.archive.format import ArchiveError
from app.documents.operations import same_key, stored_by_key
from app.models import Department, DepartmentName, Issuer

SAME = "cùng cơ quan, cùng số trong một năm là một văn bản"


def name_key(name: str) -> str:
    return " ".join(str(name or "").split()).lower()


def _plan_units(
    session: Session, units: list[records.Unit]
) -> tuple[dict[int, Department | None], list[str]]:
    """The unit here for each archived unit (None: to create), and the conflicts."""
    here = {name_key(d.name): d for d in session.scalars(select(Department))}
    former_here = {
        name_key(n.name): n.department_id for n in session.scalars(select(DepartmentName))
    }
    planned: dict[int, Department | None] = {}
    problems = []
    for unit in units:
        match = here.get(name_key(unit.name))
        label = unit.name
        if match is None:
            if name_key(unit.name) in former_here:
                problems.append(f"Đơn vị “{label}”: ở đây là tên cũ của một đơn vị đã đổi tên.")
            for old in unit.names:
                if name_key(old.name) in here:
                    problems.append(
                        f"Đơn vị “{label}” (trước đây “{old.name}”): ở đây đã có đơn vị mang "
                        "tên cũ đó; hãy đổi tên đơn vị ở đây trước."
                    )
            planned[unit.ref] = None
            continue
        ended = unit.ended_on
        if (ended is None) != (match.ended_on is None) or (ended and ended != match.ended_on):
            problems.append(
                f"Đơn vị “{label}”: thời điểm thôi hoạt động khác nhau giữa tệp "
                f"({_day(ended)}) và ở đây ({_day(match.ended_on)})."
            )
        if unit.names and session.scalar(
            select(func.count())
            .select_from(DepartmentName)
            .where(DepartmentName.department_id == match.id)
        ):
            problems.append(f"Đơn vị “{label}”: đã có lịch sử đổi tên ở đây và trong tệp.")
        planned[unit.ref] = match
    return planned, problems


def _day(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "đang hoạt động"


def plan(
    session: Session,
    issuers: list[records.Issuer],
    units: list[records.Unit],
    documents: list[records.Document],
) -> tuple[dict[int, Department | None], dict[str, Issuer]]:
    """The unit here of each archived unit (None: to create) and the issuers here by name;
    raises ``ArchiveError`` listing every conflict."""
    unit_map, problems = _plan_units(session, units)
    issuer_here = {name_key(i.name): i for i in session.scalars(select(Issuer))}
    issuer_name = {i.ref: i.name for i in issuers}
    problems += _document_clashes(session, issuer_here, issuer_name, documents)
    if problems:
        raise ArchiveError(
            f"Không nhập tệp lưu trữ: {len(problems)} xung đột, chưa ghi gì.", problems
        )
    return unit_map, issuer_here


def _document_clashes(session, issuer_here, issuer_name, documents: list) -> list[str]:
    """An archived document that is one here (or one earlier in the archive): the same issuer's
    number in the same year (``app.documents.operations``)."""
    stored = stored_by_key(session, (d.number for d in documents))
    archived: dict[tuple, records.Document] = {}
    problems = []
    for document in documents:
        name, number = issuer_name.get(document.issuer, ""), document.number
        day = document.issued_on
        earlier = archived.setdefault((name_key(name), number, day.year), document)
        if earlier is not document:
            problems.append(
                f"Văn bản {number} của {name} có hai lần trong tệp, ngày "
                f"{earlier.issued_on:%d/%m/%Y} và ngày {day:%d/%m/%Y} ({SAME})."
            )
        issuer = issuer_here.get(name_key(name))
        clash = stored.get(same_key(issuer.id, number, day)) if issuer is not None else None
        if clash is not None and clash.issued_on == day:
            problems.append(f"Văn bản {number} ngày {day:%d/%m/%Y} của {issuer.name} đã có ở đây.")
        elif clash is not None:
            problems.append(
                f"Văn bản {number} ngày {day:%d/%m/%Y} của {issuer.name}: ở đây đã có văn bản số "
                f"đó ngày {clash.issued_on:%d/%m/%Y} ({SAME})."
            )
    return problems
