from datetime import timedelta

from tests.digest.conftest import ADA, BASE_URL, NOW, SAM, SECRET, VAL
from tracker.db import session_scope
from tracker.digest.build import build_digest, recipients
from tracker.digest.tokens import verify_action
from tracker.models import Digest, DigestItem, User


def build(engine, email, now=NOW):
    with session_scope(engine) as s:
        user = next(u for u in recipients(s) if u.email == email)
        return build_digest(s, user, now=now, timezone="Europe/London", base_url=BASE_URL, secret=SECRET)


def titles(content):
    return [c.title for c in content.cards]


def test_recipients_are_active_subscribers(engine, seeded):
    with session_scope(engine) as s:
        assert [u.email for u in recipients(s)] == [ADA, SAM, VAL]


def test_new_matches_grouped_by_need_best_first(engine, seeded):
    content = build(engine, ADA)
    assert [s.need_id for s in content.needs] == ["N1", "N2"]
    n1 = content.needs[0]
    assert [e.score for e in n1.cards] == sorted((e.score for e in n1.cards), reverse=True)
    youth = n1.cards[0]
    assert youth.title == "Youth Diversion Fund"
    assert (youth.funder, youth.amount, youth.deadline) == ("Home Office", "£5,000 to £50,000",
                                                             "14 March 2027 (104 days)")
    assert youth.reasons == ["Theme: youth diversion", "Area: Peterborough is covered"]
    assert youth.url == f"{BASE_URL}/opportunities/{seeded['calls']['youth']}"


def test_dismissed_ineligible_closed_and_inactive_needs_never_included(engine, seeded):
    content = build(engine, ADA)
    shown = set(content.match_ids)
    for name in ("dismissed", "ineligible", "closed", "retired"):
        assert seeded["matches"][name] not in shown, name
    assert "Dismissed call" not in str(content)


def test_followed_needs_limit_the_digest(engine, seeded):
    assert [s.need_id for s in build(engine, SAM).needs] == ["N1"]


def test_action_links_verify_and_name_the_item(engine, seeded):
    content = build(engine, ADA)
    entry = content.needs[0].cards[0]
    assert [a.label for a in entry.actions] == ["Interested", "Not relevant", "Applied"]
    token = verify_action(SECRET, entry.actions[1].url.rsplit("/", 1)[1])
    assert (token.kind, token.item_id, token.action) == ("match", entry.match_id, "not_relevant")
    with session_scope(engine) as s:
        assert token.user_id == s.exec(User.__table__.select().where(User.email == ADA)).first().id


def test_viewers_get_no_action_links(engine, seeded):
    content = build(engine, VAL)
    assert content.needs and all(not c.actions for c in content.cards)
    assert all(not e.actions for group in content.bids.values() for e in group)


def test_closing_soon_changes_bids_and_admin_sources(engine, seeded):
    ada, sam = build(engine, ADA), build(engine, SAM)
    # Safer Streets closes in 10 days too, but it is a new call listed above: once is enough
    assert [e.title for e in ada.closing] == ["Community Safety Partnership Grant"] and ada.closing_total == 2
    assert next(c for c in ada.cards if c.title == "Safer Streets round 6").closing_soon
    assert ada.closing[0].notes == ["Team bid: preparing"]
    # Youth Diversion Fund changed, and the applied bid's call is new for N2: both are new
    # calls listed once, with what changed and the bid inside their cards
    cards = {c.title: c for c in ada.cards}
    assert ada.changed == [] and cards["Youth Diversion Fund"].notes == [
        "Deadline moved from 1 March 2027", "Maximum grant changed from £40,000 to £50,000"]
    assert list(ada.bids) == ["preparing"]
    assert cards["Domestic Abuse Safe Accommodation"].notes == ["Team bid: applied"]
    assert ada.bids["preparing"][0].actions[0].label == "Mark applied"
    assert [e.title for e in ada.sources] == ["broken-feed"]
    assert sam.sources == []


