"""The units a task sheet names: by name or short name, by a former name (a rename), and the
successor a merger gave a unit the sheet still names."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.textnorm import fold
from app.importing.reader import Row
from app.models import Department
from app.units.matching import UnitFinder


class DepartmentIndex:
    """Departments found by name or short name, folded; former names too (a rename); else by
    the matcher the document reader uses (``app.units.matching``: "Phòng LĐ-TB&XH", "Phòng
    Văn hóa và Thông tin", a name without "thành phố" …)."""

    def __init__(self, departments: list[Department], former: list[tuple[str, int]] = ()):
        self._by_key: dict[str, Department] = {}
        self._departments: list[Department] = []
        self._matcher: UnitFinder | None = None
        self._matched: dict[str, Department | None] = {}
        for department in departments:
            self.add(department)
        by_id = {d.id: d for d in departments}
        for name, department_id in former:
            self._by_key.setdefault(fold(name), by_id[department_id])
        self.successors: dict[int, Department | None] = {}  # ended unit → who carries on
        self.notes: list[str] = []  # what the import did with rows naming former units

    @classmethod
    def load(cls, session: Session) -> DepartmentIndex:
        from app.models import DepartmentName
        from app.units.reorganise import successor

        departments = list(session.scalars(select(Department).order_by(Department.id)))
        former = session.execute(
            select(DepartmentName.name, DepartmentName.department_id).order_by(
                DepartmentName.until.desc()
            )
        ).all()
        index = cls(departments, former)
        for department in departments:
            if department.ended_on is not None:
                index.successors[department.id] = successor(session, department)
        return index

    def add(self, department: Department) -> None:
        for key in (fold(department.name), fold(department.short_name)):
            if key:
                self._by_key.setdefault(key, department)
        self._departments.append(department)
        self._matcher = None  # built again, with this unit, when next needed
        self._matched.clear()

    def find(self, text: str | None) -> Department | None:
        found = self._by_key.get(fold(text))
        if found is not None or not text:
            return found
        key = str(text)[:300]
        if key not in self._matched:
            if self._matcher is None:
                current = [d for d in self._departments if d.ended_on is None]
                ended = [d for d in self._departments if d.ended_on is not None]
                self._matcher = UnitFinder(current + ended)
            self._matched[key] = self._matcher.whole(key)
        return self._matched[key]

    def on(self, department: Department, issued_on: dt.date | None, row: Row) -> Department:
        """The unit a row of a document issued on ``issued_on`` means by ``department``: a
        unit a merger ended, for a document issued from the merger on, means its successor.
        Raises ``LookupError`` (a message) when no single unit carries on its work."""
        if department.ended_on is None or issued_on is None or issued_on < department.ended_on:
            return department
        carrier = self.successors.get(department.id)
        if carrier is None:
            raise LookupError(
                f"đơn vị “{department.name}” đã thôi hoạt động từ ngày "
                f"{department.ended_on:%d/%m/%Y} (chia tách hoặc giải thể): hãy ghi đơn vị "
                "đang hoạt động nhận nhiệm vụ."
            )
        self.notes.append(
            f"Dòng {row.number}: văn bản ban hành ngày {issued_on:%d/%m/%Y}, sau khi "
            f"“{department.name}” hợp nhất vào “{carrier.name}” (từ ngày "
            f"{department.ended_on:%d/%m/%Y}): nhiệm vụ giao cho “{carrier.name}”."
        )
        return carrier
