"""GOV.UK Notify as a digest transport (no SMTP password needed).

Notify sends through a template you create in its admin site: subject `((subject))`, body
`((body))`. We POST the plain-text part to /v2/notifications/email, authenticated by a
short-lived JWT (HS256, {"iss": service id, "iat": now}) signed with the API key's secret.
An API key looks like "<key name>-<service id uuid>-<secret uuid>"."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import time
from email.message import EmailMessage

import httpx

from tracker.digest.mime import Mail
from tracker.digest.transports import PermanentError, TransientError, TransportUnavailable

DEFAULT_BASE_URL = "https://api.notifications.service.gov.uk"
_UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
_KEY = re.compile(rf"^(?P<name>.+)-(?P<service>{_UUID})-(?P<secret>{_UUID})$")


def parse_api_key(api_key: str) -> tuple[str, str]:
    """(service id, secret) from a Notify API key; ValueError if it is not one."""
    match = _KEY.match(api_key.strip())
    if not match:
        raise ValueError("a GOV.UK Notify API key looks like 'name-<service uuid>-<secret uuid>'")
    return match["service"], match["secret"]


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def make_jwt(service_id: str, secret: str, issued_at: int | None = None) -> str:
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = {"iss": service_id, "iat": int(time.time() if issued_at is None else issued_at)}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


def _errors(response: httpx.Response) -> str:
    try:
        errors = response.json().get("errors", [])
        text = "; ".join(f"{e.get('error', '')}: {e.get('message', '')}" for e in errors)
    except (ValueError, AttributeError):
        text = response.text[:300]
    return f"{response.status_code} {text}".strip()


class NotifyTransport:
    name = "notify"

    def __init__(self, api_key: str, template_id: str, base_url: str = DEFAULT_BASE_URL,
                 timeout: float = 30, reply_to_id: str | None = None) -> None:
        self.service_id, self.secret = parse_api_key(api_key)
        self.template_id, self.reply_to_id = template_id, reply_to_id
        self.base_url, self.timeout = base_url.rstrip("/"), timeout
        self.client: httpx.Client | None = None

    def open(self) -> None:
        self.client = httpx.Client(base_url=self.base_url, timeout=self.timeout, trust_env=False)

    def send(self, msg: EmailMessage | Mail, recipient: str) -> str:
        if self.client is None:
            self.open()
        assert self.client is not None
        body = msg.get_body(("plain",))
        payload: dict = {
            "email_address": recipient,
            "template_id": self.template_id,
            "personalisation": {"subject": str(msg["Subject"]), "body": body.get_content() if body else ""},
            "reference": str(msg["Message-ID"]).strip("<>"),
        }
        if self.reply_to_id:
            payload["email_reply_to_id"] = self.reply_to_id
        headers = {"Authorization": f"Bearer {make_jwt(self.service_id, self.secret)}",
                   "User-Agent": "funding-tracker-digest"}
        try:
            response = self.client.post("/v2/notifications/email", json=payload, headers=headers)
        except httpx.HTTPError as exc:
            raise TransientError(f"Notify unreachable: {exc}") from exc
        if response.status_code in (200, 201):
            return f"{response.status_code} notification {response.json().get('id', '')}".strip()
        if response.status_code in (401, 403):  # bad key or clock: no message can go
            raise TransportUnavailable(_errors(response), transient=False)
        if response.status_code == 429 or response.status_code >= 500:
            raise TransientError(_errors(response))
        raise PermanentError(_errors(response))

    def close(self) -> None:
        client, self.client = self.client, None
        if client is not None:
            client.close()
