from __future__ import annotations

import datetime as dt
import enum

from flask_login import UserMixin
from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    String,
    UniqueConstraint,
    delete,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from app.core.i18n import N_
from app.core.timeutil import utcnow
from app.extensions import db
from app.models.offices import OfficeScoped


class Role(enum.StrEnum):
    ADMIN = "admin"
    OFFICE = "office"
    DEPARTMENT_HEAD = "department_head"
    DEPARTMENT_MEMBER = "department_member"
    LEADER = "leader"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: N_("Quản trị hệ thống"),
    Role.OFFICE: N_("Chuyên viên Văn phòng"),
    Role.DEPARTMENT_HEAD: N_("Trưởng đơn vị"),
    Role.DEPARTMENT_MEMBER: N_("Chuyên viên đơn vị"),
    Role.LEADER: N_("Lãnh đạo UBND"),
}


class Department(OfficeScoped, db.Model):
    """A phòng, ban or trung tâm that leads or cooperates on tasks."""

    __tablename__ = "departments"
    __table_args__ = (UniqueConstraint("office_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(64), default="")
    display_order: Mapped[int] = mapped_column(default=0, index=True)
    email: Mapped[str] = mapped_column(String(255), default="")
    is_active: Mapped[bool] = mapped_column(default=True)
    # Mã định danh (edXML OrganId), optional.
    organ_id: Mapped[str | None] = mapped_column(String(35), index=True)
    # A unit's life (see models.units): created by a change on ``created_on`` (None: before
    # the tracker knew of it), ended by a merger, split or dissolution on ``ended_on`` (the
    # first day it no longer exists).
    created_on: Mapped[dt.date | None] = mapped_column(Date)
    ended_on: Mapped[dt.date | None] = mapped_column(Date)
    # The unit is itself an office in this installation (a commune's People's Committee):
    # set by ``Office.parent_unit_id``; see ``app.models.offices``.
    # The leader (Chủ tịch / Phó Chủ tịch) in charge, who gets the escalations.
    leader_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", use_alter=True, name="fk_departments_leader_id_users")
    )

    # Secret of the department's deadline calendar feed (an .ics URL).
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)

    members: Mapped[list[User]] = relationship(
        back_populates="department", foreign_keys="User.department_id"
    )
    leader: Mapped[User | None] = relationship(foreign_keys=[leader_id])

    def exists_on(self, day: dt.date) -> bool:
        return (self.created_on is None or self.created_on <= day) and (
            self.ended_on is None or day < self.ended_on
        )

    def __repr__(self) -> str:
        return f"<Department {self.name!r}>"


class User(UserMixin, OfficeScoped, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str] = mapped_column(String(255), default="")
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    role: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    # An installation administrator also creates offices and their first administrators
    # (``app.admin.offices``); within their own office they are an admin like any other.
    installation_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    calendar_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Part of every session and remember-me cookie of this user: a new one (a new password,
    # deactivation) ends every session signed with the old one (``rotate_sessions``).
    session_token: Mapped[str | None] = mapped_column(String(64))
    # Two-factor sign-in (``app.auth.two_factor``): the TOTP secret, base32 as the
    # authenticator app holds it (stored as it is: set at enrolment, kept while on); when it
    # was switched on (None: off, or an enrolment not confirmed yet); the last time step a code
    # was accepted for (no code is accepted twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)
    # The secret of the session being signed in (``app.auth.sessions.start``), for
    # ``cookie_id``.
    signing_in_secret = None
    # How the request's session was signed in (``UserSession.sign_in_method``), set when the
    # session's cookie is read (``app.web.wiring.load_user``).
    signed_in_with = ""

    department: Mapped[Department | None] = relationship(
        back_populates="members", foreign_keys=[department_id]
    )

    def cookie_id(self) -> str:
        """What the session and remember-me cookies hold (Flask-Login's ``id_attribute``):
        the user, the user's current session generation and the secret of one
        ``UserSession`` ("id:generation:secret"). Without a session being signed in, an id
        no cookie can use. (``get_id`` stays the plain id: users compare by it.)"""
        if not self.session_token:
            self.rotate_sessions()
        return f"{self.id}:{self.session_token}:{self.signing_in_secret or ''}"

    def rotate_sessions(self) -> None:
        """End every session and remember-me cookie this user has anywhere."""
        import secrets

        self.session_token = secrets.token_urlsafe(32)
        if self.id is not None:
            db.session.execute(delete(UserSession).where(UserSession.user_id == self.id))

    def set_password(self, password: str, method: str = "scrypt") -> None:
        """A new password also signs the user out everywhere."""
        self.password_hash = generate_password_hash(password, method=method)
        self.rotate_sessions()

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    @property
    def two_factor_on(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def role_label(self) -> str:
        return Role(self.role).label

    def __repr__(self) -> str:
        return f"<User {self.username!r} {self.role}>"


SESSION_IDLE_LIMIT = dt.timedelta(days=30)  # as long as a remember-me cookie lasts
# The ways a session was signed in (``UserSession.sign_in_method``).
SIGN_IN_METHODS = ("password", "password+totp", "oidc", "oidc+mfa", "oidc+totp")
SESSION_SEEN_EVERY = dt.timedelta(minutes=5)  # "last active" may be this stale: not a write a page


class UserSession(db.Model):
    """One signed-in browser of a user: what the account page lists and what signing out ends.
    Only the SHA-256 of the session's secret is stored; the secret is in the browser's session
    and remember-me cookies."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    address: Mapped[str] = mapped_column(String(64), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")
    # How the browser signed in (``SIGN_IN_METHODS``): the password, the password and a code
    # (two-factor), the province's identity service (OpenID Connect), that service with its own
    # second factor, or the service and this application's code.
    sign_in_method: Mapped[str] = mapped_column(
        String(16), default="password", server_default="password"
    )
