"""A scanned PDF (no text layer) read with OCR: each page rendered by poppler's ``pdftoppm`` and
read by Tesseract with its Vietnamese data (Debian: ``poppler-utils``, ``tesseract-ocr``,
``tesseract-ocr-vie``), through the commands, in the bounded child process of ``isolated.py``.

Tesseract's word boxes (its TSV output) are laid out again as text in columns, as pypdf's
layout mode gives a PDF's text, so that the heading block, "Nơi nhận" beside the signer and a
table of tasks are read by the same ``page_lines`` as a PDF with a text layer.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from app.documents.drafting.layout import page_lines

OCR_MARK = "⟦OCR⟧"  # the first line of a text read by OCR
DPI = 200
_NOT_INSTALLED = (
    "Tệp PDF là bản quét (ảnh), không có lớp chữ, và máy chủ chưa cài phần nhận dạng chữ "
    "(tesseract-ocr, tesseract-ocr-vie): hãy dán nội dung văn bản hoặc dùng tệp Word."
)


def available() -> bool:
    return bool(shutil.which("pdftoppm") and shutil.which("tesseract"))


def _layout(tsv: str) -> list[str]:
    """Tesseract's words (TSV) placed on lines at their printed columns: words whose middles are
    within half a line of each other are one line (a table's row included), a wide gap between
    two words keeps them in their columns."""
    words = []
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5" or not cells[11].strip(" |[]"):
            continue  # (a table's rules read as "|")
        left, top, width, height = (int(c) for c in cells[6:10])
        words.append((top + height // 2, left, width, height, cells[11].strip(" |")))
    if not words:
        return []
    char = statistics.median(w[2] / max(len(w[4]), 1) for w in words) or 10
    line_height = statistics.median(w[3] for w in words) or 20
    rows: list[list] = []
    for word in sorted(words):
        if rows and word[0] - rows[-1][0][0] < line_height * 0.5:
            rows[-1].append(word)
        else:
            rows.append([word])
    out = []
    for row in rows:
        text, right = "", None
        for _top, left, width, _h, word in sorted(row, key=lambda w: w[1]):
            if right is not None and left - right < char * 1.2:
                text += " " + word  # the next word of a phrase
            else:
                text += " " * max(round(left / char) - len(text), 2 if text else 0) + word
            right = left + width
        out.append(text)
    return out


def ocr_pdf(data: bytes, seconds: float) -> tuple[str, int, int]:
    """(the text of a scanned PDF's pages, pages read, pages in all) within about ``seconds``."""
    started = time.monotonic()
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}  # one thread: the child's memory bound
    with tempfile.TemporaryDirectory(prefix="scan-") as folder:
        pdf = Path(folder) / "scan.pdf"
        pdf.write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", str(DPI), "-gray", "-png", "-l", "20", str(pdf), f"{folder}/p"],
            check=True, capture_output=True, timeout=max(seconds, 1), env=env,
        )  # fmt: skip
        images = sorted(Path(folder).glob("p-*.png"))
        parts = []
        for image in images:
            left = seconds - (time.monotonic() - started)
            if left < 2 and parts:
                break
            done = subprocess.run(
                ["tesseract", str(image), "-", "-l", "vie", "--psm", "12", "tsv"],
                check=True, capture_output=True, timeout=max(left, 2), env=env,
            )  # fmt: skip
            parts.append("\n".join(page_lines("\n".join(_layout(done.stdout.decode())))))
    return "\n".join(parts), len(parts), len(images)


__all__ = ["OCR_MARK", "_NOT_INSTALLED", "available", "ocr_pdf"]
