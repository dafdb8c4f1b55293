"""Signing in through the province's identity service (issue 29, item 7): OpenID Connect against
a real provider (node ``oidc-provider``, ``tests/oidc_op.py``) on loopback, on both databases.
The whole round in Chromium; refusals (unknown, unverified, ambiguous, locked), a tampered or
foreign state, the provider down or hanging or saying no, a token signed by a key the provider
never published, another issuer, and two-factor sign-in, through ``requests``."""

from __future__ import annotations

import os
import re
import socket
import time
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit

import pyotp
import pytest
import requests
from oidc_op import ACCOUNTS, CALLBACK, Provider, free_port, sign_in_without_browser
from page_audit import CHROMIUM, CHROMIUM_ARGS, DESKTOP, PHONE, axe_violations, served
from sqlalchemy import select
from test_browser import _browser_or_skip

from app.core.settings import save_settings
from app.core.timeutil import local_today, utcnow
from app.extensions import db
from app.models import AccessDenial, User, UserSession
from conftest import PASSWORD, Factory, World, make_app

SHOTS = os.environ.get("OIDC_SHOTS")  # a folder: the sign-in pages saved at 1366 and 360 px


def shot(page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        width = page.viewport_size["width"]
        page.screenshot(path=f"{SHOTS}/{name}-{width}.png", full_page=True)


REFUSED = {
    "stranger": "chưa gắn với người dùng nào của hệ thống",
    "unverified": "chưa xác nhận e-mail",
    "ambiguous": "khớp với nhiều người dùng",
    "locked": "đã bị khóa",
    "state": "không hợp lệ hoặc đã hết hạn",
    "down": "Không kết nối được với cổng định danh",
    "untrusted": "Không xác minh được thông tin đăng nhập",
    "misconfigured": "Cấu hình đăng nhập qua cổng định danh không khớp",
    "cancelled": "Bạn đã hủy đăng nhập ở cổng định danh",
}


@pytest.fixture
def live(database_url, tmp_path):
    """The application served on loopback (on the test's database) with a world of users, and
    a real provider that knows it as a client."""
    app = make_app(database_url, ATTACHMENT_DIR=str(tmp_path / "files"))
    with app.app_context():
        World(db.session, Factory(db.session), local_today())
        db.session.remove()
    with served(app) as base:
        provider = Provider(base + CALLBACK).start()
        app.config.update(provider.config())
        try:
            yield base, app, provider
        finally:
            provider.stop()
    with app.app_context():
        db.engine.dispose()


def sessions_of(app, username: str) -> list[str]:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == username))
        methods = db.session.scalars(
            select(UserSession.sign_in_method).where(UserSession.user_id == user.id)
        ).all()
        db.session.remove()
        return list(methods)


def denials(app) -> list[str]:
    with app.app_context():
        reasons = db.session.scalars(select(AccessDenial.reason).order_by(AccessDenial.id)).all()
        db.session.remove()
        return list(reasons)


def change_user(app, who: str, **values) -> None:
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == who))
        for key, value in values.items():
            setattr(user, key, value)
        db.session.commit()
        db.session.remove()


def through(base: str, who: str) -> requests.Response:
    """A new browser-less visitor signs in at the provider as ``who`` (an ``ACCOUNTS`` login)."""
    account = next(a for a in ACCOUNTS.values() if a["login"] == who)
    return sign_in_without_browser(requests.Session(), base, who, account["password"])


def signed_in_page(response: requests.Response, base: str) -> bool:
    return response.url == base + "/" and 'id="user-bar"' in response.text


def refused_with(response: requests.Response, base: str, key: str) -> None:
    assert response.url == base + "/dang-nhap", response.url
    assert REFUSED[key] in response.text, response.text[-3000:]
    assert 'id="user-bar"' not in response.text


def test_off_by_default_no_button_and_no_route(client, world):
    page = client.get("/dang-nhap").get_data(as_text=True)
    assert 'id="oidc-button"' not in page and "tài khoản định danh" not in page
    assert client.get("/dang-nhap/dinh-danh").status_code == 404
    assert client.get("/dang-nhap/dinh-danh/ve?code=x&state=y").status_code == 404


