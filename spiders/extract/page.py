"""One HTML page → what it is (listing / call / several calls / non-call) and what it holds."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal
from urllib.parse import urldefrag, urlsplit

from lxml.html import HtmlElement
from parsel import Selector

from spiders.extract import cues as C
from spiders.extract.content import (
    block_text,
    first_paragraph,
    inline_text,
    is_badge_text,
    main_content,
    meta_description,
    page_title,
    parse_html,
    title_and_badge,
    tokens,
)
from spiders.extract.fields import funder_from_fields, labelled_fields
from spiders.extract.links import ItemLink, absolute, item_links, pagination_links, same_site
from spiders.extract.sections import fund_heading, fund_sections
from tracker.normalize.raw import RawCall

Kind = Literal["listing", "call", "multi", "noncall"]
HOME_PATHS = {"", "/", "/index.html", "/index.htm", "/index.php", "/home", "/default.aspx"}


@dataclass
class Listing:
    """What the listing card / table row / feed item said about a detail page."""

    text: str = ""
    fields: dict[str, str] = field(default_factory=dict)


@dataclass
class PageResult:
    url: str
    kind: Kind
    reason: str
    calls: list[RawCall] = field(default_factory=list)
    links: list[ItemLink] = field(default_factory=list)  # detail pages to follow (listing pages)
    next_pages: list[str] = field(default_factory=list)  # pagination


@dataclass
class _Page:
    url: str
    doc: HtmlElement
    main: HtmlElement
    title: str
    text: str
    fields: dict[str, str]
    crumbs: list[str]
    home_urls: set[str]
    links: list[ItemLink]
    next_pages: list[str]
    documents: list[ItemLink] = field(default_factory=list)  # links to PDFs / Word files, with their rows


def _crumb_links(doc: HtmlElement) -> list[str]:
    out = []
    for el in doc.iter():
        if not isinstance(el.tag, str):
            continue
        label = (el.get("aria-label") or "").lower()
        if tokens(el) & {"breadcrumb", "breadcrumbs", "crumbs"} or "breadcrumb" in label:
            out += [inline_text(a) for a in el.iter("a")]
    return out


def _home_urls(doc: HtmlElement, base_url: str) -> set[str]:
    """Where the site's logo / home link points."""
    hrefs = doc.xpath("//a[@rel='home']/@href|(//header//a)[1]/@href")
    for el in doc.iter("a"):
        toks = tokens(el) | {t for a in el.iterancestors() for t in tokens(a) if a.tag != "body"}
        if toks & {"logo", "homepage", "brand"}:
            hrefs.append(el.get("href", ""))
    return {u for u in (absolute(h, base_url) for h in hrefs) if u}


def _read(html: str, url: str, link_pattern: str | None) -> _Page:
    doc = parse_html(html)
    crumbs = _crumb_links(doc)
    home = _home_urls(doc, url)
    next_pages = pagination_links(doc, url)
    main = main_content(doc)
    links = item_links(main, url, exclude=set(next_pages), link_pattern=link_pattern)
    documents = item_links(main, url, exclude=set(next_pages), documents=True)
    return _Page(url=url, doc=doc, main=main, title=page_title(doc, main), text=block_text(main),
                 fields=labelled_fields(main), crumbs=crumbs, home_urls=home, links=links, next_pages=next_pages,
                 documents=documents)


_DOC_NOTE = re.compile(r"\s*[(\[](?:pdf|word|docx?|odt|rtf)\b[^)\]]*[)\]]\s*$|\s*[-–—]\s*(?:pdf|word)\s*$", re.I)


def _document_calls(p: _Page, funder: str | None) -> list[RawCall]:
    """Calls whose listing card / table row links to a document (a PDF prospectus) rather than a page:
    the crawler cannot read the document, so the row is the call, with the document's url."""
    calls = []
    for lk in p.documents:
        if not lk.in_item:
            continue
        cues = C.call_cues(lk.context_text, lk.context_fields, lk.anchor)
        if not (C.is_call(cues) and {"money"} & set(cues) and {"deadline", "rolling", "labels"} & set(cues)):
            continue
        title = _DOC_NOTE.sub("", lk.anchor).strip()
        calls.append(RawCall(url=lk.url, title=title, funder=_funder(p, lk.context_fields, Listing(), funder),
                             summary="", text=lk.context_text, fields=dict(lk.context_fields),
                             listing_text=lk.context_text, listing_fields=dict(lk.context_fields)))
    return calls


