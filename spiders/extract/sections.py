"""Pages that describe several funds, one per section: find the sections and their ids."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urldefrag

from lxml.html import HtmlElement

from spiders.extract.content import block_text, parse_fragment, title_and_badge
from spiders.extract.cues import APPLY, DATE, MONEY, ROLLING
from spiders.extract.links import absolute, same_site
from tracker.normalize.dates import ROLLING_RE, TBC_RE

# A fund's name, not a question or a generic heading ("What we fund", "Closed funds")
FUND_NAME = re.compile(
    r"\b(Fund|Funds|Grant|Grants|Programme|Program|Scheme|Award|Awards|Competition|Prize|Bursary|Challenge|"
    r"Initiative|Pot|Tender)\b"
)
GENERIC_START = re.compile(
    r"^(what|who|how|when|where|why|which|can|do|does|is|are|about|our|your|other|more|related|closed|current|"
    r"previous|past|latest|open|funding you|further|see|contact|other)\b",
    re.I,
)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Section:
    id: str
    title: str
    element: HtmlElement  # the section's content (a container, or a synthetic div)
    heading: HtmlElement | None = None  # the title element (<summary>, <h2>), badge and all


def fund_heading(text: str) -> bool:
    return bool(text) and len(text.split()) <= 14 and bool(FUND_NAME.search(text)) and not GENERIC_START.match(text)


def slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")[:60]


def _container(h: HtmlElement, root: HtmlElement, headings: list[HtmlElement]) -> HtmlElement | None:
    """The nearest ancestor with an id that holds this fund heading and no other."""
    for anc in h.iterancestors():
        if anc is root:
            return None
        inner = [x for x in headings if x is not h and any(a is anc for a in x.iterancestors())]
        if inner:
            return None
        if anc.get("id"):
            return anc
    return None


def _following(h: HtmlElement, stop: set[int]) -> HtmlElement:
    """The heading and its following siblings up to the next fund heading, as a detached div."""
    parts = []
    sib = h.getnext()
    while sib is not None and id(sib) not in stop and not any(id(d) in stop for d in sib.iter()):
        if isinstance(sib.tag, str):
            parts.append(sib)
        sib = sib.getnext()
    from lxml.html import tostring

    html = "".join(tostring(p, encoding="unicode", with_tail=True) for p in [h, *parts])
    return parse_fragment(html)


def _details_sections(main: HtmlElement) -> list[Section]:
    """Accordion items (<details><summary>Name</summary>...</details>) that each read as a fund of
    their own: two of when to apply (a date, rolling or TBC), money and a fund's name. A single
    fund's page may fold its "Key dates" or "Funding available" into an accordion too; those
    items have one of the two, not both."""
    out: list[Section] = []
    named: list[Section] = []
    for d in main.iter("details"):
        summary = d.find("summary")
        if summary is None:
            continue
        title = title_and_badge(summary)[0]
        if not title or len(title.split()) > 14 or GENERIC_START.match(title) or title.endswith("?"):
            continue
        text = block_text(d)
        when = DATE.search(text) or ROLLING_RE.search(text) or TBC_RE.search(text)
        section = Section(id=d.get("id") or slug(title), title=title, element=d, heading=summary)
        if sum(map(bool, (when, MONEY.search(text), FUND_NAME.search(title)))) >= 2:
            out.append(section)  # two of: when, how much, a fund's name (a closed fund's panel has no date)
        elif fund_heading(title):
            named.append(section)
    if not out and len(named) == 1 and not _facts_outside(main, named[0].element):
        return named  # the page's only panel names a fund and the page says nothing else: that fund
    if len(out) >= 2:
        # An accordion of funds: a sibling panel that names a fund and says who may apply is one more
        # fund, though it gives no date or sum (a closed fund: "not currently accepting applications").
        parents = {id(s.element.getparent()) for s in out}
        more = [s for s in named if id(s.element.getparent()) in parents and APPLY.search(block_text(s.element))]
        if more:
            order = {id(d): i for i, d in enumerate(main.iter("details"))}
            out = sorted(out + more, key=lambda s: order[id(s.element)])
    return out


def _facts_outside(main: HtmlElement, part: HtmlElement) -> bool:
    """Money or a date in the page's text outside one of its parts."""
    inside = set(block_text(part).split("\n"))
    rest = "\n".join(line for line in block_text(main).split("\n") if line not in inside)
    return bool(MONEY.search(rest) or DATE.search(rest))


def _leads_on(el: HtmlElement, base_url: str) -> bool:
    """A box with a link to another page of the site ("Read more") is a teaser for that page, not the
    fund itself; its documents (guidance PDF) and other sites (an apply portal) are the fund's own."""
    for a in el.iter("a"):
        url = absolute(a.get("href") or "", base_url) if base_url else None
        if url and same_site(url, base_url) and urldefrag(url)[0] != urldefrag(base_url)[0]:
            return True
    return False


def fund_sections(main: HtmlElement, base_url: str = "") -> list[Section]:
    """Sections of a shared page that each describe a fund with its own money or dates."""
    details = _details_sections(main)
    if len(details) >= 2 or (len(details) == 1 and not _facts_outside(main, details[0].element)):
        return details  # one panel upward: a lone panel is the fund when the page around it has no facts
    headings = [h for h in main.iter("h2", "h3")
                if fund_heading(title_and_badge(h)[0]) and h.find(".//a[@href]") is None]
    h1 = next(main.iter("h1"), None)
    page_title = title_and_badge(h1)[0] if h1 is not None else ""
    if len(headings) < (1 if page_title else 2):
        return []
    level = min(h.tag for h in headings)
    headings = [h for h in headings if h.tag == level]
    stop = {id(h) for h in headings}
    boxes = [_container(h, main, headings) for h in headings]
    shapes = Counter((b.getparent(), b.tag) for b in boxes if b is not None)
    sections: list[Section] = []
    for h, box in zip(headings, boxes, strict=True):
        title = title_and_badge(h)[0]
        if box is not None:
            sid, element = box.get("id"), box
        else:
            sid, element = h.get("id") or slug(title), _following(h, stop)
        text = block_text(element)
        repeated = box is not None and shapes[(box.getparent(), box.tag)] >= 2  # sibling boxes, one fund each
        if not (repeated or MONEY.search(text) or DATE.search(text) or ROLLING.search(text)):
            continue
        sections.append(Section(id=sid, title=title, element=element, heading=h))
    if len(sections) == 1 and _lone_fund(sections[0], page_title, main, base_url):
        return sections
    return sections if len(sections) >= 2 else []


def _lone_fund(section: Section, page_title: str, main: HtmlElement, base_url: str) -> bool:
    """One section upward: one fund's section is the call under a page heading that is not that
    fund ("Our funds", "Grants and funding": names no fund, or a box of its own under another
    name), when the page around it gives no facts and it links to no page of its own."""
    if not page_title or _facts_outside(main, section.element) or _leads_on(section.element, base_url):
        return False
    a, b = page_title.lower(), section.title.lower()
    box, parent = section.element, section.element.getparent()  # no parent: a synthetic div, not a box
    if parent is not None and any(c is not box and c.tag == box.tag and c.get("class") == box.get("class")
                                  for c in parent):
        return False  # one of a set of panels (Grant size | Area | Eligibility): facets of one page
    return not fund_heading(page_title) or (parent is not None and a not in b and b not in a)
