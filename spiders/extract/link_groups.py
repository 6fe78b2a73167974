"""Groups of similar links on a page's main content, for an admin to pick from when the
automatic reader follows the wrong links (or none): "14 links like /funding/<name>/ in a list
under "Open funds"", "3 links like /grants/<n> in a table". Each group comes with the regular
expression that selects its links: the source's link pattern when the admin picks it.

Links are grouped by the shape of their URL path (the folders they sit in, the last part
varying) and by where they sit in the page (the chain of elements from the main content down
to the link); groups that select the same links are one choice, and say every place they sit."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

from lxml.html import HtmlElement

from spiders.extract.content import collapse, inline_text, main_content, parse_html, tokens
from spiders.extract.links import absolute, pagination_links, same_site

HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"}
NAME, NUMBER = "<name>", "<n>"
_DIGITS = re.compile(r"^\d+$")
_SPECIAL = re.compile(r"([.^$*+?{}\[\]\\|()])")
_CARD_TOKENS = {"card", "tile", "teaser", "item", "result", "entry", "post", "media"}
# the nearest of these above a link says what kind of block holds it, in words
_PLACES = (
    (("tr", "td", "th"), "in a table"),
    (("dt", "dd"), "in a definition list"),
    (("details", "summary"), "in expandable sections"),
    (("li",), "in a list"),
    (("article",), "in cards"),
    (("h2", "h3", "h4", "h5", "h6"), "as headings"),
    (("p",), "in the text"),
)
MAX_GROUPS = 12


@dataclass
class LinkGroup:
    """Links of one URL shape; `pattern` selects them (a link pattern for the source)."""

    shape: str  # "/funding/<name>/"
    pattern: str  # "^https?://[^/]+/funding/[^/?#]+/$"
    urls: list[str] = field(default_factory=list)
    anchors: list[str] = field(default_factory=list)  # the links' texts, in page order
    places: dict[str, int] = field(default_factory=dict)  # "in a list under "Open funds"" -> links there

    @property
    def count(self) -> int:
        return len(self.urls)

    def describe(self) -> str:
        """ "14 links like /funding/<name>/ in a list under "Open funds" (and 2 in the text)" """
        noun = "link" if self.count == 1 else "links"
        places = sorted(self.places.items(), key=lambda kv: -kv[1])
        text = f"{self.count} {noun} like {self.shape}"
        if places:
            text += f" {places[0][0]}"
        if len(places) > 1:
            text += " (" + ", ".join(f"{n} {where}" for where, n in places[1:]) + ")"
        return text

    def as_dict(self) -> dict:
        return {"description": self.describe(), "pattern": self.pattern, "shape": self.shape,
                "count": self.count, "examples": [{"url": u, "text": t} for u, t in
                                                  list(zip(self.urls, self.anchors, strict=True))[:3]]}


def _path_key(url: str) -> tuple:
    """What links of one shape share: their folders (numbers as one), how many parts, the
    last part's file extension, the trailing slash and the names of their query fields."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    folders = tuple(NUMBER if _DIGITS.match(s) else s for s in segments[:-1])
    last = segments[-1] if segments else ""
    ext = last.rsplit(".", 1)[1].lower() if "." in last else ""
    query = tuple(k for k, _ in parse_qsl(parts.query, keep_blank_values=True))
    return folders, ext, parts.path.endswith("/"), query


def _shape_and_pattern(urls: list[str]) -> tuple[str, str]:
    """The group's shape in words and the regex selecting its links (and no other shape)."""
    first = urlsplit(urls[0])
    segments = [s for s in first.path.split("/") if s]
    folders, ext, slash, query = _path_key(urls[0])
    lasts = {([s for s in urlsplit(u).path.split("/") if s] or [""])[-1] for u in urls}
    shown, regex = [], []
    for folder in folders:
        shown.append(folder)
        regex.append(r"\d+" if folder == NUMBER else _escape(folder))
    if segments:
        if query and len(lasts) == 1:  # grant.aspx?id=12, grant.aspx?id=13: the page is one
            shown.append(segments[-1])
            regex.append(_escape(segments[-1]))
        elif all(_DIGITS.match(s) for s in lasts):  # /calls/1234 (with an extension it is a name)
            shown.append(NUMBER)
            regex.append(r"\d+")
        else:
            shown.append(NAME + (f".{ext}" if ext else ""))
            regex.append(r"[^/?#]+" + (_escape(f".{ext}") if ext else ""))
    shape = "/" + "/".join(shown) + ("/" if slash and segments else "")
    pattern = r"^https?://[^/]+/" + "/".join(regex) + ("/" if slash and segments else "")
    if query:
        shape += "?" + "&".join(f"{k}={NUMBER if _numeric_field(urls, k) else NAME}" for k in query)
        pattern += r"\?" + "&".join(_escape(k) + (r"=\d+" if _numeric_field(urls, k) else r"=[^&#]*")
                                    for k in query)
    return shape, pattern + "$"


