"""What the reader proposes: the document and its tasks, each with the sentence it came from
and what could and could not be read."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from app.documents.drafting.deadlines import Deadline
from app.models import Department, Issuer


@dataclass
class DraftTask:
    content: str
    lead: Department | None
    cooperators: list[Department]
    deadline: Deadline | None
    source: str
    notes: list[str] = field(default_factory=list)

    @property
    def sure(self) -> bool:
        return self.lead is not None and self.deadline is not None


@dataclass
class Skipped:
    """A sentence or table row that names a unit or holds a deadline and is not a task."""

    sentence: str
    reason: str
    lead: Department | None
    deadline: Deadline | None
    content: str


@dataclass
class Draft:
    number: str = ""
    issued_on: dt.date | None = None
    issuer: Issuer | None = None
    issuer_text: str = ""
    kind: str = ""
    summary: str = ""
    signer: str = ""
    from_ocr: bool = False  # a scan, read by OCR
    tasks: list[DraftTask] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "document": {
                "number": self.number,
                "issued_on": self.issued_on.isoformat() if self.issued_on else None,
                "issuer": self.issuer.name if self.issuer else self.issuer_text,
                "kind": self.kind,
                "summary": self.summary,
                "signer": self.signer,
                "from_ocr": self.from_ocr,
            },
            "tasks": [
                {
                    "content": t.content,
                    "lead": t.lead.name if t.lead else None,
                    "cooperators": [d.name for d in t.cooperators],
                    "deadline": t.deadline.on.isoformat() if t.deadline and t.deadline.on else None,
                    "deadline_text": t.deadline.text if t.deadline else "",
                    "source": t.source,
                }
                for t in self.tasks
            ],
            "skipped": [
                {
                    "sentence": s.sentence,
                    "reason": s.reason,
                    "deadline": s.deadline.on.isoformat() if s.deadline and s.deadline.on else None,
                }
                for s in self.skipped
            ],
        }
