"""Draw a fictional funder site and its funds: the truth, and how each fact is worded and placed."""

# ruff: noqa: E501  (long lines are page text and markup, kept whole to read as the page does)
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from . import words as W
from .places import places

LISTING_STRUCTURES = [
    "list",
    "table",
    "cards_div",
    "cards_article",
    "dl",
    "details",
    "tabs",
    "sections",
    "image_text",
    "search_results",
    "start_page_fund",
    "single_link",
]
INLINE_STRUCTURES = {"details", "tabs", "sections", "start_page_fund"}
PAGER_LINKS = ["rel_link_head", "rel_anchor", "numbered", "older_posts", "next_text", "load_more"]
PAGER_URLS = ["file", "query", "path"]
TEMPLATES = ["govuk", "wordpress", "charity", "council"]
DETAIL_LAYOUTS = ["prose", "sections", "summary_list", "facts_table", "key_facts_list", "tabbed"]
DISTRACTORS = [
    "other_funders",
    "news",
    "news_funding",
    "awards",
    "event",
    "guidance",
    "faq",
    "invitation_only",
    "allocations",
    "about",
    "contact",
]


@dataclass
class Fund:
    title: str
    slug: str
    status: str
    deadline: date | None = None
    deadline_time: str | None = None
    opens: date | None = None
    rolling: bool = False
    amount_min: int | None = None
    amount_max: int | None = None
    total_pot: int | None = None
    eligible: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    # wordings (HTML-safe text)
    dates_label: str = "Deadline"
    dates_value: str = ""  # short, for a facts row or a listing line
    dates_sentence: str = ""  # prose
    amount_value: str = ""
    amount_sentence: str = ""
    pot_value: str = ""
    pot_sentence: str = ""
    area_value: str = ""
    area_sentence: str = ""
    elig_html: str = ""  # the eligibility block (may hold a heading, lists)
    elig_short: str = ""  # one line for a listing
    purpose: str = ""  # one sentence about what it funds
    dates_html: str = ""  # a block that replaces the dates sentence in prose and sections layouts
    dates_alts: list[str] = field(default_factory=list)  # other wordings of the dates (for the audit)
    noise: list[str] = field(default_factory=list)  # dates and sums that are not facts of the call
    closure_notice: str = ""
    badge: str = ""
    axes: dict = field(default_factory=dict)
    url: str = ""


@dataclass
class Site:
    idx: int
    slug: str
    kind: str
    funder: str
    home_area: str
    axes: dict
    funds: list[Fund]
    distractors: list[str]
    source_name: str = ""


