"""XML digital signatures on edXML packages, with a certificate made here (cryptography):
a good signature names its signer, a tampered one is said invalid and still taken, an unsigned
package says so; outgoing status packages signed when a key is configured."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from edxml_builder import Spec, build

from app.edxml.intake import receive
from app.edxml.package import read_package
from app.edxml.signature import sign, verify
from app.edxml.status import status_xml
from app.models.edxml import IntakeEntry


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cert")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, "UBND tỉnh Lạng Sơn"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = folder / "cert.pem", folder / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(cert_path), str(key_path)


def test_a_signed_package_names_its_signer_and_a_tampered_one_is_invalid(app, certificate):
    signed = sign(build(Spec()), *certificate)
    assert b"Signature" in signed
    package, parsed = read_package(io.BytesIO(signed))
    parsed.close()
    assert parsed.signed and package.number == "1044/TB-UBND"  # the reader skips the signature
    assert verify(signed) == ("valid", "UBND tỉnh Lạng Sơn")
    tampered = signed.replace("Kết luận".encode(), "Kết quả".encode())
    state, why = verify(tampered)
    assert state == "invalid" and why


def test_the_queue_shows_the_signature_and_does_not_stop_for_an_invalid_one(
    app, session, world, client, certificate
):
    from conftest import login

    good = receive(session, sign(build(Spec(number="1")), *certificate), "cli").entry
    bad_bytes = sign(build(Spec(number="2")), *certificate).replace(
        b"Ch\xe1\xbb\xa7 t\xe1\xbb\x8bch", b"Ph\xc3\xb3 Ch\xe1\xbb\xa7 t\xe1\xbb\x8bch"
    )
    bad = receive(session, bad_bytes, "cli").entry
    plain = receive(session, build(Spec(number="3")), "cli").entry
    session.commit()
    assert (good.signature, good.signature_name) == ("valid", "UBND tỉnh Lạng Sơn")
    assert bad.signature == "invalid" and bad.state == "pending"
    assert plain.signature == "unsigned"
    login(client, world.office)
    assert "đã ký số: UBND tỉnh Lạng Sơn" in client.get(f"/van-ban-den/{good.id}").get_data(
        as_text=True
    )
    page = client.get(f"/van-ban-den/{bad.id}").get_data(as_text=True)
    assert "chữ ký không hợp lệ" in page and "Đọc nhiệm vụ và tiếp nhận" in page
    assert "không ký" in client.get(f"/van-ban-den/{plain.id}").get_data(as_text=True)


def test_status_packages_are_signed_when_a_key_is_configured(app, session, world, certificate):
    entry = receive(session, build(Spec()), "cli").entry
    app.config.update(EDXML_SIGN_CERT=certificate[0], EDXML_SIGN_KEY=certificate[1])
    data = status_xml(entry, "03", dt.datetime(2024, 11, 6, 9, 30))
    assert verify(data) == ("valid", "UBND tỉnh Lạng Sơn")
    package, parsed = read_package(io.BytesIO(data))
    parsed.close()
    assert package.status_code == "03" and package.response_document_id == entry.document_key
    assert package.timestamp == dt.datetime(2024, 11, 6, 9, 30)
    assert isinstance(entry, IntakeEntry)
