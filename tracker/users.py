"""Accounts: roles, password hashing (argon2 through pwdlib) and digest subscriptions."""

from __future__ import annotations

import re
import secrets

from pwdlib import PasswordHash
from sqlmodel import Session, select

from tracker.models import User

ROLES = ("admin", "staff", "viewer")
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


def add_user(session: Session, email: str, role: str, password: str = "", *, name: str = "",
             digest: bool = False) -> User:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise UserError(f"{email!r} is not an email address")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}, not {role!r}")
    if password and len(password) < 10:
        raise UserError("password must be at least 10 characters")
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise UserError(f"a user with email {email} already exists")
    user = User(email=email, role=role, name=name, digest=digest,
                password_hash=hash_password(password) if password else "",
                calendar_token=secrets.token_urlsafe(24))
    session.add(user)
    session.flush()
    return user