def slugify(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", s.lower().replace("\u2019", "").replace("'", "")).strip("-")


# ---------------------------------------------------------------- site
def draw_site(rng, idx: int) -> Site:
    P = places()
    kind = rng.choices(["pcc", "council", "foundation", "lottery", "government", "trust"], [5, 5, 4, 2, 2, 2])[0]
    if kind == "pcc":
        pfa, county = rng.choice(P.police_areas() or [("Kent Police area", "Kent")])
        funder = rng.choice(
            [
                f"{county} Police and Crime Commissioner",
                f"Office of the {county} Police and Crime Commissioner",
                f"{county} Police, Fire and Crime Commissioner",
            ]
        )
        home = pfa
    elif kind == "council":
        home = rng.choice(P.of_kind("district", "unitary", "metropolitan_district", "london_borough",
                                    "welsh_unitary", "scottish_council", "ni_district"))
        if P.kind[home] in ("welsh_unitary", "scottish_council", "ni_district"):
            funder = f"{home} Council"  # councils outside England are not styled district or borough
        else:
            funder = rng.choice(
                [f"{home} District Council", f"{home} Borough Council", f"{home} City Council", f"{home} Council"]
            )
    elif kind == "foundation":
        home = rng.choice(P.counties_with_leaves())
        funder = rng.choice([f"{home} Community Foundation", f"Community Foundation for {home}"])
    elif kind == "lottery":
        home = rng.choice(["United Kingdom", "England", "Wales", "Scotland", "Northern Ireland"])
        funder = rng.choice(
            ["The Community Lottery Fund", "People's Lottery Communities Fund", "Lottery Fund for Communities"]
        )
    elif kind == "government":
        home = rng.choice(["England", "England and Wales", "United Kingdom"])
        funder = rng.choice(
            [
                "Home Office",
                "Ministry of Justice",
                "Department for Culture, Media and Sport",
                "Ministry of Housing, Communities and Local Government",
            ]
        )
    else:
        home = rng.choice(P.regions() + P.counties_with_leaves())
        funder = f"The {rng.choice(W.SURNAMES)} {rng.choice(['Charitable Trust', 'Foundation', 'Trust'])}"
    slug = f"s{idx:03d}-{slugify(funder)[:40].strip('-')}"
    structure = rng.choices(LISTING_STRUCTURES, [6, 5, 5, 4, 3, 3, 3, 3, 3, 3, 2, 2])[0]
    if structure in ("start_page_fund", "single_link"):
        n_funds = 1
    else:
        band = rng.choices(["few", "some", "many"], [55, 33, 12])[0]
        n_funds = {"few": rng.randint(1, 5), "some": rng.randint(6, 15), "many": rng.randint(16, 60)}[band]
    pager = "none"
    long_chain = False
    per_page = 10_000
    pager_url = "none"
    mixed = (
        structure in ("list", "cards_div", "cards_article", "image_text", "dl", "search_results")
        and rng.random() < 0.25
    )
    if structure not in ("start_page_fund", "single_link") and rng.random() < 0.45:
        pager = rng.choice(PAGER_LINKS)
        pager_url = rng.choice(PAGER_URLS if structure not in INLINE_STRUCTURES else ["file", "path"])
        long_chain = rng.random() < 0.06
        per_page = rng.choice([1, 2, 3]) if long_chain else rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12])
        if long_chain and structure in ("list", "cards_div", "cards_article", "image_text", "dl", "search_results"):
            mixed = True  # a posts-style listing: funds among many news posts, one a page
    axes = {
        "site_kind": kind,
        "structure": structure,
        "template": rng.choice(TEMPLATES),
        "encoding": rng.choices(["utf-8", "utf-8-http-equiv", "windows-1252", "iso-8859-1"], [10, 3, 2, 1])[0],
        "pager": pager,
        "pager_url": pager_url,
        "per_page": per_page,
        "mixed_listing": mixed,
        "href_style": rng.choice(["root", "relative", "dir"]),
        "detail_path": rng.choice(["file", "dir"]),
        "filter_form": rng.random() < 0.3,
        "cookie_banner": rng.random() < 0.5,
        "breadcrumbs": rng.random() < 0.6,
        "sidebar": rng.random() < 0.5,
        "source_kind": "html",
        "n_funds_band": "1" if n_funds == 1 else "2-5" if n_funds <= 5 else "6-15" if n_funds <= 15 else "16-60",
    }
    if structure in ("list", "table", "cards_div", "cards_article", "image_text", "search_results", "dl"):
        axes["group_by_status"] = rng.random() < 0.25
    if structure == "table":
        axes["table_status_col"] = rng.random() < 0.5
        axes["table_link"] = rng.choice(["title", "last_column"])
    if structure in ("list", "cards_div", "cards_article") and pager == "none" and rng.random() < 0.3:
        axes["source_kind"] = rng.choice(["rss", "atom"])
    distractors = sorted(rng.sample(DISTRACTORS, rng.randint(2, len(DISTRACTORS))))
    n_news = 0
    if long_chain and mixed and "news" not in distractors:
        distractors = sorted([*distractors, "news"])
    if "news" in distractors:
        # a posts-style chain of up to 100 pages, one to three posts or funds a page
        n_news = max(10, rng.randint(30, 100) * per_page // 2 - n_funds) if long_chain and mixed else rng.randint(1, 4)
    axes["n_news"] = n_news
    axes["long_chain"] = long_chain
    site = Site(idx, slug, kind, funder, home, axes, [], distractors)
    site.source_name = f"{funder} funding ({slug})"
    titles: set[str] = set()
    for i in range(n_funds):
        site.funds.append(draw_fund(rng, site, i, titles))
    # closed look-alikes: an earlier round of a live fund, still listed (as funders leave them up)
    if structure not in ("start_page_fund", "single_link"):
        for f in list(site.funds):
            if f.status != "closed" and not f.axes["lookalike"] and rng.random() < 0.12:
                if older_title(f.title) not in titles:
                    site.funds.insert(rng.randrange(len(site.funds) + 1), draw_fund(rng, site, 0, titles, like=f))
    # where facts sit only varies when a listing links to fund pages
    fixed = {"single_link": "detail"}.get(structure, "same_page" if structure in INLINE_STRUCTURES else None)
    if fixed:
        for f in site.funds:
            f.axes.update({"dates_on": fixed, "amount_on": fixed, "area_on": fixed})
    return site


# ---------------------------------------------------------------- fund
def _title(rng, site: Site, theme: str, titles: set[str], status: str = "open") -> str:
    for _ in range(50):
        base = rng.choice(W.THEME_TITLE[theme])
        noun = rng.choice(W.FUND_NOUNS)
        pattern = rng.choice(
            [
                "{b} {n}",
                "{b} {n} {y}",
                "{b} {n} {fy}",
                "{p} {b} {n}",
                "{b} {n}: Round {r}",
                "{b} {n} {y}",
                "Community {b} {n}",
                "{b} & Community {n}",
                "{b} {n} {dy}",
            ]
        )
        place = re.sub(r" (Constabulary|Police) area$", "", site.home_area)
        t = pattern.format(
            b=base,
            n=noun,
            y=rng.choice([2024, 2025] if status == "closed" else [2026, 2027]),
            fy=rng.choice(
                ["2024/25", "2025-26", "2025/26"] if status == "closed" else ["2026/27", "2027-28", "2027/28"]
            ),
            p=place if len(place) < 20 else "Local",
            r=rng.randint(2, 9),
            dy="2024\u201326" if status == "closed" else rng.choice(["2026\u201328", "2027\u201329"]),
        )
        if t.count("Communit") > 1 or t.count("Grants") > 1:
            continue
        if t not in titles:
            titles.add(t)
            return t
    t = f"{base} {noun} {len(titles) + 1}"
    titles.add(t)
    return t


def older_title(title: str) -> str:
    """The same programme's earlier, closed round: "Safer Streets Fund 2027/28" -> "... 2025/26"."""
    for new, old in (
        ("2026/27", "2024/25"),
        ("2027-28", "2025-26"),
        ("2027/28", "2025/26"),
        ("2026", "2024"),
        ("2027", "2025"),
    ):
        if new in title:
            return title.replace(new, old)
    m = re.search(r"Round (\d+)$", title)
    if m and int(m.group(1)) > 1:
        return title[: m.start()] + f"Round {int(m.group(1)) - 1}"
    return f"{title} 2024/25"


def draw_fund(rng, site: Site, i: int, titles: set[str], like: Fund | None = None) -> Fund:
    """A fund; with `like`, a closed earlier round of that fund (same name, older year)."""
    themes_pool = W.THEMES_BY_KIND[site.kind]
    if like is None:
        themes = rng.sample(themes_pool, rng.choices([1, 2, 3], [4, 4, 2])[0])
        status = rng.choices(["open", "upcoming", "closed"], [6, 2, 2])[0]
        title = _title(rng, site, themes[0], titles, status)
    else:
        themes, status, title = list(like.themes), "closed", older_title(like.title)
        titles.add(title)
    slug = slugify(title)[:60]
    while any(g.slug == slug for g in site.funds):
        slug += "-x"
    f = Fund(title=title, slug=slug, status=status, themes=sorted(themes))
    f.axes = {"lookalike": like is not None}
    _draw_dates(rng, f)
    _draw_money(rng, f)
    _draw_orgs(rng, site, f)
    _draw_area(rng, site, f)
    _draw_purpose(rng, f)
    _draw_noise(rng, f)
    f.axes["badge"] = rng.choice(["none", "listing", "detail", "both"])
    f.axes["badge_pos"] = rng.choice(["in_heading", "after_heading", "before_heading"])
    f.badge = {
        "open": rng.choice(["Open", "Open", "Closing soon", "Open for applications"]),
        "upcoming": rng.choice(["Opening soon", "Coming soon", "Upcoming"]),
        "closed": rng.choice(["Closed", "Closed", "Now closed"]),
    }[status]
    if f.status == "open" and f.badge == "Closing soon" and f.rolling:
        f.badge = "Open"
    f.axes["detail_layout"] = rng.choice(DETAIL_LAYOUTS)
    f.axes["guidance_pdf"] = rng.random() < 0.15
    for fact in ("dates", "amount", "area"):
        f.axes[f"{fact}_on"] = rng.choices(["both", "detail", "listing"], [4, 3, 2])[0]
    return f


def _deadline_words(rng, f: Fund, d: date, with_time: bool) -> str:
    style = W.draw_date_style(rng, d)
    text = W.fmt_date(d, style)
    f.axes["date_style"] = style
    if with_time:
        t_text, t_val = rng.choice(W.TIMES)
        f.deadline_time = t_val
        f.axes["time"] = "midnight" if t_text == "midnight" else "yes"
        return W.with_time(rng, text, t_text)
    f.axes["time"] = "no"
    return text


def _draw_dates(rng, f: Fund) -> None:
    if f.status == "open":
        kind = rng.choices(["single", "single_time", "range", "rounds", "yearly_dates", "rolling"], [5, 4, 2, 2, 1, 3])[
            0
        ]
    elif f.status == "upcoming":
        kind = rng.choices(["window", "next_open_month", "reopen_on", "tbc"], [4, 2, 2, 1])[0]
    else:
        kind = rng.choices(["closed_past", "not_accepting"], [3, 1])[0]
    f.axes["dates"] = kind
    label = rng.choice(["Deadline", "Closing date", "Application deadline", "Closes"])
    f.dates_label = label
    if kind in ("single", "single_time"):
        d = W.rand_date(rng, W.OPEN_FROM, W.OPEN_TO)
        f.deadline = d
        txt = _deadline_words(rng, f, d, kind == "single_time")
        f.dates_value = txt
        f.dates_sentence = rng.choice(
            [
                f"The closing date for applications is {txt}.",
                f"Applications must be received by {txt}.",
                f"The deadline for applications is {txt}.",
                f"Apply by {txt}.",
                f"The fund closes at {txt}." if kind == "single_time" else f"The fund closes on {txt}.",
                f"Completed application forms should reach us no later than {txt}.",
                f"Bids must be submitted by {txt}.",
                f"You must submit your application by {txt}.",
                f"Closing date for applications: {txt}.",
            ]
        )
        if rng.random() < 0.3:
            o = W.rand_date(rng, *W.OPENS_PAST)
            f.opens = o
            ot = W.fmt_date(o, W.draw_date_style(rng, o))
            f.dates_sentence = f"The fund opened on {ot}. " + f.dates_sentence
            f.dates_value = rng.choice([f"{txt} (opened {ot})", f"Opened {ot}, closes {txt}"])
            f.axes["opens_stated"] = True
    elif kind == "range":
        o = W.rand_date(rng, *W.OPENS_PAST)
        d = W.rand_date(rng, W.OPEN_FROM, W.OPEN_TO)
        f.opens, f.deadline = o, d
        os_, ds = W.fmt_date(o, "long"), _deadline_words(rng, f, d, False)
        f.dates_label = rng.choice(["Dates", "Application window", "When to apply"])
        f.dates_value = rng.choice([f"{os_} to {ds}", f"{os_} \u2013 {ds}", f"Opens {os_}, closes {ds}"])
        f.dates_sentence = rng.choice(
            [
                f"The fund is running from {os_} to {ds}.",
                f"Applications open on {os_} and close on {ds}.",
                f"You can apply between {os_} and {ds}.",
            ]
        )
    elif kind == "rounds":
        past = W.rand_date(rng, W.CLOSED_FROM, W.CLOSED_TO)
        nxt = W.rand_date(rng, W.OPEN_FROM, date(2027, 12, 31))
        later = W.rand_date(rng, date(2028, 1, 15), W.OPEN_TO)
        f.deadline = nxt
        fmt = rng.choice(["long", "ordinal", "weekday", "slash"])
        p, n, l_ = W.fmt_date(past, fmt), W.fmt_date(nxt, fmt), W.fmt_date(later, fmt)
        f.axes["date_style"] = fmt
        f.axes["time"] = "no"
        f.dates_label = rng.choice(["Deadlines", "Round deadlines", "Closing dates"])
        f.dates_value = rng.choice(
            [
                f"Round 1: {p} (closed); Round 2: {n}; Round 3: {l_}",
                f"{p} (now closed), {n} and {l_}",
            ]
        )
        f.dates_sentence = rng.choice(
            [
                f"There are three funding rounds. Round 1 closed on {p}. The next deadlines are {n} and {l_}.",
                f"Deadlines: {p} (closed), {n}, {l_}.",
                f"We run several rounds each year. The remaining closing dates are {n} and {l_} (the {p} round has closed).",
            ]
        )
        if rng.random() < 0.5:  # a rounds table with decision dates beside the deadlines
            dec = [f"{W.MONTHS[(d.month + 1) % 12]} {d.year + (d.month + 2 > 12)}" for d in (past, nxt, later)]
            rows = "".join(
                f"<tr><td>Round {i}</td><td>{W.esc(t)}{' (closed)' if i == 1 else ''}</td><td>{dec[i - 1]}</td></tr>"
                for i, t in ((1, p), (2, n), (3, l_))
            )
            f.dates_html = (
                '<table class="rounds"><thead><tr><th>Round</th><th>Closing date</th><th>Decisions by</th></tr>'
                f"</thead><tbody>{rows}</tbody></table>"
            )
            f.dates_alts = [f"Round 2 {n}"]
            f.axes["rounds_table"] = True
    elif kind == "yearly_dates":
        # the same days every year, written without a year: the next one on or after as_of counts
        days = sorted({W.rand_date(rng, W.OPEN_FROM, date(2027, 11, 20), weekday_only=False) for _ in range(3)})
        f.deadline = days[0]
        txts = [W.fmt_date(d, "noyear") for d in days]
        f.axes["date_style"], f.axes["time"] = "noyear", "no"
        f.dates_label = rng.choice(["Deadlines", "Closing dates"])
        f.dates_value = W.join_and(txts)
        f.dates_sentence = rng.choice(
            [
                f"We consider applications three times a year. The deadlines are {W.join_and(txts)}.",
                f"Closing dates each year: {', '.join(txts)}.",
            ]
        )
    elif kind == "rolling":
        f.rolling = True
        txt = rng.choice(
            [
                "We accept applications all year round.",
                "There is no deadline \u2013 you can apply at any time.",
                "This is a rolling programme: apply at any time.",
                "The fund is open until all the money has been spent.",
                "Applications are accepted throughout the year and considered monthly.",
                "Open until funds are spent.",
            ]
        )
        f.dates_label = rng.choice(["Deadline", "Closing date", "When to apply"])
        f.dates_value = rng.choice(["Rolling", "Ongoing", "No deadline", "Open all year", txt])
        f.dates_sentence = txt
    elif kind == "window":
        o = W.rand_date(rng, *W.OPENS_FUTURE)
        d = W.rand_date(rng, W.OPEN_FROM, date(2027, 12, 20))
        f.opens, f.deadline = o, d
        os_, ds = (
            W.fmt_date(o, W.draw_date_style(rng, o)),
            _deadline_words(rng, f, d, rng.random() < 0.5),
        )
        f.dates_label = rng.choice(["Dates", "Opening and closing dates", "When to apply"])
        f.dates_value = rng.choice([f"Opens {os_}; closes {ds}", f"{os_} to {ds}"])
        f.dates_sentence = rng.choice(
            [
                f"Applications will open on {os_} and close at {ds}."
                if f.deadline_time
                else f"Applications will open on {os_} and close on {ds}.",
                f"The fund opens for applications on {os_}. The closing date is {ds}.",
            ]
        )
    elif kind == "next_open_month":
        o = W.rand_date(rng, *W.OPENS_FUTURE)
        when = f"{W.MONTHS[o.month - 1]} {o.year}"
        f.dates_label = rng.choice(["Next round", "When to apply", "Deadline"])
        f.dates_value = rng.choice([f"Opens {when}", f"Next round opens {when}", "To be confirmed"])
        f.dates_sentence = rng.choice(
            [
                f"Applications will next open in {when}.",
                f"The next funding round is expected to open in {when}.",
                f"We expect to open the next round in {when}. Sign up to our newsletter to hear when it opens.",
            ]
        )
        if f.dates_value == "To be confirmed":
            f.dates_value = f"Next round: {when}"
    elif kind == "reopen_on":
        o = W.rand_date(rng, *W.OPENS_FUTURE)
        f.opens = o
        os_ = W.fmt_date(o, rng.choice(["long", "weekday", "ordinal", "slash"]))
        f.dates_label = rng.choice(["Status", "When to apply", "Next round"])
        f.dates_value = f"Reopens {os_}"
        f.dates_sentence = rng.choice(
            [
                f"The fund is closed for new applications at the moment. It will reopen on {os_}.",
                f"We are not accepting applications right now; the next round opens on {os_}.",
                f"This programme is currently closed. It will reopen for applications on {os_}.",
            ]
        )
    elif kind == "tbc":
        f.dates_label = rng.choice(["Deadline", "Closing date"])
        f.dates_value = rng.choice(["TBC", "To be confirmed", "Dates to be confirmed"])
        f.dates_sentence = rng.choice(
            ["Opening and closing dates are to be confirmed.", "The next round is being planned. Dates TBC."]
        )
    elif kind == "closed_past":
        d = W.rand_date(rng, W.CLOSED_FROM, W.CLOSED_TO)
        f.deadline = d
        txt = W.fmt_date(d, rng.choice(["long", "weekday", "ordinal", "slash"]))
        f.dates_value = f"{txt} (closed)"
        f.dates_sentence = rng.choice(
            [
                f"The deadline was {txt}. This fund is now closed.",
                f"This round closed on {txt}. Thank you to everyone who applied.",
                f"Closing date: {txt}. Applications for this fund have now closed.",
            ]
        )
        f.closure_notice = rng.choice(
            ["This fund is now closed.", "Applications for this round have closed.", "Closed to new applications."]
        )
    elif kind == "not_accepting":
        f.dates_label = rng.choice(["Status", "Deadline", "When to apply"])
        f.dates_value = rng.choice(["Closed", "Not currently open", "Closed to new applications"])
        f.dates_sentence = rng.choice(
            [
                "We are not currently accepting applications to this fund.",
                "This fund is closed for new applications. We will update this page if it reopens.",
                "The programme has closed and is not accepting applications.",
            ]
        )
        f.closure_notice = "This fund is closed."
    f.dates_value = W.esc(f.dates_value)
    f.dates_sentence = W.esc(f.dates_sentence)


def _draw_money(rng, f: Fund) -> None:
    kind = rng.choices(["range", "max", "min", "none"], [5, 5, 1, 1])[0]
    steps = W.AMOUNT_STEPS
    lo = hi = None
    if kind == "range":
        i = rng.randrange(0, len(steps) - 3)
        j = rng.randrange(i + 2, len(steps))
        lo, hi = steps[i], steps[j]
    elif kind == "max":
        hi = rng.choice(steps[2:])
    elif kind == "min":
        lo = rng.choice(steps[6:])
    f.amount_min, f.amount_max = lo, hi
    wid, sentence, value = W.amount_phrases(rng, lo, hi)
    f.axes["money"] = wid
    f.amount_sentence, f.amount_value = W.esc(sentence), W.esc(value)
    if rng.random() < 0.45:
        pots = [p for p in W.POTS if p > (hi or lo or 0) * 3] or [W.POTS[-1]]
        f.total_pot = rng.choice(pots)
        s, v = W.pot_phrases(rng, f.total_pot)
        if hi and not lo and rng.random() < 0.3:  # one sentence for both: "£1m in total, grants up to £50,000"
            h = re.findall(r"£[\d,.]+(?: million|m|k|K)?", value)[-1]  # the grant size as the page writes it
            s = rng.choice(
                [
                    f"There is {v} in total, with grants of up to {h} each.",
                    f"{v} total, grants up to {h}.",
                    f"We have {v} to give in grants of no more than {h}.",
                ]
            )
            f.amount_sentence = ""
            f.axes["money"] = "pot_and_max"
        f.pot_sentence, f.pot_value = W.esc(s), W.esc(v)
        f.axes["pot"] = "m" if "m" in v.lower() and "£" in v and not v.endswith("0") else "yes"
    else:
        f.axes["pot"] = "no"


def _draw_orgs(rng, site: Site, f: Fund) -> None:
    pool_e, pool_x = W.ORGS_BY_KIND[site.kind]
    style = rng.choices(
        ["lists", "sentences", "negation_inline", "partner_only", "who_cannot_only", "only", "none"],
        [4, 3, 2, 1, 1, 1, 1],
    )[0]
    f.axes["eligibility"] = style
    if style == "none":
        return
    elig = rng.sample(pool_e, rng.randint(1, min(4, len(pool_e))))
    excl = [x for x in rng.sample(pool_x, rng.randint(1, len(pool_x))) if x not in elig]
    if style == "partner_only":
        # a body that may only partner is excluded (devset convention)
        partner = rng.choice([k for k in ("local_authority", "police", "school", "health_body") if k not in elig])
        excl = [x for x in excl if x != partner] + [partner]
    if style == "who_cannot_only":
        elig = []
    if style == "only":
        elig, excl = elig[:2], []
    f.eligible, f.excluded = sorted(elig), sorted(set(excl))
    e_words, x_words = W.org_list(rng, elig), W.org_list(rng, excl)
    h = rng.choice(["Eligibility", "Who can apply", "Who can apply?", "Eligibility criteria"])
    hl = rng.choice(["h2", "h3", "h4", "strong"])
    head = f"<{hl}>{h}</{hl}>" if hl != "strong" else f"<p><strong>{h}</strong></p>"
    ul = lambda items: "<ul>" + "".join(f"<li>{W.esc(W.cap(i))}</li>" for i in items) + "</ul>"  # noqa: E731
    if style == "lists":
        pos = (
            f"<p>{W.esc(rng.choice(['You can apply if you are one of the following:', 'The fund is open to:', 'We welcome applications from:', 'Who can apply:']))}</p>"
            + ul(e_words)
        )
        neg = (
            (
                f"<p>{W.esc(rng.choice(['You cannot apply if you are:', 'We cannot fund:', 'The following are not eligible:', 'We will not accept applications from:']))}</p>"
                + ul(x_words)
            )
            if excl
            else ""
        )
        f.elig_html = head + (pos + neg if rng.random() < 0.7 else neg + pos)
        f.axes["elig_order"] = (
            "pos_first" if f.elig_html.index(pos) < (f.elig_html.index(neg) if neg else 10**9) else "neg_first"
        )
    elif style == "sentences":
        s = f"The fund is open to {W.join_and(e_words)}."
        if excl:
            s += " " + rng.choice(
                [
                    f"We cannot accept applications from {W.join_and(x_words, 'or')}.",
                    f"{W.cap(W.join_and(x_words))} are not eligible.",
                    f"Applications from {W.join_and(x_words, 'or')} will not be considered.",
                ]
            )
        f.elig_html = head + f"<p>{W.esc(s)}</p>"
    elif style == "negation_inline":
        s = f"Applications are welcome from {W.join_and(e_words)}" + (
            f", but not from {W.join_and(x_words, 'or')}." if excl else "."
        )
        f.elig_html = (head if rng.random() < 0.5 else "") + f"<p>{W.esc(s)}</p>"
    elif style == "partner_only":
        partner_words = x_words[-1]
        others = x_words[:-1]
        s = f"{W.cap(W.join_and(e_words))} can apply. {W.cap(partner_words)} can be partners in a project but cannot lead an application."
        if others:
            s += f" We do not fund {W.join_and(others, 'or')}."
        f.elig_html = head + f"<p>{W.esc(s)}</p>"
    elif style == "who_cannot_only":
        hc = rng.choice(["Who cannot apply", "Who can't apply", "Exclusions"])
        f.elig_html = f"<h3>{hc}</h3><p>{W.esc(rng.choice(['We cannot fund', 'The fund is not open to']))}:</p>" + ul(
            x_words
        )
    elif style == "only":
        s = rng.choice([f"Only {W.join_and(e_words)} can apply.", f"This fund is only open to {W.join_and(e_words)}."])
        f.elig_html = head + f"<p>{W.esc(s)}</p>"
    if rng.random() < 0.4:  # conditions that are not organisation types
        f.elig_html += (
            "<p>"
            + W.esc(
                rng.choice(
                    [
                        "You must have a bank account in your organisation’s name with at least two unrelated signatories.",
                        "Your organisation must have been running for at least 12 months.",
                        "You must have a safeguarding policy if you work with children or adults at risk.",
                        "Your project must not have started before we make our decision.",
                    ]
                )
            )
            + "</p>"
        )
        f.axes["elig_conditions"] = True
    f.elig_short = W.esc(W.cap(W.join_and(e_words))) if e_words else ""


def _draw_area(rng, site: Site, f: Fund) -> None:
    P = places()
    home = site.home_area
    opts = []
    if site.kind == "pcc":
        county = re.sub(r" (Constabulary|Police) area$", "", home)
        opts = [("pfa", [home], f"the {home}"), ("county", [county], county)]
        leaves = [x for x in P.leaves(county) if x in P.clean]
        if leaves:
            leaf = rng.choice(leaves)
            opts.append(("district", [leaf], leaf))
            if len(P.leaves(county)) >= 3:
                opts.append(("except", sorted(set(P.leaves(county)) - {leaf}), f"{county} except {leaf}"))
    elif site.kind == "council":
        opts = [("district", [home], home)]
        county = P.county_of(home)
        if county:
            opts.append(("county", [county], county))
    elif site.kind == "foundation":
        opts = [("county", [home], home)]
        leaves = [x for x in P.leaves(home) if x in P.clean]
        if leaves:
            leaf = rng.choice(leaves)
            opts += [
                ("district", [leaf], leaf),
                ("except", sorted(set(P.leaves(home)) - {leaf}), f"{home} except {leaf}"),
            ]
            if len(leaves) >= 2:
                two = sorted(rng.sample(leaves, 2))
                opts.append(("two_districts", two, f"{two[0]} and {two[1]}"))
    elif site.kind in ("lottery", "government"):
        opts = [
            ("uk", ["United Kingdom"], "the UK"),
            ("nation", ["England"], "England"),
            ("region", [rng.choice(P.regions())], None),
        ]
        if home == "England and Wales":
            opts.append(("england_wales", ["England", "Wales"], "England and Wales"))
        if home in ("Wales", "Scotland", "Northern Ireland"):
            opts.append(("nation", [home], home))
    else:
        opts = [
            ("county" if home in P.counties_with_leaves() else "region", [home], home),
            ("nation", ["England"], "England"),
        ]
    kind, areas, text = rng.choice(opts)
    if text is None:
        text = areas[0]
    f.areas = sorted(areas)
    f.axes["area"] = kind
    if kind == "uk":
        f.area_value = rng.choice(["UK-wide", "United Kingdom", "Across the UK"])
        f.area_sentence = rng.choice(
            [
                "The fund is open to organisations across the UK.",
                "Projects can take place anywhere in the United Kingdom.",
            ]
        )
    elif kind == "except":
        county, leaf = text.split(" except ")
        f.area_value = rng.choice(
            [f"{county} (excluding {leaf})", f"{county}, except {leaf}", f"All of {county} apart from {leaf}"]
        )
        f.area_sentence = rng.choice(
            [
                f"Projects must benefit people living in {county}, except {leaf}.",
                f"The fund covers {county} but not {leaf}, which has its own scheme.",
                f"We fund work anywhere in {county} outside {leaf}.",
            ]
        )
    elif kind == "pfa":
        force = re.sub(r" area$", "", home)
        f.area_value = rng.choice([home, f"The area covered by {force}", f"{force} area"])
        f.area_sentence = rng.choice(
            [
                f"Projects must benefit people in the {home}.",
                f"The fund covers the whole {home}.",
                f"Projects must take place in the area covered by {force}.",
            ]
        )
    else:
        f.area_value = text
        f.area_sentence = rng.choice(
            [
                f"Projects must benefit people living in {text}.",
                f"The fund is for projects in {text}.",
                f"Your project must take place in {text}.",
                f"We can only fund work that benefits residents of {text}.",
            ]
        )
    f.area_value, f.area_sentence = W.esc(f.area_value), W.esc(f.area_sentence)


def _draw_purpose(rng, f: Fund) -> None:
    phrases = [rng.choice(W.THEME_WORDS[t]) for t in f.themes]
    rng.shuffle(phrases)
    f.purpose = W.esc(
        rng.choice(
            [
                f"This fund supports projects that {W.join_and(phrases)}.",
                f"We want to fund local projects that {W.join_and(phrases)}.",
                f"The aim of the programme is to {W.join_and(phrases)}.",
                f"Grants are for work that will {W.join_and(phrases)}.",
            ]
        )
    )


def _draw_noise(rng, f: Fund) -> None:
    n = []
    if rng.random() < 0.5:
        d = W.rand_date(rng, date(2026, 9, 1), date(2026, 11, 20))
        n.append(f"Page last updated: {W.fmt_date(d, 'long')}")
    if rng.random() < 0.35 and f.status != "closed":
        n.append(
            f"Projects must be completed by {W.fmt_date(W.rand_date(rng, date(2028, 7, 1), date(2029, 3, 31)), 'long')}."
        )
    if rng.random() < 0.3 and f.status != "closed":
        d = W.rand_date(rng, date(2026, 12, 1), date(2027, 5, 20))
        n.append(f"We are holding an online information session on {W.fmt_date(d, 'weekday')} at 2pm.")
    if rng.random() < 0.25:
        n.append(
            f"Organisations with an annual income over {W.fmt_money(rng.choice([250000, 500000, 1000000]), 'plain')} should contact us before applying."
        )
    f.noise = [W.esc(x) for x in n]
    f.axes["noise"] = bool(n)
