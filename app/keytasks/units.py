"""Grades of units over a period: the proposal from the statistics of the period (the four-way
split and the update rate) by the admin's unit rules, beside the grade the office recorded."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.keytasks.evaluations import unit_grades_on
from app.keytasks.grades import load_grades, load_rules, propose
from app.keytasks.groups import unit_figures
from app.models import Evaluation
from app.reports.statistics import Statistics


def grade_units(session: Session, stats: Statistics) -> dict[int, Evaluation]:
    """Fill each row's proposed and recorded grade (as of the table's date); the recorded
    evaluations by unit id."""
    grades = load_grades(session)
    rules = load_rules(session, "unit")
    recorded = unit_grades_on(session, stats.period_from, stats.period_to, stats.as_of)
    for row in stats.rows:
        row.proposal = propose(unit_figures(row), rules, grades)
        evaluation = recorded.get(row.department.id)
        row.grade = evaluation.grade if evaluation is not None else ""
    return recorded
