"""The pages of signing in through the province's identity service (``app.auth.oidc``): the
button's address, which sends the browser to the provider, and the address the provider sends
it back to. Both answer 404 while the service is not configured.

A user the provider vouches for is signed in as by a password: a session of the same kind
(``app.auth.sessions``), recorded as "oidc". Two-factor sign-in: a user who has it on is asked
for this application's code as after a password, unless the provider reports that it asked for
a second factor itself (``OIDC_MFA_AMR`` / ``OIDC_MFA_ACR``): then the session is "oidc+mfa",
which also satisfies the admin's requirement to enrol. Every refusal is a message on the
sign-in page, logged and kept in the admin's log of refused requests."""

from __future__ import annotations

import logging
import re

from flask import abort, current_app, flash, redirect, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.auth import oidc
from app.auth.blueprint import bp
from app.auth.devices import device_of
from app.auth.signing_in import PENDING, begin_second_step, finish, safe_next
from app.extensions import db
from app.models import AccessDenial

log = logging.getLogger("app.auth")
NEXT = "oidc_next"


def _settings() -> oidc.OidcSettings:
    settings = oidc.settings_of(current_app.config)
    if settings is None:
        abort(404)
    return settings


def _refuse(message: str, reason: str):
    """Back to the sign-in page with ``message``; the reason logged and kept for the admin."""
    log.warning("sign-in through the identity service refused: %s", reason)
    db.session.rollback()
    db.session.add(AccessDenial(method=request.method, path=request.path, reason=reason[:255]))
    db.session.commit()
    flash(message, "danger")
    return redirect(url_for("auth.login"))


def _unreachable(error: Exception):
    return _refuse(
        _(
            "Không kết nối được với cổng định danh của tỉnh. Vui lòng thử lại sau ít phút, "
            "hoặc đăng nhập bằng tên đăng nhập và mật khẩu."
        ),
        f"oidc: provider unreachable ({type(error).__name__}: {error})",
    )


@bp.get("/dang-nhap/dinh-danh")
def oidc_start():
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    import requests

    client = oidc.client_of(current_app._get_current_object(), settings)
    try:
        oidc.checked_metadata(client, settings)
        session.pop(PENDING, None)
        session[NEXT] = safe_next(request.args.get("next"))
        return client.authorize_redirect(url_for("auth.oidc_return", _external=True))
    except (requests.RequestException, ValueError) as error:
        if isinstance(error, oidc.ConfigError):
            return _refuse(_misconfigured(), f"oidc: provider metadata refused ({error})")
        return _unreachable(error)


def _misconfigured() -> str:
    return _(
        "Cấu hình đăng nhập qua cổng định danh không khớp với cổng định danh; đã từ chối "
        "đăng nhập. Vui lòng báo quản trị hệ thống."
    )


def _provider_error(error) -> tuple[str, str]:
    code = re.sub(r"[^a-z_]", "", str(getattr(error, "error", "") or "").lower())[:40]
    if code == "mismatching_state":
        return (
            _(
                "Phiên đăng nhập qua cổng định danh không hợp lệ hoặc đã hết hạn. Vui lòng bấm "
                "lại nút đăng nhập bằng tài khoản định danh."
            ),
            "oidc: state missing or not this browser's",
        )
    if code == "access_denied":
        return _("Bạn đã hủy đăng nhập ở cổng định danh."), "oidc: access_denied by the user"
    return (
        _(
            "Cổng định danh báo lỗi khi đăng nhập (%(code)s). Vui lòng thử lại, hoặc đăng nhập "
            "bằng tên đăng nhập và mật khẩu.",
            code=code or "?",
        ),
        f"oidc: provider error {code or '?'}: {getattr(error, 'description', '')}",
    )


def _verified_claims(settings: oidc.OidcSettings):
    """The ID token's claims, verified, or the refusal to answer with."""
    import requests
    from authlib.integrations.base_client import OAuthError
    from joserfc.errors import JoseError

    client = oidc.client_of(current_app._get_current_object(), settings)
    try:
        oidc.checked_metadata(client, settings)
        token = client.authorize_access_token(
            claims_options=oidc.claims_options(settings), leeway=60
        )
    except OAuthError as error:
        return None, _refuse(*_provider_error(error))
    except requests.RequestException as error:
        return None, _unreachable(error)
    except (JoseError, ValueError, KeyError, TypeError) as error:
        return None, _refuse(_untrusted(), f"oidc: ID token refused ({type(error).__name__})")
    claims = token.get("userinfo") if isinstance(token, dict) else None
    if not claims or not claims.get("sub"):
        return None, _refuse(_untrusted(), "oidc: no verified ID token in the answer")
    return dict(claims), None


def _untrusted() -> str:
    return _(
        "Không xác minh được thông tin đăng nhập do cổng định danh gửi về nên đã từ chối đăng "
        "nhập. Nếu lỗi lặp lại, vui lòng báo quản trị hệ thống."
    )


def _no_user(found: oidc.Match, claims: dict):
    person = oidc.who(claims)
    messages = {
        oidc.AMBIGUOUS: _(
            "Tài khoản định danh %(who)s khớp với nhiều người dùng của hệ thống nên không thể "
            "đăng nhập. Vui lòng nhờ quản trị hệ thống sửa e-mail bị trùng.",
            who=person,
        ),
        oidc.INACTIVE: _(
            "Tài khoản của bạn trong hệ thống đã bị khóa. Vui lòng liên hệ quản trị hệ thống."
        ),
        oidc.UNVERIFIED: _(
            "Cổng định danh chưa xác nhận e-mail %(who)s nên không dùng được để đăng nhập.",
            who=person,
        ),
    }
    message = messages.get(found.refusal) or _(
        "Tài khoản định danh %(who)s chưa gắn với người dùng nào của hệ thống. Vui lòng nhờ "
        "quản trị hệ thống kiểm tra e-mail và tên đăng nhập của bạn.",
        who=person,
    )
    return _refuse(message, f"oidc: {found.refusal} for {person} (sub {claims.get('sub')})")


@bp.get("/dang-nhap/dinh-danh/ve")
def oidc_return():
    settings = _settings()
    if current_user.is_authenticated:
        return redirect(url_for("dashboard.index"))
    next_url = session.pop(NEXT, None)
    claims, refusal = _verified_claims(settings)
    if refusal is not None:
        return refusal
    found = oidc.match_user(db.session, claims, settings.match)
    if found.user is None:
        return _no_user(found, claims)
    user = found.user
    log.info("signed in through the identity service: %s (sub %s)", user.username, claims["sub"])
    if oidc.second_factor_done(claims, settings):
        return finish(user, False, next_url, device_of(user.id), "oidc+mfa")
    if user.two_factor_on:
        return begin_second_step(user, False, next_url, "oidc")
    return finish(user, False, next_url, device_of(user.id), "oidc")
