"""One-click action tokens for digest links: itsdangerous-signed, naming user, item and
action, with an expiry (default 14 days) and a random id so the web route can make each
token single-use (`consume`). Opening a link must only show a confirmation; POST acts."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from tracker.models import ActionTokenUse

SALT = "tracker.digest.action"
DEFAULT_MAX_AGE_DAYS = 14
# action -> the kinds of item it applies to
ACTIONS: dict[str, tuple[str, ...]] = {
    "interested": ("match",),
    "not_relevant": ("match",),
    "applied": ("match", "bid"),
    "look": ("assignment",),  # an assignee answers a review request (tracker.team)
    "decline": ("assignment",),
}


class TokenError(Exception):
    """A token that must not be acted on; the message is fit to show the user."""


class TokenExpired(TokenError):
    pass


class TokenInvalid(TokenError):
    pass


@dataclass(frozen=True)
class ActionToken:
    user_id: int
    kind: str  # match | bid | assignment
    item_id: int
    action: str
    jti: str
    issued_at: datetime | None = None


# Short codes keep links short (a digest carries many): [user, kind, item, action, id].
_KIND = {"match": "m", "bid": "b", "assignment": "s"}
_ACTION = {"interested": "i", "not_relevant": "n", "applied": "a", "look": "l", "decline": "d"}
_KIND_NAME = {v: k for k, v in _KIND.items()}
_ACTION_NAME = {v: k for k, v in _ACTION.items()}


@lru_cache(maxsize=8)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    if not secret:
        raise ValueError("an action-token secret is required")
    return URLSafeTimedSerializer(secret, salt=SALT)


def sign_action(secret: str, user_id: int, kind: str, item_id: int, action: str) -> str:
    """A URL-safe token for `action` on item (`kind`, `item_id`) by `user_id`."""
    if kind not in ACTIONS.get(action, ()):
        raise ValueError(f"action {action!r} does not apply to a {kind}")
    payload = [user_id, _KIND[kind], item_id, _ACTION[action], secrets.token_urlsafe(9)]
    return _serializer(secret).dumps(payload)


def verify_action(secret: str, token: str, max_age_days: float = DEFAULT_MAX_AGE_DAYS) -> ActionToken:
    """The token's content, or TokenExpired / TokenInvalid (tampered, wrong secret, malformed)."""
    try:
        payload, issued = _serializer(secret).loads(
            token, max_age=int(max_age_days * 86400), return_timestamp=True
        )
    except SignatureExpired as exc:
        raise TokenExpired("This link has expired. Open the tracker to make the change.") from exc
    except BadSignature as exc:
        raise TokenInvalid("This link is not valid. It may have been altered or mistyped.") from exc
    try:
        user_id, kind, item_id, action, jti = payload
        result = ActionToken(
            user_id=int(user_id), kind=_KIND_NAME[kind], item_id=int(item_id), action=_ACTION_NAME[action],
            jti=str(jti), issued_at=issued.astimezone(UTC) if issued else None,
        )
    except (KeyError, TypeError, ValueError) as exc:  # signed by us, but not a token we know
        raise TokenInvalid("This link is not valid.") from exc
    if result.kind not in ACTIONS.get(result.action, ()):
        raise TokenInvalid("This link is not valid.")
    return result


PREFERENCES_SALT = "tracker.digest.preferences"
# An unsubscribe link must still work from an old digest (RFC 8058 sets no limit; mail
# providers use it weeks later); it only changes the recipient's own digest settings.
PREFERENCES_MAX_AGE_DAYS = 365


@lru_cache(maxsize=8)
def _preferences_serializer(secret: str) -> URLSafeTimedSerializer:
    if not secret:
        raise ValueError("a preferences-token secret is required")
    return URLSafeTimedSerializer(secret, salt=PREFERENCES_SALT)


def sign_preferences(secret: str, user_id: int) -> str:
    """A URL-safe token for the digest preferences and unsubscribe pages of `user_id`."""
    return _preferences_serializer(secret).dumps([user_id, "p"])


def verify_preferences(secret: str, token: str) -> int:
    """The user id a preferences token names, or TokenExpired / TokenInvalid."""
    try:
        payload = _preferences_serializer(secret).loads(token, max_age=PREFERENCES_MAX_AGE_DAYS * 86400)
    except SignatureExpired as exc:
        raise TokenExpired("This link has expired. Sign in to change your digest settings.") from exc
    except BadSignature as exc:
        raise TokenInvalid("This link is not valid. It may have been altered or mistyped.") from exc
    if not (isinstance(payload, list) and len(payload) == 2 and payload[1] == "p" and isinstance(payload[0], int)):
        raise TokenInvalid("This link is not valid.")
    return payload[0]


def is_used(session: Session, token: ActionToken) -> bool:
    return session.get(ActionTokenUse, token.jti) is not None


def consume(session: Session, token: ActionToken) -> bool:
    """Record the token as used; False if it already was. Call in the POST's transaction,
    before changing anything, and roll back if this returns False."""
    if is_used(session, token):
        return False
    try:
        with session.begin_nested():
            session.add(ActionTokenUse(jti=token.jti, user_id=token.user_id, action=token.action))
            session.flush()
    except IntegrityError:
        return False
    return True


def load_secret(settings: object) -> str:
    """TRACKER_SECRET_KEY, else a random key kept in <data_dir>/secret_key (mode 600)."""
    env = os.environ.get("TRACKER_SECRET_KEY", "")
    if env:
        return env
    path = Path(settings.data_dir) / "secret_key"  # type: ignore[attr-defined]
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".secret_key.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(secrets.token_urlsafe(32))
    try:
        os.link(tmp, path)  # atomic: the first process to link wins
    except FileExistsError:
        pass
    finally:
        tmp.unlink()
    return path.read_text(encoding="utf-8").strip()


def max_age_days(settings: object) -> float:
    digest = getattr(settings, "digest", None)
    return float(getattr(digest, "token_days", DEFAULT_MAX_AGE_DAYS))
