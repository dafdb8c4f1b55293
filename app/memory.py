"""Giving back to the system the memory a large file took to build.

Writing a workbook of thousands of rows takes tens of megabytes of small objects; once they are
freed, glibc keeps the pages for the process, so a web worker would stay at its largest size
until gunicorn replaces it. Once a view has made a file to download, its worker collects the
garbage and asks glibc to return the free pages (``malloc_trim``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc

from flask import Flask

try:
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _TRIM = _LIBC.malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to ask
    _TRIM = None


def give_back_memory() -> None:
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)


def init_memory(app: Flask) -> None:
    @app.after_request
    def after_a_file(response):
        # By now the view has returned the file's bytes: what built them is garbage. (Not
        # ``call_on_close``: a file response passes through and never calls it.)
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            give_back_memory()
        return response
