"""Weekly digests: build (DB → content), render (Jinja2 → EmailMessage), send (ledger and
transports: SMTP, GOV.UK Notify, outbox), tokens (one-click action links)."""

from tracker.digest.preview import preview_digests
from tracker.digest.send import SendOptions, SendReport, digest_status, send_digests

__all__ = ["SendOptions", "SendReport", "digest_status", "preview_digests", "send_digests"]