def test_already_sent_matches_are_left_out(engine, seeded):
    with session_scope(engine) as s:
        d = Digest(recipient=ADA, period="2026-W48", message_id="<x@y>", status="sent",
                   sent_at=NOW - timedelta(days=7))
        s.add(d)
        s.flush()
        s.add(DigestItem(digest_id=d.id, recipient=ADA, match_id=seeded["matches"]["youth"]))
    content = build(engine, ADA)
    assert seeded["matches"]["youth"] not in content.match_ids
    assert "Youth Diversion Fund" not in titles(content)
    assert content.since == NOW - timedelta(days=7)
    assert content.changed[0].title == "Youth Diversion Fund"  # no longer new: its change has its own line
    assert content.changed[0].notes == ["Deadline moved from 1 March 2027 to 14 March 2027",
                                        "Maximum grant changed from £40,000 to £50,000"]
    assert "Youth Diversion Fund" in titles(build(engine, SAM))  # only for that recipient


def test_empty_digest(engine, seeded):
    later = NOW + timedelta(days=400)  # everything has closed
    content = build(engine, SAM, now=later)
    assert content.is_empty


def test_long_lists_are_capped_and_the_rest_linked(engine, seeded):
    with session_scope(engine) as s:
        user = next(u for u in recipients(s) if u.email == ADA)
        content = build_digest(s, user, now=NOW, timezone="Europe/London", base_url=BASE_URL,
                               secret=SECRET, max_per_need=1)
    n1 = content.needs[0]
    assert [c.title for c in n1.cards] == ["Youth Diversion Fund"]
    assert n1.more == 2 and n1.more_url == f"{BASE_URL}/opportunities?need=N1"
    assert content.match_ids == [seeded["matches"]["youth"], seeded["matches"]["da"]]


def test_bid_action_link_names_the_bid(engine, seeded):
    entry = build(engine, SAM).bids["preparing"][0]
    token = verify_action(SECRET, entry.actions[0].url.rsplit("/", 1)[1])
    assert (token.kind, token.action) == ("bid", "applied")


def test_cache_shares_team_sections_between_recipients(engine, seeded):
    cache: dict = {}
    with session_scope(engine) as s:
        built = [build_digest(s, u, now=NOW, timezone="Europe/London", base_url=BASE_URL, secret=SECRET,
                              cache=cache) for u in recipients(s)]
    plain = [build(engine, u) for u in (ADA, SAM, VAL)]
    for a, b in zip(built, plain, strict=True):
        assert a.closing == b.closing and a.changed == b.changed and a.sources == b.sources
        assert [e.title for g in a.bids.values() for e in g] == [e.title for g in b.bids.values() for e in g]


def test_a_team_with_many_bids_gets_the_ten_that_matter_and_a_count_with_a_link(engine, seeded):
    """Sam's own bid and the bids still to send on open calls are listed; the bids whose call
    closed before they were sent are the ones counted under "more"."""
    from tracker.digest.build import MAX_BIDS
    from tracker.digest.render import render_message
    from tracker.models import Bid, Opportunity

    today = NOW.date()
    with session_scope(engine) as s:
        sam = s.exec(User.__table__.select().where(User.email == SAM)).first()
        for n in range(14):  # 10 open, 4 whose call has closed; a far-off one is Sam's
            opp = Opportunity(url=f"https://funder.example/bid-{n}", title=f"Bid call {n:02d}", status="open",
                              deadline=today + timedelta(days=(200 if n == 13 else 20 + n) if n < 10 or n == 13
                                                         else -10 - n))
            s.add(opp)
            s.flush()
            s.add(Bid(opportunity_id=opp.id, status="interested", owner_id=sam.id if n == 13 else None))
    content = build(engine, SAM)
    listed = [e.title for group in content.bids.values() for e in group]
    assert len(listed) == MAX_BIDS == 10
    assert "Bid call 13" in listed  # Sam's own, though it closes last
    assert not any(f"Bid call {n}" in listed for n in (10, 11, 12))  # their calls closed unsent
    # the fixture's two bids (preparing, applied; neither call is new for Sam's need) and the 14
    # here: 16 in all, 6 not listed
    assert content.bids_more == 16 - MAX_BIDS and content.bids_url == f"{BASE_URL}/bids"
    message = render_message(content, from_address="tracker@council.example", message_id="<d@x>", now=NOW)
    html = message.get_body(("html",)).get_content()
    text = message.get_body(("plain",)).get_content()
    assert f'<a href="{BASE_URL}/bids"' in html and "and 6 more team bids on the web" in html
    assert f"...and 6 more team bids on the web: {BASE_URL}/bids" in text
