"""Parse HTML, find the main content, drop boilerplate, render text one block per line."""

from __future__ import annotations

import re

import lxml.html
from lxml.html import HtmlElement

from spiders.extract.cues import DEADLINE_WORDS, ROLLING
from tracker.normalize.status import split_title_prefix, status_words

BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "caption", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li",
    "main", "ol", "p", "pre", "section", "summary", "table", "tbody", "thead", "tfoot", "tr", "ul",
}
DROP_TAGS = ("script", "style", "noscript", "template", "svg", "iframe", "button", "select", "input",
             "textarea", "option", "nav", "canvas", "object", "embed")
# class/id tokens of boilerplate blocks (cookie banners, sidebars, share bars, breadcrumbs ...)
BOILERPLATE_TOKENS = {
    "cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "crumbs", "skip", "sidebar",
    "widget", "share", "sharing", "social", "related", "menu", "navbar", "navigation", "pagination",
    "pager", "topbar", "masthead", "colophon",
}
ID_BOILERPLATE_TOKENS = {"cookie", "cookies", "consent", "gdpr", "breadcrumb", "breadcrumbs", "sidebar", "skip",
                         "menu", "navigation", "masthead", "colophon", "header", "footer", "topbar"}
CONTENT_TAGS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd", "td", "th", "tr", "table", "strong", "em", "b",
                "time", "dl"}
SITE_CHROME_TOKENS = {"header", "footer", "masthead", "colophon"}
MAIN_XPATHS = (
    "//main", "//*[@role='main']", "//*[@id='main-content']", "//*[@id='main']", "//*[@id='primary']",
    "//*[@id='content']", "//*[contains(concat(' ', normalize-space(@class), ' '), ' main-content ')]",
    "//article",
)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_ANY_WS = re.compile(r"[\s\u00a0\u200b]+")  # also line breaks: the source's hard wraps inside a block
_TOKEN_SPLIT = re.compile(r"[^a-z0-9]+")


def parse_html(html: str) -> HtmlElement:
    """Parse a page (str, already decoded) into an lxml document; web components' text attributes
    are read as text (see `attribute_text`)."""
    html = _XML_DECL.sub("", html or "", count=1)
    if not html.strip():
        html = "<html><body></body></html>"
    doc = lxml.html.document_fromstring(html)
    attribute_text(doc)
    return doc


_NOT_TEXT_ATTRS = {"class", "id", "style", "slot", "role", "href", "src", "srcset", "lang", "dir", "tabindex",
                   "hidden", "name", "type", "is", "part", "theme", "variant", "size", "icon", "target", "rel"}
_URLISH = re.compile(r"^(?:[a-z]+:|/|#|\.\.?/|\{|\[)|^[\w-]+$", re.I)


def attribute_text(doc: HtmlElement) -> None:
    """Custom elements (<fund-card heading="…" closing-date="…">) carry their words in attributes,
    where a reader never sees them as text: each attribute whose value is words becomes a
    "name: value" line inside the element ("closing date: 1 May 2027"), a heading-like one
    (heading, title, label, name) a heading at the top (the page's <h1> when it has none),
    linked to the element's href when it has one (a card)."""
    has_h1 = doc.find(".//h1") is not None
    for el in list(doc.iter()):
        if not isinstance(el.tag, str) or "-" not in el.tag:
            continue
        lines = []
        for name, value in el.attrib.items():
            value = collapse(value)
            name = name.lower().removeprefix("data-")
            if name in _NOT_TEXT_ATTRS or name.startswith(("aria", "on", "x-", "v-", ":", "@")) or not value:
                continue
            if _URLISH.match(value) and not any(ch.isdigit() for ch in value):
                continue  # an address, a token or a config value, not words
            label = re.sub(r"[-_]+", " ", name).strip()
            lines.append((label in ("heading", "title", "label", "name"), label, value))
        if not lines:
            continue
        top = [v for is_title, _, v in lines if is_title][:1]
        rest = [f"{label}: {v}" for is_title, label, v in lines if not is_title or v not in top]
        head = ""
        if top:  # the page's title when it has none; a linked card title when the element links
            tag, has_h1 = ("h1", True) if not has_h1 else ("h3", has_h1)
            href = el.get("href")
            title = f'<a href="{_escape(href)}">{_escape(top[0])}</a>' if href else _escape(top[0])
            head = f"<{tag}>{title}</{tag}>"
        block = lxml.html.fragment_fromstring(
            "<div>" + head + "".join(f"<p>{_escape(t)}</p>" for t in rest) + "</div>")
        block.tail = el.text
        el.text = None
        el.insert(0, block)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def parse_fragment(html: str) -> HtmlElement:
    """Parse an HTML snippet (feed description, rich text) into a <div> wrapper."""
    return lxml.html.fragment_fromstring(_XML_DECL.sub("", html or "", count=1), create_parent="div")


