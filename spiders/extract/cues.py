"""Cheap textual cues used to tell calls from other pages. No parsing of values here: dates and
money are only detected, normalisation (tracker.normalize) reads them."""

from __future__ import annotations

import re

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DATE = re.compile(
    rf"\b\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+\d{{2,4}})?\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b"
    r"|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b",
    re.I,
)
# A month with its year and no day ("opens in January 2027"): a round's date as funders often
# first announce it, so a deadline or opening word beside it is a call's date too.
MONTH_YEAR = re.compile(rf"\b{_MONTH}\s+(?:20)\d{{2}}\b", re.I)
MONEY = re.compile(r"(?:£|GBP\s?|€|EUR\s?)\s?\d|\b\d[\d,.]*\s?(?:k|m|million|bn|billion)?\s?(?:pounds|GBP)\b", re.I)
DEADLINE_WORDS = re.compile(
    r"\b(closing (?:date|time)|clos(?:e|es|ed|ing)|deadline|apply by|submit(?:ted)? by|submission|"
    r"applications? (?:by|must)|until|open(?:s|ing)?|round|window)\b",
    re.I,
)
ROLLING = re.compile(
    r"\b(rolling|no (?:closing )?deadline|open all year|all year round|apply (?:at )?any ?time|ongoing|"
    r"until (?:the )?funds? (?:are|is|have been) (?:spent|allocated|used)|to be confirmed|tbc)\b",
    re.I,
)
APPLY = re.compile(
    r"\b(apply|applying|applications?|applicants?|bids?|bidding|proposals?|tenders?|eligib\w*|who can|"
    r"expressions? of interest)\b",
    re.I,
)
FUND_NOUN = re.compile(
    r"\b(funds?|funding|grants?|appeals?|programmes?|programs?|schemes?|awards?|competitions?|prizes?|bursar(?:y|ies)|"
    r"tenders?|calls?|challenge|opportunit(?:y|ies)|pot|investment|contract|procurement)\b",
    re.I,
)
# Labels of facts that only a call carries
CALL_LABEL = re.compile(
    r"(closing|deadline|how much|amount|grant size|funding size|award range|maximum|minimum|total (?:fund|size|"
    r"available)|opening date|who can apply|eligib|application|funding available|value)",
    re.I,
)
NEWS_SEGMENTS = {"news", "blog", "blogs", "press", "press-releases", "pressreleases", "newsroom", "media-centre",
                 "latest-news", "stories", "announcements", "events", "case-studies", "articles"}
# Where councils also announce calls themselves: a post there is read before it is skipped
NEWS_POST_SEGMENTS = {"news", "articles", "press", "press-releases", "announcements"}
NEWS_CRUMB = re.compile(r"\b(news|blogs?|press( releases)?|stories|announcements|media centre|events)\b", re.I)
# An event about funding (a fair, a roadshow, a workshop) is not a call, unless a fund is named in its title
EVENT_TITLE = re.compile(
    r"^(?!.*\b(?:funds?|grants?|programmes?|schemes?|awards?)\b).*\b(?:fairs?|roadshows?|workshops?|webinars?"
    r"|surgery|surgeries|drop-ins?|open days?|conferences?|information (?:sessions?|evenings?|events?)|briefings?"
    r"|networking)\b",
    re.I,
)
POSTED_LINE = re.compile(r"^(posted|published)\b(\s+on)?.*\b\d{4}\b", re.I)
AWARDS_TITLE = re.compile(
    r"\b((past|previous|recent) (awards|grants|recipients|funding)|awarded|(awards|grants) made|"
    r"who we(?:'ve| have)? funded|funded projects|grant recipients|case stud(y|ies)|winners|"
    r"(?:grants?|funding|awards?|money) we(?:'ve| have)? (?:given|made|awarded|paid)"
    r"|what we(?:'ve| have)? funded)\b",
    re.I,
)
AWARDS_END = re.compile(r"\bawards\s*$", re.I)
AWARDED_TEXT = re.compile(r"\b(awarded|have funded|were funded|received (?:a )?grants?)\b", re.I)
HOME_TITLE = re.compile(r"^(home|homepage|home page|welcome)$", re.I)
ABOUT_TITLE = re.compile(
    r"^(about|contact|accessibility|privacy|cookies?|terms|sitemap|site map|log ?in|sign in|"
    r"our (team|people|staff|board)|meet the|jobs|careers|vacancies|get in touch)\b",
    re.I,
)
FAQ_TITLE = re.compile(r"\b(faqs?|frequently asked questions|questions and answers|q ?& ?a)\b", re.I)
GUIDANCE_TITLE = re.compile(
    r"^(how to (apply|bid)|applying\b|help with|guidance\b|before you apply|tips\b|writing (a|an|your) "
    r"(\w+ )?(bid|application)|application (guidance|advice|tips)|monitoring|reporting|our (commissioning )?approach"
    r"|how we (assess|score|judge|review|decide|make decisions)|(our )?assessment (process|criteria))",
    re.I,
)
WARDS_TITLE = re.compile(
    r"\b(eligible|qualifying|priority) (wards?|areas?|postcodes?|places|local authorit(?:y|ies)|neighbourhoods?|"
    r"districts?)\b|\blist of (wards|areas|postcodes)\b",
    re.I,
)
INVITATION = re.compile(
    r"\b(by invitation(?: only)?|invitation[- ]only|invite[- ]only|(?:do|does|will|can) ?not (?:accept|take|consider) "
    r"(?:unsolicited |open |direct |any )?(?:applications|bids|proposals)"
    r"(?! (?:by|via|through|from|after|before|until|outside|once|sent|made by|submitted by|on paper|in)\b))",
    re.I,
)
INVITATION_EXCEPT = re.compile(r"\b(stage|second|full application|shortlist|next step)\b", re.I)


