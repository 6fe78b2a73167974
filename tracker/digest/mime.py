"""A digest as the bytes of a multipart/alternative message (text/plain, then text/html,
both UTF-8 quoted-printable), written directly: building an email.message.EmailMessage
and flattening it parsed and re-wrote every header through the email package's header
registry, which took as long as rendering the digest.

Everything written is 7-bit: a header with anything but printable ASCII is RFC 2047
encoded (by the email package's policy, as before), and a line break inside a header value is refused (it would let
text add headers). The boundary starts '=_', which quoted-printable never writes."""

from __future__ import annotations

import binascii
import email
import secrets
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formataddr

MAX_LINE = 78  # RFC 5322: header lines SHOULD be no longer; longer ones are folded


Value = str | tuple[str, str]  # a header's text, or an address header's (name, address)


def _no_breaks(name: str, *values: str) -> None:
    if any("\r" in v or "\n" in v for v in values):
        raise ValueError(f"the {name} header may not hold a line break")


def header_line(name: str, value: Value) -> str:
    """'Name: value' as ASCII, folded with CRLF + space past MAX_LINE; an address keeps its
    address part as it is and has its name quoted or, when not ASCII, encoded. ValueError
    if the value holds a line break."""
    if isinstance(value, tuple):
        display, addr = value
        _no_breaks(name, display, addr)
        value = formataddr(value) if display.isascii() else str(Address(display_name=display, addr_spec=addr))
    _no_breaks(name, value)
    if value.isascii() and value.isprintable():
        return _fold(f"{name}: {value}")
    # Rare (a name or subject prefix beyond ASCII): the email package's own RFC 2047 folding.
    return policy.SMTP.header_factory(name, value).fold(policy=policy.SMTP).removesuffix("\r\n")


def _fold(line: str) -> str:
    """An ASCII header line folded at spaces past MAX_LINE; a longer word (a URL) stays whole."""
    if len(line) <= MAX_LINE:
        return line
    name, _, rest = line.partition(" ")
    lines = [name]
    for word in rest.split(" "):
        if len(lines[-1]) + 1 + len(word) > MAX_LINE and lines[-1] != name:
            lines.append("")
        lines[-1] += " " + word
    return "\r\n".join(lines)


def _text(value: Value) -> str:
    return formataddr(value) if isinstance(value, tuple) else value


def _qp(body: str) -> bytes:
    """UTF-8 quoted-printable with CRLF line ends (binascii, in C)."""
    lines = body.replace("\r\n", "\n").replace("\r", "\n").encode("utf-8")
    return binascii.b2a_qp(lines, istext=True).replace(b"\n", b"\r\n")


class Mail:
    """One message: its headers (name, value) in order and its two bodies. Read like an
    EmailMessage where the senders need it (mail["Subject"], get, replace_header,
    get_body); as_bytes() and smtp_bytes() give the message itself."""

    def __init__(self, headers: list[tuple[str, Value]], text: str, html: str) -> None:
        self.headers = list(headers)
        self.text, self.html = text, html
        self.boundary = "=_" + secrets.token_hex(12)
        self._parsed: EmailMessage | None = None

    def __getitem__(self, name: str) -> str | None:
        return self.get(name)

    def get(self, name: str, default: str | None = None) -> str | None:
        wanted = name.lower()
        return next((_text(v) for n, v in self.headers if n.lower() == wanted), default)

    def replace_header(self, name: str, value: Value) -> None:
        wanted = name.lower()
        for i, (n, _v) in enumerate(self.headers):
            if n.lower() == wanted:
                self.headers[i] = (n, value)
                self._parsed = None
                return
        raise KeyError(name)

    def smtp_bytes(self) -> bytes:
        """The message with CRLF line ends, as it goes over SMTP."""
        head = "\r\n".join(header_line(n, v) for n, v in self.headers)
        part = ("--{b}\r\nContent-Type: text/{kind}; charset=utf-8\r\n"
                "Content-Transfer-Encoding: quoted-printable\r\n\r\n")
        return b"".join((
            head.encode("ascii"),
            f'\r\nContent-Type: multipart/alternative; boundary="{self.boundary}"\r\n\r\n'.encode("ascii"),
            part.format(b=self.boundary, kind="plain").encode("ascii"), _qp(self.text), b"\r\n",
            part.format(b=self.boundary, kind="html").encode("ascii"), _qp(self.html), b"\r\n",
            f"--{self.boundary}--\r\n".encode("ascii"),
        ))

    def as_bytes(self) -> bytes:
        """The message with LF line ends, as EmailMessage.as_bytes() writes a file."""
        return self.smtp_bytes().replace(b"\r\n", b"\n")

    def parsed(self) -> EmailMessage:
        """The message read back by the email package (for a transport that wants parts)."""
        if self._parsed is None:
            self._parsed = email.message_from_bytes(self.as_bytes(), policy=policy.default)  # type: ignore[assignment]
        return self._parsed  # type: ignore[return-value]

    def get_body(self, preferencelist: tuple[str, ...] = ("related", "html", "plain")) -> EmailMessage | None:
        return self.parsed().get_body(preferencelist)  # type: ignore[return-value]
