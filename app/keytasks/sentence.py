"""The report's key-task section (mục "Công tác triển khai thực hiện nhiệm vụ trọng tâm"), in
the office's words, for a year or any period as of a date:

    Năm 2024, Thành ủy đã giao UBND thành phố tổ chức triển khai thực hiện gồm 02 nhóm nhiệm vụ
    trọng tâm. Kết quả thực hiện, cơ bản 02/02 nhóm nhiệm vụ trọng tâm đều đã được triển khai
    cơ bản đảm bảo theo tiến độ và kế hoạch đã đề ra, qua đánh giá có 01 nhóm nhiệm vụ hoàn
    thành tốt nhiệm vụ và 01 nhóm nhiệm vụ hoàn thành xuất sắc nhiệm vụ.

The groups are those whose period overlaps the report's and that were given by the date. A
group is on track when its grade in effect on the date is not the last (failing) grade, or, not
yet evaluated, when none of its tasks is overdue on the date. The grades are counted in the
order the groups are listed; a group not yet evaluated is said to be in progress."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.core.settings import load_settings
from app.keytasks.evaluations import group_grades_on
from app.keytasks.grades import load_grades
from app.keytasks.groups import Progress, groups_in, groups_progress
from app.models import Evaluation, KeyTaskGroup

DEFAULT_BODY = "UBND thành phố"


@dataclass
class GroupLine:
    group: KeyTaskGroup
    evaluation: Evaluation | None
    progress: Progress
    on_track: bool


@dataclass
class KeyTaskSection:
    label: str  # "năm 2024"
    as_of: dt.date
    lines: list[GroupLine]
    text: str


def two(n: int) -> str:
    """Counts as the office writes them: "02", "12", "120"."""
    return f"{n:02d}"


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " và " + parts[-1]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _issuers(groups: list[KeyTaskGroup]) -> str:
    names: list[str] = []
    for group in groups:
        name = group.issuer.short_name or group.issuer.name
        if name not in names:
            names.append(name)
    return _join(names)


def section_text(label: str, lines: list[GroupLine], body: str = DEFAULT_BODY) -> str:
    head = label[:1].upper() + label[1:]
    if not lines:
        return f"{head}, không có nhóm nhiệm vụ trọng tâm nào được giao."
    total = two(len(lines))
    groups = [line.group for line in lines]
    text = (
        f"{head}, {_issuers(groups)} đã giao {body} tổ chức triển khai thực hiện gồm "
        f"{total} nhóm nhiệm vụ trọng tâm. Kết quả thực hiện, "
    )
    on_track = sum(1 for line in lines if line.on_track)
    if on_track:
        every = " đều" if on_track == len(lines) and len(lines) > 1 else ""
        text += (
            f"cơ bản {two(on_track)}/{total} nhóm nhiệm vụ trọng tâm{every} đã được triển khai "
            "cơ bản đảm bảo theo tiến độ và kế hoạch đã đề ra"
        )
    else:
        text += "chưa có nhóm nhiệm vụ trọng tâm nào đảm bảo theo tiến độ và kế hoạch đã đề ra"
    counts: dict[str, int] = {}
    for line in lines:
        if line.evaluation is not None:
            counts[line.evaluation.grade] = counts.get(line.evaluation.grade, 0) + 1
    waiting = sum(1 for line in lines if line.evaluation is None)
    if not counts:
        return text + ", các nhóm nhiệm vụ đang triển khai thực hiện, chưa đánh giá."
    parts = [f"{two(n)} nhóm nhiệm vụ {_lower_first(grade)}" for grade, n in counts.items()]
    if waiting:
        parts.append(f"{two(waiting)} nhóm nhiệm vụ đang triển khai thực hiện")
    return text + f", qua đánh giá có {_join(parts)}."


def period_of(
    year: int | None, period_from: dt.date | None, period_to: dt.date | None
) -> tuple[dt.date, dt.date, str]:
    """The report's period and its words: a year ("năm 2024") or [from, to]."""
    if year is not None and (period_from or period_to):
        raise ValueError("Chọn một năm hoặc một kỳ (từ ngày, đến ngày), không chọn cả hai.")
    if year is not None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31), f"năm {year}"
    if period_from is None or period_to is None:
        raise ValueError("Chọn một năm, hoặc cả ngày đầu và ngày cuối kỳ.")
    if period_from > period_to:
        raise ValueError("Ngày bắt đầu kỳ phải trước hoặc bằng ngày kết thúc.")
    whole_year = (period_from.month, period_from.day, period_to.month, period_to.day)
    if period_from.year == period_to.year and whole_year == (1, 1, 12, 31):
        return period_from, period_to, f"năm {period_from.year}"
    label = f"từ ngày {period_from:%d/%m/%Y} đến ngày {period_to:%d/%m/%Y}"
    return period_from, period_to, label


def build_section(
    session: Session,
    period_from: dt.date,
    period_to: dt.date,
    as_of: dt.date,
    label: str,
    body: str | None = None,
) -> KeyTaskSection:
    """The section; ``body`` (who was given the groups) by default the office's setting."""
    body = body or load_settings(session).key_task_body or DEFAULT_BODY
    groups = groups_in(session, period_from, period_to, as_of)
    grades = group_grades_on(session, [g.id for g in groups], as_of)
    failing = load_grades(session)[-1]
    lines = []
    progresses = groups_progress(session, [g.id for g in groups], as_of)
    for group in groups:
        progress = progresses[group.id]
        evaluation = grades.get(group.id)
        if evaluation is not None:
            on_track = evaluation.grade != failing
        else:
            on_track = progress.figures.overdue == 0
        lines.append(GroupLine(group, evaluation, progress, on_track))
    return KeyTaskSection(label, as_of, lines, section_text(label, lines, body))
