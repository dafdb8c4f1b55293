"""Giving back to the system the memory a large file took to build.

Writing a workbook of thousands of rows takes tens of megabytes of small objects; once they are
freed, glibc keeps the pages for the process, so a web worker would stay at its largest size
until gunicorn replaces it. Once a view has made a file to download, its worker collects the
garbage and asks glibc to return the free pages (``malloc_trim``).

A worker serves several requests at once in threads; the views that build a large file take
turns (``one_file_at_a_time``), so a worker holds at most one file's work at a time: building
two at once is no faster under the GIL, and would leave the worker as large as both."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import os
import threading

from flask import Flask

try:
    _LIBC = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    _TRIM = _LIBC.malloc_trim
except (OSError, AttributeError):  # not glibc: nothing to ask
    _TRIM = None


GROWTH_PAGES = 16 * 1024 * 1024 // os.sysconf("SC_PAGE_SIZE")  # 16 MB
_settled = [0]  # resident pages after the last time memory was given back
_building = threading.Lock()  # held by the thread building a large file in this process
# A gunicorn worker that stays this much larger than it started, even after giving back what
# it can, is replaced (``replace_when_grown``): memory freed inside Python's and glibc's pools
# in scattered pieces cannot go back to the system, and a new worker forked from the master
# shares the master's pages again.
REPLACE_PAGES = 32 * 1024 * 1024 // os.sysconf("SC_PAGE_SIZE")  # 32 MB
_replacing: list = [None, 0]  # what stops this worker, its resident pages at start


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
    stop, started = _replacing
    if stop is not None and _settled[0] - started >= REPLACE_PAGES:
        stop()


def replace_when_grown(stop) -> None:
    """In a gunicorn worker just forked: call ``stop`` (which ends the worker gracefully, after
    the requests it is serving, as gunicorn's ``max_requests`` does; the master forks a new
    one) once the worker stays ``REPLACE_PAGES`` larger than now after building a file."""
    _replacing[:] = [stop, _resident_pages()]
    _settled[0] = _replacing[1]


def one_file_at_a_time(view):
    """A view that builds a large file waits for any other building one in this process (a
    file takes a second or two; the worker's timeout is a minute)."""

    @functools.wraps(view)
    def in_turn(*args, **kwargs):
        with _building:
            return view(*args, **kwargs)  # then given back after the request (init_memory)

    return in_turn


def init_memory(app: Flask) -> None:
    @app.after_request
    def after_a_file(response):
        # By now the view has returned the file's bytes: what built them is garbage. (Not
        # ``call_on_close``: a file response passes through and never calls it.)
        if response.headers.get("Content-Disposition", "").startswith("attachment"):
            give_back_memory()
        return response


def warm_up(app: Flask, writers: bool = True) -> None:
    """What every worker would otherwise build for itself on its first requests, built once in
    gunicorn's master before it forks them, so that they share it: the mappers' configuration,
    every template compiled and, with ``writers``, the library that writes the XLSX files (the
    lists' and reports' downloads; about 9 MB a worker)."""
    from sqlalchemy.orm import configure_mappers

    configure_mappers()
    for name in app.jinja_env.list_templates(extensions=("html", "txt", "xml")):
        app.jinja_env.get_template(name)
    if writers:
        import openpyxl.cell._writer  # noqa: F401
        import openpyxl.worksheet._write_only  # noqa: F401
