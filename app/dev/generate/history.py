"""The benchmark's documents and tasks with their history: progress reports, approved
extensions, cancellations and completions, and the events the as-of rule reads, kept as rows
and written in bulk."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.core.deadlines import WorkCalendar
from app.core.office_scope import all_offices
from app.core.textnorm import fold
from app.dev.generate.names import ACTIONS, SUBJECTS
from app.models import Document, Event, Extension, ProgressReport, Task, task_cooperators
from app.models.documents import DeadlineKind, TaskState

CHUNK = 5000
CANCELLED_SHARE = 0.03


def _chunks(rows: list[dict]) -> Iterator[list[dict]]:
    for start in range(0, len(rows), CHUNK):
        yield rows[start : start + CHUNK]


def insert_rows(session: Session, table, rows: list[dict]) -> None:
    for chunk in _chunks(rows):
        session.execute(insert(table), chunk)


def next_id(session: Session, model) -> int:
    """The id after the highest of ``model``'s table, whichever office its rows are in."""
    with all_offices():
        return (session.scalar(select(func.max(model.id))) or 0) + 1


class History:
    """The rows waiting to be written and the next id of each table."""

    def __init__(
        self,
        session: Session,
        rng: random.Random,
        today: dt.date,
        office_id: int,
        dep_ids: list[int],
        weights: list[float],
        past_due_finish: float,
    ) -> None:
        self.session, self.rng, self.calendar = session, rng, WorkCalendar()
        self.today, self.office_id, self.past_due_finish = today, office_id, past_due_finish
        self.dep_ids, self.weights = dep_ids, weights
        self.doc_id, self.task_id = next_id(session, Document), next_id(session, Task)
        self.event_id = next_id(session, Event)
        self.report_id = next_id(session, ProgressReport)
        self.extension_id = next_id(session, Extension)
        self.docs, self.task_rows, self.coop_rows = [], [], []
        self.events, self.reports, self.extensions = [], [], []
        self.created_at = dt.datetime.combine(today, dt.time(8))

    def event_row(
        self,
        event_id,
        task_id,
        kind,
        effective_on,
        user_id=None,
        state=None,
        sets_deadline=False,
        deadline=None,
        after=None,
        comment="",
    ):
        return {
            "id": event_id,
            "task_id": task_id,
            "user_id": user_id,
            "kind": kind,
            "effective_on": effective_on,
            "created_at": self.created_at,
            "state": state,
            "sets_deadline": sets_deadline,
            "deadline": deadline,
            "before": None,
            "after": after,
            "comment": comment,
        }

    def add_document(self, issued: dt.date, number: str, issuer_id: int) -> None:
        self.docs.append(
            {
                "id": self.doc_id,
                "number": number,
                "kind": "Thông báo kết luận",
                "issuer_id": issuer_id,
                "issued_on": issued,
                "issued_year": issued.year,  # a core insert: the model's validator is not run
                "summary": f"Thông báo kết luận về {self.rng.choice(SUBJECTS)}",
                "signer": "Chủ tịch UBND tỉnh",
                "created_at": self.created_at,
            }
        )

    def add_task(self, issued: dt.date) -> None:
        """One task of the current document, with its history."""
        rng, today, task_id, office_id = self.rng, self.today, self.task_id, self.office_id
        lead = rng.choices(self.dep_ids, self.weights)[0]
        content = f"{rng.choice(ACTIONS)} {rng.choice(SUBJECTS)} ({task_id})"
        kind, deadline, working = self._deadline(issued)
        task_events = [
            self.event_row(
                self.event_id,
                task_id,
                "created",
                issued,
                user_id=office_id,
                state=TaskState.OPEN,
                sets_deadline=True,
                deadline=deadline,
            )
        ]
        self.event_id += 1
        state, done_on, current_deadline = TaskState.OPEN, None, deadline
        age = (today - issued).days
        if self._report_progress(lead, issued, age):
            state = TaskState.IN_PROGRESS
        # Some deadlines were extended on approval.
        if deadline and rng.random() < 0.12 and age > 30:
            current_deadline = self._extend(deadline)
        state, done_on, closed_on = self._close(issued, age, current_deadline, state, done_on)
        self.events.extend(task_events)
        self.task_rows.append(
            {
                "id": task_id,
                "document_id": self.doc_id,
                "content": content,
                "lead_department_id": lead,
                "deadline_kind": kind,
                "deadline_working_days": working,
                "deadline": current_deadline,
                "original_deadline": deadline,
                "state": state,
                "done_on": done_on,
                "closed_on": closed_on,
                "cancel_reason": "",
                "note": "",
                "search_text": fold(content),
                "version": 1,
                "created_at": self.created_at,
                "updated_at": self.created_at,
            }
        )
        if rng.random() < 0.3:
            self.coop_rows.append(
                {
                    "task_id": task_id,
                    "department_id": rng.choice([d for d in self.dep_ids if d != lead]),
                }
            )
        self.task_id += 1

    def _deadline(self, issued: dt.date):
        """(deadline kind, deadline, working days) of a new task."""
        rng, calendar = self.rng, self.calendar
        roll = rng.random()
        if roll < 0.1:
            kind, deadline, working = DeadlineKind.NONE, None, None
        elif roll < 0.2:
            working = rng.choice((5, 10, 15, 20))
            kind, deadline = (
                DeadlineKind.WORKING_DAYS,
                calendar.add_working_days(issued, working),
            )
        else:
            kind, working = DeadlineKind.DATE, None
            deadline = calendar.next_working_day(issued + dt.timedelta(days=rng.randint(7, 60)))
        return kind, deadline, working

    def _report_progress(self, lead: int, issued: dt.date, age: int) -> bool:
        """Progress for most tasks, a few days after issue, often reported twice; whether the
        task was reported on."""
        rng, task_id = self.rng, self.task_id
        if rng.random() < 0.85 and age > 3:
            for number in range(1 if rng.random() < 0.5 else 2):
                day = issued + dt.timedelta(days=rng.randint(1, min(age, 20)))
                self.reports.append(
                    {
                        "id": self.report_id,
                        "task_id": task_id,
                        "department_id": lead,
                        "user_id": None,
                        "reported_on": day,
                        "content": "Đã triển khai, đang tổng hợp kết quả.",
                        "created_at": self.created_at,
                    }
                )
                self.events.append(
                    self.event_row(
                        self.event_id,
                        task_id,
                        "progress",
                        day,
                        after={"progress_report_id": self.report_id},
                    )
                )
                self.report_id += 1
                self.event_id += 1
                if number == 0:
                    self.events.append(
                        self.event_row(
                            self.event_id, task_id, "state", day, state=TaskState.IN_PROGRESS
                        )
                    )
                    self.event_id += 1
            return True
        return False

    def _extend(self, deadline: dt.date) -> dt.date:
        """An extension approved on the deadline (or yesterday); the new deadline."""
        task_id, office_id = self.task_id, self.office_id
        approved = min(deadline, self.today - dt.timedelta(days=1))
        current_deadline = self.calendar.next_working_day(deadline + dt.timedelta(days=30))
        self.extensions.append(
            {
                "id": self.extension_id,
                "task_id": task_id,
                "requested_by_id": None,
                "requested_on": approved,
                "previous_deadline": deadline,
                "requested_deadline": current_deadline,
                "reason": "Cần thêm thời gian phối hợp.",
                "status": "approved",
                "decided_by_id": office_id,
                "decided_on": approved,
                "decision_note": "",
                "created_at": self.created_at,
            }
        )
        self.extension_id += 1
        self.events += [
            self.event_row(self.event_id, task_id, "extension_requested", approved),
            self.event_row(
                self.event_id + 1,
                task_id,
                "deadline",
                approved,
                user_id=office_id,
                sets_deadline=True,
                deadline=current_deadline,
            ),
        ]
        self.event_id += 2
        return current_deadline

    def _close(self, issued, age, current_deadline, state, done_on):
        """Cancelled or done, or still open: (state, done on, closed on)."""
        rng, today, task_id, office_id = self.rng, self.today, self.task_id, self.office_id
        # Completion: tasks past their deadline are nearly all done, so that about one
        # open task in five is late; standing tasks close after a few months.
        if current_deadline is not None:
            finish_chance = self.past_due_finish if current_deadline < today else 0.2
        else:
            finish_chance = 0.9 if age > 180 else 0.3
        closed_on = None
        if rng.random() < CANCELLED_SHARE:
            state = TaskState.CANCELLED
            done_on = None
            day = issued + dt.timedelta(days=min(age, rng.randint(1, 30)))
            self.events.append(
                self.event_row(
                    self.event_id,
                    task_id,
                    "state",
                    day,
                    user_id=office_id,
                    state=state,
                    comment="Hủy",
                )
            )
            self.event_id += 1
            closed_on = day
        elif rng.random() < finish_chance and age > 2:
            late_by = rng.randint(-15, 25) if current_deadline else 0
            base = current_deadline or issued + dt.timedelta(days=30)
            done_on = min(
                today, max(issued + dt.timedelta(days=1), base + dt.timedelta(days=late_by))
            )
            state = TaskState.DONE
            closed_on = done_on
            self.events += [
                self.event_row(
                    self.event_id, task_id, "state", done_on, state=TaskState.AWAITING_CONFIRMATION
                ),
                self.event_row(
                    self.event_id + 1,
                    task_id,
                    "state",
                    done_on,
                    user_id=office_id,
                    state=state,
                    comment="Xác nhận hoàn thành",
                ),
            ]
            self.event_id += 2
        return state, done_on, closed_on

    def flush(self) -> None:
        session = self.session
        insert_rows(session, Document.__table__, self.docs)
        insert_rows(session, Task.__table__, self.task_rows)
        insert_rows(session, task_cooperators, self.coop_rows)
        insert_rows(session, Event.__table__, self.events)
        insert_rows(session, ProgressReport.__table__, self.reports)
        insert_rows(session, Extension.__table__, self.extensions)
        lists = (self.docs, self.task_rows, self.coop_rows)
        for rows in lists + (self.events, self.reports, self.extensions):
            rows.clear()
