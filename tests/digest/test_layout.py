"""What a recipient sees: the summary line, each call once naming its needs, the top 5
per need and the rest on the web, the deadline stated once with a start-by date."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from tests.digest.conftest import ADA, BASE_URL, NOW, SECRET, TODAY, opp
from tests.digest.test_build import build
from tracker.db import session_scope
from tracker.digest.build import build_digest
from tracker.digest.render import render_message, render_parts
from tracker.models import Bid, Match, Need, User


def add_call(engine, title: str, days: int, scores: dict[str, float], reasons: list[str] | None = None) -> int:
    with session_scope(engine) as s:
        call = opp(title, days)
        s.add(call)
        s.flush()
        for need_id, score in scores.items():
            s.add(Match(need_id=need_id, opportunity_id=call.id, score=score, eligible=True,
                        reasons=reasons or ["themes youth"]))
        return call.id


def card_of(text: str, title: str) -> str:
    """The plain-text card of `title`: from its numbered line to the next blank line."""
    match = re.search(rf"^\d+\. {re.escape(title)}\n(.*?)\n\n", text, re.S | re.M)
    assert match, text
    return match.group(0)


def test_summary_line_counts_new_calls_closing_soon_and_my_bids_due(engine, seeded):
    with session_scope(engine) as s:
        ada = s.exec(select(User).where(User.email == ADA)).one()
        bid = s.exec(select(Bid).where(Bid.status == "preparing")).one()  # closes in 7 days
        bid.owner_id = ada.id
        s.add(bid)
    content = build(engine, ADA)
    # 5 new calls (N1: 3, N2: 2); closing within 14 days: Safer Streets (a match) and the
    # bid's call; ada owns that bid
    assert (content.new_total, content.closing_total, content.bids_due) == (5, 2, 1)
    _subject, text, html = render_parts(content)
    line = "5 new for you, 2 closing in the next 14 days, 1 of your bids due"
    assert line in text
    summary = re.search(r'<p[^>]*id="summary"[^>]*>(.*?)</p>', html).group(1)
    assert re.sub(r"<[^>]+>", "", summary) == line
    assert text.index(line) < text.index("NEW FOR YOU") and html.index(line.split(",")[1]) < html.index("New for you")


def test_a_call_matching_several_needs_is_listed_once_naming_them(engine, seeded):
    title = "Joint Youth and Safety Fund"
    add_call(engine, title, 80, {"N1": 0.6, "N2": 0.85})
    content = build(engine, ADA)
    cards = [c for c in content.cards if c.title == title]
    assert len(cards) == 1
    assert [t.title for t in cards[0].needs] == ["Domestic abuse support", "Youth diversion"]  # best fit first
    sections = {s.need_id: s for s in content.needs}
    assert cards[0] in sections["N2"].cards and cards[0] not in sections["N1"].cards
    assert sections["N1"].elsewhere == 1
    assert len(cards[0].match_ids) == 2  # both matches count as sent once it goes
    _subject, text, html = render_parts(content)
    for part in (text, html):
        for c in content.cards:  # every call once in each part
            shown = c.title.replace("<", "&lt;").replace(">", "&gt;") if part is html else c.title
            assert part.count(shown) == 1, c.title
    assert "Also for: Youth diversion" in card_of(text, title)


def test_top_five_per_need_then_the_rest_on_the_web(engine, seeded):
    for n in range(7):
        add_call(engine, f"Extra youth fund {n}", 60 + n, {"N1": 0.3 - n / 100})
    content = build(engine, ADA)
    n1 = next(s for s in content.needs if s.need_id == "N1")
    assert (n1.total, len(n1.cards), n1.more) == (10, 5, 5)
    assert [c.title for c in n1.cards][:2] == ["Youth Diversion Fund", "Safer Streets round 6"]
    assert all("Extra youth fund" not in c.title for c in n1.cards[:3])
    _subject, text, html = render_parts(content)
    assert f'<a href="{BASE_URL}/opportunities?need=N1"' in html
    assert re.search(r'need=N1"[^>]*>and 5 more on the web</a>', html)
    assert f"...and 5 more on the web: {BASE_URL}/opportunities?need=N1" in text
    assert "Extra youth fund 6" not in text and "Extra youth fund 6" not in html


def test_each_card_states_its_deadline_once(engine, seeded):
    title = "Dated reasons fund"
    add_call(engine, title, 45, {"N1": 0.95}, reasons=["themes youth", f"closes 14 January 2027 ({45} days)",
                                                       "covers Peterborough"])
    content = build(engine, ADA)
    card = next(c for c in content.cards if c.title == title)
    assert card.reasons == ["themes youth", "covers Peterborough"]  # the matcher's dated line is dropped
    _subject, text, html = render_parts(content)
    deadline = (TODAY + timedelta(days=45)).strftime("%-d %B %Y")
    assert card_of(text, title).count(deadline) == 1
    html_card = html[html.index(title):html.index("</div>", html.index(title))]
    assert html_card.count(deadline) == 1 and "Deadline:" not in html_card
    youth = card_of(text, "Youth Diversion Fund")  # changed deadline: the old one only, the new once
    assert youth.count("14 March 2027") == 1 and "Deadline moved from 1 March 2027" in youth


def test_a_rolling_call_says_so_without_a_closing_date(engine, seeded):
    with session_scope(engine) as s:
        call = opp("Rolling fund", None, rolling=True)
        s.add(call)
        s.flush()
        s.add(Match(need_id="N1", opportunity_id=call.id, score=0.99, eligible=True))
    _subject, text, html = render_parts(build(engine, ADA))
    card = card_of(text, "Rolling fund")
    assert "   Rolling (no fixed deadline)\n" in card and "Closes" not in card and "start by" not in card
    assert "<b>Rolling (no fixed deadline)</b>" in html


def test_start_by_is_the_deadline_less_the_needs_preparation_days_in_working_days(engine, seeded):
    with session_scope(engine) as s:
        s.get(Need, "N1").prep_days = 30
        s.get(Need, "N2").prep_days = 0
    both = "Shared prep fund"
    add_call(engine, both, 50, {"N1": 0.99, "N2": 0.1})  # closes Tuesday 19 January 2027
    content = build(engine, ADA)
    cards = {c.title: c for c in content.cards}
    youth = cards["Youth Diversion Fund"]  # Sunday 14 March 2027 - 30 working days
    assert youth.start_by == "start by 29 January 2027"
    assert "Closes 14 March 2027 (104 days); start by 29 January 2027" in render_parts(content)[1]
    # 10 days left, 30 working days needed: flagged, still listed
    assert cards["Safer Streets round 6"].start_by == "tight: start by 29 October 2026 has passed"
    assert cards["Domestic Abuse Safe Accommodation"].start_by == ""  # N2 has nothing to plan
    shared = cards[both]  # 30 working days back skip Christmas, Boxing Day (observed) and New Year
    start = "start by 3 December 2026"
    assert [t.start_by for t in shared.needs] == [start, ""] and shared.start_by == ""
    assert f"; {start} for this need" in card_of(render_parts(content)[1], both)


def test_the_digest_start_by_includes_the_sign_off_lead_time(engine, seeded):
    with session_scope(engine) as s:
        s.get(Need, "N1").prep_days = 30
        user = s.exec(select(User).where(User.email == ADA)).one()
        content = build_digest(s, user, now=NOW, timezone="Europe/London", base_url=BASE_URL, secret=SECRET,
                               signoff_days=15)
    youth = next(c for c in content.cards if c.title == "Youth Diversion Fund")
    assert youth.start_by == "start by 8 January 2027"  # 45 working days before 14 March 2027


def test_list_unsubscribe_headers_name_the_signed_one_click_url(engine, seeded):
    msg = render_message(build(engine, ADA), from_address="t@council.example", message_id="<m@council.example>",
                         now=NOW)
    url = msg["List-Unsubscribe"]
    assert re.fullmatch(rf"<{re.escape(BASE_URL)}/email/unsubscribe/[A-Za-z0-9_.\-]+>", url)
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    from tracker.digest.tokens import verify_preferences

    with session_scope(engine) as s:
        ada_id = s.exec(select(User.id).where(User.email == ADA)).one()
    assert verify_preferences(SECRET, url.strip("<>").rsplit("/", 1)[1]) == ada_id
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    assert f"Unsubscribe: {url.strip('<>')}" in text and url.strip("<>") in html
    assert "/email/preferences/" in text and ">Change how often or which needs</a>" in html
