"""The grades an evaluation may give (a setting, best first, the last one a failing grade) and
the admin's rules that propose one from a group's or a unit's figures.

A rule names a grade and thresholds on the shares of the counted tasks (per cent, one decimal,
as the statistics write them): done on time at least, done late at most, overdue at most and,
for units, the update rate at least. A threshold left empty is not checked. The proposal is
the first grade, best first, whose rule holds; when none holds, the last grade."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields
from decimal import Decimal, InvalidOperation

from sqlalchemy.orm import Session

from app.core.settings import current_office
from app.reports.statistics import percent

GRADES_KEY = "evaluation_grades"
RULE_KEYS = {"group": "group_grade_rules", "unit": "unit_grade_rules"}
MAX_GRADES = 10
GRADE_MAX = 128
DEFAULT_GRADES = (
    "Hoàn thành xuất sắc nhiệm vụ",
    "Hoàn thành tốt nhiệm vụ",
    "Hoàn thành nhiệm vụ",
    "Không hoàn thành nhiệm vụ",
)
THRESHOLDS = ("min_on_time", "max_done_late", "max_overdue", "min_update")


@dataclass(frozen=True)
class Rule:
    grade: str
    min_on_time: Decimal | None = None
    max_done_late: Decimal | None = None
    max_overdue: Decimal | None = None
    min_update: Decimal | None = None

    def to_json(self) -> dict:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(self).items()}

    @classmethod
    def from_json(cls, data: dict) -> Rule:
        values = {k: _share(data.get(k)) for k in THRESHOLDS}
        return cls(grade=str(data.get("grade") or "")[:GRADE_MAX], **values)


DEFAULT_RULES = {
    "group": (
        Rule(DEFAULT_GRADES[0], Decimal(90), Decimal(10), Decimal(0)),
        Rule(DEFAULT_GRADES[1], Decimal(70), Decimal(20), Decimal(10)),
        Rule(DEFAULT_GRADES[2], Decimal(50), None, Decimal(20)),
    ),
    "unit": (
        Rule(DEFAULT_GRADES[0], Decimal(90), Decimal(10), Decimal(0), Decimal(80)),
        Rule(DEFAULT_GRADES[1], Decimal(70), Decimal(20), Decimal(10), Decimal(50)),
        Rule(DEFAULT_GRADES[2], Decimal(50), None, Decimal(20)),
    ),
}


def _share(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        share = Decimal(str(value))
    except InvalidOperation:
        return None
    return share if share.is_finite() and 0 <= share <= 100 else None


@dataclass(frozen=True)
class Figures:
    """What a proposal is computed from: counts of the tasks as the period rule classes them."""

    done_on_time: int = 0
    done_late: int = 0
    done_no_deadline: int = 0
    in_time: int = 0
    overdue: int = 0
    open_tasks: int = 0  # not done: the base of the update rate
    updated: int = 0  # of those, with a progress report in the 30 days to the date

    @property
    def total(self) -> int:
        return (
            self.done_on_time + self.done_late + self.done_no_deadline + self.in_time + self.overdue
        )

    @property
    def done(self) -> int:
        return self.done_on_time + self.done_late + self.done_no_deadline

    @property
    def on_time_share(self) -> Decimal | None:
        """Done on time (or done with no deadline) of every counted task."""
        return percent(self.done_on_time + self.done_no_deadline, self.total)

    @property
    def done_late_share(self) -> Decimal | None:
        return percent(self.done_late, self.total)

    @property
    def overdue_share(self) -> Decimal | None:
        return percent(self.overdue, self.total)

    @property
    def done_share(self) -> Decimal | None:
        return percent(self.done, self.total)

    @property
    def update_rate(self) -> Decimal | None:
        return percent(self.updated, self.open_tasks)

    def to_json(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    @classmethod
    def from_json(cls, data: dict | None) -> Figures:
        data = data or {}
        return cls(**{f.name: int(data.get(f.name) or 0) for f in fields(cls)})


def holds(rule: Rule, figures: Figures) -> bool:
    """Whether every threshold of ``rule`` holds on ``figures`` (bounds included)."""
    checks = (
        (rule.min_on_time, figures.on_time_share, True),
        (rule.max_done_late, figures.done_late_share, False),
        (rule.max_overdue, figures.overdue_share, False),
        (rule.min_update, figures.update_rate, True),
    )
    for threshold, share, at_least in checks:
        if threshold is None or share is None:
            continue
        if (share < threshold) if at_least else (share > threshold):
            return False
    return True


def propose(figures: Figures, rules: list[Rule], grades: list[str]) -> str:
    """The proposed grade; empty when there is nothing to grade (no task counted)."""
    if figures.total == 0 or not grades:
        return ""
    by_grade = {r.grade: r for r in rules}
    for grade in grades[:-1]:
        rule = by_grade.get(grade)
        if rule is not None and holds(rule, figures):
            return grade
    return grades[-1]


def _stored(session: Session, key: str) -> str:
    """The office's saved value (``Office.settings``), "" when never saved."""
    return str((current_office(session).settings or {}).get(key) or "")


def load_grades(session: Session) -> list[str]:
    grades = [g.strip() for g in _stored(session, GRADES_KEY).splitlines() if g.strip()]
    return grades or list(DEFAULT_GRADES)


def load_rules(session: Session, kind: str) -> list[Rule]:
    value = _stored(session, RULE_KEYS[kind])
    if not value:
        return list(DEFAULT_RULES[kind])
    try:
        data = json.loads(value)
    except ValueError:
        return list(DEFAULT_RULES[kind])
    return [Rule.from_json(item) for item in data if isinstance(item, dict)]


class GradeError(ValueError):
    """A grade list or a rule the admin cannot save; the message is for the user."""


def save_grades(session: Session, grades: list[str]) -> None:
    cleaned = []
    for grade in grades:
        grade = " ".join(grade.split())
        if grade and grade not in cleaned:
            cleaned.append(grade)
    if not 2 <= len(cleaned) <= MAX_GRADES:
        raise GradeError(f"Danh sách mức đánh giá có từ 2 đến {MAX_GRADES} mức, mỗi mức một dòng.")
    if any(len(g) > GRADE_MAX for g in cleaned):
        raise GradeError(f"Mỗi mức đánh giá dài nhiều nhất {GRADE_MAX} ký tự.")
    if cleaned == load_grades(session):
        return  # saved unchanged: nothing written
    _store(session, GRADES_KEY, "\n".join(cleaned))


def save_rules(session: Session, kind: str, rules: list[Rule]) -> None:
    grades = load_grades(session)
    for rule in rules:
        if rule.grade not in grades[:-1]:
            raise GradeError(f"“{rule.grade[:40]}” không phải mức có thể đề xuất theo ngưỡng.")
    if list(rules) == load_rules(session, kind):
        return  # saved unchanged: nothing written
    _store(session, RULE_KEYS[kind], json.dumps([r.to_json() for r in rules], ensure_ascii=False))


def _store(session: Session, key: str, value: str) -> None:
    office = current_office(session)
    office.settings = {**(office.settings or {}), key: value}  # a new dict: the change is seen
    session.flush()
