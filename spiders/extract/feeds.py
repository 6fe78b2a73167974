"""RSS 2.0 and Atom feeds → entries; which entries are news rather than calls."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from lxml import etree
from w3lib.url import url_query_cleaner

from spiders.extract.content import block_text, collapse, parse_fragment
from spiders.extract.cues import AWARDS_TITLE, NEWS_POST_SEGMENTS, NEWS_SEGMENTS

NEWS_CATEGORY = re.compile(r"\b(news|blogs?|press|announcements?|events?|stories|case stud(y|ies)|awards? made)\b",
                           re.I)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)


@dataclass
class FeedEntry:
    title: str
    link: str
    text: str = ""  # the description/summary/content as text, one block per line
    categories: list[str] = field(default_factory=list)
    published: str = ""
    guid: str = ""


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


def parse_feed(body: bytes | str, base_url: str) -> list[FeedEntry]:
    """Entries of an RSS 2.0 / RSS 1.0 / Atom feed. Links are made absolute and cleaned."""
    if isinstance(body, str):
        body = _XML_DECL.sub("", body, count=1).encode("utf-8")
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=False)
    root = etree.fromstring(body, parser=parser)
    if root is None:
        return []
    entries = []
    for item in root.iter():
        kind = _local(item)
        if kind not in ("item", "entry"):
            continue
        title = html_to_text((_child(item, "title").text or "") if _child(item, "title") is not None else "")
        link = ""
        if kind == "entry":
            links = _children(item, "link")
            best = next((lk for lk in links if lk.get("rel", "alternate") == "alternate"), links[0] if links else None)
            link = best.get("href", "") if best is not None else ""
        else:
            el = _child(item, "link")
            link = (el.text or el.get("href") or "").strip() if el is not None else ""
            guid = _child(item, "guid")
            if not link and guid is not None and guid.get("isPermaLink", "true") != "false":
                link = (guid.text or "").strip()
        text = _content_text(_child(item, "description", "summary", "content", "encoded"))
        cats = [collapse(c.text or c.get("term") or c.get("label") or "") for c in _children(item, "category")]
        published = _child(item, "pubdate", "published", "updated", "date")
        guid = _child(item, "guid", "id")
        entries.append(FeedEntry(
            title=title.replace("\n", " "), link=clean_link(urljoin(base_url, link)) if link else "",
            text=text, categories=[c for c in cats if c],
            published=collapse(published.text or "") if published is not None else "",
            guid=collapse(guid.text or "") if guid is not None else ""))
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
