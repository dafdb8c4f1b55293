"""The edXML reader (app/edxml): the packages real connectors write, and every refusal naming
its element."""

from __future__ import annotations

import hashlib
import io

import pytest
from edxml_builder import DOCX_TYPE, NS, PDF, Attached, Spec, build, docx_bytes

from app.edxml.bounds import Limits, Refused
from app.edxml.package import read_package


def read(data: bytes, limits: Limits | None = None):
    package, parsed = read_package(io.BytesIO(data), limits)
    parsed.close()
    return package


@pytest.mark.parametrize("style", ["prefix", "default", "none"])
@pytest.mark.parametrize("outside", [False, True])
@pytest.mark.parametrize("shuffle", [None, 7])
def test_every_way_of_writing_the_namespace_reads_the_same(style, outside, shuffle):
    package = read(build(style=style, outside=outside, shuffle=shuffle))
    assert package.as_json() == {
        "kind": "document",
        "sender": {"organ_id": "000.00.00.H37", "organ_name": "UBND tỉnh Lạng Sơn"},
        "receivers": [{"organ_id": "000.00.12.H37", "organ_name": "UBND thành phố Lạng Sơn"}],
        "code_number": "1044",
        "code_notation": "TB-UBND",
        "promulgation_date": "2024-11-05",
        "document_type_name": "Thông báo",
        "subject": "Kết luận của Chủ tịch UBND tỉnh về công tác quản lý đất đai",
        "due_date": None,
        "signer": {"position": "Chủ tịch", "full_name": "Hồ Tiến Thiệu"},
        "document_id": "000.00.00.H37,2024/11/05,1044/TB-UBND",
        "business_doc_type": "0",
        "attachments": [
            {
                "name": "vb.pdf",
                "content_type": "application/pdf",
                "sha256": hashlib.sha256(PDF).hexdigest(),
            }
        ],
    }
    assert package.number == "1044/TB-UBND"


def test_dates_either_way_round_empty_signer_and_due_date():
    spec = Spec(date="05/11/2024", due_date="30/11/2024", signer_name="", signer_position="")
    spec.document_id = "000.00.00.H37,2024/11/05,1044/TB-UBND"
    package = read(build(spec))
    assert package.promulgation_date.isoformat() == "2024-11-05"
    assert package.due_date.isoformat() == "2024-11-30"
    assert package.as_json()["signer"] == {"position": "", "full_name": ""}
    assert read(build(Spec(due_date="2024/12/31"))).due_date.isoformat() == "2024-12-31"


def test_several_attachments_and_a_manifest_type_that_differs():
    word = docx_bytes("Giao Phòng Tài nguyên và Môi trường rà soát hồ sơ.")
    spec = Spec(
        attachments=[
            Attached("vb.pdf", PDF, manifest_type="application/octet-stream"),
            Attached("phu-luc.docx", word, DOCX_TYPE, manifest_type="application/pdf"),
        ]
    )
    package = read(build(spec, style="none", outside=True))
    assert [(a.name, a.extension, a.size) for a in package.attachments] == [
        ("vb.pdf", ".pdf", len(PDF)),
        ("phu-luc.docx", ".docx", len(word)),
    ]
    assert package.attachments[1].sha256 == hashlib.sha256(word).hexdigest()


@pytest.mark.parametrize("kind", ["0", "1", "2", "3"])
def test_each_business_doc_type(kind):
    package = read(build(Spec(business=kind, reason="Thu hồi do sai sót")))
    assert package.business_doc_type == kind
    assert package.business_reason == "Thu hồi do sai sót"


def _refusal(data: bytes, limits: Limits | None = None) -> str:
    with pytest.raises(Refused) as caught:
        read(data, limits)
    return str(caught.value)


def test_malformed_packages_are_refused_naming_the_element():
    good = build().decode()
    assert "không phải XML hợp lệ" in _refusal(good[:-40].encode())
    assert "Subject" in _refusal(good.replace("Subject>", "Subjct>").encode())
    assert "<CodeNumber>" in _refusal(build(Spec(number="")))
    assert "<PromulgationDate>" in _refusal(build(Spec(date="5 tháng 11")))
    assert "<DocumentId>" in _refusal(build(Spec(document_id="000.00.00.H37,2024/11/05,9/X")))
    assert "<DocumentId>" in _refusal(
        build(Spec(document_id="000.00.00.H99,2024/11/05,1044/TB-UBND"))
    )
    assert "<DocumentId>" in _refusal(
        build(Spec(document_id="000.00.00.H37,2024/11/06,1044/TB-UBND"))
    )
    assert "<BussinessDocType>" in _refusal(build(Spec(business="7")))
    unknown = good.replace(NS, "urn:other")
    assert "không gian tên lạ" in _refusal(unknown.encode())
    empty = b""
    assert "rỗng" in _refusal(empty)


def test_an_attachment_not_what_its_content_type_says_is_refused():
    fake = Spec(attachments=[Attached("vb.pdf", b"<html>not a pdf</html>")])
    assert "vb.pdf" in _refusal(build(fake)) and "PDF" in _refusal(build(fake))
    odd = Spec(attachments=[Attached("a.exe", b"MZ....", "application/x-msdownload")])
    assert "a.exe" in _refusal(build(odd))
    bad64 = build().replace(b"JVBERi0x", b"JVB!Ri0x")
    assert "base64" in _refusal(bad64)


def test_missing_attachment_for_a_reference_is_refused():
    data = build().decode()
    start = data.index("<edXML:AttachmentEncoded>")
    end = data.index("</edXML:AttachmentEncoded>") + len("</edXML:AttachmentEncoded>")
    assert "<Reference>" in _refusal((data[:start] + data[end:]).encode())


def test_entities_doctype_and_network_are_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
        '<!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]><edXMLEnvelope>&y;</edXMLEnvelope>'
    )
    assert "không phải XML hợp lệ" in _refusal(bomb.encode())
    external = '<!DOCTYPE a SYSTEM "http://127.0.0.1:9/x.dtd"><edXMLEnvelope/>'
    assert "không phải XML hợp lệ" in _refusal(external.encode())
    assert "UTF-8" in _refusal(b'<?xml version="1.0" encoding="UTF-16"?><a/>')


def test_bounds_size_depth_attachments_and_text():
    assert "lớn hơn" in _refusal(build(), Limits(package_bytes=1000))
    deep = "<edXMLEnvelope>" + "<a>" * 40 + "</a>" * 40 + "</edXMLEnvelope>"
    assert "lồng sâu" in _refusal(deep.encode())
    many = Spec(attachments=[Attached(f"{i}.pdf", PDF) for i in range(4)])
    assert "<Attachment>" in _refusal(build(many), Limits(attachments=3))
    big = Spec(attachments=[Attached("big.pdf", PDF + b"0" * 5000)])
    assert "big.pdf" in _refusal(build(big), Limits(attachment_bytes=4000))
    long = Spec(content="x" * 200_000)
    assert "<Content>" in _refusal(build(long))