# A news post that is the call itself (no fund page of its own): who may apply, and no pointer elsewhere
WHO_MAY_APPLY = re.compile(
    r"\b(?:can|may|could|will be able to|are able to|are invited to) (?:still |now |also )?(?:apply|bid)\b"
    r"|\b(?:cannot|can ?not|can't|may not) (?:apply|bid)\b|\b(?:are|is) (?:not )?eligible\b|\bopen to\b",
    re.I,
)
DETAILS_ELSEWHERE = re.compile(
    r"\b(?:full|more|further) (?:details|information)(?: (?:are|is|can be found))? (?:on|at|in|from)\b"
    r"|\bsee the [^.\n]{0,60}\bpage\b|\bfind out more (?:on|at|about)\b|\bread more about\b",
    re.I,
)


def announces_call(title: str, text: str) -> bool:
    """A post under /news/ that is itself the call: a fund named in the title (not an awards round), its
    money, a closing date or "until funds are spent", who may apply, and no "full details are on the
    ... page" pointer to the fund's own page."""
    title = title.replace("\u2019", "'")
    return bool(
        FUND_NOUN.search(title) and not AWARDS_TITLE.search(title)
        and has_money(text) and (has_dated_deadline(text) or ROLLING.search(text))
        and WHO_MAY_APPLY.search(text) and not DETAILS_ELSEWHERE.search(text)
    )


def has_money(text: str) -> bool:
    return bool(MONEY.search(text))


# Two dates joined as a span ("between 21 July and 17 August 2027", "from 1 May to 30 June", "1 May – 30
# June"): said of applying, it is the window calls are taken in, and its end is the closing date.
DATE_SPAN = re.compile(
    rf"\bbetween\s+(?:{DATE.pattern})\s+and\s+(?:{DATE.pattern})"
    rf"|(?:{DATE.pattern})\s*(?:to|until|till|-|–|—)\s*(?:{DATE.pattern})",
    re.I,
)


def has_dated_deadline(text: str) -> bool:
    """A deadline word and a date on the same line, or an application window (apply wording and a span
    of two dates) on one line."""
    return any(DEADLINE_WORDS.search(line) and (DATE.search(line) or MONTH_YEAR.search(line))
               or APPLY.search(line) and DATE_SPAN.search(line)
               for line in text.split("\n"))


def invitation_only(text: str) -> str | None:
    """The sentence saying the programme takes no open applications, if any."""
    for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
        if INVITATION.search(sentence) and not INVITATION_EXCEPT.search(sentence):
            return sentence.strip()[:120]
    return None


def call_cues(text: str, fields: dict[str, str], title: str) -> list[str]:
    """Which call signals a text shows: money, deadline, rolling, apply wording, call labels, fund title."""
    found = []
    labels = " ".join(fields)
    body = f"{text}\n" + "\n".join(f"{k}: {v}" for k, v in fields.items())
    if has_money(body):
        found.append("money")
    if has_dated_deadline(body):
        found.append("deadline")
    if ROLLING.search(body):
        found.append("rolling")
    if APPLY.search(body):
        found.append("apply")
    if CALL_LABEL.search(labels):
        found.append("labels")
    if FUND_NOUN.search(title):
        found.append("fund-title")
    return found


def is_call(cues: list[str], context_cues: list[str] | None = None, from_record: bool = False) -> bool:
    """Facts (money/deadline/rolling) and intent (apply wording, call labels, a fund title) together;
    the facts may be the listing card's alone (the page says what, the card says how much and when),
    and a page reached from a listing's record that names a fund and says who may apply is a call
    even where no date or amount is given anywhere."""
    facts = {"money", "deadline", "rolling"} & set(cues)
    intent = {"apply", "labels", "fund-title"} & set(cues)
    context = {"money", "deadline", "rolling"} & set(context_cues or [])
    if facts or context:
        return bool(intent or (facts and context))
    return from_record and {"apply", "fund-title"} <= set(cues)
