"""Hostile packages never make a 500 and never keep anything: the upload page and the API
answer each with one message naming what is wrong; the queue's routes with odd ids are 404."""

from __future__ import annotations

import io

import pytest
from edxml_builder import NS, PDF, Attached, Spec, build
from sqlalchemy import select

from app.models import ApiToken
from app.models.edxml import IntakeEntry
from conftest import login

GOOD = build(Spec()).decode()
HOSTILE = [
    b"",
    b"\x00\x01\x02",
    b"\xef\xbb\xbf",
    "<a>\u00e9</a>".encode("latin-1"),
    b'<?xml version="1.0" encoding="ISO-8859-1"?><edXMLEnvelope/>',
    b"<edXMLEnvelope/>",
    b"<edXMLEnvelope><edXMLHeader/></edXMLEnvelope>",
    b"<Status><StatusCode>99</StatusCode></Status>",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><edXMLEnvelope>&e;</edXMLEnvelope>',
    b"<edXMLEnvelope>" + b"<a>" * 5000 + b"</a>" * 5000 + b"</edXMLEnvelope>",
    b"<edXMLEnvelope>" + b"<a/>" * 30000 + b"</edXMLEnvelope>",
    GOOD.replace(NS, "http://evil.example/ns").encode(),
    GOOD.replace(
        "2024/11/05</edXML:PromulgationDate>", "2024/13/45</edXML:PromulgationDate>"
    ).encode(),
    GOOD.replace("<edXML:Subject>", "<edXML:Subject>\x01").encode(),
    GOOD.replace("JVBERi0x", "JVBERi0x====").encode(),
    GOOD.replace(
        "application/pdf</edXML:ContentType><edXML:ContentTransferEncoded>",
        "text/html</edXML:ContentType><edXML:ContentTransferEncoded>",
    ).encode(),
    build(Spec(document_id="x" * 5000)),
    build(Spec(number="9" * 300)),
    build(Spec(organ_id="")),
    build(Spec(attachments=[Attached("../../etc/passwd.pdf", PDF)])),
    build(Spec(attachments=[Attached("a.pdf", b"%PDF" + b"\x00" * 10)] * 25)),
]


@pytest.fixture(autouse=True)
def served_as_in_production(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False


def test_hostile_packages_are_refused_with_a_message(client, session, world):
    login(client, world.office)
    row, secret = ApiToken.issue(world.office, "h")
    session.add(row)
    session.commit()
    headers = {"Authorization": f"Bearer {secret}"}
    for index, data in enumerate(HOSTILE):
        page = client.post(
            "/van-ban-den/tai-len",
            data={"package": (io.BytesIO(data), "x.xml")},
            content_type="multipart/form-data",
        )
        assert page.status_code in (302, 400), (index, page.status_code)
        answer = client.post("/api/v1/edxml", data=data, headers=headers)
        assert answer.status_code in (200, 201, 400, 422), (index, answer.status_code)
        if answer.status_code >= 400:
            assert answer.get_json()["error"]["message"], index
    # the one odd-but-readable package: a name with a path is kept by its last part only
    names = [f.filename for e in session.scalars(select(IntakeEntry)) for f in e.files]
    assert all("/" not in name and ".." not in name for name in names)
    kept = [e.number for e in session.scalars(select(IntakeEntry))]
    assert kept == ["1044/TB-UBND"]  # the package whose attachment's name was a path


def test_the_queue_s_routes_with_odd_ids(client, world):
    login(client, world.office)
    for url in ("/van-ban-den/99999999999999999999", "/van-ban-den/1/tiep-nhan",
                "/van-ban-den/1/tep/99999999999999999999"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    assert client.post("/van-ban-den/99999/ap-dung").status_code == 404
    login(client, world.tnmt_head)
    assert client.get("/van-ban-den").status_code == 403
