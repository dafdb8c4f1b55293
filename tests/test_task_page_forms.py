"""Every form of the task page, sent with a field missing or wrong, comes back as the documents
form does: the page again (400) with what was typed, the field marked (``aria-invalid``,
``aria-describedby`` to its message) and the summary at the top linking to it, never a banner
that names no field and a page that forgot what was typed (issue 29, item 8)."""

from __future__ import annotations

import datetime as dt

import lxml.html
import pytest

from app.core.timeutil import local_today
from app.tasks import workflow
from conftest import login


def _date(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _awaiting(session, world):
    workflow.request_completion(session, world.tnmt_task, world.tnmt_head, local_today())
    session.commit()
    return "/nhiem-vu/{task}/tra-lai"


def _pending(session, world):
    extension = workflow.request_extension(
        session,
        world.tnmt_task,
        world.tnmt_head,
        local_today() + dt.timedelta(days=30),
        "Chờ ý kiến Sở",
        local_today(),
    )
    session.commit()
    return f"/gia-han/{extension.id}"


# (case, who, how the task is set up (returns the url), what is sent, the field at fault,
#  the values that must come back as typed: field id → value)
LATER = _date(local_today() + dt.timedelta(days=60))
CASES = [
    ("progress", "tnmt_member", None, {"content": ""}, "content", {}),
    (
        "completion",
        "tnmt_head",
        "/nhiem-vu/{task}/de-nghi-hoan-thanh",
        {"comment": "x" * 20_001},
        "comment",
        {},
    ),
    (
        "extension without a reason",
        "tnmt_head",
        "/nhiem-vu/{task}/gia-han",
        {"new_deadline": LATER, "reason": ""},
        "reason",
        {"new_deadline": LATER},
    ),
    (
        "extension with a date that is no date",
        "tnmt_head",
        "/nhiem-vu/{task}/gia-han",
        {"new_deadline": "31/02/2027", "reason": "Chờ ý kiến Sở"},
        "new_deadline",
        {"new_deadline": "31/02/2027", "reason": "Chờ ý kiến Sở"},
    ),
    (
        "extension before the current deadline",
        "tnmt_head",
        "/nhiem-vu/{task}/gia-han",
        {"new_deadline": _date(local_today() - dt.timedelta(days=20)), "reason": "Chờ ý kiến"},
        "new_deadline",
        {"reason": "Chờ ý kiến"},
    ),
    ("confirmation without a date", "office", "/nhiem-vu/{task}/xac-nhan", {}, "done_on", {}),
    (
        "confirmation in the future",
        "office",
        "/nhiem-vu/{task}/xac-nhan",
        {"done_on": LATER},
        "done_on",
        {"done_on": LATER},
    ),
    ("send back", "office", _awaiting, {"back-reason": ""}, "back-reason", {}),
    ("cancel", "office", "/nhiem-vu/{task}/huy", {"cancel-reason": ""}, "cancel-reason", {}),
    (
        "refusing an extension without a word",
        "office",
        _pending,
        {"decision": "refuse", "note": ""},
        "note",
        {},
    ),
]


def _field(doc, field_id: str):
    found = doc.get_element_by_id(field_id, None)
    assert found is not None, f"no field #{field_id} on the page"
    return found


def _form_fields(element) -> set[str]:
    """The ids of the fields in the form ``element`` is in."""
    form = next(element.iterancestors("form"))
    return {e.get("id") for e in form.iter("input", "textarea", "select") if e.get("id")}


def _value(element) -> str:
    """What the browser shows in the field (a text area drops the newline after its tag)."""
    if element.tag == "textarea":
        text = element.text or ""
        return text.removeprefix("\r\n").removeprefix("\n")
    return element.get("value", "")


@pytest.mark.parametrize(
    ("who", "setup", "data", "field_id", "kept"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_refused_task_form_marks_its_field_and_keeps_what_was_typed(
    client, world, session, who, setup, data, field_id, kept
):
    task = world.tnmt_task
    if setup is None:
        url = "/nhiem-vu/{task}/tien-do"
    elif callable(setup):
        url = setup(session, world)
    else:
        url = setup
    session.refresh(task)
    prefix = field_id.split("-")[0] + "-" if "-" in field_id else ""
    version = {f"{prefix}version": task.version}
    login(client, getattr(world, who))
    response = client.post(url.format(task=task.id), data={**version, **data})

    assert response.status_code == 400
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    summary = doc.get_element_by_id("error-summary")
    links = [a.get("href") for a in summary.iter("a")]
    assert links == [f"#{field_id}"]
    # The summary names the field as its label on the page does (three forms ask a reason).
    label = doc.xpath(f"//label[@for='{field_id}']")[0].text_content().strip()
    assert next(summary.iter("a")).text_content().startswith(f"{label}: ")
    field = _field(doc, field_id)
    assert field.get("aria-invalid") == "true"
    assert f"{field_id}-error" in field.get("aria-describedby", "").split()
    message = _field(doc, f"{field_id}-error").text_content().strip()
    assert message and message in summary.text_content()
    for other_id, value in kept.items():
        assert _value(_field(doc, other_id)) == value
    # The page's other forms are as the task is now, not bound to what this one sent: each
    # carries the task's version (or the next one sent is taken for a stale page).
    versions = doc.xpath("//input[substring(@name, string-length(@name) - 6) = 'version']")
    assert len(versions) >= (2 if who == "office" else 1)
    for hidden in versions:
        if hidden.name != f"{prefix}version" or field_id not in _form_fields(hidden):
            assert hidden.get("value") == str(task.version), hidden.name
    if who == "office" and field_id != "done_on":
        assert _field(doc, "done_on").get("value") == local_today().strftime("%d/%m/%Y")
    # Nothing was done, and nothing said elsewhere that names no field.
    session.refresh(task)
    assert task.version == version[f"{prefix}version"]
    assert [e.get("id") for e in doc.find_class("alert-danger")] == ["error-summary"]


def test_a_refused_form_keeps_a_text_of_several_lines(client, world, session):
    task = world.tnmt_task
    login(client, world.tnmt_head)
    text = "Chờ ý kiến của Sở Tài nguyên và Môi trường\nvề ranh giới thửa đất"
    response = client.post(
        f"/nhiem-vu/{task.id}/gia-han",
        data={"version": task.version, "new_deadline": "", "reason": text},
    )
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    assert _value(_field(doc, "reason")) == text
    assert _field(doc, "new_deadline").get("aria-invalid") == "true"
