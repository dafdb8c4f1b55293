"""Gunicorn for the directive tracker on a 2-core server behind nginx.

    gunicorn -c deploy/gunicorn.conf.py

Every setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import contextlib
import ctypes
import ctypes.util
import gc
import os

wsgi_app = "app:create_app()"
# A Unix socket that only the service's user and group (nginx's user joins that group) can
# open: no other local process reaches gunicorn, so none can set X-Forwarded-For, which the
# application trusts from nginx (TRUSTED_PROXIES). BIND=127.0.0.1:8000 would let any local
# process choose the client address the sign-in throttle sees.
bind = os.environ.get("BIND", "unix:/run/directive-tracker/web.sock")
umask = 0o007  # the socket: read and write for the owner and the group, nothing for others
# 2 cores: 2 worker processes (one per core) with 4 threads each serve a dozen concurrent pages;
# a page is short database work, so threads help while another request waits on the database.
# Two processes of four threads hold less memory than three of two at the same requests/s
# (README, "The whole server's memory").
workers = int(os.environ.get("WEB_WORKERS", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
# The master loads the application once and the workers are forked from it: they share its
# pages (copy-on-write) instead of each loading its own copy, and a worker replaced after
# max_requests starts at once. Nothing opens a database connection before the fork, and
# post_fork drops any the master's pool might hold anyway.
preload_app = True
# Long work (imports, exports of whole years) must stay under this; nginx waits a little longer.
timeout = 60
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests, so memory a large export took is given back.
max_requests = 2000
max_requests_jitter = 200
# nginx on the same machine is the only proxy whose X-Forwarded-* headers gunicorn trusts; the
# application itself trusts TRUSTED_PROXIES hops (werkzeug's ProxyFix).
forwarded_allow_ips = "127.0.0.1"
accesslog = os.environ.get("ACCESS_LOG", "-")
errorlog = os.environ.get("ERROR_LOG", "-")
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'


def on_starting(server):
    """Refuse to start, with the reason, on an unreachable database or pending migrations.

    The check runs in a child process of its own: the master keeps only what serving pages
    needs, which the workers share (the application loads the rest, such as openpyxl or
    Alembic, when first used); its database connection ends with the child."""
    _few_malloc_arenas()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            from app.ops.config_check import refuse_to_start

            refuse_to_start(server.app.wsgi())  # the application the master loaded
            code = 0
        except SystemExit as refused:
            code = refused.code if isinstance(refused.code, int) else 1
        except BaseException:  # noqa: BLE001  (shown, then the server does not start)
            import traceback

            traceback.print_exc()
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(1)


def when_ready(server):
    """Before the first fork: the master builds what every worker would build for itself."""
    from app.ops.memory import warm_up

    warm_up(server.app.wsgi())


def pre_fork(server, worker):
    """The objects the master made are moved out of the collector's reach before each fork: a
    collection in a worker would otherwise write to every one of them (the collector's links
    live in each object's header) and so copy the shared pages it touched into the worker."""
    gc.collect()
    gc.freeze()


def post_fork(server, worker):
    """A worker opens its own database connections: one inherited from the master would be
    shared by two processes. A worker left much larger than it started by the files it built
    is replaced, as after max_requests (app/ops/memory.py)."""
    from app.extensions import db
    from app.ops.memory import replace_when_grown

    replace_when_grown(lambda: setattr(worker, "alive", False))

    with worker.app.wsgi().app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)  # forget the master's, without closing them under it


def _few_malloc_arenas():
    """glibc gives each thread that allocates at once an arena of its own (up to 8 per core),
    and memory freed in one arena serves only that arena: two arenas are enough for a worker's
    threads, which take turns under Python's lock anyway. Set in the master, inherited by the
    workers (as MALLOC_ARENA_MAX=2 would be)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to set
        ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt(M_ARENA_MAX, 2)


M_ARENA_MAX = -8  # glibc's malloc.h
