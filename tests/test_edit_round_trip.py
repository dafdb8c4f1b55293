"""Every edit page, saved as the browser shows it, changes nothing in the database.

The page is read as a browser reads it (``browser_form``): the stored values must be the ones
preselected, or the unchanged save moves a document to another issuer, a user out of their
department, or rewrites multi-line texts.
"""

import datetime as dt

import pytest
import sqlalchemy as sa
from sqlalchemy import select

from app.core.office_scope import use_office
from app.core.timeutil import local_today
from app.dev.demo import city_office_id, seed_demo
from app.extensions import db
from app.models import Department, Document, Issuer, KeyTaskGroup, Task, User
from app.models.people import Role
from browser_form import form_data
from conftest import FAST_HASH, PASSWORD

# What a request keeps about itself, not data: the one-time key of a saved form is recorded
# even when the form changed nothing (a repeat of it must still not be applied again).
BOOKKEEPING = {"idempotency_keys"}


def database_rows(session) -> dict[str, list[tuple]]:
    session.expire_all()
    out = {}
    for table in db.Model.metadata.sorted_tables:
        if table.name in BOOKKEEPING:
            continue
        order = list(table.primary_key.columns) or list(table.columns)
        out[table.name] = [tuple(r) for r in session.execute(select(table).order_by(*order))]
    return out


def difference(before: dict, after: dict) -> dict:
    changed = {}
    for name, rows in after.items():
        if rows != before[name]:
            old, new = set(before[name]), set(rows)
            changed[name] = {"removed": old - new, "added": new - old}
    return changed


@pytest.fixture
def demo(session):
    with use_office(city_office_id()):  # the demo has several offices: the city's data
        users = seed_demo(session, local_today(), FAST_HASH)
        admin = users["admin"]
        admin.set_password(PASSWORD, FAST_HASH)
        # The traps a real database holds: several issuers (the stored one is not the first), a
        # multi-line task text (browsers post CRLF), a task led by and cooperating with a unit that
        # has since been deactivated, a user in a department.
        documents = session.scalars(select(Document).order_by(Document.id)).all()
        assert len({d.issuer_id for d in documents}) > 1
        task = session.scalars(select(Task).order_by(Task.id)).first()
        task.content = "Dòng thứ nhất của nhiệm vụ\nDòng thứ hai\n\nĐoạn mới"
        gone = session.scalar(select(Department).where(Department.short_name == "TTr"))
        other = session.scalars(
            select(Task).where(Task.id != task.id).order_by(Task.id.desc())
        ).first()
        other.lead_department = gone
        task.cooperating_departments = [gone]
        gone.is_active = False
        # A deadline the document wrote on a Sunday, counted to the Monday after it.
        written = session.scalars(
            select(Task).where(Task.deadline_kind == "date", Task.id.not_in([task.id, other.id]))
        ).first()
        written.deadline_written, written.deadline = dt.date(2027, 1, 17), dt.date(2027, 1, 18)
        session.commit()
        yield {"admin": admin, "multi_line": task, "inactive_lead": other}


def edit_pages(session, demo) -> list[str]:
    documents = session.scalars(select(Document.id).order_by(Document.id)).all()
    chosen_documents = set(documents[:6] + documents[-6:])
    chosen_documents |= {demo["multi_line"].document_id, demo["inactive_lead"].document_id}
    tasks = session.scalars(select(Task.id).order_by(Task.id).limit(8)).all()
    tasks += [demo["multi_line"].id, demo["inactive_lead"].id]
    pages = [f"/van-ban/{i}" for i in sorted(chosen_documents)]
    pages += [f"/nhiem-vu/{i}/sua" for i in tasks]
    pages += [f"/quan-tri/nguoi-dung/{i}" for i in session.scalars(select(User.id))]
    pages += [f"/quan-tri/don-vi/{i}" for i in session.scalars(select(Department.id))]
    pages += [f"/quan-tri/co-quan-ban-hanh/{i}" for i in session.scalars(select(Issuer.id))]
    pages += ["/quan-tri/nhac-viec/lich", "/quan-tri/cai-dat"]
    pages += [f"/nhom-nhiem-vu/{i}/sua" for i in session.scalars(select(KeyTaskGroup.id))]
    return pages