def test_the_whole_round_in_chromium(live):
    sync_playwright = _browser_or_skip()
    base, app, provider = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        phone = browser.new_context(bypass_csp=True, **PHONE).new_page()
        phone.goto(base + "/dang-nhap")
        assert phone.inner_text("#oidc-button") == "Đăng nhập bằng tài khoản định danh"
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360
        assert axe_violations(phone) == []
        shot(phone, "sign-in")
        page = browser.new_context(bypass_csp=True, **DESKTOP).new_page()
        page.goto(base + "/dang-nhap?next=/nhiem-vu")
        shot(page, "sign-in")
        page.click("#oidc-button")
        page.wait_for_url(provider.issuer + "/interaction/**")
        page.fill("#op-login", "truong.tnmt")
        page.fill("#op-password", "sai-mat-khau")  # the provider's own check
        page.click("#op-submit")
        assert "Sai tài khoản" in page.inner_text("#op-error")
        shot(page, "provider")
        page.fill("#op-login", "truong.tnmt")
        page.fill("#op-password", ACCOUNTS["sub-tnmt"]["password"])
        page.click("#op-submit")
        page.wait_for_url(base + "/nhiem-vu")  # where the user was going
        assert "Tnmt.Truong" in page.inner_text("#user-bar")
        assert sessions_of(app, "tnmt.truong") == ["oidc"]
        page.goto(base + "/tai-khoan")
        assert page.inner_text("[data-sign-in-method=oidc]") == "qua cổng định danh"
        shot(page, "account")
        page.click("#user-bar form button")  # sign out
        page.wait_for_url(base + "/dang-nhap")
        assert sessions_of(app, "tnmt.truong") == []
        page.goto(base + "/tai-khoan")
        assert page.url.startswith(base + "/dang-nhap")
        page.fill("#username", "vanphong")  # local accounts keep working
        page.fill("#password", PASSWORD)
        page.click("#main button[type=submit]")
        page.wait_for_url(base + "/tai-khoan")
        assert sessions_of(app, "vanphong") == ["password"]

        stranger = browser.new_context(bypass_csp=True, **PHONE).new_page()
        stranger.goto(base + "/dang-nhap")
        stranger.click("#oidc-button")
        stranger.fill("#op-login", "nguoi.la")
        stranger.fill("#op-password", ACCOUNTS["sub-stranger"]["password"])
        stranger.click("#op-submit")
        stranger.wait_for_url(base + "/dang-nhap")
        message = stranger.inner_text(".alert-danger")
        assert REFUSED["stranger"] in message and "nguoi.la@example.vn" in message
        assert stranger.evaluate("document.documentElement.scrollWidth") <= 360
        shot(stranger, "refused")
        assert axe_violations(stranger) == []
        browser.close()
    assert any("no_match for nguoi.la@example.vn" in r for r in denials(app))


def test_who_is_refused_and_why(live):
    base, app, _provider = live
    refused_with(through(base, "nguoi.la"), base, "stranger")
    refused_with(through(base, "chua.xac.nhan"), base, "unverified")
    refused_with(through(base, "lanhdao.dd"), base, "stranger")  # no e-mail; names not matched
    change_user(app, "qldt.truong", email="tnmt.truong@example.vn")
    refused_with(through(base, "truong.tnmt"), base, "ambiguous")
    change_user(app, "qldt.truong", email="qldt.truong@example.vn")
    change_user(app, "tnmt.truong", is_active=False)
    refused_with(through(base, "truong.tnmt"), base, "locked")
    change_user(app, "tnmt.truong", is_active=True)
    assert signed_in_page(through(base, "truong.tnmt"), base)
    reasons = " | ".join(denials(app))
    for reason in ("no_match", "unverified", "no_claim", "ambiguous", "inactive"):
        assert f"oidc: {reason} for" in reasons
    assert sessions_of(app, "qldt.truong") == []


