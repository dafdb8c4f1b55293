"""Before loading an archive: each archived unit and issuer matched with one here by name, and
every conflict with what is here listed (nothing is written while there is one)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.archive.format import ArchiveError, date_of
from app.models import Department, DepartmentName, Document, Issuer


def name_key(name: str) -> str:
    return " ".join(str(name or "").split()).lower()


def _plan_units(session: Session, units: list[dict]) -> tuple[dict[int, Department], list[str]]:
    """The unit here for each archived unit (None: to create), and the conflicts."""
    here = {name_key(d.name): d for d in session.scalars(select(Department))}
    former_here = {
        name_key(n.name): n.department_id for n in session.scalars(select(DepartmentName))
    }
    planned: dict[int, Department | None] = {}
    problems = []
    for unit in units:
        match = here.get(name_key(unit["name"]))
        label = unit["name"]
        if match is None:
            if name_key(unit["name"]) in former_here:
                problems.append(f"Đơn vị “{label}”: ở đây là tên cũ của một đơn vị đã đổi tên.")
            for old in unit.get("names", []):
                if name_key(old["name"]) in here:
                    problems.append(
                        f"Đơn vị “{label}” (trước đây “{old['name']}”): ở đây đã có đơn vị mang "
                        "tên cũ đó; hãy đổi tên đơn vị ở đây trước."
                    )
            planned[unit["ref"]] = None
            continue
        ended = date_of(unit.get("ended_on"))
        if (ended is None) != (match.ended_on is None) or (ended and ended != match.ended_on):
            problems.append(
                f"Đơn vị “{label}”: thời điểm thôi hoạt động khác nhau giữa tệp "
                f"({_day(ended)}) và ở đây ({_day(match.ended_on)})."
            )
        if unit.get("names") and session.scalar(
            select(func.count())
            .select_from(DepartmentName)
            .where(DepartmentName.department_id == match.id)
        ):
            problems.append(f"Đơn vị “{label}”: đã có lịch sử đổi tên ở đây và trong tệp.")
        planned[unit["ref"]] = match
    return planned, problems


def _day(day: dt.date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else "đang hoạt động"


def plan(
    session: Session, issuers: list[dict], units: list[dict], documents: list[dict]
) -> tuple[dict[int, Department | None], dict[str, Issuer]]:
    """The unit here of each archived unit (None: to create) and the issuers here by name;
    raises ``ArchiveError`` listing every conflict."""
    unit_map, problems = _plan_units(session, units)
    issuer_here = {name_key(i.name): i for i in session.scalars(select(Issuer))}
    issuer_name = {i["ref"]: i["name"] for i in issuers}
    for document in documents:
        issuer = issuer_here.get(name_key(issuer_name.get(document["issuer"], "")))
        if issuer is None:
            continue
        clash = session.scalar(
            select(Document.id).where(
                Document.issuer_id == issuer.id,
                Document.number == document["number"],
                Document.issued_on == date_of(document["issued_on"]),
            )
        )
        if clash is not None:
            problems.append(
                f"Văn bản {document['number']} ngày {date_of(document['issued_on']):%d/%m/%Y} "
                f"của {issuer.name} đã có ở đây."
            )
    if problems:
        raise ArchiveError(
            f"Không nhập tệp lưu trữ: {len(problems)} xung đột, chưa ghi gì.", problems
        )
    return unit_map, issuer_here
