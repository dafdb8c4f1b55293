"""Giving back to the system the memory a large file took to build.

Writing a workbook of thousands of rows takes tens of megabytes of small objects; once they are
freed, glibc keeps the pages for the process, so a web worker would stay at its largest size
until gunicorn replaces it. Once a view has made a file to download, its worker collects the
garbage and asks glibc to return the free pages (``malloc_trim``)."""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import os

from flask import Flask

try:
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _TRIM = _LIBC.malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to ask
    _TRIM = None


GROWTH_PAGES = 16 * 1024 * 1024 // os.sysconf("SC_PAGE_SIZE")  # 16 MB
_settled = [0]  # resident pages after the last time memory was given back


def _resident_pages() -> int:
    """Pages resident now (0 where there is no /proc: nothing is given back there)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1])
    except OSError:
        return 0


def give_back_memory() -> None:
    """Only when the process grew by 16 MB or more since last time: a full collection costs
    milliseconds in a worker (far more in a large process), a small file leaves little."""
    if _resident_pages() - _settled[0] < GROWTH_PAGES:
        return
    gc.collect()
    if _TRIM is not None:
        _TRIM(0)
    _settled[0] = _resident_pages()


def init_memory(app: Flask) -> None:
    @app.after_request
    def after_a_file(response):
        # By now the view has returned the file's bytes: what built them is garbage. (Not
        # ``call_on_close``: a file response passes through and never calls it.)
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            give_back_memory()
        return response
