"""Links on listing pages: the items (cards, list items, table rows) and pagination."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from lxml.html import HtmlElement, tostring

from spiders.extract.content import (
    block_text,
    collapse,
    inline_text,
    is_badge_text,
    parse_fragment,
    title_and_badge,
)
from spiders.extract.fields import labelled_fields, row_fields, table_header

SKIP_EXTENSIONS = {
    "pdf", "doc", "docx", "xls", "xlsx", "csv", "zip", "json", "xml", "rss", "atom", "jpg", "jpeg", "png",
    "gif", "svg", "ppt", "pptx", "odt", "ods", "odp", "mp3", "mp4", "rtf", "txt", "ics",
}
DOCUMENT_EXTENSIONS = {"pdf", "doc", "docx", "odt", "rtf"}
PAGINATION_MARKS = ("pagination", "pager", "paging", "page-numbers", "nav-links", "paginator")


@dataclass
class ItemLink:
    """A link to a candidate detail page, with the card / row / list item around it."""

    url: str
    anchor: str
    context_text: str = ""
    context_fields: dict[str, str] = field(default_factory=dict)
    in_item: bool = False  # inside a repeated structure (card, list item, table row, heading)


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def web_url(href: object, base_url: str) -> str | None:
    """`href` resolved against the URL of the page (feed, package) it was read on, if it is an
    http(s) address; None for mailto:, javascript:, data: and every other scheme, which cannot
    or must not be fetched. Every link a spider follows passes here."""
    if not isinstance(href, str) or not href.strip():
        return None
    url = urljoin(base_url, href.strip())
    return url if urlsplit(url).scheme in ("http", "https") else None


def _web_url(href: str, base_url: str) -> tuple[str, str] | None:
    """An absolute http(s) URL without its fragment, and its file extension ("" for none)."""
    href = (href or "").strip()
    if href.startswith("#"):
        return None
    url = web_url(href, base_url)
    if url is None:
        return None
    url = urldefrag(url)[0]
    ext = urlsplit(url).path.rsplit("/", 1)[-1].rsplit(".", 1)
    return url, ext[1].lower() if len(ext) == 2 else ""


def absolute(href: str, base_url: str) -> str | None:
    """An absolute http(s) URL without its fragment, or None for mailto:, javascript:, files ..."""
    found = _web_url(href, base_url)
    return found[0] if found and found[1] not in SKIP_EXTENSIONS else None


def same_site(url: str, base_url: str) -> bool:
    return _host(url) == _host(base_url)


_ARROWS = re.compile(r"[\s»›>→⟩…\u2026.]+$|^[\s«‹<←⟨]+")
_NEXT_WORDS = re.compile(r"^(?:next|older|more|load more|show more|see more|view more)"
                         r"(?: (?:page|posts|entries|results|items|articles))?$", re.I)
_BACK_TEXT = re.compile(r"^(?:[«‹<←⟨]|prev(?:ious)?\b|first\b|newer\b)", re.I)
_PAGE_PARAMS = {"page", "paged", "pg", "p", "pagenum", "page_num", "pageno", "page_no"}
_PAGE_SEGMENT = re.compile(r"(?:^|/)page[-_/]?(\d+)(?=/?$|\.\w+$)", re.I)


def page_of(url: str) -> tuple[str, int] | None:
    """A listing page's address read as (the listing without its page number, the number):
    "?page=3", "&paged=3", "/page/3/", "page-3.html"; None when the address names no page."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    numbered = [(k, v) for k, v in query if k.lower() in _PAGE_PARAMS and v.isdigit()]
    if numbered:
        rest = urlencode([(k, v) for k, v in query if (k, v) != numbered[0]])
        return urlunsplit((parts.scheme, parts.netloc, parts.path, rest, "")), int(numbered[0][1])
    m = _PAGE_SEGMENT.search(parts.path)
    if m:
        path = parts.path[:m.start()] + "/" if m.group(0).startswith("/") else parts.path[:m.start()]
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, "")), int(m.group(1))
    return None


def _listing_key(url: str) -> str:
    found = page_of(url)
    base = found[0] if found else url
    return re.sub(r"/(?:index\.\w+)?$", "/", urlsplit(base)._replace(fragment="").geturl())


def _is_next_text(text: str) -> bool:
    bare = _ARROWS.sub("", text).strip()
    return bool(_NEXT_WORDS.match(bare)) or (not bare and bool(text.strip()) and text.strip()[0] in "»›>→")


