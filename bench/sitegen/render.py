"""Render a drawn Site into pages: chrome templates, listing structures, fund pages, distractors."""

# ruff: noqa: E501  (long lines are page text and markup, kept whole to read as the page does)
from __future__ import annotations

import posixpath
from datetime import UTC, date, datetime
from email.utils import format_datetime

from . import words as W
from .model import INLINE_STRUCTURES, Fund, Site
from .model import slugify as W_slug

EXTERNAL = [
    "https://www.gov.uk/",
    "https://www.gov.uk/government/organisations/home-office",
    "https://www.find-government-grants.service.gov.uk/grants",
]


OTHER_FUNDS = [
    ("Safer Streets Fund (Home Office)", "www.gov.uk"),
    ("Find a grant: community safety schemes", "www.find-government-grants.service.gov.uk"),
    ("Youth Investment Fund", "www.gov.uk"),
    ("Community Ownership Fund", "www.gov.uk"),
    ("Violence Reduction Unit grants", "www.gov.uk"),
]
NEWS_STEMS = {
    "commissioner-visits": "Visit to a local youth project",
    "volunteers-week": "Thank you to our volunteers",
    "annual-report": "Our annual report is published",
    "new-board-members": "New trustees join our board",
    "police-and-crime-plan": "Have your say on the police and crime plan",
    "community-awards": "Community awards shortlist announced",
    "summer-of-sport": "A summer of sport in our parks",
    "scam-awareness": "Scam awareness week",
}


