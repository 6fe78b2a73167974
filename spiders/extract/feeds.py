"""RSS 2.0 and Atom feeds → entries; which entries are news rather than calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree
from w3lib.url import url_query_cleaner

from spiders.extract.content import block_text, collapse, parse_fragment
from spiders.extract.cues import AWARDS_TITLE, NEWS_POST_SEGMENTS, NEWS_SEGMENTS
from spiders.extract.links import web_url

NEWS_CATEGORY = re.compile(r"\b(news|blogs?|press|announcements?|events?|stories|case stud(y|ies)|awards? made)\b",
                           re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
FEED_ROOTS = {"rss", "feed", "rdf"}  # RSS 2.0, Atom, RSS 1.0 (rdf:RDF)
_XML_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": False}


class FeedError(ValueError):
    """A body that is not an RSS or Atom feed; the message says why."""


@dataclass
class FeedEntry:
    title: str
    link: str
    text: str = ""  # the description/summary/content as text, one block per line
    categories: list[str] = field(default_factory=list)
    published: str = ""
    guid: str = ""
    refused_link: str = ""  # the entry's link when it is not a web address (mailto:, javascript: ...)


def clean_link(url: str) -> str:
    """Drop tracking parameters (utm_*, fbclid, gclid) from an item link."""
    parts = urlsplit(url)
    if not parts.query:
        return url
    keep = [k.split("=", 1)[0] for k in parts.query.split("&")
            if k and not k.lower().startswith("utm_") and k.split("=", 1)[0].lower() not in ("fbclid", "gclid")]
    return url_query_cleaner(url, keep, keep_fragments=True) if keep else url.split("?", 1)[0]


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname.lower() if isinstance(el.tag, str) else ""


def _child(el: etree._Element, *names: str) -> etree._Element | None:
    for name in names:
        for c in el:
            if _local(c) == name:
                return c
    return None


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def html_to_text(fragment: str) -> str:
    """Feed HTML (from CDATA or entity-escaped) or plain text → text, one block per line."""
    fragment = (fragment or "").strip()
    if not fragment:
        return ""
    if "<" not in fragment:
        return collapse(fragment)
    return block_text(parse_fragment(fragment))


def _content_text(el: etree._Element | None) -> str:
    if el is None:
        return ""
    if el.get("type") == "xhtml" or len(el):
        inner = "".join(etree.tostring(c, encoding="unicode") for c in el)
        return html_to_text((el.text or "") + inner)
    return html_to_text(el.text or "")


def _feed_root(body: bytes) -> etree._Element:
    """The feed's document element. A feed that is not well-formed XML is read as far as lxml
    recovers it (real feeds carry stray ampersands and cut-off items); one that recovers into
    no feed at all is refused with the parser's complaint."""
    if not body.strip():
        raise FeedError("the feed could not be parsed: empty response")
    try:
        root = etree.fromstring(body, parser=etree.XMLParser(**_XML_OPTIONS))
        problem = ""
    except etree.XMLSyntaxError as exc:
        root = etree.fromstring(body, parser=etree.XMLParser(recover=True, **_XML_OPTIONS))
        problem = exc.msg or str(exc)  # without lxml's "(<string>, line 1)"
    if root is not None and (_local(root) in FEED_ROOTS or any(_local(e) in ("item", "entry") for e in root.iter())):
        return root
    what = f"the document is <{_local(root)}>, not RSS or Atom" if root is not None else ""
    raise FeedError("the feed could not be parsed: " + "; ".join(x for x in (what, problem) if x))


def _link_candidates(item: etree._Element, kind: str) -> list[str]:
    """The entry's links, best first: Atom's alternate links; RSS's <link>, then a permalink guid."""
    if kind == "entry":
        links = _children(item, "link")
        best = [lk for lk in links if lk.get("rel", "alternate") == "alternate"] or links[:1]
        return [lk.get("href", "") for lk in best]
    el = _child(item, "link")
    found = [(el.text or el.get("href") or "").strip()] if el is not None else []
    guid = _child(item, "guid")
    if guid is not None and guid.get("isPermaLink", "true") != "false":
        found.append((guid.text or "").strip())
    return [x for x in found if x]


def parse_feed(body: bytes | str, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 / RSS 1.0 / Atom feed; FeedError for a body that is none of them.
    Links are made absolute and cleaned; an entry whose links are not web addresses (mailto:,
    javascript:, data: ...) has none, and keeps the refused one in `refused_link`."""
    if isinstance(body, str):
        body = _XML_DECL.sub("", body, count=1).encode("utf-8")
    root = _feed_root(body)
    entries = []
    for item in root.iter():
        kind = _local(item)
        if kind not in ("item", "entry"):
            continue
        title = html_to_text((_child(item, "title").text or "") if _child(item, "title") is not None else "")
        candidates = _link_candidates(item, kind)
        link = next((url for url in (web_url(c, base_url) for c in candidates) if url), "")
        text = _content_text(_child(item, "description", "summary", "content", "encoded"))
        cats = [collapse(c.text or c.get("term") or c.get("label") or "") for c in _children(item, "category")]
        published = _child(item, "pubdate", "published", "updated", "date")
        guid = _child(item, "guid", "id")
        entries.append(FeedEntry(
            title=title.replace("\n", " "), link=clean_link(link) if link else "",
            text=text, categories=[c for c in cats if c],
            published=collapse(published.text or "") if published is not None else "",
            guid=collapse(guid.text or "") if guid is not None else "",
            refused_link="" if link or not candidates else candidates[0][:200]))
    return entries


def entry_anchor(entry: FeedEntry) -> str:
    """A #fragment naming an entry that has no link of its own: its id (or title) made safe as a section
    name, so that "tag:host,2026:funding/x" stays one distinct url per entry after canonicalisation."""
    slug = re.sub(r"[^A-Za-z0-9._:-]+", "-", entry.guid or entry.title).strip("-.:")
    return slug if slug[:1].isalpha() else f"entry-{slug}"


def news_reason(entry: FeedEntry) -> str | None:
    """Why a feed entry is news rather than a call, or None."""
    for cat in entry.categories:
        if NEWS_CATEGORY.search(cat):
            return f"news item (category {cat!r})"
    # A /news/ link is not enough: councils announce calls as news posts. The page decides
    # (spiders.extract.page: a news post is a call only when it carries the call itself).
    segments = {s.lower().rsplit(".", 1)[0] for s in urlsplit(entry.link).path.split("/") if s}
    if segments & (NEWS_SEGMENTS - NEWS_POST_SEGMENTS):
        return "news item (url)"
    if AWARDS_TITLE.search(entry.title):
        return "news item (awards announced)"
    return None