def _url_word_overruled(p: _Page, listing: Listing, start: bool) -> bool:
    """A word in the address is weaker than the page: the admin's own start page, or a page reached
    from a listing card with a call's facts that carries call labels itself ("Closing date")."""
    if start:
        return True
    card = {"money", "deadline", "rolling"} & set(C.call_cues(listing.text, listing.fields, ""))
    return bool(card) and any(C.CALL_LABEL.search(k) for k in p.fields)


def _hard_non_call(p: _Page, listing: Listing, start: bool = False) -> str | None:
    """Pages that are never calls, whatever money or dates they mention."""
    segments = {s.lower() for s in urlsplit(p.url).path.split("/") if s}
    segments |= {s.rsplit(".", 1)[0] for s in segments}
    news = C.NEWS_SEGMENTS & segments
    if news and not (news <= C.NEWS_POST_SEGMENTS
                     and C.announces_call(p.title, p.text)) and not _url_word_overruled(p, listing, start):
        return "news post (url)"
    if any(C.NEWS_CRUMB.search(c) for c in p.crumbs) and not C.announces_call(p.title, p.text):
        return "news post (breadcrumb)"
    head = p.text.split("\n")[:6]
    # A "Posted ..." line on each of several cards is an index of posts (a blog-style directory), not one post.
    index_of_posts = sum(bool(C.POSTED_LINE.match(line)) for line in p.text.split("\n")) >= 2 and _is_listing(p)
    if (any(C.POSTED_LINE.match(line) for line in head) and not index_of_posts
            and not any(C.CALL_LABEL.search(k) for k in p.fields)
            and not (C.FUND_NOUN.search(p.title) and C.has_money(p.text) and C.has_dated_deadline(p.text))
            and not C.announces_call(p.title, p.text)):
        return "news post (posted/published line)"
    title = p.title.replace("\u2019", "'")  # typographic apostrophes read as plain ones ("we’ve")
    if C.AWARDS_TITLE.search(title) or (C.AWARDS_END.search(title) and C.AWARDED_TEXT.search(p.text)):
        return "past awards"
    if C.WARDS_TITLE.search(p.title):
        return "eligible-areas list"
    if C.EVENT_TITLE.search(p.title):
        return "event"
    return None


def _invitation_only(p: _Page, listing: Listing) -> str | None:
    sentence = C.invitation_only(p.text) or C.invitation_only(listing.text)
    return f"invitation only: {sentence}" if sentence else None


def _soft_non_call(p: _Page) -> str | None:
    """Pages whose title says what they are: home, about, contact, FAQs, guidance."""
    if urldefrag(p.url)[0] in p.home_urls or urlsplit(p.url).path in HOME_PATHS:
        return "home page"
    if C.HOME_TITLE.match(p.title) or C.ABOUT_TITLE.search(p.title):
        return "about/contact page"
    if C.FAQ_TITLE.search(p.title):
        return "FAQ page"
    if C.GUIDANCE_TITLE.search(p.title) or ("guidance" in p.title.lower() and not C.FUND_NOUN.search(p.title)):
        return "guidance page"
    return None


def _is_listing(p: _Page) -> bool:
    """Links in records (cards, list items, rows, linked headings), one or more, unless the page reads
    as a call without them and few of them look like funds (a call page with a list of related pages)."""
    items = [lk for lk in p.links if lk.in_item]
    if len(items) == 1 and not _titled_record(items[0], p):
        return False  # one link in a sentence ("see our current schemes") is not a record
    if not items:
        return False
    fundish = [lk for lk in items if C.FUND_NOUN.search(lk.anchor) or C.call_cues(lk.context_text, {}, "")
               and {"money", "deadline", "rolling"} & set(C.call_cues(lk.context_text, {}, ""))]
    if len(fundish) >= 3:
        return True
    item_lines = {line for lk in items for line in lk.context_text.split("\n")}
    rest = "\n".join(line for line in p.text.split("\n") if line not in item_lines)
    return not C.is_call(C.call_cues(rest, {}, p.title))


