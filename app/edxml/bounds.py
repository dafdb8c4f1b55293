"""What an edXML package is held to before anything of it is kept: its size, the depth and
number of its elements, the text of an element, the number and size of its attachments, and
what each attachment's bytes really are. Each refusal is one Vietnamese message naming the
element (``Refused``)."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.attachments import DEFAULT_MAX_BYTES, content_matches

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
DSIG_NS = "http://www.w3.org/2000/09/xmldsig#"
# Namespaces a signature may bring inside ``Signature`` (XAdES and its qualifying properties).
SIGNATURE_NAMESPACES = (DSIG_NS, "http://uri.etsi.org/01903/v1.3.2#")

DEFAULT_MAX_PACKAGE_BYTES = 64 * 1024 * 1024  # a package as the e-office sends it, base64 in
DEFAULT_MAX_ATTACHMENTS = 20
MAX_DEPTH = 32
MAX_ELEMENTS = 20_000  # outside the signature and the attachments' content
MAX_TEXT_CHARS = 100_000  # the longest text of an element (Content may be long)
CHUNK = 64 * 1024  # the package is fed to the parser, and base64 decoded, this much at a time


class Refused(ValueError):
    """A package that cannot be taken; the message names the element and is for the user."""


@dataclass(frozen=True)
class Limits:
    package_bytes: int = DEFAULT_MAX_PACKAGE_BYTES
    attachment_bytes: int = DEFAULT_MAX_BYTES
    attachments: int = DEFAULT_MAX_ATTACHMENTS

    @classmethod
    def from_config(cls, config) -> Limits:
        return cls(
            package_bytes=int(config.get("EDXML_MAX_BYTES") or DEFAULT_MAX_PACKAGE_BYTES),
            attachment_bytes=int(config.get("ATTACHMENT_MAX_BYTES") or DEFAULT_MAX_BYTES),
            attachments=int(config.get("EDXML_MAX_ATTACHMENTS") or DEFAULT_MAX_ATTACHMENTS),
        )


def mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


# The types an attachment may declare, with the extension it is kept under (the product's
# accepted files: app.core.attachments).
CONTENT_TYPES = {
    "application/pdf": ".pdf",
    "application/msword": ".doc",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/jpg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
}
EXTENSION_TYPES = {ext: kind for kind, ext in CONTENT_TYPES.items() if kind != "image/jpg"}
EXTENSION_TYPES[".jpeg"] = "image/jpeg"
GENERIC_TYPES = ("", "application/octet-stream", "binary/octet-stream")


def attachment_extension(name: str, content_type: str) -> str:
    """The extension an attachment is what it says by: its ContentType, else its name's;
    an attachment of neither a known type nor a known extension is refused."""
    kind = content_type.split(";")[0].strip().lower()
    if kind in CONTENT_TYPES:
        return CONTENT_TYPES[kind]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if kind in GENERIC_TYPES and suffix in EXTENSION_TYPES:
        return suffix
    raise Refused(
        f"Attachment “{name}”: loại tệp “{content_type or 'không ghi'}” không được nhận "
        "(chỉ nhận PDF, Word, Excel hoặc ảnh)."
    )


def check_sniffed(name: str, extension: str, head: bytes) -> None:
    """The attachment's first bytes are a file of its declared type."""
    if not content_matches(extension, head):
        raise Refused(
            f"Attachment “{name}”: nội dung không phải là tệp {extension[1:].upper()} "
            "như ContentType ghi."
        )
