"""XML digital signatures (XML-DSig) on packages: verified with signxml against the
certificate the signature carries (and, when ``EDXML_TRUSTED_CA`` names a PEM file of the
national CA's certificates, against that chain too), and written on the status packages sent
when ``EDXML_SIGN_CERT`` and ``EDXML_SIGN_KEY`` name a certificate and its key. A signature
that does not verify is said, never hidden, and never stops the office."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app
from lxml import etree

from app.edxml.bounds import DSIG_NS

log = logging.getLogger(__name__)
DEFAULT_VERIFY_MAX_BYTES = 32 * 1024 * 1024  # the tree a verification builds is kept this small


def _parser() -> etree.XMLParser:
    # The package passed the streaming reader first (no DTD, bounded depth and size); the
    # tree is built whole here because a signature covers the whole document.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


def _signer_name(pem: str) -> str:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    certificate = x509.load_pem_x509_certificate(pem.encode())
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    return str(names[0].value) if names else certificate.subject.rfc4514_string()


def _embedded_certificate(root) -> str | None:
    found = root.find(f".//{{{DSIG_NS}}}X509Certificate")
    if found is None or not (found.text or "").strip():
        return None
    body = "".join((found.text or "").split())
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    return "-----BEGIN CERTIFICATE-----\n" + "\n".join(lines) + "\n-----END CERTIFICATE-----\n"


def verify(data: bytes | Path) -> tuple[str, str]:
    """("valid", the signer's name), ("invalid", why) or ("unchecked", why) for a package
    whose reader found a ``Signature``."""
    from signxml import XMLVerifier
    from signxml.exceptions import InvalidInput, InvalidSignature

    limit = int(current_app.config.get("EDXML_VERIFY_MAX_BYTES") or DEFAULT_VERIFY_MAX_BYTES)
    size = len(data) if isinstance(data, bytes) else data.stat().st_size
    if size > limit:
        return "unchecked", f"gói tin lớn hơn {limit // (1024 * 1024)} MB"
    raw = data if isinstance(data, bytes) else data.read_bytes()
    try:
        root = etree.fromstring(raw, parser=_parser())
    except etree.XMLSyntaxError:
        return "invalid", "chữ ký không bao trọn gói tin (tệp đính kèm nằm ngoài phong bì)"
    certificate = _embedded_certificate(root)
    if certificate is None:
        return "invalid", "chữ ký không kèm chứng thư số"
    trusted = current_app.config.get("EDXML_TRUSTED_CA")
    try:
        if trusted:
            XMLVerifier().verify(root, ca_pem_file=trusted)
        else:
            XMLVerifier().verify(root, x509_cert=certificate)
        return "valid", _signer_name(certificate)[:255]
    except (InvalidSignature, InvalidInput, ValueError) as error:
        log.info("edxml signature refused: %s", error)
        return "invalid", str(error)[:255]


def sign(data: bytes, cert_path: str, key_path: str) -> bytes:
    """``data`` (a status package) with an enveloped XML signature (RSA-SHA256)."""
    from signxml import XMLSigner, methods

    root = etree.fromstring(data, parser=_parser())
    signed = XMLSigner(method=methods.enveloped).sign(
        root, key=Path(key_path).read_bytes(), cert=Path(cert_path).read_text()
    )
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")
