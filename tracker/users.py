"""Accounts: roles, password hashing (argon2 through pwdlib) and digest subscriptions."""

from __future__ import annotations

import re
import secrets

from pwdlib import PasswordHash
from sqlmodel import Session, col, select

from tracker.models import User

ROLES = ("admin", "staff", "viewer")
MIN_PASSWORD = 10  # characters; the same rule for the CLI, the web form and resets
_hasher = PasswordHash.recommended()
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class UserError(ValueError):
    """A user that cannot be created or found; the message says why."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password: str, password_hash: str) -> bool:
    if not password_hash:
        return False
    return _hasher.verify(password, password_hash)


def check_password(password: str) -> None:
    """Refuse an empty or short password (counted in characters, spaces included)."""
    if not password:
        raise UserError(f"password is empty: it must be at least {MIN_PASSWORD} characters")
    if len(password) < MIN_PASSWORD:
        raise UserError(f"password must be at least {MIN_PASSWORD} characters, not {len(password)}")


def generate_password() -> str:
    """A random password of 20 URL-safe characters, for resets that are not given one."""
    return secrets.token_urlsafe(15)


def find_user(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise UserError(f"no user with email {email!r} (see `tracker users list`)")
    return user


def active_admins(session: Session) -> int:
    return len(session.exec(select(User.id).where(User.role == "admin", col(User.active).is_(True))).all())


def set_active(session: Session, user: User, active: bool) -> None:
    """Disable or enable an account. A disabled user cannot sign in, gets no digest, and every
    session they have ends (the session epoch moves on)."""
    if not active and user.active and user.role == "admin" and active_admins(session) <= 1:
        raise UserError(f"{user.email} is the last active admin: make another admin first")
    if user.active and not active:
        user.session_epoch += 1
    user.active = active
    session.add(user)


def set_password(session: Session, user: User, password: str) -> None:
    """A new password; it signs the user out everywhere."""
    check_password(password)
    user.password_hash = hash_password(password)
    user.session_epoch += 1
    session.add(user)


def add_user(session: Session, email: str, role: str, password: str, *, name: str = "",
             digest: bool = False) -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    check_password(password)
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise UserError(f"a user with email {email} already exists")
    user = User(email=email, role=role, name=name, digest=digest,
                password_hash=hash_password(password),
                calendar_token=secrets.token_urlsafe(24))
    session.add(user)
    session.flush()
    return user
