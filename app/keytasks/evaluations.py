"""The office's evaluations of groups and of units over a period, kept as of their date.

An evaluation is in effect from its date (``effective_on``); the grade of a subject as of D is
the one recorded last among those in effect on D. A revision is a new evaluation naming the one
it revises, with the reason: a report dated before the revision still says the first grade."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.keytasks.grades import Figures, load_grades
from app.models import Department, Evaluation, KeyTaskGroup, User

NOTE_MAX = 5000
DECIDED_BY_MAX = 255


class EvaluationError(ValueError):
    """An evaluation that cannot be recorded; the message is for the user."""


@dataclass(frozen=True)
class Subject:
    """What is evaluated: a group, or a unit over [from, to]."""

    period_from: dt.date
    period_to: dt.date
    group_id: int | None = None
    department_id: int | None = None

    @classmethod
    def of_group(cls, group: KeyTaskGroup) -> Subject:
        return cls(group.period_from, group.period_to, group_id=group.id)

    def where(self) -> list:
        if self.group_id is not None:
            return [Evaluation.group_id == self.group_id]
        return [
            Evaluation.department_id == self.department_id,
            Evaluation.period_from == self.period_from,
            Evaluation.period_to == self.period_to,
        ]


def history(session: Session, subject: Subject) -> list[Evaluation]:
    """Every evaluation of ``subject``, in the order they took effect (then were recorded)."""
    return list(
        session.scalars(
            select(Evaluation)
            .where(*subject.where())
            .order_by(Evaluation.effective_on, Evaluation.id)
        )
    )


def evaluation_on(session: Session, subject: Subject, day: dt.date) -> Evaluation | None:
    """The evaluation in effect on ``day``: recorded last among those in effect by then."""
    return session.scalars(
        select(Evaluation)
        .where(*subject.where(), Evaluation.effective_on <= day)
        .order_by(Evaluation.effective_on.desc(), Evaluation.id.desc())
        .limit(1)
    ).first()


def group_grades_on(session: Session, group_ids: list[int], day: dt.date) -> dict[int, Evaluation]:
    """Each group's evaluation in effect on ``day`` (groups never evaluated are left out)."""
    found: dict[int, Evaluation] = {}
    if not group_ids:
        return found
    rows = session.scalars(
        select(Evaluation)
        .where(Evaluation.group_id.in_(group_ids), Evaluation.effective_on <= day)
        .order_by(Evaluation.effective_on, Evaluation.id)
    )
    for row in rows:
        found[row.group_id] = row  # the last one wins
    return found


def unit_grades_on(
    session: Session, period_from: dt.date, period_to: dt.date, day: dt.date
) -> dict[int, Evaluation]:
    """Each unit's evaluation of the period [from, to] in effect on ``day``."""
    found: dict[int, Evaluation] = {}
    rows = session.scalars(
        select(Evaluation)
        .where(
            Evaluation.department_id.is_not(None),
            Evaluation.period_from == period_from,
            Evaluation.period_to == period_to,
            Evaluation.effective_on <= day,
        )
        .order_by(Evaluation.effective_on, Evaluation.id)
    )
    for row in rows:
        found[row.department_id] = row
    return found


@dataclass(frozen=True)
class Decision:
    grade: str
    effective_on: dt.date
    note: str = ""
    decided_by: str = ""
    reason: str = ""  # required for a revision


def record(
    session: Session,
    subject: Subject,
    decision: Decision,
    today: dt.date,
    user: User | None = None,
    proposal: str = "",
    figures: Figures | None = None,
) -> Evaluation:
    """Record a grade, or revise the one in effect on the decision's date (flush only)."""
    grades = load_grades(session)
    if decision.grade not in grades:
        raise EvaluationError("Chọn một mức đánh giá trong danh sách.")
    if decision.effective_on > today:
        raise EvaluationError("Ngày đánh giá không được sau hôm nay.")
    if decision.effective_on < subject.period_from:
        raise EvaluationError(
            f"Ngày đánh giá không được trước ngày bắt đầu kỳ ({subject.period_from:%d/%m/%Y})."
        )
    if len(decision.note) > NOTE_MAX or len(decision.reason) > NOTE_MAX:
        raise EvaluationError(f"Ghi chú và lý do dài nhiều nhất {NOTE_MAX} ký tự.")
    if len(decision.decided_by) > DECIDED_BY_MAX:
        raise EvaluationError(f"Người quyết định dài nhiều nhất {DECIDED_BY_MAX} ký tự.")
    if subject.department_id is not None and session.get(Department, subject.department_id) is None:
        raise EvaluationError("Không có đơn vị này.")
    previous = evaluation_on(session, subject, decision.effective_on)
    later = [e for e in history(session, subject) if e.effective_on > decision.effective_on]
    if later:
        raise EvaluationError(
            f"Đã có đánh giá từ ngày {later[-1].effective_on:%d/%m/%Y}; "
            "một đánh giá mới phải từ ngày đó trở đi."
        )
    if previous is not None and not decision.reason.strip():
        raise EvaluationError("Đánh giá lại: nhập lý do thay đổi.")
    row = Evaluation(
        group_id=subject.group_id,
        department_id=subject.department_id,
        period_from=subject.period_from,
        period_to=subject.period_to,
        effective_on=decision.effective_on,
        grade=decision.grade,
        note=decision.note.strip(),
        decided_by=" ".join(decision.decided_by.split()),
        reason=decision.reason.strip() if previous is not None else "",
        revises_id=previous.id if previous is not None else None,
        proposal=proposal,
        figures=figures.to_json() if figures is not None else None,
        recorded_by_id=user.id if user is not None else None,
    )
    session.add(row)
    session.flush()
    return row
