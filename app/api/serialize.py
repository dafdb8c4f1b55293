"""Tasks, documents and summaries as JSON, shaped as the OpenAPI description says."""

from __future__ import annotations

import datetime as dt

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Document, Extension, ProgressReport, Task
from app.tasks.history import timeline
from app.tasks.queries import days_late, task_category


def _date(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _stamp(value: dt.datetime | None) -> str | None:
    return value.replace(tzinfo=dt.UTC).isoformat() if value else None


def department_json(department) -> dict:
    return {"id": department.id, "name": department.name, "short_name": department.short_name}


def document_json(document: Document) -> dict:
    return {
        "id": document.id,
        "number": document.number,
        "kind": document.kind,
        "issuer": {"id": document.issuer.id, "name": document.issuer.name},
        "issued_on": _date(document.issued_on),
        "summary": document.summary,
    }


def task_json(task: Task, today: dt.date) -> dict:
    base = current_app.config.get("BASE_URL", "").rstrip("/")
    return {
        "id": task.id,
        "content": task.content,
        "state": task.state,
        "category": task_category(task, today).value,
        "document": document_json(task.document),
        "lead_department": department_json(task.lead_department),
        "cooperating_departments": [department_json(d) for d in task.cooperating_departments],
        "deadline_kind": task.deadline_kind,
        "deadline": _date(task.deadline),
        "original_deadline": _date(task.original_deadline),
        "working_days": task.deadline_working_days,
        "done_on": _date(task.done_on),
        "days_late": days_late(task, today),
        "note": task.note,
        "version": task.version,
        "url": f"{base}/nhiem-vu/{task.id}",
    }


def task_detail_json(session: Session, task: Task, today: dt.date) -> dict:
    out = task_json(task, today)
    out["history"] = [
        {
            "id": entry.event.id,
            "kind": entry.event.kind,
            "title": entry.title,
            "effective_on": _date(entry.event.effective_on),
            "recorded_at": _stamp(entry.event.created_at),
            "user": entry.event.user.full_name if entry.event.user else None,
            "comment": entry.event.comment,
            "changes": [
                {"field": label, "before": old, "after": new} for label, old, new in entry.changes
            ],
        }
        for entry in timeline(session, task)
    ]
    out["progress_reports"] = [
        progress_json(r)
        for r in session.scalars(
            select(ProgressReport)
            .where(ProgressReport.task_id == task.id)
            .order_by(ProgressReport.id)
        )
    ]
    out["extensions"] = [
        {
            "id": e.id,
            "requested_on": _date(e.requested_on),
            "previous_deadline": _date(e.previous_deadline),
            "requested_deadline": _date(e.requested_deadline),
            "reason": e.reason,
            "status": e.status,
            "decided_on": _date(e.decided_on),
        }
        for e in session.scalars(
            select(Extension).where(Extension.task_id == task.id).order_by(Extension.id)
        )
    ]
    return out


def progress_json(report: ProgressReport) -> dict:
    return {
        "id": report.id,
        "task_id": report.task_id,
        "reported_on": _date(report.reported_on),
        "department": report.department.name,
        "user": report.user.full_name if report.user else None,
        "content": report.content,
    }


def summary_json(summary, text: str) -> dict:
    def part(rows):
        return {
            "total": sum(r.count for r in rows),
            "departments": [
                {"id": r.department.id, "name": r.department.name, "count": r.count} for r in rows
            ],
        }

    return {
        "as_of": _date(summary.as_of),
        "late": part(summary.late),
        "pending": part(summary.pending),
        "text": text,
    }
