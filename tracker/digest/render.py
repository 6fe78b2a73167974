"""Digest content → a message: Jinja2 templates (subject, text, HTML), HTML autoescaped
with CSS inlined; the plain-text part is its own template.

A batch renders each call's card (and each entry of the later sections) once and reuses
it for every recipient whose digest shows the same card (Blocks): only the action links
differ, and they are filled into slots per recipient."""

from __future__ import annotations

import html
import pickle
import re
import secrets
import textwrap
from dataclasses import fields, replace
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime
from functools import lru_cache
from pathlib import Path

import css_inline
import nh3
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.digest.build import CallCard, DigestContent, Entry, Link
from tracker.digest.format import short_date
from tracker.digest.mime import Mail

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
        auto_reload=False,  # a template is read once a process, not checked on every use
    )
    env.filters.update(summary_html=summary_html, summary_text=summary_text, summary_short=summary_short, closes=closes,
                       oneline=oneline, wrap=wrap,
                       pad=lambda s, n: str(s).ljust(n))
    return env


ENV = _env()


CSS = (Path(__file__).parent / "templates" / "digest.css").read_text(encoding="utf-8")
# Unguessable for this process, so no scraped text can hold a slot or a block marker.
MARK = secrets.token_hex(8)
_SLOT = re.compile(rf"{MARK}\.(\d+)\.")
_MARKER = f"<x-{MARK}></x-{MARK}>"  # where a block goes in the inlined HTML skeleton
BLOCK_TEMPLATES = {CallCard: "digest_card", Entry: "digest_entry"}
BLOCK_LIMIT = 20_000  # blocks kept per batch (a batch shows a few hundred distinct ones)


@lru_cache(maxsize=8)
def _shown_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(kind) if f.name != "actions")


def block_key(block: CallCard | Entry) -> bytes:
    """All a block holds but its action links' URLs, as pickle writes it: every field,
    nested ones too, so a field added later cannot be left out of the key, and equal bytes
    mean equal content."""
    shown = [getattr(block, name) for name in _shown_fields(type(block))]
    return pickle.dumps((type(block).__name__, shown, [a.label for a in block.actions]), 5)


def _attribute(url: str) -> str:
    """A URL as the HTML serializer writes an attribute value."""
    return url.replace("&", "&amp;").replace("\xa0", "&nbsp;").replace('"', "&quot;")


class Blocks:
    """Cards and entries rendered once and reused by every digest of a batch that shows
    them. A block is keyed by all it shows but its action links (block_key), rendered with
    numbered slots where the links go, and filled with each recipient's own links."""

    def __init__(self) -> None:
        self.pieces: dict[tuple[bool, bytes], list[str]] = {}
        self.keys: dict[int, tuple[CallCard | Entry, bytes]] = {}  # the digest being rendered: each block's key

    def _key(self, block: CallCard | Entry) -> bytes:
        known = self.keys.get(id(block))
        if known is None or known[0] is not block:
            known = self.keys[id(block)] = (block, block_key(block))
        return known[1]

    def _pieces(self, block: CallCard | Entry, html: bool) -> list[str]:
        key = (html, self._key(block))
        pieces = self.pieces.get(key)
        if pieces is None:
            stub = replace(block, actions=[Link(a.label, f"{MARK}.{i}.") for i, a in enumerate(block.actions)])
            name = BLOCK_TEMPLATES[type(block)]
            if html:
                out = compact_html(_INLINER.inline_fragment(ENV.get_template(f"{name}.html").render(c=stub, e=stub),
                                                            CSS))
            else:
                out = ENV.get_template(f"{name}.txt").render(c=stub, e=stub)
            pieces = _SLOT.split(out)  # text, slot number, text, ...
            if len(self.pieces) >= BLOCK_LIMIT:
                self.pieces.clear()
            self.pieces[key] = pieces
        return pieces

    def render(self, block: CallCard | Entry, html: bool) -> str:
        pieces = self._pieces(block, html)
        if len(pieces) == 1:
            return pieces[0]
        urls = [_attribute(a.url) if html else a.url for a in block.actions]
        return "".join(urls[int(p)] if i % 2 else p for i, p in enumerate(pieces))


def _context(content: DigestContent, prefix: str) -> dict:
    week_start = short_date(content.today - timedelta(days=content.today.weekday()))
    daily = content.frequency == "daily"
    when = f"{content.today:%a} {short_date(content.today)}" if daily else f"week of {week_start}"
    title = f"{prefix} for {'' if daily else 'the '}{when}"
    return {"content": content, "prefix": prefix, "week_start": week_start, "when": when, "title": title}


def render_parts(content: DigestContent, prefix: str = "Funding digest",
                 blocks: Blocks | None = None) -> tuple[str, str, str]:
    """(subject, plain text, HTML with CSS inlined). Pass the same `blocks` for every
    digest of a batch."""
    blocks = blocks or Blocks()
    blocks.keys.clear()
    ctx = _context(content, prefix)
    subject = oneline(ENV.get_template("digest.subject.txt").render(ctx))
    text = ENV.get_template("digest.txt").render(ctx, block=lambda b: blocks.render(b, html=False))
    text = re.sub(r"\n{3,}", "\n\n", text)
    shown: list[CallCard | Entry] = []

    def marker(block: CallCard | Entry) -> Markup:
        shown.append(block)
        return Markup(_MARKER)  # noqa: S704 - our own constant

    skeleton = compact_html(_INLINER.inline(ENV.get_template("digest.html").render(ctx, block=marker)))
    parts = skeleton.split(_MARKER)
    if len(parts) != len(shown) + 1:
        raise RuntimeError("a block marker was lost in the HTML skeleton")
    out = [parts[0]]
    for block, after in zip(shown, parts[1:], strict=True):
        out += [blocks.render(block, html=True), after]
    return subject, text, "".join(out)


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


def render_mail(content: DigestContent, *, from_address: str, message_id: str, now: datetime,
                prefix: str = "Funding digest", blocks: Blocks | None = None) -> Mail:
    """A multipart/alternative message (text/plain, then text/html) for one recipient."""
    subject, text, html = render_parts(content, prefix, blocks)
    headers = [
        ("Subject", subject),
        ("From", ("Funding tracker", from_address)),
        ("To", (oneline(content.name), content.email)),
        ("Date", format_datetime(now)),
        ("Message-ID", message_id),
        ("Auto-Submitted", "auto-generated"),
        ("X-Auto-Response-Suppress", "All"),
        ("X-Tracker-Digest", content.period),
    ]
    if content.unsubscribe_url:  # RFC 2369 and RFC 8058: the mail client's own one-click unsubscribe
        headers += [("List-Unsubscribe", f"<{content.unsubscribe_url}>"),
                    ("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")]
    headers.append(("MIME-Version", "1.0"))
    return Mail(headers, text, html)


def render_message(content: DigestContent, *, from_address: str, message_id: str, now: datetime,
                   prefix: str = "Funding digest") -> EmailMessage:
    """render_mail's message read back as an email.message.EmailMessage."""
    return render_mail(content, from_address=from_address, message_id=message_id, now=now, prefix=prefix).parsed()
