"""Telling one recipient's permanent refusal from a server that refuses everyone.

A 5xx to RCPT or DATA is worded about one message, but a misconfigured relay ("relay
access denied", a sender it will not take) answers every recipient alike, and marking
them all failed would lose the week's digest. So a refusal counts against the recipient
only when the server shows that it takes other mail: it accepted a message earlier in this
run, or its enhanced status code (RFC 3463) is about the mailbox itself (5.1.x bad address,
5.2.x mailbox disabled or full). Otherwise the refusal is held: the next accepted message
confirms it (the recipient failed), while the same refusal for another recipient means the
server refuses everyone, so the run stops and the held recipients stay pending."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import Generic, TypeVar

T = TypeVar("T")

# RFC 3463 subjects about the destination mailbox: bad mailbox, bad system, bad syntax,
# moved, null MX; mailbox disabled, full, too big, list expansion
_MAILBOX_CODE = re.compile(r"(?<![\d.])5\.(?:1\.(?:1|2|3|6|10)|2\.[0-4])(?![\d.])")
_ADDRESS = re.compile(r"<?[^\s<>@]+@[^\s<>]+>?")


class Verdict(Enum):
    FAILED = "failed"  # this recipient's address or message: do not resend blindly
    HELD = "held"  # not known yet: pending until another message is accepted
    SERVER = "server"  # the server refuses everyone: stop, leave them pending


def about_mailbox(reply: str) -> bool:
    """True if the reply's enhanced status code says the mailbox itself is the problem."""
    return bool(_MAILBOX_CODE.search(reply))


def same_refusal(a: str, b: str) -> bool:
    """Replies equal once the addresses they quote are left out ("<x@y>: relay denied")."""
    def key(reply: str) -> str:
        return " ".join(_ADDRESS.sub("", reply).lower().split())

    return key(a) == key(b)


@dataclass
class RefusalJudge(Generic[T]):
    """One per run (one server): feed it every refusal and every accepted message."""

    accepted: bool = False
    held: list[tuple[T, str]] = field(default_factory=list)

    def judge(self, item: T, reply: str) -> Verdict:
        if self.accepted or about_mailbox(reply):
            return Verdict.FAILED
        if any(same_refusal(reply, earlier) for _item, earlier in self.held):
            return Verdict.SERVER
        self.held.append((item, reply))
        return Verdict.HELD

    def accept(self) -> list[tuple[T, str]]:
        """A message went through: the refusals held so far were about their recipients."""
        self.accepted = True
        confirmed, self.held = self.held, []
        return confirmed
