"""Weekly digests: build (DB → content), render (Jinja2 → EmailMessage), send (ledger and
transports: SMTP, GOV.UK Notify, outbox), tokens (one-click action links)."""

from tracker.digest.preview import preview_digests
from tracker.digest.retry import retry_digests
from tracker.digest.send import SendOptions, SendReport, digest_status, retry_hints, send_digests

__all__ = ["SendOptions", "SendReport", "digest_status", "preview_digests", "retry_digests", "retry_hints",
           "send_digests"]