def tokens(el: HtmlElement, attrs: tuple[str, ...] = ("class", "id")) -> set[str]:
    """Class and id of an element as lower-case word tokens."""
    raw = " ".join(el.get(a, "") for a in attrs).lower()
    return {t for t in _TOKEN_SPLIT.split(raw) if t}


def collapse(text: str) -> str:
    return _WS.sub(" ", text or "").strip()


def inline_text(el: HtmlElement | None) -> str:
    """All the text of an element on one line."""
    if el is None:
        return ""
    return _ANY_WS.sub(" ", " ".join(el.itertext())).strip()


def block_text(el: HtmlElement | None) -> str:
    """Text of an element with one line per block (paragraph, list item, row, dt/dd pair).

    Line breaks in the HTML source are only wrapping: inside a block they become spaces
    ("registered\ncharities" reads "registered charities"); blocks, <br> and <pre> lines
    keep their own lines."""
    if el is None:
        return ""
    parts: list[str] = []

    def flat(text: str, pre: bool) -> str:
        return text if pre else _ANY_WS.sub(" ", text)

    def walk(node: HtmlElement, is_root: bool, pre: bool) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag:
            inner_pre = pre or tag == "pre"
            if tag in BLOCK_TAGS:
                parts.append("\n")
            elif tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" | ")
            if node.text:
                parts.append(flat(node.text, inner_pre))
            for child in node:
                walk(child, False, inner_pre)
            if tag == "dt":
                parts.append("\x01")
            elif tag in BLOCK_TAGS:
                parts.append("\n")
        if not is_root and node.tail:
            parts.append(flat(node.tail, pre))

    walk(el, True, isinstance(el.tag, str) and any(
        isinstance(a.tag, str) and a.tag == "pre" for a in el.iterancestors()))
    text = "".join(parts)
    # a dt ends with ": " rather than a line break, so "Closing date: 30 July 2027" stays on one line
    text = re.sub(r"\s*:?\s*\x01\s*", ": ", text)
    lines = []
    for line in text.split("\n"):
        line = collapse(line).strip(" |")
        if line and line != ":":
            lines.append(line)
    return "\n".join(lines)


def _inside(el: HtmlElement, tags: tuple[str, ...]) -> bool:
    return any(isinstance(a.tag, str) and a.tag in tags for a in el.iterancestors())


def remove(el: HtmlElement) -> None:
    """Remove an element but keep its tail text."""
    parent = el.getparent()
    if parent is None:
        return
    el.drop_tree()


def drop_boilerplate(root: HtmlElement) -> None:
    """Remove navigation, scripts, cookie banners, sidebars and site header/footer in place."""
    for el in list(root.iter(*DROP_TAGS)):
        remove(el)
    for el in list(root.iter(lxml.etree.Comment)):
        remove(el)
    for el in list(root.iter()):
        if not isinstance(el.tag, str) or el.getparent() is None or el is root:
            continue
        if el.tag in CONTENT_TAGS:
            continue
        toks = tokens(el, ("class",)) | (tokens(el, ("id",)) & ID_BOILERPLATE_TOKENS)
        if el.get("role") in ("navigation", "banner", "contentinfo", "search") and el.find(".//h1") is None:
            remove(el)
        elif toks & BOILERPLATE_TOKENS and not _has_main_heading(el):
            remove(el)
        elif (el.tag in ("header", "footer") or toks & SITE_CHROME_TOKENS) and not _has_main_heading(el):
            # page chrome; an article's own header/footer (h1, "last updated") only when site-level
            if not _inside(el, ("article", "li", "tr", "section")) or el.tag == "footer":
                remove(el)
        elif el.tag == "aside" and toks & {"secondary", "complementary"}:
            remove(el)


