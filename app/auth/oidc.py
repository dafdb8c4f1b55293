"""Signing in through the province's identity service: OpenID Connect, with Authlib's Flask
client. Off unless the issuer, the client id and its secret are configured (``OIDC_*``,
``app/config.py``).

The flow is the authorization code flow with PKCE (S256); the state and the nonce are kept in
the signed session cookie and checked on return; the ID token is verified by Authlib: its
signature against the provider's published keys (JWKS, fetched once and again when a token
names an unknown key), its issuer (the configured one, which the discovery document must
state too), its audience (this client), its expiry and the nonce. Every call to the provider
waits at most ``OIDC_TIMEOUT_SECONDS``.

The user is an existing one, matched by the claims ``OIDC_MATCH`` names: the e-mail address
(only one the provider says is verified) and/or ``preferred_username``; nobody is created.
These are plain functions; the pages are in ``oidc_pages.py``."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import User

CLIENT_KEY = "tracker_oidc_client"
_LOCK = threading.Lock()
MATCHES = ("email", "username")
# Why a sign-in through the provider was refused (the page's message is chosen by it).
NO_CLAIM = "no_claim"
UNVERIFIED = "unverified"
NO_MATCH = "no_match"
AMBIGUOUS = "ambiguous"
INACTIVE = "inactive"


class ConfigError(ValueError):
    """The provider's metadata does not fit the configuration (another issuer, no keys)."""


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    discovery_url: str
    client_id: str
    client_secret: str
    match: tuple[str, ...]
    label: str
    timeout: float
    mfa_amr: frozenset[str]
    mfa_acr: frozenset[str]


def _words(value) -> tuple[str, ...]:
    return tuple(w for w in str(value or "").replace(",", " ").split() if w)


def settings_of(config) -> OidcSettings | None:
    """The identity service's settings, or None when signing in through it is off."""
    issuer = str(config.get("OIDC_ISSUER") or "").strip().rstrip("/")
    client_id = str(config.get("OIDC_CLIENT_ID") or "").strip()
    secret = str(config.get("OIDC_CLIENT_SECRET") or "")
    if not (issuer and client_id and secret):
        return None
    discovery = str(config.get("OIDC_DISCOVERY_URL") or "").strip()
    match = tuple(m for m in _words(config.get("OIDC_MATCH") or "email") if m in MATCHES)
    return OidcSettings(
        issuer=issuer,
        discovery_url=discovery or issuer + "/.well-known/openid-configuration",
        client_id=client_id,
        client_secret=secret,
        match=match or ("email",),
        label=str(config.get("OIDC_BUTTON_LABEL") or "").strip(),
        timeout=float(config.get("OIDC_TIMEOUT_SECONDS") or 5),
        mfa_amr=frozenset(_words(config.get("OIDC_MFA_AMR"))),
        mfa_acr=frozenset(_words(config.get("OIDC_MFA_ACR"))),
    )


def client_of(app, settings: OidcSettings):
    """The application's Authlib client for the provider, made once for these settings (it
    keeps the provider's metadata and keys)."""
    with _LOCK:
        made_for, found = app.extensions.get(CLIENT_KEY) or (None, None)
        if made_for != settings:
            from authlib.integrations.flask_client import OAuth

            oauth = OAuth()
            oauth.init_app(app)
            found = oauth.register(
                name="oidc",
                client_id=settings.client_id,
                client_secret=settings.client_secret,
                server_metadata_url=settings.discovery_url,
                client_kwargs={
                    "scope": "openid email profile",
                    "code_challenge_method": "S256",
                    "default_timeout": settings.timeout,
                },
            )
            app.extensions[CLIENT_KEY] = (settings, found)
    return found


def checked_metadata(client, settings: OidcSettings) -> dict:
    """The provider's discovery document (fetched once), checked against the configuration:
    the same issuer (a document naming another one is refused, not trusted) and a key set."""
    metadata = client.load_server_metadata()
    if str(metadata.get("issuer", "")).rstrip("/") != settings.issuer:
        raise ConfigError(f"discovery names issuer {metadata.get('issuer')!r}")
    if not metadata.get("jwks_uri") or not metadata.get("authorization_endpoint"):
        raise ConfigError("discovery has no jwks_uri or authorization_endpoint")
    return metadata


def claims_options(settings: OidcSettings) -> dict:
    """What the ID token must hold beyond Authlib's own checks (audience, expiry, nonce)."""
    return {
        "iss": {"essential": True, "values": [settings.issuer, settings.issuer + "/"]},
        "sub": {"essential": True},
    }


@dataclass(frozen=True)
class Match:
    user: User | None
    refusal: str = ""


def _verified_email(claims: dict) -> str | None:
    email = str(claims.get("email") or "").strip()
    if not email:
        return None
    return email if claims.get("email_verified") is True else ""


def who(claims: dict) -> str:
    """How the person is named in messages and the log: e-mail, else username, else sub."""
    for key in ("email", "preferred_username", "sub"):
        if claims.get(key):
            return str(claims[key])[:120]
    return "?"


def match_user(session: Session, claims: dict, match: tuple[str, ...]) -> Match:
    """The one existing user the verified claims point to, or why there is none."""
    found: dict[int, User] = {}
    tried = unverified = False
    if "email" in match:
        email = _verified_email(claims)
        if email == "":
            unverified = True
        elif email:
            tried = True
            users = session.scalars(
                select(User).where(func.lower(User.email) == email.lower(), User.email != "")
            )
            found.update((u.id, u) for u in users)
    if "username" in match:
        name = str(claims.get("preferred_username") or "").strip()
        if name:
            tried = True
            user = session.scalar(select(User).where(func.lower(User.username) == name.lower()))
            if user is not None:
                found[user.id] = user
    if len(found) > 1:
        return Match(None, AMBIGUOUS)
    if not found:
        if tried:
            return Match(None, NO_MATCH)
        return Match(None, UNVERIFIED if unverified else NO_CLAIM)
    user = next(iter(found.values()))
    return Match(user) if user.is_active else Match(None, INACTIVE)


def second_factor_done(claims: dict, settings: OidcSettings) -> bool:
    """Whether the provider says it asked for a second factor itself (``amr`` or ``acr``
    among the configured values): then this application's code is not asked again."""
    amr = claims.get("amr")
    methods = {str(m) for m in amr} if isinstance(amr, list) else set()
    return bool(methods & settings.mfa_amr) or str(claims.get("acr") or "") in settings.mfa_acr