def _up_link(url: str, here: str) -> bool:
    """A link to a page above this one (its folder's index, a parent section): the way back, not on."""
    path, own = urlsplit(url).path, urlsplit(here).path
    folder = re.sub(r"/(?:index\.\w+)?$", "/", path)
    return folder.endswith("/") and own.startswith(folder) and own != path


def _explore_links(p: _Page) -> list[ItemLink]:
    """The main-content links a start page is explored through, whatever it turns out to be: every
    same-site link except the way home or back up. Only a link in a record (card, row, list item)
    carries its record's facts to the page it leads to."""
    out = []
    for lk in p.links:
        if lk.url in p.home_urls or urlsplit(lk.url).path in HOME_PATHS or _up_link(lk.url, p.url):
            continue
        out.append(lk if lk.in_item else ItemLink(url=lk.url, anchor=lk.anchor))
    return out


def _titled_record(lk: ItemLink, p: _Page) -> bool:
    """A record led by its link (the card's linked title, the row's first cell), not a page's way back."""
    lines = lk.context_text.split("\n")
    first = next((line for line in lines if not is_badge_text(line)), "")  # a badge may sit above the title
    led = bool(lk.anchor) and (first.startswith(lk.anchor) or lk.anchor.startswith(first))
    cell = first.split(" | ")[0]  # a table row's first cell
    led = led or (fund_heading(cell) and (len(lines) > 1 or cell != first))  # a fund's card or row, "Read more"
    return led and lk in _explore_links(p)


_WORDS = re.compile(r"[a-z0-9]+")
INDEX_PAGE = re.compile(r"(?:index|default)\.\w+", re.I)


