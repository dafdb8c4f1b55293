"""Documents built as an attacker would, part by part: Word files that unpack to far more than
they weigh, PDFs whose pages share one huge content stream or whose stream inflates to a
gigabyte. Made here, never committed."""

from __future__ import annotations

import io
import zipfile
import zlib

PARAGRAPH = (
    "<w:p><w:r><w:t>Giao Phòng Tài chính – Kế hoạch chủ trì thực hiện nhiệm vụ số 1.</w:t></w:r>"
    "</w:p>"
)


def word_file(document_xml_bytes: int) -> bytes:
    """A real .docx (python-docx's template) whose body repeats one paragraph until its
    document.xml is about ``document_xml_bytes`` long."""
    from docx import Document

    template = io.BytesIO()
    Document().save(template)
    source = zipfile.ZipFile(template)
    count = max(1, document_xml_bytes // len(PARAGRAPH.encode()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "word/document.xml":
                head, tail = data.decode().split("<w:body>", 1)
                data = (head + "<w:body>" + PARAGRAPH * count + tail).encode()
            archive.writestr(item, data)
    return out.getvalue()


def _pdf(objects: list[bytes]) -> bytes:
    """A PDF of these objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _stream(raw: bytes, compress: bool = True) -> bytes:
    data = zlib.compress(raw, 9) if compress else raw
    flate = b" /Filter /FlateDecode" if compress else b""
    return b"<< /Length %d%s >>\nstream\n" % (len(data), flate) + data + b"\nendstream"


def pdf_pages_sharing_one_stream(pages: int, stream_bytes: int) -> bytes:
    """``pages`` pages that all draw one content stream of ``stream_bytes`` text operators."""
    operator = b"BT /F1 10 Tf 50 700 Td (Giao phong Tai chinh chu tri thuc hien.) Tj ET\n"
    content = operator * max(1, stream_bytes // len(operator))
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        _stream(content),
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
    page += b"/Resources << /Font << /F1 3 0 R >> >> >>"
    objects += [page] * pages
    return _pdf(objects)


def pdf_with_an_inflating_stream(inflated_bytes: int) -> bytes:
    """One page whose content stream is small compressed and ``inflated_bytes`` inflated."""
    compressor = zlib.compressobj(9)
    chunk = b" " * (1 << 20)
    parts = [compressor.compress(chunk) for _ in range(inflated_bytes >> 20)]
    data = b"".join(parts) + compressor.flush()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [5 0 R] /Count 1 >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 3 0 R >> >> >>",
    ]
    return _pdf(objects)
