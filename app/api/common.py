"""What the API's endpoints share: errors as JSON (``ApiError``), bodies and dates read, a task
the caller may see."""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import request
from flask_login import current_user
from pydantic import BaseModel, ValidationError

from app.api import schemas
from app.core.permissions import can_view_task
from app.extensions import db
from app.models import Task
from app.web.forms import YEARS
from app.web.wiring import deny


class ApiError(Exception):
    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field = status, message, field


def _parse(model: type[BaseModel]):
    """The request's JSON body validated by ``model`` (ids checked against the database)."""
    try:
        return model.model_validate_json(request.get_data(), context={"session": db.session})
    except ValidationError as error:
        message, field = schemas.first_problem(error)
        raise ApiError(400, message, field) from None


def _date(value: Any, field: str) -> dt.date:
    if not isinstance(value, str):
        raise ApiError(400, "Phải là ngày dạng YYYY-MM-DD.", field)
    try:
        day = dt.date.fromisoformat(value[:10]) if len(value) == 10 else None
    except ValueError:
        day = None
    if day is None or day.year not in YEARS:
        raise ApiError(400, f"“{value[:20]}” không phải ngày dạng YYYY-MM-DD.", field)
    return day


def _load_task(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        raise ApiError(404, "Không có nhiệm vụ này.")
    if not can_view_task(current_user, task):
        deny(f"api task {task_id}")
    return task
