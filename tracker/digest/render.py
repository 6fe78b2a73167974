"""Digest content → email.message.EmailMessage: Jinja2 templates (subject, text, HTML),
HTML autoescaped with CSS inlined; the plain-text part is its own template."""

from __future__ import annotations

import binascii
import html
import re
import secrets
import textwrap
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr
from functools import lru_cache

import css_inline
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.digest.build import DigestContent
from tracker.digest.format import short_date

SUMMARY_CHARS = 300
SHORT_SUMMARY_CHARS = 160  # a card's summary in the HTML part: a line or two at 390 px
SUMMARY_TAGS = {"p", "br", "ul", "ol", "li", "strong", "em", "b", "i", "a"}
_HTMLISH = re.compile(r"</?[a-zA-Z!]")
_INLINER = css_inline.CSSInliner(keep_style_tags=False, load_remote_stylesheets=False)


def _clean_html(text: str) -> str:
    return nh3.clean(text[: SUMMARY_CHARS * 3], tags=SUMMARY_TAGS, attributes={"a": {"href"}},
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


def summary_html(text: str) -> Markup:
    """A scraped summary with only safe formatting left (nh3); plain text is escaped."""
    if not _HTMLISH.search(text):
        return Markup("<p>{}</p>").format(_shorten(text))
    return Markup(_clean_html(text))  # noqa: S704 - sanitised by nh3 just above


def _shorten(text: str, limit: int = SUMMARY_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + "…"


_BLOCK = re.compile(r"</?(?:p|br|div|li|ul|ol|h[1-6]|tr|td|th|table|blockquote)\b[^>]*>", re.IGNORECASE)


def summary_text(text: str, limit: int = SUMMARY_CHARS) -> str:
    """A scraped summary as plain text: tags dropped (script/style with their content)."""
    if _HTMLISH.search(text):
        text = html.unescape(nh3.clean(_BLOCK.sub(" ", text[: SUMMARY_CHARS * 3]), tags=set()))
    return _shorten(text, limit)


def summary_short(text: str) -> str:
    """A card's summary: plain text (escaped by the template), cut at a word."""
    return summary_text(text, SHORT_SUMMARY_CHARS)


def closes(deadline: str, soon: bool = False) -> str:
    """'Closes 14 Mar 2027 (104 days)' ('Closing soon: ...' within the closing window); a
    rolling call's 'Rolling (no fixed deadline)' as it is."""
    if not deadline[:1].isdigit():
        return deadline
    return f"{'Closing soon:' if soon else 'Closes'} {deadline}"


def oneline(text: object) -> str:
    return " ".join(str(text).split())


def wrap(text: str, indent: str = "", width: int = 78) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _env() -> Environment:
    env = Environment(
        loader=PackageLoader("tracker.digest", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=False),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
    )
    env.filters.update(summary_html=summary_html, summary_text=summary_text, summary_short=summary_short, closes=closes,
                       oneline=oneline, wrap=wrap,
                       pad=lambda s, n: str(s).ljust(n))
    return env


ENV = _env()


def _context(content: DigestContent, prefix: str) -> dict:
    week_start = short_date(content.today - timedelta(days=content.today.weekday()))
    daily = content.frequency == "daily"
    when = f"{content.today:%a} {short_date(content.today)}" if daily else f"week of {week_start}"
    title = f"{prefix} for {'' if daily else 'the '}{when}"
    return {"content": content, "prefix": prefix, "week_start": week_start, "when": when, "title": title}


def render_parts(content: DigestContent, prefix: str = "Funding digest") -> tuple[str, str, str]:
    """(subject, plain text, HTML with CSS inlined)."""
    ctx = _context(content, prefix)
    subject = oneline(ENV.get_template("digest.subject.txt").render(ctx))
    text = ENV.get_template("digest.txt").render(ctx)
    text = re.sub(r"\n{3,}", "\n\n", text)
    html = compact_html(_INLINER.inline(ENV.get_template("digest.html").render(ctx)))
    return subject, text, html


_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s=/>]+(?:=\"[^\"]*\")?)*)(\s*/?)>")
_ATTR = re.compile(r'\s+([^\s=/>]+)(?:="([^"]*)")?')
_STYLE_GAP = re.compile(r"\s*([:;])\s*")


@lru_cache(maxsize=512)
def _compact_attrs(attrs: str) -> str:
    """A tag's attributes without class and with its style tight; the same few attribute
    strings recur on every card, so each is worked out once."""
    out = []
    for a in _ATTR.finditer(attrs):
        name, value = a.group(1), a.group(2)
        if name == "class":
            continue  # the classes only told the CSS inliner where each style goes
        if name == "style" and value is not None:
            value = _STYLE_GAP.sub(r"\1", value).strip(" ;")
        out.append(f' {name}="{value}"' if value is not None else f" {name}")
    return "".join(out)


def _compact_tag(m: re.Match[str]) -> str:
    return f"<{m.group(1)}{_compact_attrs(m.group(2))}{m.group(3)}>"


def compact_html(html: str) -> str:
    """The inlined HTML without what only the inliner needed (class attributes) and with
    each style written tight ('color:#505a5f;font-size:14px'): a digest lists dozens of
    cards, each carrying the same styles. Only tags are touched (text never holds a raw
    '<': the serializer escapes it), and every attribute value is double-quoted there."""
    return _TAG.sub(_compact_tag, html)


def domain_of(address: str) -> str:
    return address.rpartition("@")[2] or "localhost"


def new_message_id(from_address: str, period: str, user_id: int | None) -> str:
    """Short enough that the header is never folded: <digest.2026-W49.3.1a2b...@domain>."""
    return f"<digest.{period}.{user_id}.{secrets.token_hex(8)}@{domain_of(from_address)}>"


def render_message(content: DigestContent, *, from_address: str, message_id: str, now: datetime,
                   prefix: str = "Funding digest") -> EmailMessage:
    """A multipart/alternative message (text/plain, then text/html) for one recipient."""
    subject, text, html = render_parts(content, prefix)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = formataddr(("Funding tracker", from_address))
    msg["To"] = formataddr((oneline(content.name), content.email))
    msg["Date"] = format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Auto-Response-Suppress"] = "All"
    msg["X-Tracker-Digest"] = content.period
    if content.unsubscribe_url:  # RFC 2369 and RFC 8058: the mail client's own one-click unsubscribe
        msg["List-Unsubscribe"] = f"<{content.unsubscribe_url}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg["MIME-Version"] = "1.0"
    msg["Content-Type"] = "multipart/alternative"
    msg.attach(_text_part(text, "plain"))
    msg.attach(_text_part(html, "html"))
    return msg


def _text_part(body: str, subtype: str) -> EmailMessage:
    """A UTF-8 quoted-printable part, encoded in C (binascii): the email package's own
    encoder is pure Python and took most of the time for a large digest."""
    part = EmailMessage()
    part["Content-Type"] = f"text/{subtype}; charset=utf-8"
    part["Content-Transfer-Encoding"] = "quoted-printable"
    lines = body.replace("\r\n", "\n").encode("utf-8")
    part.set_payload(binascii.b2a_qp(lines, istext=True).decode("ascii"))
    return part