def _has_main_heading(el: HtmlElement) -> bool:
    return el.tag == "h1" or el.find(".//h1") is not None


def main_content(doc: HtmlElement) -> HtmlElement:
    """The element holding the page's main content (after boilerplate removal), else <body>."""
    body = doc.find(".//body")
    if body is None:
        body = doc
    drop_boilerplate(body)
    total = len(inline_text(body))
    for xp in MAIN_XPATHS:
        found = [el for el in doc.xpath(xp) if isinstance(el.tag, str)]
        if not found:
            continue
        best = max(found, key=lambda e: len(inline_text(e)))
        if len(inline_text(best)) >= min(200, total * 0.3):
            return best
    return body


def is_badge_text(text: str) -> bool:
    """A status badge's words: short, no figures, a word of opening, closing or timing."""
    words = text.split()
    return 0 < len(words) <= 3 and not any(ch.isdigit() for ch in text) and bool(
        DEADLINE_WORDS.search(text) or ROLLING.search(text) or status_words(text)
        or split_title_prefix(f"{text}:")[1])


def _edge_children(el: HtmlElement) -> list[HtmlElement]:
    """Child elements (at any depth along the edge) that start or end an element's text."""
    out: list[HtmlElement] = []
    node = el
    while True:  # first element, when no text comes before it
        kids = [c for c in node if isinstance(c.tag, str)]
        if not kids or (node.text or "").strip():
            break
        out.append(kids[0])
        node = kids[0]
    node = el
    while True:  # last element, when no text comes after it
        kids = [c for c in node if isinstance(c.tag, str)]
        if not kids or (kids[-1].tail or "").strip():
            break
        out.append(kids[-1])
        node = kids[-1]
    return out


def title_and_badge(el: HtmlElement | None) -> tuple[str, str | None]:
    """A title's text without a status badge glued to it ("Green Fund <span>Closing soon</span>"):
    the badge is an element of its own at the start or end of the title, with a status's few words."""
    full = inline_text(el)
    if el is None:
        return full, None
    for child in _edge_children(el):
        badge = inline_text(child)
        if badge and badge != full and is_badge_text(badge):
            rest = full[:-len(badge)] if full.endswith(badge) else full[len(badge):] if full.startswith(badge) else ""
            rest = collapse(rest).strip(" -–—|:·•")
            if rest and rest != full:
                return rest, badge
    return full, None


def page_title(doc: HtmlElement, main: HtmlElement) -> str:
    """The page's own title: its <h1> (without a status badge), else og:title, else <title> without
    the site name."""
    for h1 in main.iter("h1"):
        text = title_and_badge(h1)[0]
        if text:
            return text
    og = doc.xpath("//meta[@property='og:title']/@content")
    if og and og[0].strip():
        return collapse(og[0])
    title = inline_text(doc.find(".//title"))
    return re.split(r"\s+[|\u2013\u2014:]\s+|\s+-\s+", title)[0].strip() if title else ""


def first_paragraph(main: HtmlElement, min_chars: int = 40) -> str:
    """The first substantial paragraph, as a summary."""
    for p in main.iter("p"):
        text = inline_text(p)
        if len(text) >= min_chars:
            return text
    return ""


def meta_description(doc: HtmlElement) -> str:
    for xp in ("//meta[@name='description']/@content", "//meta[@property='og:description']/@content"):
        found = doc.xpath(xp)
        if found and found[0].strip():
            return collapse(found[0])
    return ""
