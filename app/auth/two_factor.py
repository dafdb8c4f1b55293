"""Two-factor sign-in: a time-based one-time code (TOTP, RFC 6238: 6 digits, 30 seconds, the
codes of any authenticator app) asked after the password, or one of ten one-time recovery codes.

- Enrolment: a new secret is kept on the user (``User.totp_secret``) and shown as a QR code;
  it is switched on (``User.totp_enabled_at``) only once a code from it is accepted.
- A code is accepted for its own 30 seconds and the steps either side (a phone's clock a little
  off), and never twice: the last accepted time step is kept (``User.totp_last_step``) and a
  code must be of a later one. The check and the note are one conditional UPDATE, so two
  requests with the same code cannot both pass.
- Recovery codes: only their SHA-256 is stored; each works once (a conditional UPDATE too).
- The secret is stored as it is (base32), like the rest of the database: whoever reads the
  database can make codes. Backups hold it too.

Plain functions on a session and a time."""

from __future__ import annotations

import datetime as dt
import hmac
import re
import secrets

import pyotp
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from app.models import RecoveryCode, User
from app.models.access import hash_token
from app.models.people import Role

STEP_SECONDS = 30
DRIFT_STEPS = 1  # the step before and the step after are accepted too
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread
ROLES_REQUIRED = (Role.ADMIN, Role.OFFICE)  # whom the admin's setting applies to
DEFAULT_ISSUER = "Theo dõi văn bản chỉ đạo"


def time_step(now: dt.datetime) -> int:
    """The TOTP time step of ``now`` (naive UTC)."""
    return int(now.replace(tzinfo=dt.UTC).timestamp()) // STEP_SECONDS


def new_secret() -> str:
    return pyotp.random_base32()  # 32 characters: 160 bits


def pending_secret(user: User) -> str:
    """The secret being enrolled: the one kept while enrolment is not confirmed, or a new one
    (flush only; the caller commits). Reloading the page shows the same QR code."""
    if user.two_factor_on:
        raise ValueError("two-factor sign-in is already on")
    if not user.totp_secret:
        user.totp_secret = new_secret()
        user.totp_last_step = None
    return user.totp_secret


def provisioning_uri(user: User, issuer: str) -> str:
    """The otpauth:// address the QR code holds: the office's name as issuer, the user's name
    as account."""
    return pyotp.TOTP(user.totp_secret).provisioning_uri(
        name=user.username, issuer_name=issuer or DEFAULT_ISSUER
    )


def qr_svg(uri: str) -> Markup:
    """The QR code of ``uri`` as an inline SVG that scales to its box (no script, no image
    request: the page's Content-Security-Policy stays as it is)."""
    import segno

    code = segno.make(uri, error="m")
    svg = code.svg_inline(scale=1, border=4, omitsize=True, svgclass="qr-code", light="#fff")
    return Markup(svg)  # segno's own markup: the URI is drawn, not written into it


def grouped(secret: str) -> str:
    """The secret in groups of four, to type into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code or "")


def accept_totp(session: Session, user: User, code: str, now: dt.datetime) -> bool:
    """Whether ``code`` is the user's current code (or the step's either side) of a later time
    step than any accepted before; if so, that step is noted (flush only)."""
    code = _digits(code)
    if not user.totp_secret or len(code) != 6 or not code.isdigit():
        return False
    totp = pyotp.TOTP(user.totp_secret)
    current = time_step(now)
    for step in range(current - DRIFT_STEPS, current + DRIFT_STEPS + 1):
        if not hmac.compare_digest(totp.generate_otp(step), code):
            continue
        result = session.execute(
            update(User)
            .where(
                User.id == user.id,
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount != 1:
            return False  # this code, or a later one, was used already
        user.totp_last_step = step
        return True
    return False


def _normal_recovery(code: str) -> str:
    return _digits(code).lower()


def new_recovery_codes(session: Session, user: User, now: dt.datetime) -> list[str]:
    """Ten new recovery codes ("abcde-fghjk"); the old ones stop working. Only their hash is
    stored: the caller shows them once."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
        session.add(RecoveryCode(user_id=user.id, code_hash=hash_token(raw), created_at=now))
    session.flush()
    return codes


def use_recovery_code(session: Session, user: User, code: str, now: dt.datetime) -> bool:
    """Whether ``code`` is one of the user's recovery codes not used yet; it is used up."""
    code = _normal_recovery(code)
    if len(code) != 10:
        return False
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_token(code),
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def recovery_codes_left(session: Session, user: User) -> int:
    return session.scalar(
        select(func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)
        )
    )


def check_code(session: Session, user: User, code: str, now: dt.datetime) -> str | None:
    """The second factor at sign-in: "totp" for a code from the app, "recovery" for a recovery
    code (used up), None for anything else."""
    if not user.two_factor_on:
        return None
    if accept_totp(session, user, code, now):
        return "totp"
    if use_recovery_code(session, user, code, now):
        return "recovery"
    return None


def switch_on(session: Session, user: User, code: str, now: dt.datetime) -> list[str] | None:
    """Confirm the enrolment with a code from the app: two-factor sign-in is on, and the ten
    recovery codes to show once are returned; None when the code is not accepted."""
    if user.two_factor_on or not user.totp_secret:
        return None
    if not accept_totp(session, user, code, now):
        return None
    user.totp_enabled_at = now
    return new_recovery_codes(session, user, now)


def switch_off(session: Session, user: User) -> None:
    """Two-factor sign-in off: the secret and the recovery codes are forgotten (the user's own
    choice, or the admin's reset when the phone is lost)."""
    user.totp_secret = None
    user.totp_enabled_at = None
    user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))


def must_enrol(user: User, required: bool) -> bool:
    """Whether the admin's setting makes ``user`` enrol before anything else."""
    return required and user.role in ROLES_REQUIRED and not user.two_factor_on
