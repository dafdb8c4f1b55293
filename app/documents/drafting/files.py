"""The text of a document file: a PDF's text layer, a Word file or a plain text file."""

from __future__ import annotations

from app.documents.drafting.layout import page_lines, word_lines

MAX_TEXT = 200_000  # characters of a document read (a long directive is about 30,000)


class UnreadableDocument(ValueError):
    """The file's text cannot be read; the message is for the user."""


MAX_PAGES = 100
MAX_UNPACKED_BYTES = 30 * 1024 * 1024  # a Word file's parts, unpacked, images included
MAX_XML_BYTES = 10 * 1024 * 1024  # its XML parts (a 60-page directive's text: about 2 MB)
MAX_PARTS = 1_000
# A PDF's page contents, inflated, over the pages read (60 pages of a directive's text are
# about 1 MB and hold MAX_TEXT characters); pypdf works through about 0.2 MB of contents a
# second when they hold no text.
MAX_CONTENT_BYTES = 2 * 1024 * 1024
_TOO_MUCH_CONTENT = (
    "Tệp PDF có nội dung các trang khi giải nén lớn hơn {mb} MB (bất thường với một văn "
    "bản: có thể nhiều trang dùng chung một nội dung rất lớn): hãy dán nội dung văn bản."
)


def _page_contents_size(page) -> int:
    """The length of a page's content streams, inflated (pypdf keeps each inflated stream, so
    a stream shared by many pages is inflated once and counted once per page)."""
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, list) else [contents]
    size = 0
    for stream in streams:
        stream = stream.get_object() if stream is not None else None
        size += len(stream.get_data()) if hasattr(stream, "get_data") else 0
    return size


def _pages_text(reader) -> str:
    """The pages' text, page by page, until ``MAX_TEXT`` characters; refused when the pages
    read so far draw more than ``MAX_CONTENT_BYTES`` of content (text extraction works
    through every operator: a page of drawings, or one huge stream shared by every page, costs
    as much as a book)."""
    parts, length, contents = [], 0, 0
    for page in reader.pages:
        contents += _page_contents_size(page)
        if contents > MAX_CONTENT_BYTES:
            raise UnreadableDocument(
                _TOO_MUCH_CONTENT.format(mb=MAX_CONTENT_BYTES // (1024 * 1024))
            )
        parts.append("\n".join(page_lines(page.extract_text(extraction_mode="layout") or "")))
        length += len(parts[-1]) + 1
        if length > MAX_TEXT:
            break
    return "\n".join(parts)


def _check_word_zip(data: bytes) -> None:
    """Refuse, from the zip's directory, a Word file that unpacks to more than a document."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableDocument("Tệp Word bị hỏng, không đọc được.") from error
    unpacked = sum(entry.file_size for entry in entries)
    xml = sum(entry.file_size for entry in entries if entry.filename.lower().endswith(".xml"))
    if len(entries) > MAX_PARTS or unpacked > MAX_UNPACKED_BYTES or xml > MAX_XML_BYTES:
        raise UnreadableDocument(
            f"Tệp Word khi giải nén lớn {unpacked // (1024 * 1024)} MB, trong đó "
            f"{xml // (1024 * 1024)} MB nội dung ({len(entries)} phần), vượt giới hạn của một "
            f"văn bản ({MAX_UNPACKED_BYTES // (1024 * 1024)} MB, nội dung "
            f"{MAX_XML_BYTES // (1024 * 1024)} MB): hãy mở tệp, kiểm tra và lưu lại, hoặc dán "
            "nội dung văn bản."
        )


def _scanned(data: bytes) -> str:
    """A scan's text read by OCR, its first line ``OCR_MARK`` (the proposal says so)."""
    import os
    import subprocess

    from app.documents.drafting import ocr

    if not ocr.available():
        raise UnreadableDocument(ocr._NOT_INSTALLED)
    seconds = float(os.environ.get("DRAFT_SECONDS") or 15) - 3
    try:
        text, read, pages = ocr.ocr_pdf(data, seconds)
    except (subprocess.SubprocessError, OSError) as error:
        raise UnreadableDocument(
            "Tệp PDF là bản quét (ảnh), không có lớp chữ, và không nhận dạng được chữ: hãy dán "
            "nội dung văn bản hoặc dùng tệp Word."
        ) from error
    if len(text.strip()) < 20:
        raise UnreadableDocument(
            "Tệp PDF là bản quét (ảnh), không có lớp chữ, và không nhận dạng được chữ: hãy dán "
            "nội dung văn bản hoặc dùng tệp Word."
        )
    head = ocr.OCR_MARK + (f" {read}/{pages}" if read < pages else "")
    return f"{head}\n{text}"[:MAX_TEXT]


def text_from_file(data: bytes, filename: str) -> str:
    """The text of a PDF (its text layer), a DOCX or a plain text file."""
    import io
    from pathlib import Path

    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader, apply_configuration
        from pypdf.errors import LimitReachedError, PdfReadError, PyPdfError

        # pypdf's own bounds on one stream, lowered to what a whole document may hold
        bounds = dict.fromkeys(
            (
                "zlib_maximum_output_length",
                "lzw_maximum_output_length",
                "run_length_maximum_output_length",
                "maximum_declared_stream_length",
            ),
            MAX_CONTENT_BYTES,
        )
        try:
            with apply_configuration(**bounds):
                reader = PdfReader(io.BytesIO(data))
                if len(reader.pages) > MAX_PAGES:
                    raise UnreadableDocument(f"Tệp PDF dài quá {MAX_PAGES} trang.")
                text = _pages_text(reader)
        except LimitReachedError as error:  # a stream inflating past the bound (a gigabyte)
            mb = MAX_CONTENT_BYTES // (1024 * 1024)
            raise UnreadableDocument(_TOO_MUCH_CONTENT.format(mb=mb)) from error
        except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError) as error:
            # PyPdfError: every other error of pypdf's (PdfReadError is one of them)
            if isinstance(error, UnreadableDocument):
                raise
            raise UnreadableDocument("Tệp PDF bị hỏng hoặc có mật khẩu, không đọc được.") from error
        if len(text.strip()) < 20:
            return _scanned(data)
        return text[:MAX_TEXT]
    if data.startswith(b"PK") and suffix in (".docx", ".docm", ""):
        from docx import Document as WordDocument

        _check_word_zip(data)
        try:
            document = WordDocument(io.BytesIO(data))
        except Exception as error:  # noqa: BLE001  (a damaged or foreign zip)
            raise UnreadableDocument("Tệp Word bị hỏng, không đọc được.") from error
        return "\n".join(word_lines(document))[:MAX_TEXT]
    if suffix in (".txt", ".text", ""):
        for encoding in ("utf-8-sig", "utf-16"):
            try:
                return data.decode(encoding)[:MAX_TEXT]
            except UnicodeDecodeError:
                continue
    raise UnreadableDocument("Chỉ đọc được tệp PDF (có lớp chữ), Word (.docx) hoặc văn bản (.txt).")