def _teaser(title: str, box: HtmlElement, url: str) -> bool:
    """A fund's box that links to the fund's own page (its address spells the fund's name and nothing
    else, "/young-peoples-small-grants-2027-28.html"): a card to follow, not the call itself."""
    words = set(_WORDS.findall(title.lower().replace("'", "")))
    for a in box.iter("a"):
        target = absolute(a.get("href", ""), url)
        if not target or not same_site(target, url) or urldefrag(target)[0] == urldefrag(url)[0]:
            continue
        # a folder's index page is named by its folder ("/young-peoples-grants/index.html")
        segments = [seg for seg in urlsplit(target).path.split("/") if seg]
        if segments and INDEX_PAGE.fullmatch(segments[-1]):
            segments.pop()
        last = segments[-1:] or [""]
        slug = set(_WORDS.findall(last[0].rsplit(".", 1)[0].lower()))
        if slug <= words and len(slug) >= max(2, len(words) // 2):
            return True  # every word of the address is the fund's: its page, not a sub-page ("…-faqs")
    return False


def _self_contained(sections: list) -> bool:  # noqa: ANN001
    """Every fund section carries its own money and a date (or rolling): calls, not teasers."""
    texts = [block_text(s.element) for s in sections]
    return bool(texts) and all(C.has_money(t) and (C.DATE.search(t) or C.ROLLING.search(t)) for t in texts)


def _funder(p: _Page, fields: dict[str, str], listing: Listing, default: str | None) -> str | None:
    found = funder_from_fields(fields, listing.fields)
    if not found:
        caption = p.main.xpath(".//*[contains(@class, 'govuk-caption')]")
        if caption and caption[0].getnext() is not None and caption[0].getnext().tag == "h1":
            found = inline_text(caption[0])
    return found or default


def _apply_selectors(html: str, selectors: dict[str, str], call: RawCall) -> None:
    sel = Selector(text=html)
    for name, expr in selectors.items():
        found = sel.xpath(expr) if expr.lstrip("(").startswith("/") else sel.css(expr)
        value = " ".join(" ".join(found.xpath(".//text()|self::text()").getall()).split())
        if not value:
            continue
        if name in ("title", "funder", "summary", "text"):
            setattr(call, name, value)
        else:
            call.fields[name] = value


def analyse_page(html: str, url: str, *, listing: Listing | None = None, funder: str | None = None,
                 link_pattern: str | None = None, selectors: dict[str, str] | None = None,
                 allow_listing: bool = True, explore: bool = False) -> PageResult:
    """Classify a page and extract its call(s), or the links a listing points to.

    `explore` (a start page): whatever the page is, it also gives the main-content links to follow
    (`links`), so each target is judged on its own text, and its next pages when it has records."""
    listing = listing or Listing()
    p = _read(html, url, link_pattern)
    result = _classify(html, p, listing, funder, link_pattern, selectors, allow_listing, start=explore)
    if explore and result.kind != "listing":
        result.links = _explore_links(p)
        if any(lk.in_item for lk in p.links) or result.kind == "multi":
            result.next_pages = p.next_pages  # a page of records (cards, rows, panels) goes on
    return result


def _classify(html: str, p: _Page, listing: Listing, funder: str | None, link_pattern: str | None,
              selectors: dict[str, str] | None, allow_listing: bool, start: bool = False) -> PageResult:
    url = p.url
    reason = _hard_non_call(p, listing, start)
    if reason:
        return PageResult(url, "noncall", reason)
    sections = [s for s in fund_sections(p.main, p.url) if not _teaser(s.title, s.element, p.url)]
    by_pattern = bool(link_pattern and p.links and not re.search(link_pattern, url))
    if allow_listing and (by_pattern or (_is_listing(p) and not _self_contained(sections))):
        return PageResult(url, "listing", f"listing with {len(p.links)} links", links=p.links,
                          next_pages=p.next_pages, calls=_document_calls(p, funder))
    reason = _invitation_only(p, listing) or _soft_non_call(p)
    if reason:
        return PageResult(url, "noncall", reason)
    if sections:
        calls = []
        for s in sections:
            fields = labelled_fields(s.element, title=s.title)
            badge = title_and_badge(s.heading)[1] if s.heading is not None else None
            if badge and not any(k.lower().startswith("status") for k in fields):
                fields["Status"] = badge
            calls.append(RawCall(
                url=f"{urldefrag(url)[0]}#{s.id}", title=s.title, funder=_funder(p, fields, listing, funder),
                summary=first_paragraph(s.element), text=block_text(s.element), fields=fields,
                listing_text=listing.text, listing_fields=dict(listing.fields)))
        return PageResult(url, "multi", f"{len(calls)} funds in sections", calls=calls)
    found = C.call_cues(p.text, p.fields, p.title)
    context = C.call_cues(listing.text, listing.fields, "")
    if not C.is_call(found, context, from_record=bool(listing.text)):
        cues = f"cues: {', '.join(found) or 'none'}"
        onward = _explore_links(p) if allow_listing else []
        if onward:
            # not a call itself, but it leads on: its targets are judged on their own text
            return PageResult(url, "listing", f"no call signals ({cues}); follows {len(onward)} links",
                              links=onward, next_pages=p.next_pages)
        return PageResult(url, "noncall", f"no call signals ({cues})")
    call = RawCall(url=urldefrag(url)[0], title=p.title, funder=_funder(p, p.fields, listing, funder),
                   summary=meta_description(p.doc) or first_paragraph(p.main), text=p.text, fields=p.fields,
                   listing_text=listing.text, listing_fields=dict(listing.fields))
    badge = title_and_badge(next(p.main.iter("h1"), None))[1]
    if badge and not any(k.lower().startswith("status") for k in call.fields):
        call.fields = {**call.fields, "Status": badge}  # a badge on the title is the call's status
    if selectors:
        _apply_selectors(html, selectors, call)
    if not call.title:
        call.title = listing.fields.get("title") or (listing.text.split("\n")[0] if listing.text else "")
    return PageResult(url, "call", f"call ({', '.join(found + [f'listing:{c}' for c in context])})",
                      calls=[call])
