"""Ways to hand a message over: SMTP (STARTTLS/SSL/none, optional auth) and an outbox
folder. Each raises TransientError (retry later), PermanentError (the server refused this
recipient or message) or TransportUnavailable (cannot connect, log in or send as our
sender: no message can go, stop the batch). Whether a PermanentError is about the
recipient or the server refusing everyone is judged across the run (digest.refusals)."""

from __future__ import annotations

import os
import smtplib
import ssl
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from tracker.config import SmtpSettings
from tracker.digest.format import safe_name
from tracker.digest.mime import Mail


class DeliveryError(Exception):
    def __init__(self, reply: str) -> None:
        super().__init__(reply)
        self.reply = reply


class TransientError(DeliveryError):
    """4xx, 432 (too many connections), a dropped connection: try again later."""


class PermanentError(DeliveryError):
    """5xx to this recipient (RCPT) or message (DATA): not worth retrying as it is."""


class TransportUnavailable(DeliveryError):
    """The server cannot be reached or refuses us (auth, TLS): no message can go now."""

    def __init__(self, reply: str, transient: bool) -> None:
        super().__init__(reply)
        self.transient = transient


class Transport(Protocol):
    name: str

    def open(self) -> None: ...

    def send(self, msg: EmailMessage | Mail, recipient: str) -> str:
        """Hand over one message; return the server's acceptance (reply text or a path)."""
        ...

    def close(self) -> None: ...


def _reply(code: int, text: bytes | str) -> str:
    text = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    return f"{code} {' '.join(text.split())}"


def _classify(code: int, text: bytes | str) -> DeliveryError:
    reply = _reply(code, text)
    return PermanentError(reply) if 500 <= code < 600 else TransientError(reply)


class SmtpTransport:
    """One connection reused across messages; dropped and reopened after any error."""

    name = "smtp"

    def __init__(self, host: str, port: int, security: str = "starttls", username: str = "",
                 password: str = "", from_address: str = "", timeout: float = 30,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self.host, self.port, self.security = host, port, security
        self.username, self.password, self.from_address = username, password, from_address
        self.timeout = timeout
        self.ssl_context = ssl_context or ssl.create_default_context()
        self.conn: smtplib.SMTP | None = None

    @classmethod
    def from_settings(cls, smtp: SmtpSettings, ssl_context: ssl.SSLContext | None = None) -> SmtpTransport:
        return cls(smtp.host, smtp.port, smtp.security, smtp.username, smtp.password, smtp.from_address,
                   smtp.timeout, ssl_context)

    def open(self) -> None:
        """Connections are opened lazily by send()."""

    def _connect(self) -> smtplib.SMTP:
        try:
            if self.security == "ssl":
                conn: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                      context=self.ssl_context)
            else:
                conn = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            try:
                conn.ehlo()
                if self.security == "starttls":
                    conn.starttls(context=self.ssl_context)
                    conn.ehlo()
                if self.username:
                    conn.login(self.username, self.password)
            except BaseException:
                conn.close()
                raise
        except smtplib.SMTPNotSupportedError as exc:
            raise TransportUnavailable(f"SMTP server does not support it: {exc}", transient=False) from exc
        except smtplib.SMTPResponseException as exc:  # includes auth failures (535) and 421 at greeting
            transient = 400 <= exc.smtp_code < 500
            raise TransportUnavailable(_reply(exc.smtp_code, exc.smtp_error), transient) from exc
        except ssl.SSLCertVerificationError as exc:
            raise TransportUnavailable(f"TLS certificate not trusted: {exc}", transient=False) from exc
        except (OSError, smtplib.SMTPException) as exc:
            raise TransportUnavailable(f"cannot connect to {self.host}:{self.port}: {exc}", True) from exc
        return conn

    def send(self, msg: EmailMessage | Mail, recipient: str) -> str:
        if self.conn is None:
            self.conn = self._connect()
        try:
            if isinstance(msg, Mail):  # a digest: its bytes are written already
                refused = self.conn.sendmail(self.from_address, [recipient], msg.smtp_bytes())
            else:
                refused = self.conn.send_message(msg, from_addr=self.from_address, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as exc:
            self.close()
            code, text = next(iter(exc.recipients.values()))
            raise _classify(code, text) from exc
        except smtplib.SMTPSenderRefused as exc:  # MAIL FROM: the same for every message
            self.close()
            raise TransportUnavailable(f"sender {self.from_address} refused: "
                                       f"{_reply(exc.smtp_code, exc.smtp_error)}",
                                       transient=exc.smtp_code < 500) from exc
        except smtplib.SMTPResponseException as exc:  # data error, 421, 432 ...
            self.close()
            raise _classify(exc.smtp_code, exc.smtp_error) from exc
        except (OSError, smtplib.SMTPException) as exc:  # dropped connection, timeout
            self.close()
            raise TransientError(f"connection lost: {exc or type(exc).__name__}") from exc
        if refused:  # one recipient only, so this means it was refused
            code, text = next(iter(refused.values()))
            self.close()
            raise _classify(code, text)
        return "250 accepted"

    def close(self) -> None:
        conn, self.conn = self.conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (OSError, smtplib.SMTPException):
            conn.close()


class OutboxTransport:
    """Writes each message as <outbox>/<period>-<email>.eml (atomically) for pick-up."""

    name = "outbox"

    def __init__(self, directory: Path) -> None:
        self.directory = Path(directory)

    def open(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)

    def path_for(self, msg: EmailMessage | Mail, recipient: str) -> Path:
        """Digests: <period>-<email>.eml; other mail (e.g. reminders): <email>-<message id>.eml."""
        period = msg.get("X-Tracker-Digest")
        if period:
            return self.directory / f"{safe_name(str(period))}-{safe_name(recipient)}.eml"
        local = str(msg.get("Message-ID", "")).strip("<>").partition("@")[0] or str(time.time_ns())
        return self.directory / f"{safe_name(recipient)}-{safe_name(local)}.eml"

    def send(self, msg: EmailMessage | Mail, recipient: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.path_for(msg, recipient)
        tmp = path.with_name(path.name + ".tmp")
        try:
            tmp.write_bytes(msg.as_bytes())
            os.replace(tmp, path)
        except OSError as exc:
            raise TransportUnavailable(f"cannot write to outbox {self.directory}: {exc}", False) from exc
        return str(path)

    def close(self) -> None:
        pass