def _escape(text: str) -> str:
    """`text` as a regex matching itself, escaping only what must be (an admin reads it)."""
    return _SPECIAL.sub(r"\\\1", text)


def _numeric_field(urls: list[str], key: str) -> bool:
    values = [v for u in urls for k, v in parse_qsl(urlsplit(u).query, keep_blank_values=True) if k == key]
    return bool(values) and all(_DIGITS.match(v) for v in values)


def _trail(a: HtmlElement, main: HtmlElement) -> tuple[str, ...]:
    """The chain of element names from the main content down to the link."""
    chain = []
    for anc in a.iterancestors():
        if anc is main:
            break
        chain.append(anc.tag if isinstance(anc.tag, str) else "")
    return tuple(reversed(chain))


def _words(item: HtmlElement) -> str:
    """What kind of block `item` is, in words."""
    for tags, words in _PLACES:
        if item.tag in tags:
            return words
    headed = next(item.iterdescendants("h2", "h3", "h4", "h5"), None) is not None
    if item.tag in ("div", "section", "a") and (tokens(item) & _CARD_TOKENS or headed
                                                or item.find(".//img") is not None):
        return "in cards"  # blocks with a title, or an image, beside the link
    return "in blocks"


def _item(a: HtmlElement, container: HtmlElement | None, main: HtmlElement) -> HtmlElement:
    """The repeated block holding one link: the container's child on the way to it; for a
    link alone, the nearest list item, row, paragraph ... above it."""
    if container is not None:
        for el in [a, *a.iterancestors()]:
            if el.getparent() is container:
                return el
    for anc in a.iterancestors():
        if anc is main:
            break
        if any(anc.tag in tags for tags, _ in _PLACES) or tokens(anc) & _CARD_TOKENS:
            return anc
    return a


def _container(links: list[HtmlElement]) -> HtmlElement | None:
    """The lowest element holding every one of the links (the list, the table, the grid)."""
    if len(links) == 1:
        return None
    others = [set(link.iterancestors()) for link in links[1:]]
    return next((anc for anc in links[0].iterancestors() if all(anc in o for o in others)), None)


def _heading_before(item: HtmlElement) -> str:
    """The caption of the item's table, else the nearest heading before the item."""
    table = next(item.iterancestors("table"), None)
    if table is not None:
        caption = table.find("caption")
        if caption is not None and inline_text(caption).strip():
            return collapse(inline_text(caption))
    found = item.xpath("preceding::*[self::h1 or self::h2 or self::h3 or self::h4][1]")
    return collapse(inline_text(found[0]))[:60] if found else ""


def link_groups(html: str, url: str) -> list[LinkGroup]:
    """The page's same-site links in its main content (not navigation, header, footer,
    breadcrumbs or pagination), grouped; the biggest groups first."""
    doc = parse_html(html)
    skip = set(pagination_links(doc, url))
    main = main_content(doc)
    here = absolute(url, url)
    by_key: dict[tuple, list[tuple[str, str, HtmlElement]]] = {}
    seen: dict[str, int] = {}  # url -> its place in the page
    for a in main.iter("a"):
        target = absolute(a.get("href", ""), url)
        if (target is None or target == here or target in skip or target in seen
                or not same_site(target, url) or urlsplit(target).path in HOME_PATHS):
            continue
        seen[target] = len(seen)
        by_key.setdefault((_path_key(target), _trail(a, main)), []).append((target, collapse(inline_text(a)), a))
    groups: dict[str, LinkGroup] = {}
    for members in by_key.values():
        shape, pattern = _shape_and_pattern([m[0] for m in members])
        group = groups.setdefault(pattern, LinkGroup(shape=shape, pattern=pattern))
        item = _item(members[0][2], _container([m[2] for m in members]), main)
        words, heading = _words(item), _heading_before(item)
        where = f'{words} under "{heading}"' if heading else words
        for target, anchor, _a in members:
            group.urls.append(target)
            group.anchors.append(anchor)
        group.places[where] = group.places.get(where, 0) + len(members)
    ranked = sorted(groups.values(), key=lambda g: (-g.count, min(seen[u] for u in g.urls)))
    return ranked[:MAX_GROUPS]
