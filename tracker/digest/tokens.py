"""One-click action tokens for digest links: HMAC-signed, naming user, item and action,
with an expiry (default 14 days) and a random part so the web route can make each token
single-use (`consume`). Opening a link must only show a confirmation; POST acts.

A token is 40 URL-safe characters: base64url of [version, kind+action, user, item (both
varints), issued (uint32 seconds), 3 random bytes] followed by the first 16 bytes (128 bits)
of its HMAC-SHA256 under a key derived from the secret for this use only. The earlier
itsdangerous tokens (77 characters; a digest carries three per call in each of its two
parts, so they were the largest part of it) still verify until they expire."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import struct
import time
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


# The itsdangerous tokens' payload, [user, kind, item, action, id], in short codes.
_KIND = {"match": "m", "bid": "b", "assignment": "s"}
_ACTION = {"interested": "i", "not_relevant": "n", "applied": "a", "look": "l", "decline": "d"}
_KIND_NAME = {v: k for k, v in _KIND.items()}
_ACTION_NAME = {v: k for k, v in _ACTION.items()}


@lru_cache(maxsize=8)
def _serializer(secret: str) -> URLSafeTimedSerializer:
    if not secret:
        raise ValueError("an action-token secret is required")
    return URLSafeTimedSerializer(secret, salt=SALT)


VERSION = 2
MAC_BYTES = 16
CLOCK_SKEW = 300  # seconds a sender's clock may run ahead of the web server's
# (kind, action) by its code in a token: append only, links in sent mail hold these codes.
_PAIRS = (("match", "interested"), ("match", "not_relevant"), ("match", "applied"), ("bid", "applied"),
          ("assignment", "look"), ("assignment", "decline"))
_PAIR_CODE = {pair: code for code, pair in enumerate(_PAIRS)}


@lru_cache(maxsize=8)
def _action_key(secret: str) -> bytes:
    if not secret:
        raise ValueError("an action-token secret is required")
    return hmac.new(secret.encode("utf-8"), SALT.encode("ascii") + b".v2", hashlib.sha256).digest()


def _varint(n: int) -> bytes:
    if n < 0:
        raise ValueError("ids are never negative")
    out = bytearray()
    while n >= 0x80:
        out.append(n & 0x7F | 0x80)
        n >>= 7
    out.append(n)
    return bytes(out)


def _read_varint(data: bytes, at: int) -> tuple[int, int]:
    n = shift = 0
    while True:
        byte = data[at]  # IndexError on a truncated token
        at += 1
        n |= (byte & 0x7F) << shift
        if byte < 0x80:
            return n, at
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def sign_action(secret: str, user_id: int, kind: str, item_id: int, action: str) -> str:
    """A URL-safe token for `action` on item (`kind`, `item_id`) by `user_id`."""
    if kind not in ACTIONS.get(action, ()):
        raise ValueError(f"action {action!r} does not apply to a {kind}")
    payload = (bytes((VERSION, _PAIR_CODE[(kind, action)])) + _varint(user_id) + _varint(item_id)
               + struct.pack(">I", int(time.time())) + secrets.token_bytes(3))
    mac = hmac.new(_action_key(secret), payload, hashlib.sha256).digest()[:MAC_BYTES]
    return base64.urlsafe_b64encode(payload + mac).rstrip(b"=").decode("ascii")


def _verify_compact(secret: str, token: str, max_age_days: float) -> ActionToken:
    invalid = TokenInvalid("This link is not valid. It may have been altered or mistyped.")
    try:
        raw = base64.urlsafe_b64decode(token.encode("ascii") + b"=" * (-len(token) % 4))
    except (binascii.Error, ValueError) as exc:
        raise invalid from exc
    # one spelling per token: the last character's spare bits must not give it a twin
    if base64.urlsafe_b64encode(raw).rstrip(b"=") != token.encode("ascii"):
        raise invalid
    payload, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    expected = hmac.new(_action_key(secret), payload, hashlib.sha256).digest()[:MAC_BYTES]
    if len(payload) < 2 or not hmac.compare_digest(mac, expected):
        raise invalid
    try:  # signed by us from here on: a failure is a token we no longer understand
        if payload[0] != VERSION:
            raise ValueError("unknown version")
        kind, action = _PAIRS[payload[1]]
        user_id, at = _read_varint(payload, 2)
        item_id, at = _read_varint(payload, at)
        (issued,) = struct.unpack_from(">I", payload, at)
        if len(payload) != at + 4 + 3:
            raise ValueError("wrong length")
    except (IndexError, ValueError, struct.error) as exc:
        raise TokenInvalid("This link is not valid.") from exc
    age = time.time() - issued
    if age > max_age_days * 86400 or age < -CLOCK_SKEW:  # issued in the future: a clock gone wrong
        raise TokenExpired("This link has expired. Open the tracker to make the change.")
    return ActionToken(user_id=user_id, kind=kind, item_id=item_id, action=action,
                       jti=base64.urlsafe_b64encode(payload).decode("ascii"),
                       issued_at=datetime.fromtimestamp(issued, UTC))


def verify_action(secret: str, token: str, max_age_days: float = DEFAULT_MAX_AGE_DAYS) -> ActionToken:
    """The token's content, or TokenExpired / TokenInvalid (tampered, wrong secret, malformed)."""
    if "." not in token:  # the compact form; itsdangerous tokens always hold two dots
        return _verify_compact(secret, token, max_age_days)
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
