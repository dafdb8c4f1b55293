"""Reading a document's text in a process of its own, with a ceiling on its memory and time.

A file is the one input the product cannot bound by looking at it first: a 1 MB Word file can
unpack to 300 MB of XML, a 32 KB PDF can make its 100 pages share one 5 MB content stream to be
decoded again for each page. The reader runs in a child process whose address space and CPU
time the kernel limits, and which the caller stops after ``DRAFT_READ_SECONDS``: a hostile
file costs one short-lived process, never a web worker or the server's memory.

``python -m app.documents.drafting.isolated`` is the child: the file on standard input, its
name in ``DRAFT_FILENAME``, the text (or the reason it cannot be read) as JSON on standard
output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.documents.drafting.files import UnreadableDocument

DEFAULT_SECONDS = 15
DEFAULT_MEMORY_MB = 512  # the child's address space: Python, pypdf and python-docx included
_ROOT = Path(__file__).resolve().parents[3]


def read_file_text(
    data: bytes, filename: str, seconds: int | None = None, memory_mb: int | None = None
) -> str:
    """The text of a PDF, DOCX or text file, read in a bounded child process; a file that
    cannot be read within the bounds is an ``UnreadableDocument`` saying which bound."""
    seconds = seconds or DEFAULT_SECONDS
    memory_mb = memory_mb or DEFAULT_MEMORY_MB
    env = {
        **os.environ,
        "DRAFT_FILENAME": Path(filename).name[:255],
        "DRAFT_SECONDS": str(seconds),
        "DRAFT_MEMORY_MB": str(memory_mb),
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app.documents.drafting.isolated"],
            input=data,
            capture_output=True,
            timeout=seconds + 5,  # the child's CPU limit stops a busy loop first
            cwd=_ROOT,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise UnreadableDocument(_too_long(seconds)) from None
    try:
        answer = json.loads(done.stdout.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        answer = None
    if done.returncode == 0 and isinstance(answer, dict):
        if "error" in answer:
            raise UnreadableDocument(answer["error"])
        return answer["text"]
    if done.returncode in (-9, -24, 152):  # SIGKILL / SIGXCPU: the CPU limit
        raise UnreadableDocument(_too_long(seconds))
    raise UnreadableDocument(
        f"Tệp cần hơn {memory_mb} MB bộ nhớ để đọc (có thể là tệp bị làm phình khi giải nén): "
        "hãy dán nội dung văn bản hoặc lưu lại tệp."
    )


def _too_long(seconds: int) -> str:
    return (
        f"Đọc tệp quá {seconds} giây nên đã dừng (tệp bất thường, ví dụ nhiều trang dùng chung "
        "một nội dung rất lớn): hãy dán nội dung văn bản hoặc lưu lại tệp."
    )


def _child() -> None:
    import resource

    seconds = int(os.environ.get("DRAFT_SECONDS") or DEFAULT_SECONDS)
    memory = int(os.environ.get("DRAFT_MEMORY_MB") or DEFAULT_MEMORY_MB) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    from app.documents.drafting.files import text_from_file

    data = sys.stdin.buffer.read()
    try:
        answer = {"text": text_from_file(data, os.environ.get("DRAFT_FILENAME") or "")}
    except UnreadableDocument as error:
        answer = {"error": str(error)}
    except MemoryError:
        sys.exit(3)
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))


if __name__ == "__main__":
    _child()
