"""Light pages: static files under versioned URLs, cached for a year, sent compressed; pages
and JSON compressed too.

- ``url_for('static', filename=…)`` adds ``?v=<hash of the file>``: a changed file gets a new
  URL, so a browser may keep the old one for a year (``immutable``) without ever showing a
  stale style sheet. A request without the current hash is answered with ``no-cache``.
- A static file is compressed (gzip, level 9) once per process and kept in memory by path and
  modification time; every later request sends the kept bytes.
- HTML, JSON, CSV and calendar responses over 1 KB are compressed per response (level 6) when
  the browser accepts gzip. Streamed downloads and files are left as they are.

Behind nginx (deploy/nginx-site.conf) the same headers hold: nginx serves /static/ itself.
Only the standard library is used: gzip is what every browser accepts on plain http, and
brotli would add a compiled dependency for a few kilobytes.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import threading

from flask import Flask, request

YEAR = 365 * 24 * 3600
MIN_SIZE = 1024
COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/calendar",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
}
_lock = threading.Lock()
_versions: dict[str, tuple[float, object]] = {}  # path -> (mtime, hash)
_compressed: dict[str, tuple[float, object]] = {}  # path -> (mtime, gzipped bytes)


def _static_path(app: Flask, filename: str) -> str | None:
    root = os.path.realpath(app.static_folder)
    path = os.path.realpath(os.path.join(root, filename))
    if not path.startswith(root + os.sep) or not os.path.isfile(path):
        return None
    return path


def _kept(cache: dict[str, tuple[float, object]], path: str, make):
    """``make(contents of path)``, computed again only when the file's mtime changes."""
    mtime = os.stat(path).st_mtime
    with _lock:
        kept = cache.get(path)
    if kept and kept[0] == mtime:
        return kept[1]
    with open(path, "rb") as handle:
        value = make(handle.read())
    with _lock:
        cache[path] = (mtime, value)
    return value


def _version(path: str) -> str:
    return _kept(_versions, path, lambda data: hashlib.sha256(data).hexdigest()[:12])


def file_version(app: Flask, filename: str) -> str | None:
    """The first 12 hex digits of the file's SHA-256, recomputed when the file changes."""
    path = _static_path(app, filename)
    return _version(path) if path else None


def _gzipped_file(path: str) -> bytes:
    return _kept(_compressed, path, lambda data: gzip.compress(data, compresslevel=9, mtime=0))


def accepts_gzip() -> bool:
    for part in request.headers.get("Accept-Encoding", "").split(","):
        name, _, params = part.strip().partition(";")
        if name.strip().lower() in ("gzip", "*"):
            return params.replace(" ", "") not in ("q=0", "q=0.0", "q=0.00", "q=0.000")
    return False


def _vary(response) -> None:
    vary = response.headers.get("Vary", "")
    if "accept-encoding" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept-Encoding" if vary else "Accept-Encoding"


def init_compression(app: Flask) -> None:
    @app.url_defaults
    def static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and "v" not in values and "filename" in values:
            version = file_version(app, values["filename"])
            if version:
                values["v"] = version

    @app.after_request
    def compress(response):
        if request.endpoint == "static":
            return _static_response(app, response)
        if (
            response.status_code != 200
            or response.direct_passthrough
            or response.is_streamed
            or response.mimetype not in COMPRESSIBLE
            or "Content-Encoding" in response.headers
        ):
            return response
        _vary(response)
        data = response.get_data()
        if len(data) < MIN_SIZE or not accepts_gzip():
            return response
        response.set_data(gzip.compress(data, compresslevel=6, mtime=0))
        response.headers["Content-Encoding"] = "gzip"
        return response


def _static_response(app: Flask, response):
    path = _static_path(app, (request.view_args or {}).get("filename", ""))
    version = request.args.get("v")
    if response.status_code in (200, 304):
        if version and path and version == _version(path):
            response.headers["Cache-Control"] = f"public, max-age={YEAR}, immutable"
        else:
            response.headers["Cache-Control"] = "no-cache"
    if response.status_code != 200 or response.mimetype not in COMPRESSIBLE:
        return response
    _vary(response)
    if path is None or not accepts_gzip() or os.path.getsize(path) < MIN_SIZE:
        return response
    body = response.response
    if hasattr(body, "close"):
        body.close()  # the file the static view opened
    response.direct_passthrough = False
    response.set_data(_gzipped_file(path))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag:
        response.set_etag(f"{etag}-gzip", weak=weak)
    return response