def test_saving_every_edit_page_unchanged_changes_nothing(client, session, demo):
    response = client.post(
        "/dang-nhap", data={"username": demo["admin"].username, "password": PASSWORD}
    )
    assert response.status_code == 302
    pages = edit_pages(session, demo)
    assert len(pages) > 40
    for url in pages:
        html = client.get(url).get_data(as_text=True)
        fields = form_data(html, url)
        before = database_rows(session)
        response = client.post(url, data=fields)
        assert response.status_code in (200, 302), (url, response.status_code)
        if response.status_code == 200:  # a page that answers 200 to a save refused it
            page = response.get_data(as_text=True)
            assert "error-summary" not in page and "invalid-feedback" not in page, url
        assert difference(before, database_rows(session)) == {}, url


def test_edit_pages_preselect_what_is_stored(client, session, demo):
    """The two traps the review found, named: the issuer and the user's department."""
    client.post("/dang-nhap", data={"username": demo["admin"].username, "password": PASSWORD})
    first_issuer = select(sa.func.min(Issuer.id)).scalar_subquery()
    document = session.scalars(select(Document).where(Document.issuer_id != first_issuer)).first()
    fields = form_data(
        client.get(f"/van-ban/{document.id}").get_data(as_text=True), f"/van-ban/{document.id}"
    )
    assert fields["issuer"] == str(document.issuer_id)
    head = session.scalar(select(User).where(User.role == Role.DEPARTMENT_HEAD))
    url = f"/quan-tri/nguoi-dung/{head.id}"
    fields = form_data(client.get(url).get_data(as_text=True), url)
    assert fields["department"] == str(head.department_id)
    task = demo["inactive_lead"]
    url = f"/nhiem-vu/{task.id}/sua"
    fields = form_data(client.get(url).get_data(as_text=True), url)
    assert fields["lead"] == str(task.lead_department_id)


def test_a_changed_field_is_still_saved(client, session, demo):
    """The round trip above is not blind: the same post with one change does change it."""
    client.post("/dang-nhap", data={"username": demo["admin"].username, "password": PASSWORD})
    document = session.scalars(select(Document).order_by(Document.id)).first()
    url = f"/van-ban/{document.id}"
    fields = form_data(client.get(url).get_data(as_text=True), url)
    fields["summary"] = "Trích yếu mới"
    assert client.post(url, data=fields).status_code == 302
    session.expire_all()
    assert session.get(Document, document.id).summary == "Trích yếu mới"


def test_the_grades_and_rules_saved_unchanged_change_nothing(client, session, demo):
    """The admin's page of grades holds three forms, each posting to its own address."""
    client.post("/dang-nhap", data={"username": demo["admin"].username, "password": PASSWORD})
    for action in (
        "/quan-tri/danh-gia/muc",
        *(f"/quan-tri/danh-gia/quy-tac/{k}" for k in ("group", "unit")),
    ):
        fields = form_data(client.get("/quan-tri/danh-gia").get_data(as_text=True), action)
        before = database_rows(session)
        response = client.post(action, data=fields)
        assert response.status_code == 302, (action, response.get_data(as_text=True)[:2000])
        assert difference(before, database_rows(session)) == {}, action
    # and one changed threshold is saved
    fields = form_data(
        client.get("/quan-tri/danh-gia").get_data(as_text=True), "/quan-tri/danh-gia/quy-tac/unit"
    )
    fields["unit-rows-0-min_update"] = "75,5"
    assert client.post("/quan-tri/danh-gia/quy-tac/unit", data=fields).status_code == 302
    from decimal import Decimal

    from app.keytasks.grades import load_rules

    session.expire_all()
    assert load_rules(session, "unit")[0].min_update == Decimal("75.5")