class Renderer:
    def __init__(self, rng, site: Site) -> None:
        self.rng = rng
        self.site = site
        self.ax = site.axes
        self.pages: dict[str, bytes] = {}
        self.non_calls: list[str] = []
        self.non_call_kinds: dict[str, str] = {}
        self.listing_pages: list[str] = []
        s = site.slug
        self.root = f"/{s}"
        self.fd = f"/{s}/" + rng.choice(
            ["funding", "grants", "what-we-do/funding", "apply-for-funding", "community-grants", "our-funding"]
        )
        self.home = f"{self.root}/index.html"
        self.paths = {
            "news_index": f"{self.root}/news/index.html",
            "awards": f"{self.fd}/" + rng.choice(["grants-awarded.html", "past-awards.html", "grants-weve-made.html"]),
            "guidance": f"{self.fd}/how-to-apply.html",
            "faq": f"{self.fd}/faqs.html",
            "invitation_only": f"{self.fd}/"
            + rng.choice(["strategic-partnerships.html", "place-partnerships.html", "local-delivery-partners.html"]),
            "allocations": f"{self.fd}/allocations-2026-27.html",
            "other_funders": f"{self.fd}/"
            + rng.choice(["other-funding.html", "funding-from-other-organisations.html"]),
            "about": f"{self.root}/about.html",
            "contact": f"{self.root}/contact.html",
            "event": f"{self.root}/events/funding-workshop-2027.html",
            "privacy": f"{self.root}/privacy.html",
            "accessibility": f"{self.root}/accessibility.html",
            "cookies": f"{self.root}/cookies.html",
        }
        self.news_posts = []
        for i in range(self.ax.get("n_news", 0)):
            stem = list(NEWS_STEMS)[i % len(NEWS_STEMS)]
            self.news_posts.append((f"{self.root}/news/{stem}{'' if i < len(NEWS_STEMS) else f'-{i}'}.html", "plain"))
        if "news_funding" in site.distractors:
            self.news_posts.append((f"{self.root}/news/new-funding-announced.html", "funding"))
        self.encoding = {
            "utf-8": "utf-8",
            "utf-8-http-equiv": "utf-8",
            "windows-1252": "windows-1252",
            "iso-8859-1": "iso-8859-1",
        }[self.ax["encoding"]]

    def non_call(self, url: str, kind: str) -> None:
        self.non_calls.append(url)
        self.non_call_kinds[url] = kind

    # ------------------------------------------------------------ links
    def href(self, frm: str, to: str) -> str:
        frag = ""
        if "#" in to:
            to, frag = to.split("#", 1)
            frag = "#" + frag
        if to == frm and frag:
            return frag
        style = self.ax["href_style"]
        if style == "relative":
            rel = posixpath.relpath(to, posixpath.dirname(frm))
            if rel.endswith("index.html") and "?" not in rel:
                rel = rel[: -len("index.html")] or "./"
            return rel + frag
        if style == "dir" and to.endswith("/index.html"):
            return to[: -len("index.html")] + frag
        return to + frag

    def a(self, frm: str, to: str, text: str, attrs: str = "") -> str:
        return f'<a href="{self.href(frm, to)}"{attrs}>{text}</a>'

    # ------------------------------------------------------------ chrome
    def nav_items(self) -> list[tuple[str, str]]:
        d = self.site.distractors
        items = [("Home", self.home), ("Funding", self.funding_entry)]
        if self.news_posts:
            items.append(("News", self.paths["news_index"]))
        for key, label in (
            ("event", "Events"),
            ("guidance", "How to apply"),
            ("faq", "FAQs"),
            ("awards", "Grants awarded"),
            ("invitation_only", "Partnerships"),
            ("allocations", "Allocations"),
            ("other_funders", "Other sources of funding"),
            ("about", "About us"),
            ("contact", "Contact us"),
        ):
            if key in d:
                items.append((label, self.paths[key]))
        return items

    def page(
        self, path: str, title: str, main: str, crumbs: list[tuple[str, str]] | None = None, head_extra: str = ""
    ) -> None:
        site, ax = self.site, self.ax
        tpl = ax["template"]
        nav = "".join(f"<li>{self.a(path, u, t)}</li>" for t, u in self.nav_items())
        if self.encoding == "utf-8":
            meta = (
                '<meta charset="utf-8">'
                if ax["encoding"] == "utf-8"
                else '<meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
            )
        else:
            meta = f'<meta http-equiv="Content-Type" content="text/html; charset={self.encoding}">'
        cookie = ""
        if ax["cookie_banner"]:
            cookie = (
                '<div class="cookie-banner" role="region" aria-label="Cookies"><p>We use some essential cookies to '
                "make this website work. We\u2019d like to set additional cookies to understand how you use the site.</p>"
                f'<button type="button">Accept additional cookies</button> <button type="button">Reject additional cookies</button> '
                f"{self.a(path, self.paths['cookies'], 'View cookies')}</div>"
            )
        bc = ""
        if ax["breadcrumbs"] and crumbs:
            bc = (
                '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>'
                + "".join(f"<li>{self.a(path, u, t)}</li>" for t, u in crumbs)
                + f'<li aria-current="page">{title}</li></ol></nav>'
            )
        side = ""
        if ax["sidebar"] and self.news_posts:
            side = (
                '<aside class="sidebar"><h2>Latest news</h2><ul>'
                + "".join(f"<li>{self.a(path, u, self.news_title(u, k))}</li>" for u, k in self.news_posts[:3])
                + "</ul></aside>"
            )
        foot_links = [
            ("Privacy notice", self.paths["privacy"]),
            ("Accessibility statement", self.paths["accessibility"]),
            ("Cookies", self.paths["cookies"]),
        ]
        if "contact" in site.distractors:
            foot_links.append(("Contact", self.paths["contact"]))
        foot_links += [(t, u) for t, u in self.nav_items() if (t, u) not in foot_links and self.rng.random() < 0.6]
        footer = (
            '<div class="footer-links"><ul>'
            + "".join(f"<li>{self.a(path, u, t)}</li>" for t, u in foot_links)
            + f'<li><a href="{EXTERNAL[0]}">GOV.UK</a></li></ul>'
            f"<p>\u00a9 {W.esc(site.funder)} 2026. Fictional site generated for testing. Tel 01632 960{site.idx % 1000:03d}.</p></div>"
        )
        logo = f'<img src="{self.href(path, self.root + "/assets/logo.svg")}" alt="{W.esc(site.funder)} logo">'
        if tpl == "govuk":
            body = (
                f'<header class="govuk-header"><div class="govuk-header__container">{logo}'
                f'<span class="govuk-header__service-name">{W.esc(site.funder)}</span></div>'
                f'<nav><ul class="govuk-header__navigation-list">{nav}</ul></nav></header>'
                f'<div class="govuk-width-container">{bc}<main class="govuk-main-wrapper" id="main-content">'
                f'<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds">{main}</div>'
                f'<div class="govuk-grid-column-one-third">{side}</div></div></main></div>'
                f'<footer class="govuk-footer">{footer}</footer>'
            )
        elif tpl == "wordpress":
            body = (
                f'<div id="page" class="site"><header id="masthead" class="site-header">'
                f'<div class="site-branding">{logo}<p class="site-title">{W.esc(site.funder)}</p></div>'
                f'<nav id="site-navigation" class="main-navigation"><ul id="primary-menu" class="menu">{nav}</ul></nav></header>'
                f'{bc}<div id="content" class="site-content"><div id="primary" class="content-area">'
                f'<main id="main" class="site-main"><article class="page type-page"><div class="entry-content">{main}</div></article></main></div>'
                f'<div id="secondary" class="widget-area">{side}</div></div>'
                f'<footer id="colophon" class="site-footer">{footer}</footer></div>'
            )
        elif tpl == "charity":
            body = (
                f'<div class="top-bar"><a href="#content">Skip to content</a> | <a href="#">Donate</a></div>'
                f'<header class="header">{logo}<nav class="nav nav--primary"><ul>{nav}</ul></nav></header>'
                f'<div class="hero"><p>{W.esc(site.funder)}: supporting local communities</p></div>'
                f'<div class="container">{bc}<div class="row"><div class="col-md-8" id="content">{main}</div>'
                f'<div class="col-md-4">{side}</div></div></div><footer class="site-footer">{footer}</footer>'
            )
        else:
            body = (
                f'<div id="cookie-wrap"></div><header class="council-header"><div class="logo">{logo}</div>'
                f'<form class="search" action="{self.href(path, self.home)}"><input name="q" type="search"><button>Search</button></form>'
                f'<nav class="council-nav"><ul>{nav}</ul></nav></header>{bc}'
                f'<div class="page-wrap"><div class="main-col" role="main">{main}</div><div class="side-col">{side}</div></div>'
                f'<footer class="council-footer">{footer}<p>Sign up for email updates.</p></footer>'
            )
        doc = (
            f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n{meta}\n<title>{title} | {W.esc(site.funder)}</title>\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n{head_extra}</head>\n'
            f"<body>\n{cookie}\n{body}\n</body>\n</html>\n"
        )
        self.put(path, doc)

    def put(self, path: str, text: str) -> None:
        if self.encoding == "iso-8859-1":
            for a, b in (
                ("\u2019", "'"),
                ("\u2018", "'"),
                ("\u201c", '"'),
                ("\u201d", '"'),
                ("\u2013", "-"),
                ("\u2014", "-"),
            ):
                text = text.replace(a, b)
        self.pages[path] = text.encode(self.encoding)

    # ------------------------------------------------------------ fund content
    def fund_block(self, f: Fund, on_listing: bool, hl: str = "h2") -> str:
        """The fund's facts as a detail page (or an inline section) shows them."""
        rng = self.rng
        show = lambda fact: on_listing or f.axes[f"{fact}_on"] in ("both", "detail", "same_page")  # noqa: E731
        layout = f.axes["detail_layout"]
        parts = []
        if f.closure_notice:
            parts.append(f'<div class="notice notice--closed"><p><strong>{W.esc(f.closure_notice)}</strong></p></div>')
        parts.append(f'<p class="lead">{f.purpose}</p>')
        facts = []  # (label, value, sentence)
        if show("amount") and f.amount_value:
            facts.append(
                (
                    rng.choice(["Grant size", "How much you can apply for", "Amount", "Funding available"]),
                    f.amount_value,
                    f.amount_sentence,
                )
            )
        if show("amount") and f.pot_value:
            facts.append(
                (rng.choice(["Total fund", "Total size of grant scheme", "Budget"]), f.pot_value, f.pot_sentence)
            )
        if show("area"):
            facts.append((rng.choice(["Where", "Area", "Location", "Area covered"]), f.area_value, f.area_sentence))
        if show("dates"):
            facts.append((f.dates_label, f.dates_value, f.dates_sentence))
        if layout == "prose":
            parts.append("<p>" + " ".join(s for lbl, _, s in facts if s and not self.as_table(f, lbl)) + "</p>")
            if show("dates") and f.dates_html:
                parts.append(f.dates_html)
        elif layout == "sections":
            for label, _, sentence in facts:
                if self.as_table(f, label):
                    parts.append(f"<{hl}>{label}</{hl}>{f.dates_html}")
                elif sentence:
                    parts.append(f"<{hl}>{label}</{hl}><p>{sentence}</p>")
        elif layout == "summary_list":
            parts.append(
                '<dl class="govuk-summary-list">'
                + "".join(
                    f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{lbl}</dt>'
                    f'<dd class="govuk-summary-list__value">{v}</dd></div>'
                    for lbl, v, _ in facts
                )
                + "</dl>"
            )
        elif layout == "facts_table":
            parts.append(
                '<table class="fund-facts"><tbody>'
                + "".join(f'<tr><th scope="row">{lbl}</th><td>{v}</td></tr>' for lbl, v, _ in facts)
                + "</tbody></table>"
            )
        elif layout == "tabbed":  # Find a grant-style: facts in tab panels, one heading each
            tabs = [
                (lbl, f"<p>{sentence or v}</p>" if not self.as_table(f, lbl) else f.dates_html)
                for lbl, v, sentence in facts
            ]
            if f.elig_html:
                tabs.append(("Eligibility", f.elig_html))
            ids = [f"{f.slug}-{W_slug(lbl)}-{i}" for i, (lbl, _) in enumerate(tabs)]
            parts.append(
                '<div class="govuk-tabs"><ul class="govuk-tabs__list">'
                + "".join(
                    f'<li><a class="govuk-tabs__tab" href="#{i}">{lbl}</a></li>'
                    for i, (lbl, _) in zip(ids, tabs, strict=True)
                )
                + "</ul>"
                + "".join(
                    f'<div class="govuk-tabs__panel" id="{i}"><{hl}>{lbl}</{hl}>{body}</div>'
                    for i, (lbl, body) in zip(ids, tabs, strict=True)
                )
                + "</div>"
            )
        else:
            parts.append(
                f'<{hl}>Key facts</{hl}><ul class="key-facts">'
                + "".join(f"<li><strong>{lbl}:</strong> {v}</li>" for lbl, v, _ in facts)
                + "</ul>"
            )
        if f.elig_html and layout != "tabbed":
            parts.append(f.elig_html)
        if f.noise:
            parts.append("<p>" + " ".join(n for n in f.noise if not n.startswith("Page last")) + "</p>")
        if f.axes.get("guidance_pdf"):
            pdf = f"{self.root}/docs/{f.slug}-guidance.pdf"
            self.put_pdf(pdf, f"{f.title}: guidance notes for applicants")
            frm = f.url.split("#")[0] if f.url else self.start
            parts.append(f"<p>{self.a(frm, pdf, 'Read the guidance notes (PDF, 180KB)')}</p>")
        if f.status != "closed":
            parts.append(
                f"<{hl}>How to apply</{hl}><p>{rng.choice(['Download the application form and email it to', 'Complete the online form or email'])} "
                f'<a href="mailto:grants@{self.site.slug}.example">grants@{self.site.slug}.example</a>.</p>'
            )
            if self.site.kind == "government" and f.status == "open":
                parts.append(
                    '<p><a class="govuk-button" href="https://www.find-government-grants.service.gov.uk/grants/'
                    f'{f.slug}">Apply now</a></p>'
                )
        if any(n.startswith("Page last") for n in f.noise):
            parts.append(f'<p class="updated">{[n for n in f.noise if n.startswith("Page last")][0]}</p>')
        return "\n".join(parts)

    @staticmethod
    def as_table(f: Fund, label: str) -> bool:
        return bool(f.dates_html) and label == f.dates_label

    def heading(self, f: Fund, tag: str, where: str, title_html: str | None = None, attrs: str = "") -> str:
        """The fund's title in a heading, with its status badge inside, after or before it."""
        title_html = W.esc(f.title) if title_html is None else title_html
        badge = self.badge_html(f, where)
        pos = f.axes["badge_pos"]
        if not badge or pos == "in_heading":
            return f"<{tag}{attrs}>{title_html}{badge}</{tag}>"
        tag_p = f'<p class="status">{badge.strip()}</p>'
        if pos == "after_heading":
            return f"<{tag}{attrs}>{title_html}</{tag}>{tag_p}"
        return f"{tag_p}<{tag}{attrs}>{title_html}</{tag}>"

    def badge_html(self, f: Fund, where: str) -> str:
        if f.axes["badge"] not in (where, "both"):
            return ""
        cls = {"closed": "closed", "upcoming": "soon"}.get(f.status, "open")
        return f' <span class="badge badge--{cls} status-tag">{f.badge}</span>'

    def listing_summary(self, f: Fund, path: str) -> str:
        """Short facts for a listing entry: only facts placed on the listing."""
        bits = []
        on = lambda fact: f.axes[f"{fact}_on"] in ("both", "listing")  # noqa: E731
        if on("amount") and f.amount_value:
            bits.append(("Grant size", f.amount_value))
        if on("amount") and f.pot_value and (f.axes["amount_on"] == "listing" or self.rng.random() < 0.5):
            bits.append(("Total available", f.pot_value))
        if on("area"):
            bits.append(("Area", f.area_value))
        if on("dates"):
            bits.append((f.dates_label, f.dates_value))
        return bits

    # ------------------------------------------------------------ build
    def build(self) -> None:
        site, rng, ax = self.site, self.rng, self.ax
        st = ax["structure"]
        self.put_asset(self.root + "/assets/logo.svg")
        # fund urls
        for f in site.funds:
            if st in ("start_page_fund",):
                f.url = f"{self.fd}/{f.slug}.html"
            elif st in INLINE_STRUCTURES:
                f.url = None  # set when paged
            else:
                f.url = f"{self.fd}/{f.slug}.html" if ax["detail_path"] == "file" else f"{self.fd}/{f.slug}/index.html"
        if ax["source_kind"] in ("rss", "atom"):
            self.start = f"{self.root}/feed/grants.xml"
            self.funding_entry = self.start
        elif st == "start_page_fund":
            self.start = site.funds[0].url
            self.funding_entry = self.start
        else:
            self.start = f"{self.fd}/index.html"
            self.funding_entry = self.start
        self.listing_pages.append(self.start)
        self.build_home()
        self.build_distractors()
        if ax["source_kind"] in ("rss", "atom"):
            self.build_feed()
        elif st == "start_page_fund":
            f = site.funds[0]
            main = self.heading(f, "h1", "detail") + f"\n{self.fund_block(f, True)}" + self.related_links(f.url)
            self.page(f.url, W.esc(f.title), main, [("Home", self.home)])
        elif st == "single_link":
            f = site.funds[0]
            intro = rng.choice(
                [
                    "We offer one grant programme at the moment.",
                    "Find out about our current funding below.",
                    "Our funding supports local groups and organisations.",
                ]
            )
            main = (
                f"<h1>{rng.choice(['Funding', 'Grants', 'Apply for funding'])}</h1><p>{intro}</p>"
                f"<p>{self.a(self.start, f.url, rng.choice([W.esc(f.title), 'Find out more and apply', 'Read about the fund']))}</p>"
            )
            self.page(self.start, "Funding", main, [("Home", self.home)])
        else:
            self.build_listing()
        if st not in INLINE_STRUCTURES:
            for f in site.funds:
                if st == "start_page_fund":
                    continue
                main = self.heading(f, "h1", "detail") + f"\n{self.fund_block(f, False)}"
                back = self.start if ax["source_kind"] == "html" else self.home
                main += (
                    f"<p>{self.a(f.url, back, rng.choice(['Back to all funding', 'See all our grants', 'Back']))}</p>"
                )
                self.page(f.url, W.esc(f.title), main, [("Home", self.home), ("Funding", self.funding_entry)])

    def related_links(self, path: str) -> str:
        links = [
            (lbl, self.paths[k])
            for k, lbl in (
                ("guidance", "How to apply"),
                ("faq", "Frequently asked questions"),
                ("awards", "Grants we've made"),
            )
            if k in self.site.distractors
        ]
        if not links or self.rng.random() < 0.4:
            return ""
        return "<h2>Related</h2><ul>" + "".join(f"<li>{self.a(path, u, W.esc(t))}</li>" for t, u in links) + "</ul>"

    def put_pdf(self, path: str, text: str) -> None:
        """A small valid one-page PDF holding one line of text (guidance notes, as funders link them)."""
        line = text.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
        stream = b"BT /F1 12 Tf 72 720 Td (" + line + b") Tj ET"
        objs = [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        ]
        out, offsets = b"%PDF-1.4\n", []
        for i, body in enumerate(objs, start=1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        self.pages[path] = out
        self.non_call(path, "pdf")

    def put_asset(self, path: str) -> None:
        self.pages[path] = (
            b'<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40">'
            b'<rect width="120" height="40" fill="#1d70b8"/></svg>\n'
        )

    def build_home(self) -> None:
        s = self.site
        main = (
            f"<h1>{W.esc(s.funder)}</h1><p>{self.rng.choice(['Welcome to our website.', 'We support people and communities to thrive.', 'Working for safer, stronger communities.'])}</p>"
            f"<p>{self.a(self.home, self.funding_entry, 'Find funding')}</p>"
        )
        if self.news_posts:
            main += (
                "<h2>Latest news</h2><ul>"
                + "".join(f"<li>{self.a(self.home, u, self.news_title(u, k))}</li>" for u, k in self.news_posts)
                + "</ul>"
            )
        self.page(self.home, "Home", main)
        self.non_call(self.home, "home")

    # ------------------------------------------------------------ listing
    def listing_items(self) -> list[tuple[str, object]]:
        items: list[tuple[str, object]] = [("fund", f) for f in self.site.funds]
        if self.ax["mixed_listing"]:
            extra = [("distractor", k) for k in ("invitation_only", "awards") if k in self.site.distractors]
            extra += [("news", u) for u, _ in self.news_posts]
            for e in extra:
                items.insert(self.rng.randrange(len(items) + 1), e)
        return items

    def page_path(self, n: int) -> str:
        if n == 1:
            return self.start
        kind = self.ax["pager_url"]
        if kind == "query":
            return f"{self.start}?page={n}"
        if kind == "path":
            return f"{self.fd}/page/{n}/index.html"
        return f"{self.fd}/page-{n}.html"

    def pager_html(self, path: str, n: int, total: int) -> tuple[str, str]:
        """(visible pager markup, head links) for page n of total."""
        if total <= 1:
            return "", ""
        kind = self.ax["pager"]
        nxt = self.page_path(n + 1) if n < total else None
        prev = self.page_path(n - 1) if n > 1 else None
        head = ""
        vis = ""
        if kind == "rel_link_head":
            if nxt:
                head += f'<link rel="next" href="{self.href(path, nxt)}">\n'
            if prev:
                head += f'<link rel="prev" href="{self.href(path, prev)}">\n'
        elif kind == "rel_anchor":
            vis = (
                '<nav class="pagination">'
                + (self.a(path, prev, "Previous", ' rel="prev"') if prev else "")
                + (" " + self.a(path, nxt, "Next page", ' rel="next"') if nxt else "")
                + "</nav>"
            )
        elif kind == "numbered":
            vis = (
                '<nav class="pagination" aria-label="Pagination"><ul>'
                + "".join(
                    f"<li>{'<span aria-current=page>' + str(i) + '</span>' if i == n else self.a(path, self.page_path(i), str(i))}</li>"
                    for i in range(1, total + 1)
                )
                + "</ul></nav>"
            )
        elif kind == "older_posts":
            vis = (
                '<div class="nav-links">'
                + (self.a(path, nxt, "\u00ab Older posts", ' class="next"') if nxt else "")
                + (" " + self.a(path, prev, "Newer posts \u00bb") if prev else "")
                + "</div>"
            )
        elif kind == "next_text":
            vis = (
                '<p class="pager">'
                + (self.a(path, prev, "Previous") + " | " if prev else "")
                + (self.a(path, nxt, "Next") if nxt else "")
                + "</p>"
            )
        elif kind == "load_more":
            vis = '<div class="load-more">' + self.a(path, nxt, "Load more", ' class="btn"') + "</div>" if nxt else ""
        return vis, head

    def build_listing(self) -> None:
        ax, rng = self.ax, self.rng
        items = self.listing_items()
        per = ax["per_page"]
        chunks = [items[i : i + per] for i in range(0, len(items), per)] or [[]]
        total = len(chunks)
        self.site.axes["pages"] = total
        heading = rng.choice(
            [
                "Funding",
                "Grants and funding",
                "Current funding opportunities",
                "Apply for a grant",
                "Community grants",
                "Our funds",
            ]
        )
        intro = rng.choice(
            [
                "Find out about the grants we offer and how to apply.",
                "We fund voluntary and community organisations. Read each fund\u2019s guidance before you apply.",
                "Below are our current and recent funding programmes.",
            ]
        )
        for n, chunk in enumerate(chunks, start=1):
            path = self.page_path(n)
            self.listing_pages.append(path)
            vis, head = self.pager_html(path, n, total)
            if self.ax.get("group_by_status"):  # "Open now" / "Opening soon" / "Closed" groups under headings
                groups = [
                    (label, [it for it in chunk if self.group_of(it) == key])
                    for key, label in (
                        ("open", "Open for applications"),
                        ("upcoming", "Opening soon"),
                        ("closed", "Closed funds"),
                    )
                ]
                body = "".join(f"<h2>{label}</h2>" + self.render_items(path, g) for label, g in groups if g)
            else:
                body = self.render_items(path, chunk)
            extra = ""
            if n == 1 and rng.random() < 0.4:
                links = [(k, self.paths[k]) for k in ("guidance", "awards", "faq") if k in self.site.distractors]
                if links:
                    extra = (
                        "<p>"
                        + " ".join(
                            self.a(
                                path,
                                u,
                                {
                                    "guidance": "Read our guidance on how to apply",
                                    "awards": "See grants we\u2019ve made",
                                    "faq": "Frequently asked questions",
                                }[k],
                            )
                            + "."
                            for k, u in links
                        )
                        + "</p>"
                    )
            if self.ax.get("filter_form"):
                extra += (
                    f'<form class="filters" method="get" action="{self.href(path, self.start)}">'
                    '<label for="status">Status</label><select id="status" name="status"><option>All</option>'
                    "<option>Open</option><option>Closed</option></select><button>Filter</button></form>"
                )
            title = heading if n == 1 else f"{heading} \u2013 page {n}"
            self.page(
                path, title, f"<h1>{heading}</h1><p>{intro}</p>{extra}\n{body}\n{vis}", [("Home", self.home)], head
            )

    @staticmethod
    def group_of(item: tuple[str, object]) -> str:
        kind, obj = item
        return obj.status if kind == "fund" else "open"

    def item_title_link(self, path: str, f: Fund) -> str:
        return self.a(path, f.url, W.esc(f.title))

    def render_items(self, path: str, chunk) -> str:
        st, rng = self.ax["structure"], self.rng
        out = []
        if st == "table":
            status_col = self.ax.get("table_status_col")
            link_last = self.ax.get("table_link") == "last_column"
            rows = []
            for kind, obj in chunk:
                if kind == "fund":
                    f = obj
                    bits = dict(self.listing_summary(f, path))
                    dl = next((v for k, v in self.listing_summary(f, path) if k == f.dates_label), "")
                    size = bits.get("Grant size", "")
                    if "Total available" in bits:
                        size += "<br>Total available: " + bits["Total available"]
                    name = W.esc(f.title) if link_last else self.item_title_link(path, f)
                    cells = [name + self.badge_html(f, "listing"), size, bits.get("Area", ""), dl]
                    if status_col:
                        cells.append(f.badge)
                    if link_last:
                        cells.append(self.a(path, f.url, self.rng.choice(["Details", "Apply", "Find out more"])))
                    rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
                else:
                    rows.append(f"<tr><td>{self.distractor_link(path, kind, obj)}</td><td></td><td></td><td></td></tr>")
            heads = (
                ["Fund", "Grant size", "Area", "Deadline"]
                + (["Status"] if status_col else [])
                + (["Link"] if link_last else [])
            )
            return (
                '<table class="funding-table"><thead><tr>' + "".join(f"<th>{h}</th>" for h in heads) + "</tr></thead>"
                f"<tbody>{''.join(rows)}</tbody></table>"
            )
        if st in ("details", "tabs", "sections"):
            return self.render_inline(path, chunk)
        for kind, obj in chunk:
            if kind != "fund":
                link = self.distractor_link(path, kind, obj)
                if st in ("list", "search_results"):
                    out.append(f"<li>{link}</li>")
                elif st == "dl":
                    out.append(f"<dt>{link}</dt><dd>{self.distractor_teaser(kind)}</dd>")
                else:
                    tag = "article" if st == "cards_article" else "div"
                    out.append(f'<{tag} class="card"><h3>{link}</h3><p>{self.distractor_teaser(kind)}</p></{tag}>')
                continue
            f = obj
            bits = self.listing_summary(f, path)
            teaser = f.purpose if rng.random() < 0.6 else ""
            facts_inline = "; ".join(f"{k}: {v}" for k, v in bits)
            if st == "list":
                sep = rng.choice([" \u2013 ", ". ", "<br>"])
                out.append(
                    f"<li>{self.item_title_link(path, f)}{self.badge_html(f, 'listing')}{sep}{teaser} {facts_inline}</li>"
                )
            elif st == "dl":
                out.append(
                    f"<dt>{self.item_title_link(path, f)}{self.badge_html(f, 'listing')}</dt><dd>{teaser}"
                    + "".join(f"<br><strong>{k}:</strong> {v}" for k, v in bits)
                    + "</dd>"
                )
            elif st in ("cards_div", "cards_article"):
                tag = "article" if st == "cards_article" else "div"
                more = rng.random() < 0.4
                h = W.esc(f.title) if more else self.item_title_link(path, f)
                facts = (
                    '<ul class="card__meta">' + "".join(f"<li><span>{k}</span> {v}</li>" for k, v in bits) + "</ul>"
                    if bits
                    else ""
                )
                link = "<p>" + self.a(path, f.url, "Read more", ' class="card__link"') + "</p>" if more else ""
                out.append(
                    f'<{tag} class="card fund-card">'
                    + self.heading(f, "h3", "listing", h, ' class="card__title"')
                    + f"{'<p>' + teaser + '</p>' if teaser else ''}{facts}{link}</{tag}>"
                )
            elif st == "search_results":
                rows = "".join(
                    f'<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{k}</dt>'
                    f'<dd class="govuk-summary-list__value">{v}</dd></div>'
                    for k, v in bits
                )
                out.append(
                    '<li class="search-result">'
                    + self.heading(f, "h2", "listing", self.item_title_link(path, f), ' class="govuk-heading-m"')
                    + f"{'<p>' + teaser + '</p>' if teaser else ''}"
                    + (f'<dl class="govuk-summary-list">{rows}</dl>' if rows else "")
                    + "</li>"
                )
            elif st == "image_text":
                img = self.root + f"/assets/img-{f.slug[:20]}.svg"
                self.put_asset(img)
                out.append(
                    f'<div class="media-block"><img src="{self.href(path, img)}" alt=""><div class="media-body">'
                    + self.heading(f, "h3", "listing", self.item_title_link(path, f))
                    + f"{'<p>' + teaser + '</p>' if teaser else ''}"
                    + "".join(f"<p><strong>{k}:</strong> {v}</p>" for k, v in bits)
                    + "</div></div>"
                )
        if st == "list":
            return '<ul class="fund-list">' + "".join(out) + "</ul>"
        if st == "search_results":
            n = len(self.site.funds)
            return (
                f'<p class="govuk-body">{n} result{"s" if n != 1 else ""}</p>'
                '<ul class="govuk-list search-results">' + "".join(out) + "</ul>"
            )
        if st == "dl":
            return '<dl class="funds">' + "".join(out) + "</dl>"
        return '<div class="cards">' + "".join(out) + "</div>"

    def render_inline(self, path: str, chunk) -> str:
        st, rng = self.ax["structure"], self.rng
        out, tabs = [], []
        hl = rng.choice(["h2", "h3"])
        for kind, obj in chunk:
            if kind != "fund":
                continue
            f = obj
            f.url = f"{path}#{f.slug}"
            inner = self.fund_block(f, True, "h4" if hl == "h3" else "h3")
            if st == "details":
                out.append(
                    f'<details id="{f.slug}" class="accordion"><summary>{W.esc(f.title)}{self.badge_html(f, "listing")}</summary>'
                    f'<div class="accordion__body">{inner}</div></details>'
                )
            elif st == "tabs":
                tabs.append(f'<li role="presentation"><a role="tab" href="#{f.slug}">{W.esc(f.title)}</a></li>')
                out.append(
                    f'<div role="tabpanel" class="tab-panel" id="{f.slug}">'
                    + self.heading(f, hl, "listing")
                    + f"{inner}</div>"
                )
            else:
                out.append(f'<section id="{f.slug}">' + self.heading(f, hl, "listing") + f"{inner}</section>")
        if st == "tabs":
            return f'<div class="tabs"><ul role="tablist" class="tabs__list">{"".join(tabs)}</ul>{"".join(out)}</div>'
        return "".join(out)

    # ------------------------------------------------------------ distractors
    def news_title(self, url: str, kind: str) -> str:
        if kind == "funding":
            f = self.site.funds[0]
            return W.esc(f"{f.title}: what you need to know")
        stem = url.rsplit("/", 1)[1][:-5]
        base = stem.rsplit("-", 1)[0] if stem[-1].isdigit() else stem
        title = NEWS_STEMS[base]
        return f"{title} ({stem.rsplit('-', 1)[1]})" if stem[-1].isdigit() else title

    def distractor_link(self, path: str, kind: str, obj) -> str:
        if kind == "news":
            return self.a(
                path, obj, self.news_title(obj, "funding" if obj.endswith("new-funding-announced.html") else "plain")
            )
        label = {"invitation_only": self.invite_title, "awards": "Grants we\u2019ve made"}[obj]
        return self.a(path, self.paths[obj], W.esc(label))

    def distractor_teaser(self, kind: str) -> str:
        return "Read the latest from us." if kind == "news" else "Find out more."

    def build_distractors(self) -> None:
        s, rng, p = self.site, self.rng, self.paths
        crumbs = [("Home", self.home)]
        f0 = s.funds[0]
        self.invite_title = rng.choice(
            ["Strategic Partnerships Programme", "Place Partnerships", "Local Delivery Partners Fund"]
        )
        d = s.distractors

        def emit(key: str, title: str, main: str) -> None:
            self.page(p[key], title, main, crumbs)
            self.non_call(p[key], key)

        for key in ("privacy", "accessibility", "cookies"):
            text = {
                "privacy": "How we use your personal data when you apply for a grant or contact us.",
                "accessibility": "We want as many people as possible to be able to use this website.",
                "cookies": "Cookies are small files saved on your device.",
            }[key]
            self.page(p[key], key.capitalize(), f"<h1>{key.capitalize()}</h1><p>{text}</p>", crumbs)
            self.non_call(p[key], "policy")
        if self.news_posts:
            main = (
                "<h1>News</h1><ul>"
                + "".join(
                    f'<li>{self.a(p["news_index"], u, self.news_title(u, k))} <span class="date">{W.fmt_date(W.rand_date(rng, date(2026, 6, 1), date(2026, 11, 20)), "long")}</span></li>'
                    for u, k in self.news_posts
                )
                + "</ul>"
            )
            emit("news_index", "News", main)
        for u, k in self.news_posts:
            posted = W.fmt_date(W.rand_date(rng, date(2026, 6, 1), date(2026, 11, 20)), "long")
            if k == "funding":
                money = f0.amount_value or "grants"
                link = self.a(u, (f0.url or self.start).split("#")[0], "the fund page")
                main = (
                    f'<h1>{self.news_title(u, k)}</h1><p class="posted">Posted {posted}</p>'
                    f"<p>{W.esc(s.funder)} has announced the {W.esc(f0.title)}. {f0.purpose} "
                    f"Organisations can apply for {money}.</p><p>Full details, including the closing date, are on {link}.</p>"
                    f"<p>\u201cThis money will make a real difference,\u201d said {rng.choice(W.PEOPLE)}.</p>"
                )
            else:
                org = rng.choice(W.ORG_NAMES)
                main = (
                    f'<h1>{self.news_title(u, k)}</h1><p class="posted">Posted {posted}</p>'
                    f"<p>Last week we visited {W.esc(org)}, which received {W.fmt_money(rng.choice([2500, 5000, 12000]), 'plain')} "
                    f"from us in {rng.choice(['2024', '2025'])}. The project runs every Tuesday until "
                    f"{W.fmt_date(W.rand_date(rng, date(2027, 6, 1), date(2027, 12, 1)), 'long')}.</p>"
                )
            self.page(u, self.news_title(u, k), main, crumbs + [("News", p["news_index"])])
            self.non_call(u, "news_funding" if k == "funding" else "news")
        if "awards" in d:
            rows = "".join(
                f"<tr><td>{W.esc(o)}</td><td>{W.fmt_money(rng.choice(W.AMOUNT_STEPS[2:14]), 'plain')}</td>"
                f"<td>{W.esc(rng.choice(s.funds).title)}</td><td>{W.fmt_date(W.rand_date(rng, date(2025, 4, 1), date(2026, 3, 31)), 'slash')}</td></tr>"
                for o in rng.sample(W.ORG_NAMES, 5)
            )
            main = (
                f"<h1>Grants we\u2019ve made</h1><p>These organisations received grants in 2025/26.</p>"
                f"<table><thead><tr><th>Organisation</th><th>Amount</th><th>Fund</th><th>Date awarded</th></tr></thead><tbody>{rows}</tbody></table>"
            )
            emit("awards", "Grants we\u2019ve made", main)
        if "event" in d:
            ev = W.rand_date(rng, date(2027, 1, 10), date(2027, 5, 20))
            book = W.rand_date(rng, date(2026, 12, 7), ev)
            main = (
                f"<h1>Funding workshop: how to write a strong application</h1><p><strong>Date:</strong> {W.fmt_date(ev, 'weekday')}, 10am to 12pm</p>"
                f"<p><strong>Venue:</strong> Online (Microsoft Teams)</p><p>Book your free place by {W.fmt_date(book, 'long')}. "
                f"We will cover our grant programmes, including the {W.esc(f0.title)}, and answer your questions.</p>"
            )
            emit("event", "Funding workshop", main)
        if "guidance" in d:
            main = (
                "<h1>How to apply</h1><h2>Before you apply</h2><p>Read the guidance for the fund. Check that your organisation is eligible.</p>"
                "<h2>Making your application</h2><ol><li>Download the form.</li><li>Attach your constitution and latest accounts.</li>"
                "<li>Email it to us before the closing date.</li></ol><h2>What happens next</h2>"
                f"<p>We aim to tell you our decision within {rng.choice([8, 10, 12])} weeks of the closing date.</p>"
            )
            emit("guidance", "How to apply", main)
        if "faq" in d:
            main = (
                "<h1>Frequently asked questions</h1><h2>When is the deadline?</h2><p>Each fund has its own closing date, shown on the fund\u2019s page.</p>"
                f"<h2>How much can I apply for?</h2><p>Most of our grants are between \u00a3500 and \u00a3{rng.choice([5, 10, 25])},000.</p>"
                "<h2>Can individuals apply?</h2><p>No. We only fund organisations.</p>"
                "<h2>Can I apply to more than one fund?</h2><p>Yes, but not for the same project.</p>"
            )
            emit("faq", "FAQs", main)
        if "invitation_only" in d:
            main = (
                f"<h1>{self.invite_title}</h1><p>{self.invite_title} is a multi-year programme with "
                f"{W.fmt_money(rng.choice([50000, 100000, 250000]), 'plain')} a year for up to three years.</p>"
                "<p><strong>This programme is by invitation only.</strong> We do not accept unsolicited applications. "
                "We approach organisations we already work with.</p>"
                f"<p>{rng.choice(['Charities and community groups', 'Local authorities and community safety partnerships'])} are our usual partners.</p>"
            )
            emit("invitation_only", self.invite_title, main)
        if "allocations" in d:
            areas = [s.home_area, "Central locality", "North locality", "South locality"]
            rows = "".join(
                f"<tr><td>{W.esc(a)}</td><td>{W.fmt_money(rng.choice([25000, 40000, 60000, 80000]), 'plain')}</td></tr>"
                for a in areas
            )
            main = (
                "<h1>Funding allocations 2026/27</h1><p>How this year\u2019s community safety budget has been allocated. "
                "These allocations are not open to applications.</p>"
                f"<table><thead><tr><th>Area</th><th>Allocation</th></tr></thead><tbody>{rows}</tbody></table>"
            )
            emit("allocations", "Funding allocations 2026/27", main)
        if "other_funders" in d:
            rows = []
            for name, host in rng.sample(OTHER_FUNDS, 3):
                lo, hi = sorted(rng.sample(W.AMOUNT_STEPS[1:16], 2))
                when = W.fmt_date(W.rand_date(rng, date(2027, 6, 1), date(2028, 3, 31)), "long")
                rows.append(
                    f'<li><a href="https://{host}/">{W.esc(name)}</a>: grants of {W.fmt_money(lo, "plain")} to '
                    f"{W.fmt_money(hi, 'plain')} for community projects. Next deadline {when}.</li>"
                )
            main = (
                "<h1>Other sources of funding</h1><p>We cannot fund everything. These national funders may be able "
                "to help; check their websites for the latest details.</p><ul>" + "".join(rows) + "</ul>"
            )
            emit("other_funders", "Other sources of funding", main)
        if "about" in d:
            main = (
                f"<h1>About us</h1><p>{W.esc(s.funder)} works with local partners. Our board meets quarterly; "
                f"the next meeting is on {W.fmt_date(W.rand_date(rng, date(2027, 1, 5), date(2027, 3, 30)), 'long')}.</p>"
            )
            emit("about", "About us", main)
        if "contact" in d:
            main = (
                f'<h1>Contact us</h1><p>Email <a href="mailto:info@{s.slug}.example">info@{s.slug}.example</a> or call '
                f"01632 960{s.idx % 1000:03d}. Our office is open Monday to Friday, 9am to 5pm.</p>"
            )
            emit("contact", "Contact us", main)

    # ------------------------------------------------------------ feeds
    def build_feed(self) -> None:
        s, rng = self.site, self.rng
        items = []
        for f in s.funds:
            desc = f.purpose
            on = lambda fact, f=f: f.axes[f"{fact}_on"] in ("both", "listing")  # noqa: E731
            if on("amount") and f.amount_sentence:
                desc += " " + f.amount_sentence
            if on("amount") and f.pot_sentence:
                desc += " " + f.pot_sentence
            if on("dates") and f.dates_sentence:
                desc += " " + f.dates_sentence
            if on("area"):
                desc += " " + f.area_sentence
            items.append((f.title, f.url, desc))
        for u, k in self.news_posts:
            items.append((self.news_title(u, k), u, "News from us."))
        rng.shuffle(items)
        # links are root-relative, as the devset's feed has them
        stamp = datetime(2026, 11, rng.randint(1, 25), 9, 0, tzinfo=UTC)
        if self.ax["source_kind"] == "rss":
            body = "".join(
                f'<item><title>{W.esc(t)}</title><link>{u}</link><guid isPermaLink="true">{u}</guid>'
                f"<pubDate>{format_datetime(stamp)}</pubDate><description><![CDATA[<p>{d}</p>]]></description></item>"
                for t, u, d in items
            )
            xml = (
                f'<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>{W.esc(s.funder)} grants</title>'
                f"<link>{self.home}</link><description>Funding from {W.esc(s.funder)}</description>{body}</channel></rss>\n"
            )
        else:
            body = "".join(
                f'<entry><title>{W.esc(t)}</title><link href="{u}"/><id>tag:{s.slug}.example,2026:{u}</id>'
                f'<updated>{stamp.isoformat()}</updated><summary type="html">{W.esc("<p>" + d + "</p>")}</summary></entry>'
                for t, u, d in items
            )
            xml = (
                f'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom"><title>{W.esc(s.funder)} grants</title>'
                f"<id>tag:{s.slug}.example,2026:feed</id><updated>{stamp.isoformat()}</updated>{body}</feed>\n"
            )
        self.pages[self.start] = xml.encode("utf-8")
