"""What an import did, or in a preview would do, row by row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

MAX_NOTES = 50


@dataclass
class Outcome:
    """What the import did (or, in a preview, would do) with one row."""

    row: int
    action: str  # new, series (a new recurring duty), updated, unchanged, suspect
    code: str
    content: str
    similar_code: str = ""
    similar_content: str = ""
    # What the row was read as: its units, its deadline as computed (ISO date; blank when
    # standing), the phrase of a recurring duty, and the document it goes to.
    lead: str = ""
    cooperators: list[str] = field(default_factory=list)
    deadline: str = ""
    working_days: int | None = None
    recurrence: str = ""
    document: str = ""  # its number
    issued_on: str = ""  # ISO
    issuer: str = ""
    document_id: int | None = None  # known once written (not in a preview)
    key_groups: list[int] = field(default_factory=list)  # the key task groups it joins

    @property
    def deadline_on(self) -> dt.date | None:
        return dt.date.fromisoformat(self.deadline) if self.deadline else None

    @property
    def issued(self) -> dt.date | None:
        return dt.date.fromisoformat(self.issued_on) if self.issued_on else None


@dataclass
class ImportResult:
    created_departments: list[str] = field(default_factory=list)
    updated_departments: list[str] = field(default_factory=list)
    created_issuers: list[str] = field(default_factory=list)
    created_documents: int = 0
    # The documents created: {"id", "number", "issued_on" (ISO), "issuer"}, for links.
    new_documents: list[dict] = field(default_factory=list)
    created_tasks: int = 0
    updated_tasks: int = 0
    unchanged_tasks: int = 0
    created_series: int = 0
    outcomes: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # rows naming units a change ended
    handed_over: int = 0  # open tasks of a unit a merger ended, handed to its successor

    def of(self, action: str) -> list[Outcome]:
        return [o for o in self.outcomes if o.action == action]

    def lines(self) -> list[str]:
        out = []
        if self.created_departments:
            out.append(
                f"Đơn vị mới: {len(self.created_departments)} "
                f"({', '.join(self.created_departments)})"
            )
        if self.updated_departments:
            out.append(f"Đơn vị cập nhật: {len(self.updated_departments)}")
        if self.created_issuers:
            out.append(f"Cơ quan ban hành mới: {', '.join(self.created_issuers)}")
        out.append(f"Văn bản mới: {self.created_documents}")
        out.append(f"Nhiệm vụ mới: {self.created_tasks}")
        out.append(f"Nhiệm vụ cập nhật: {self.updated_tasks}")
        out.append(f"Nhiệm vụ không thay đổi: {self.unchanged_tasks}")
        if self.created_series:
            out.append(
                f"Nhiệm vụ định kỳ mới: {self.created_series} (mỗi kỳ được tạo khi kỳ bắt đầu)"
            )
        suspects = self.of("suspect")
        if suspects:
            out.append(f"Nghi trùng với nhiệm vụ đã có (chưa ghi): {len(suspects)}")
        if self.handed_over:
            out.append(
                f"Nhiệm vụ đang mở của đơn vị đã hợp nhất, chuyển cho đơn vị kế thừa: "
                f"{self.handed_over}"
            )
        out += self.notes[:MAX_NOTES]
        if len(self.notes) > MAX_NOTES:
            out.append(f"… và {len(self.notes) - MAX_NOTES} dòng khác giao cho đơn vị kế thừa.")
        return out
