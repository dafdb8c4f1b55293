"""Gunicorn for the directive tracker on a 2-core server behind nginx.

    gunicorn -c deploy/gunicorn.conf.py

Every setting can be overridden on the command line or with GUNICORN_CMD_ARGS.
"""

import os

wsgi_app = "app:create_app()"
# A Unix socket that only the service's user and group (nginx's user joins that group) can
# open: no other local process reaches gunicorn, so none can set X-Forwarded-For, which the
# application trusts from nginx (TRUSTED_PROXIES). BIND=127.0.0.1:8000 would let any local
# process choose the client address the sign-in throttle sees.
bind = os.environ.get("BIND", "unix:/run/directive-tracker/web.sock")
umask = 0o007  # the socket: read and write for the owner and the group, nothing for others
# 2 cores: 3 worker processes with 2 threads each serve a dozen concurrent pages; a page is
# short database work, so threads help while another request waits on the database.
workers = int(os.environ.get("WEB_WORKERS", "3"))
threads = int(os.environ.get("WEB_THREADS", "2"))
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

    The check runs in a child process of its own: the master stays a bare gunicorn, so the
    workers it forks carry only what a web request needs (the application loads the rest,
    such as openpyxl or Alembic, when first used)."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            from app import create_app
            from app.ops.config_check import refuse_to_start

            refuse_to_start(create_app())
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
