"""Tasks, documents and summaries as the API's response models (``schemas``), ready for JSON."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app import models
from app.api import schemas
from app.tasks.history import timeline
from app.tasks.queries import days_late, task_category


def dump(model) -> dict:
    return model.model_dump(mode="json")


def department_ref(department: models.Department) -> schemas.DepartmentRef:
    return schemas.DepartmentRef(
        id=department.id, name=department.name, short_name=department.short_name or ""
    )


def document_model(document: models.Document) -> schemas.Document:
    return schemas.Document(
        id=document.id,
        number=document.number,
        kind=document.kind or "",
        issuer=schemas.IssuerRef(id=document.issuer.id, name=document.issuer.name),
        issued_on=document.issued_on,
        summary=document.summary or "",
    )


def task_fields(task: models.Task, today: dt.date) -> dict:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return dict(
        id=task.id,
        content=task.content,
        state=task.state,
        category=task_category(task, today).value,
        document=document_model(task.document),
        lead_department=department_ref(task.lead_department),
        cooperating_departments=[department_ref(d) for d in task.cooperating_departments],
        deadline_kind=task.deadline_kind,
        deadline=task.deadline,
        original_deadline=task.original_deadline,
        working_days=task.deadline_working_days,
        done_on=task.done_on,
        days_late=days_late(task, today),
        note=task.note or "",
        version=task.version,
        url=f"{base}/nhiem-vu/{task.id}",
    )


def task_model(task: models.Task, today: dt.date) -> schemas.Task:
    return schemas.Task(**task_fields(task, today))


def progress_model(report: models.ProgressReport) -> schemas.ProgressReport:
    return schemas.ProgressReport(
        id=report.id,
        task_id=report.task_id,
        reported_on=report.reported_on,
        department=report.department.name,
        user=report.user.full_name if report.user else None,
        content=report.content,
    )


def extension_model(extension: models.Extension) -> schemas.Extension:
    return schemas.Extension(
        id=extension.id,
        task_id=extension.task_id,
        requested_on=extension.requested_on,
        previous_deadline=extension.previous_deadline,
        requested_deadline=extension.requested_deadline,
        reason=extension.reason,
        status=extension.status,
        decided_on=extension.decided_on,
        decision_note=extension.decision_note or "",
        approved_deadline=extension.approved_deadline,
    )


API_HISTORY_PAGE = 100


def task_detail_model(
    session: Session,
    task: models.Task,
    today: dt.date,
    history_before: int | None = None,
    progress_before: int | None = None,
) -> schemas.TaskDetail:
    """The task with the newest 100 history entries and progress reports (older ones by the
    ``history_next`` / ``progress_next`` cursors)."""
    entries = timeline(session, task, before_event_id=history_before, limit=API_HISTORY_PAGE + 1)
    history = [
        schemas.HistoryEntry(
            id=entry.event.id,
            kind=entry.event.kind,
            title=entry.title,
            effective_on=entry.event.effective_on,
            recorded_at=entry.event.created_at.replace(tzinfo=dt.UTC),
            user=entry.event.user.full_name if entry.event.user else None,
            comment=entry.event.comment or "",
            changes=[
                schemas.Change(field=label, before=str(old), after=str(new))
                for label, old, new in entry.changes
            ],
        )
        for entry in entries[:API_HISTORY_PAGE]
    ]
    query = (
        select(models.ProgressReport)
        .where(models.ProgressReport.task_id == task.id)
        .order_by(models.ProgressReport.id.desc())
        .limit(API_HISTORY_PAGE + 1)
    )
    if progress_before is not None:
        query = query.where(models.ProgressReport.id < progress_before)
    reports = session.scalars(query).all()
    extensions = session.scalars(
        select(models.Extension)
        .where(models.Extension.task_id == task.id)
        .order_by(models.Extension.id)
    )
    return schemas.TaskDetail(
        **task_fields(task, today),
        history=history,
        history_next=history[-1].id if len(entries) > API_HISTORY_PAGE else None,
        progress_reports=[progress_model(r) for r in reports[:API_HISTORY_PAGE]],
        progress_next=reports[API_HISTORY_PAGE - 1].id if len(reports) > API_HISTORY_PAGE else None,
        extensions=[extension_model(e) for e in extensions],
    )


def summary_model(summary, text: str) -> schemas.Summary:
    def part(rows) -> schemas.SummaryPart:
        return schemas.SummaryPart(
            total=sum(r.count for r in rows),
            departments=[
                schemas.SummaryDepartment(id=r.department.id, name=r.department.name, count=r.count)
                for r in rows
            ],
        )

    return schemas.Summary(
        as_of=summary.as_of, late=part(summary.late), pending=part(summary.pending), text=text
    )


def statistics_model(stats) -> schemas.Statistics:
    from app.reports.statistics import Outcome

    def row(r) -> schemas.StatisticsRow:
        def share(value):
            return float(value) if value is not None else None

        return schemas.StatisticsRow(
            department=department_ref(r.department) if r.department else None,
            total=r.total,
            done=r.done,
            done_on_time=r.counts[Outcome.DONE_ON_TIME],
            done_late=r.counts[Outcome.DONE_LATE],
            done_no_deadline=r.counts[Outcome.DONE_NO_DEADLINE],
            not_done=r.not_done,
            in_time=r.counts[Outcome.IN_TIME],
            overdue=r.counts[Outcome.OVERDUE],
            completion_rate=share(r.completion_rate),
            overdue_rate=share(r.overdue_rate),
            update_rate=share(r.update_rate),
            proposal=r.proposal,
            grade=r.grade,
        )

    return schemas.Statistics(
        period_from=stats.period_from,
        period_to=stats.period_to,
        as_of=stats.as_of,
        rows=[row(r) for r in stats.rows],
        total=row(stats.total),
    )


def trend_model(trend) -> schemas.Trend:
    names = {d.id: d.name for d in trend.departments}
    order = {d.id: index for index, d in enumerate(trend.departments)}
    return schemas.Trend(
        points=[
            schemas.TrendPoint(
                as_of=point.as_of,
                late=point.late,
                pending=point.pending,
                departments=[
                    schemas.TrendDepartment(
                        id=unit_id, name=names[unit_id], late=late, pending=pending
                    )
                    for unit_id, (late, pending) in sorted(
                        point.by_unit.items(), key=lambda item: order[item[0]]
                    )
                ],
            )
            for point in trend.points
        ]
    )


def series_model(series, today: dt.date, work) -> schemas.Series:
    from app.recurring.series import rule_of, series_tasks_of, upcoming

    return schemas.Series(
        id=series.id,
        document=document_model(series.document),
        content=series.content,
        lead_department=department_ref(series.lead_department),
        phrase=series.phrase,
        rule=rule_of(series).describe(),
        starts_on=series.starts_on,
        ends_on=series.ends_on,
        active=series.active,
        periods=[
            schemas.Period(task_id=t.id, period=t.period, deadline=t.deadline, state=t.state)
            for t in series_tasks_of(series)
        ],
        upcoming=[
            schemas.UpcomingPeriod(period=o.period, deadline=o.deadline)
            for o in upcoming(series, today, 3, work)
        ],
    )
