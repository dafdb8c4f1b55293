"""The mails that carry a password link: a reset, an invitation.

They are sent at once, not queued for the scheduler like reminders (a link that lasts 30
minutes cannot wait for the next tick), and from a thread of their own: the page answers as
fast whether a mail goes out or not, so its timing does not tell whether a name exists. Without
``SMTP_HOST`` the mail is written to the outbox folder, as reminders are."""

from __future__ import annotations

import datetime as dt
import logging
import secrets
import smtplib
import ssl
import threading
from email.message import Message
from email.mime.text import MIMEText
from email.utils import format_datetime, formataddr, make_msgid

from flask import current_app, render_template

from app.models import User
from app.reminders.delivery import BODY_CHARSET, SMTP_TIMEOUT_SECONDS, encoded_header, outbox_dir

log = logging.getLogger("app.auth")


def link_url(endpoint_path: str) -> str:
    """An address under ``BASE_URL`` (the server's public address), as the reminders' links."""
    return current_app.config.get("BASE_URL", "").rstrip("/") + endpoint_path


def build(user: User, subject: str, template: str, **values) -> Message:
    config = current_app.config
    body = render_template(template, user=user, **values)
    message = MIMEText(body, "plain", BODY_CHARSET)
    message["Subject"] = encoded_header(subject)
    message["From"] = formataddr((config["MAIL_FROM_NAME"], config["MAIL_FROM"]), charset="utf-8")
    message["To"] = formataddr((user.full_name, user.email), charset="utf-8")
    message["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    message["Message-ID"] = make_msgid(idstring="account", domain="tracker")
    return message


def send_soon(message: Message) -> threading.Thread | None:
    """Send ``message`` from a thread (returned, for tests to wait on); to the outbox folder
    at once when no SMTP server is configured."""
    config = dict(current_app.config)
    if not config.get("SMTP_HOST"):
        name = f"account-{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(4)}.eml"
        (outbox_dir() / name).write_bytes(bytes(message))
        return None
    thread = threading.Thread(target=_send, args=(config, message), name="account-mail")
    thread.daemon = True
    thread.start()
    return thread


def _send(config: dict, message: Message) -> None:
    port = int(config.get("SMTP_PORT") or 25)
    timeout = float(config.get("SMTP_TIMEOUT") or SMTP_TIMEOUT_SECONDS)
    try:
        with smtplib.SMTP(config["SMTP_HOST"], port, timeout=timeout) as smtp:
            if str(config.get("SMTP_STARTTLS", "")).lower() in ("1", "true", "yes"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                smtp.login(config["SMTP_USER"], config.get("SMTP_PASSWORD", ""))
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError):
        log.exception("a password link mail to %s was not sent", message["To"])


def invitation(session, user: User, now: dt.datetime) -> Message:
    """An invitation's new link for ``user`` and the mail carrying it (send it once the link
    is committed)."""
    from flask import url_for
    from flask_babel import gettext as _

    from app.auth import tokens

    token = tokens.issue(session, user, tokens.INVITE, now)
    return build(
        user,
        _("Mời đặt mật khẩu tài khoản %(username)s", username=user.username),
        "auth/mail_invite.txt",
        url=link_url(url_for("auth.set_password", token=token)),
        days=tokens.LIFETIME[tokens.INVITE].days,
        login_url=link_url(url_for("auth.login")),
    )