def test_matching_by_username_when_configured(live):
    base, app, _provider = live
    app.config["OIDC_MATCH"] = "email, username"
    response = through(base, "lanhdao.dd")  # preferred_username "LanhDao"
    assert signed_in_page(response, base)
    assert sessions_of(app, "lanhdao") == ["oidc"]
    # Both ways on, pointing at two different people: nobody.
    change_user(app, "lanhdao", username="nguoi-khac")  # the TNMT head's preferred_username
    refused_with(through(base, "truong.tnmt"), base, "ambiguous")


def back_to_application(base: str, who: str) -> tuple[requests.Session, str]:
    """Through the provider's page, stopping at the address it sends the browser back to."""
    http = requests.Session()
    page = http.get(base + "/dang-nhap/dinh-danh", timeout=20)
    action = re.search(r'<form method="post" action="([^"]+/login)"', page.text)[1]
    account = next(a for a in ACCOUNTS.values() if a["login"] == who)
    url = page.url.split("/interaction/")[0] + action
    answer = http.post(
        url, data={"login": who, "password": account["password"]}, timeout=20, allow_redirects=False
    )
    while not answer.headers["Location"].startswith(base):
        location = answer.headers["Location"]
        if location.startswith("/"):
            location = page.url.split("/interaction/")[0] + location
        answer = http.get(location, allow_redirects=False, timeout=20)
    return http, answer.headers["Location"]