def pagination_links(doc: HtmlElement, base_url: str) -> list[str]:
    """Next/numbered pages of this listing: rel=next (<link> and <a>), pagination blocks, "Next",
    "Older posts", "Load more" anchors, numbered anchors ("2", "3") whose number is in their address,
    and links to the same listing with another page number (?page=N, /page/N/, page-N.html)."""
    found: list[str] = []
    here = urldefrag(base_url)[0]
    here_key = _listing_key(here)
    here_page = (page_of(here) or ("", 1))[1]

    def earlier(a: HtmlElement, text: str) -> bool:
        """A page before this one: its number, or the listing's first page seen from a later one."""
        if text.isdigit() and int(text) <= here_page:
            return True
        url = absolute(a.get("href") or "", base_url)
        page = page_of(url) if url else None
        return bool(url) and (page[1] <= here_page if page else here_page > 1 and _listing_key(url) == here_key)

    def add(href: str | None) -> None:
        url = absolute(href or "", base_url)
        if url and url != here and same_site(url, base_url) and url not in found:
            found.append(url)

    for href in doc.xpath("//link[contains(concat(' ', @rel, ' '), ' next ')]/@href"
                          "|//a[contains(concat(' ', @rel, ' '), ' next ')]/@href"):
        add(href)
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        marks = f"{el.get('class', '')} {el.get('id', '')}".lower()
        label = (el.get("aria-label") or "").lower()
        if any(t in marks for t in PAGINATION_MARKS) or "pagination" in label:
            for a in el.iter("a"):
                text = collapse(inline_text(a))
                if "prev" not in (a.get("rel") or "") and not _BACK_TEXT.match(text) and not earlier(a, text):
                    add(a.get("href"))
    for a in doc.iter("a"):
        href = a.get("href")
        url = absolute(href or "", base_url)
        if not url:
            continue
        text = collapse(inline_text(a))
        if _is_next_text(text) or "next" in (a.get("aria-label") or "").lower():
            add(href)
            continue
        page = page_of(url)
        if page and page[1] > here_page and _listing_key(url) == here_key:
            add(href)  # the same listing with a later page number (earlier ones were read on the way here)
        elif (text.isdigit() and len(text) <= 3 and int(text) > here_page
              and re.search(rf"(?<!\d){text}(?!\d)", url.split("//", 1)[-1])):
            add(href)  # a numbered page link: its number is in its address
    return found


def _is_item_container(el: HtmlElement) -> bool:
    """Markup that is a record by its kind: a list item, a table row, an article, a term, a section, a heading.
    (Class names are not read: a block led by its own heading, and blocks repeated in the same shape,
    are records whatever they are called.)"""
    return el.tag in ("li", "tr", "article", "h2", "h3", "h4", "dt", "section")


def item_links(main: HtmlElement, base_url: str, exclude: set[str] | None = None,
               link_pattern: str | None = None, documents: bool = False) -> list[ItemLink]:
    """Same-site links in the main content, each with the text and facts of its card/row.
    With `documents`, the links to documents (PDF, Word) instead, each with its card/row."""
    exclude = set(exclude or ())
    here = urldefrag(base_url)[0]
    pattern = re.compile(link_pattern) if link_pattern else None
    anchors: list[tuple[HtmlElement, str]] = []
    wanted: set[str] = set()
    for a in main.iter("a"):
        found = _web_url(a.get("href", ""), base_url)
        if found is None or (found[1] in SKIP_EXTENSIONS and found[1] not in DOCUMENT_EXTENSIONS):
            continue
        url, doc = found[0], found[1] in DOCUMENT_EXTENSIONS
        if url == here or url in exclude or not same_site(url, base_url):
            continue
        if pattern and not doc and not pattern.search(url):
            continue
        if doc and not documents:
            continue  # as before: page links' cards are bounded by page links only
        anchors.append((a, url))  # with `documents`, page links too: they bound the documents' rows
        if doc == documents:
            wanted.add(url)
    if not wanted:
        return []
    urls_under: dict[HtmlElement, set[str]] = {}  # keyed by element: keeps lxml proxies (and ids) alive
    for a, url in anchors:
        for anc in a.iterancestors():
            urls_under.setdefault(anc, set()).add(url)
            if anc is main:
                break
    links: dict[str, ItemLink] = {}
    containers: dict[str, HtmlElement] = {}
    for a, url in anchors:
        if url not in wanted:
            continue
        # an <a class="card"> wrapping the whole card is the item itself
        container, in_item = a, False
        for anc in a.iterancestors():
            if anc is main or len(urls_under.get(anc, ())) > 1 or not _one_record(anc):
                break
            container = anc
            in_item = in_item or _is_item_container(anc)
            if anc.tag == "tr":
                break  # a table row is a record of its own, even the table's only one
        if url in links:
            continue
        # a block led by its own heading, with its link, is a record whatever its markup
        in_item = in_item or any(container.find(f".//{h}") is not None for h in ("h2", "h3", "h4"))
        containers[url] = container
        anchor, badge = _title_and_badge(a, container)
        record, after = _with_following(container, urls_under)
        fields = _context_fields(container) if after is None else {**_context_fields(container),
                                                                   **labelled_fields(after)}
        if badge and not any(k.lower().startswith("status") for k in fields):
            fields["Status"] = badge
        links[url] = ItemLink(url=url, anchor=anchor, in_item=in_item,
                              context_text=block_text(record), context_fields=fields)
    # repeated blocks (<p>, <div class="x">) each holding one link are items too
    # (<a> blocks too when they wrap more than their text: tiles "<a><span>Title</span><span>...</span></a>")
    blocks = {url: c for url, c in containers.items() if c.tag != "a" or _wraps_block(c)}
    shape = Counter((c.getparent(), c.tag, c.get("class")) for c in blocks.values())
    for url, c in blocks.items():
        if shape[(c.getparent(), c.tag, c.get("class"))] >= 3:
            links[url].in_item = True
    return list(links.values())


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _one_record(el: HtmlElement) -> bool:
    """A block that can be one record around a link: at most one heading at its top level and no page
    title (<h1>). A lone link's card stops below the page's heading, and a link in one section of a
    call page ("How to apply") does not take the whole page as its card."""
    levels = [int(h.tag[1]) for h in el.iter(*_HEADINGS)]
    return not levels or (min(levels) > 1 and levels.count(min(levels)) == 1)


