"""The text of a document file: a PDF's text layer, a Word file or a plain text file."""

from __future__ import annotations

MAX_TEXT = 200_000  # characters of a document read (a long directive is about 30,000)


class UnreadableDocument(ValueError):
    """The file's text cannot be read; the message is for the user."""


MAX_PAGES = 100


def text_from_file(data: bytes, filename: str) -> str:
    """The text of a PDF (its text layer), a DOCX or a plain text file."""
    import io
    from pathlib import Path

    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            reader = PdfReader(io.BytesIO(data))
            if len(reader.pages) > MAX_PAGES:
                raise UnreadableDocument(f"Tệp PDF dài quá {MAX_PAGES} trang.")
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, ValueError, KeyError, TypeError) as error:
            if isinstance(error, UnreadableDocument):
                raise
            raise UnreadableDocument("Tệp PDF bị hỏng hoặc có mật khẩu, không đọc được.") from error
        if len(text.strip()) < 20:
            raise UnreadableDocument(
                "Tệp PDF là bản quét (ảnh), không có lớp chữ: hãy dán nội dung văn bản hoặc "
                "dùng tệp Word."
            )
        return text[:MAX_TEXT]
    if data.startswith(b"PK") and suffix in (".docx", ".docm", ""):
        from docx import Document as WordDocument

        try:
            document = WordDocument(io.BytesIO(data))
        except Exception as error:  # noqa: BLE001  (a damaged or foreign zip)
            raise UnreadableDocument("Tệp Word bị hỏng, không đọc được.") from error
        lines = []
        for table in document.tables[:5]:  # the heading block is often a two-column table
            for row in table.rows:
                for cell in row.cells:
                    lines.extend(p.text for p in cell.paragraphs)
            lines.append("")
        lines.extend(p.text for p in document.paragraphs)
        return "\n".join(lines)[:MAX_TEXT]
    if suffix in (".txt", ".text", ""):
        for encoding in ("utf-8-sig", "utf-16"):
            try:
                return data.decode(encoding)[:MAX_TEXT]
            except UnicodeDecodeError:
                continue
    raise UnreadableDocument("Chỉ đọc được tệp PDF (có lớp chữ), Word (.docx) hoặc văn bản (.txt).")