def with_state(url: str, state: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["state"] = state
    return parts._replace(query=urlencode(query)).geturl()


def test_a_tampered_or_foreign_state_is_refused(live):
    base, app, _provider = live
    http, callback = back_to_application(base, "truong.tnmt")
    assert callback.startswith(base + CALLBACK) and "state=" in callback and "code=" in callback
    state = dict(parse_qsl(urlsplit(callback).query))["state"]
    tampered = state[:-1] + ("A" if state[-1] != "A" else "B")
    refused_with(http.get(with_state(callback, tampered), timeout=20), base, "state")
    # The genuine answer in another browser (login CSRF): that browser started nothing.
    refused_with(requests.get(callback, timeout=20), base, "state")
    refused_with(requests.get(base + CALLBACK, timeout=20), base, "state")
    assert sessions_of(app, "tnmt.truong") == []
    assert sum("oidc: state missing" in r for r in denials(app)) == 3


def test_the_provider_cancelled_or_failing(live):
    base, app, provider = live
    http = requests.Session()
    page = http.get(base + "/dang-nhap/dinh-danh", timeout=20)
    abort = re.search(r'<form method="post" action="([^"]+/abort)"', page.text)[1]
    refused_with(http.post(provider.issuer + abort, timeout=20), base, "cancelled")
    answer = requests.get(base + CALLBACK + "?error=server_error&state=x", timeout=20)
    assert "Cổng định danh báo lỗi khi đăng nhập (server_error)" in answer.text
    assert answer.url == base + "/dang-nhap"


def test_the_provider_down_or_hanging(app, client, world):
    app.config.update(
        OIDC_ISSUER=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        OIDC_CLIENT_ID="tracker",
        OIDC_CLIENT_SECRET="secret",
        OIDC_TIMEOUT_SECONDS=1,
    )
    assert 'id="oidc-button"' in client.get("/dang-nhap").get_data(as_text=True)
    answer = client.get("/dang-nhap/dinh-danh", follow_redirects=True)
    assert answer.status_code == 200 and REFUSED["down"] in answer.get_data(as_text=True)
    with socket.socket() as hanging:  # accepts connections, never answers
        hanging.bind(("127.0.0.1", 0))
        hanging.listen(8)
        app.config["OIDC_ISSUER"] = f"http://127.0.0.1:{hanging.getsockname()[1]}"
        started = time.monotonic()
        answer = client.get("/dang-nhap/dinh-danh", follow_redirects=True)
        waited = time.monotonic() - started
    assert REFUSED["down"] in answer.get_data(as_text=True)
    assert 0.9 <= waited < 4, waited
    assert sum("provider unreachable" in r for r in denials(app)) == 2


def test_another_issuer_in_the_discovery_document_is_refused(live):
    base, app, provider = live
    app.config["OIDC_ISSUER"] = provider.issuer.replace("127.0.0.1", "localhost")
    app.config["OIDC_DISCOVERY_URL"] = provider.issuer + "/.well-known/openid-configuration"
    answer = requests.get(base + "/dang-nhap/dinh-danh", timeout=20)
    refused_with(answer, base, "misconfigured")


def test_an_id_token_signed_by_an_unpublished_key_is_refused(live):
    """The application keeps the provider's keys it fetched. The provider restarts with a new
    key under the same key id: tokens signed by it do not verify against the published key,
    and a client that did not check signatures would let the user in."""
    base, app, provider = live
    assert signed_in_page(through(base, "truong.tnmt"), base)
    provider.stop()
    provider.start()  # same port, same kid "key-1", another RSA key
    refused_with(through(base, "truong.tnmt"), base, "untrusted")
    assert sessions_of(app, "tnmt.truong") == ["oidc"]  # only the first one
    assert any("ID token refused (BadSignatureError)" in r for r in denials(app))


def enable_two_factor(app, username: str) -> str:
    secret = pyotp.random_base32()
    change_user(app, username, totp_secret=secret, totp_enabled_at=utcnow())
    return secret


def test_two_factor_after_the_identity_service(live):
    base, app, _provider = live
    secret = enable_two_factor(app, "vanphong")
    http = requests.Session()
    answer = sign_in_without_browser(http, base, "vanphong.pwd", ACCOUNTS["sub-plain"]["password"])
    assert answer.url == base + "/dang-nhap/ma-xac-thuc"  # the provider asked one factor
    assert sessions_of(app, "vanphong") == []
    answer = http.post(answer.url, data={"code": pyotp.TOTP(secret).now()}, timeout=20)
    assert signed_in_page(answer, base)
    assert sessions_of(app, "vanphong") == ["oidc+totp"]
    # The provider reports its own second factor (amr "mfa"): no code asked here.
    answer = through(base, "vanphong.mfa")
    assert signed_in_page(answer, base)
    assert sorted(sessions_of(app, "vanphong")) == ["oidc+mfa", "oidc+totp"]


def test_the_admin_requirement_and_the_providers_second_factor(live):
    base, app, _provider = live
    with app.app_context():
        save_settings(db.session, two_factor_required="1")
        db.session.commit()
        db.session.remove()
    answer = through(base, "vanphong.pwd")
    assert answer.url == base + "/tai-khoan/xac-thuc-hai-buoc"  # must enrol first
    answer = through(base, "vanphong.mfa")
    assert signed_in_page(answer, base)
    http = requests.Session()
    sign_in_without_browser(http, base, "vanphong.mfa", ACCOUNTS["sub-mfa"]["password"])
    assert http.get(base + "/nhiem-vu", timeout=20).url == base + "/nhiem-vu"


def test_check_config_reaches_the_provider(live):
    from app.ops.config_check import check_oidc

    _base, app, provider = live
    (found,) = check_oidc(app)
    assert found.level == "ok" and provider.issuer in found.message, found
    app.config["OIDC_ISSUER"] = provider.issuer.replace("127.0.0.1", "localhost")
    app.config["OIDC_DISCOVERY_URL"] = provider.issuer + "/.well-known/openid-configuration"
    (found,) = check_oidc(app)
    assert found.level == "error" and "khác OIDC_ISSUER" in found.message, found
    provider.stop()
    (found,) = check_oidc(app)
    assert found.level == "warning" and "không đọc được" in found.message, found
    app.config["OIDC_CLIENT_SECRET"] = ""
    (found,) = check_oidc(app)
    assert found.level == "warning" and "thiếu OIDC_CLIENT_SECRET" in found.message, found
    app.config.update(OIDC_ISSUER="", OIDC_CLIENT_ID="")
    assert check_oidc(app) == []