def _with_following(container: HtmlElement,
                    urls_under: dict[HtmlElement, set[str]]) -> tuple[HtmlElement, HtmlElement | None]:
    """A record led by a linked heading or term (<h3><a>…</a></h3><p>…</p>, <dt><a>…</a></dt><dd>…</dd>)
    runs on through the siblings after it, up to the next of its kind or the next block with a link:
    the record as a copy holding them all and a copy of what follows the title (its facts), or the
    container itself and None when nothing follows."""
    if container.tag not in ("dt", *_HEADINGS[1:]):
        return container, None
    parts = [container]
    sib = container.getnext()
    while sib is not None:
        if isinstance(sib.tag, str):
            if sib.tag == container.tag or sib.tag in _HEADINGS or sib in urls_under or sib.tag == "a":
                break
            parts.append(sib)
        sib = sib.getnext()
    if len(parts) == 1:
        return container, None

    def copy(elements: list[HtmlElement]) -> HtmlElement:
        wrapper = "dl" if container.tag == "dt" else "div"
        return parse_fragment(f"<{wrapper}>" + "".join(
            tostring(x, encoding="unicode", with_tail=False) for x in elements) + f"</{wrapper}>").find(wrapper)

    return copy(parts), parse_fragment("".join(
        tostring(x, encoding="unicode", with_tail=False) for x in parts[1:]).replace("<dd", "<div").replace(
        "</dd>", "</div>"))


def _title_and_badge(a: HtmlElement, container: HtmlElement) -> tuple[str, str | None]:
    """A link's text without a status badge, and the badge: glued inside the link, inside the link's
    heading, or an element of its own right beside the link or its heading."""
    anchor, badge = title_and_badge(a)
    if badge:
        return anchor, badge
    head = next((h for h in a.iterancestors(*_HEADINGS)), None)
    inside = head is not None and (head is container or any(x is container for x in head.iterancestors()))
    title = head if inside else a
    if title is not a:
        badge = title_and_badge(title)[1]
    for sib in (title.getprevious(), title.getnext()):
        if badge is None and sib is not None and isinstance(sib.tag, str) and is_badge_text(inline_text(sib)):
            badge = inline_text(sib)
    return anchor, badge


def _wraps_block(a: HtmlElement) -> bool:
    return sum(1 for c in a if isinstance(c.tag, str) and c.tag not in ("b", "strong", "em", "i", "br")) >= 2


def _context_fields(container: HtmlElement) -> dict[str, str]:
    if container.tag == "tr":
        table = next(container.iterancestors("table"), None)
        header = table_header(table) if table is not None else []
        if header:
            return row_fields(container, header)
    if container.tag == "a":
        return {}
    return labelled_fields(container)
