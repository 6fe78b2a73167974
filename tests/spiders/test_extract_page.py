"""Classification of pages (listing / call / sections / non-call) on the saved devset pages."""

import pytest

from spiders.extract.page import Listing, analyse_page
from tests.spiders.helpers import BASE, DEVSET


def analyse(path: str, **kw):
    return analyse_page((DEVSET / path).read_text(encoding="utf-8"), BASE + "/" + path, **kw)


@pytest.mark.parametrize("path", [
    "cambs-pcc/commissioning-and-grants/index.html",
    "find-grant/grants/index.html",
    "find-grant/grants/page-2.html",
    "tnlcf/funding/programmes/index.html",
    "sport-funder/funding/index.html",
    "arts-funder/funding/index.html",
])
def test_listings(path):
    result = analyse(path)
    assert result.kind == "listing", result.reason
    assert len(result.links) >= 3


@pytest.mark.parametrize("path,reason", [
    ("cambs-pcc/news/commissioner-boosts-local-safety-partnerships.html", "news"),
    ("arts-funder/news/creative-people-and-places-report.html", "news"),
    ("cambs-cf/news/autumn-2026-grants-awarded.html", "news"),
    ("cambs-pcc/commissioning-and-grants/past-awards.html", "past awards"),
    ("cumbria-pcc/what-we-do/funding/property-fund-awards.html", "past awards"),
    ("sport-funder/funding/place-partnerships.html", "invitation only"),
    ("tnlcf/funding/programmes/million-hours-eligible-wards.html", "eligible-areas"),
    ("cheshire-pcc/what-i-do/community-action-fund-faqs.html", "FAQ"),
    ("cambs-cf/grants/how-to-apply.html", "guidance"),
    ("tnlcf/funding/funding-guidance.html", "guidance"),
    ("cambs-pcc/commissioning-and-grants/commissioning-approach.html", "guidance"),
    ("cambs-pcc/about.html", "about"),
    ("cambs-pcc/contact.html", "contact"),
    ("find-grant/about.html", "about"),
    ("cumbria-pcc/index.html", "home"),
    ("tnlcf/index.html", "home"),
    ("sport-funder/index.html", "home"),
])
def test_non_calls_with_reason(path, reason):
    result = analyse(path)
    assert result.kind == "noncall" and not result.calls
    assert reason in result.reason


def test_single_call_page():
    result = analyse("cambs-pcc/commissioning-and-grants/clear-hold-build-community-grants.html")
    assert result.kind == "call"
    (call,) = result.calls
    assert call.url == BASE + "/cambs-pcc/commissioning-and-grants/clear-hold-build-community-grants.html"
    assert call.title == "Millfield and New England Community Grants (Clear, Hold, Build)"
    assert call.fields["Closing date"].startswith("Applications must reach us by 14th July 2027")
    assert "Latest news" not in call.text and "cookies" not in call.text
    assert "Page last updated" not in call.text


def test_sections_split_into_calls():
    result = analyse("cheshire-pcc/what-i-do/community-funding.html", funder="Cheshire PCC")
    assert result.kind == "multi"
    action, cashback = result.calls
    assert action.url.endswith("community-funding.html#community-action-fund")
    assert action.title == "Community Action Fund 2027/28"
    assert action.fields["Application window"].startswith("opens 1 September 2027")
    assert "Cashback" not in action.text
    assert cashback.url.endswith("#community-cashback-fund") and "27 January 2023" in cashback.text
    assert cashback.funder == "Cheshire PCC"


def test_listing_context_makes_a_thin_page_a_call_and_travels_with_it():
    path = "sport-funder/funding/active-together.html"
    assert analyse(path).kind == "noncall"
    row = Listing("Active Together | £1,000 - £10,000 | Closed 31/03/2024",
                  {"Fund": "Active Together", "Grant size": "£1,000 - £10,000", "Deadline": "Closed 31/03/2024"})
    result = analyse(path, listing=row)
    assert result.kind == "call"
    assert result.calls[0].listing_fields["Deadline"] == "Closed 31/03/2024"


def test_govuk_detail_fields_and_funder():
    (call,) = analyse("find-grant/grants/safer-streets-fund-2027-to-2028.html").calls
    assert call.fields["Closing date"] == "30 July 2027, 11:59pm"
    assert call.fields["Total size of grant scheme"] == "£45,000,000"
    assert call.funder == "Home Office"


def test_a_listing_card_saying_by_invitation_skips_the_detail_page():
    result = analyse("sport-funder/funding/place-partnerships.html",
                     listing=Listing("Place Partnerships | £1.5 million | By invitation"))
    assert result.kind == "noncall"


def page(body: str, url: str = BASE + "/funding/") -> object:
    return analyse_page(f"<html><head><title>t</title></head><body><main>{body}</main></body></html>", url)


def test_repeated_paragraph_links_make_a_listing():
    body = "<h1>Our grants</h1>" + "".join(
        f'<p><a href="/funding/f{i}.html">Fund {i}</a> &ndash; up to &pound;{i}000</p>' for i in range(1, 4))
    result = page(body)
    assert result.kind == "listing" and len(result.links) == 3


def test_call_page_with_a_list_of_related_pages_is_still_a_call():
    body = """<h1>Community Safety Fund</h1><p>Grants of up to &pound;5,000. Apply by 1 May 2027.</p>
      <h2>Find out more</h2><ul><li><a href="/funding/guidance.html">Guidance notes</a></li>
      <li><a href="/funding/form.html">Application form</a></li></ul>"""
    result = page(body, BASE + "/funding/community-safety-fund.html")
    assert result.kind == "call" and result.calls[0].title == "Community Safety Fund"


def test_self_contained_sections_with_faq_links_stay_sections():
    body = """<h1>Community funding</h1>
      <section id="a"><h2>Alpha Fund</h2><p>Up to &pound;5,000. Closes 30 November 2027.</p>
        <p><a href="/funding/alpha-faqs.html">Alpha FAQs</a></p></section>
      <section id="b"><h2>Beta Grants</h2><p>Up to &pound;2,000. Closes 1 March 2027.</p>
        <p><a href="/funding/beta-faqs.html">Beta FAQs</a></p></section>"""
    result = page(body, BASE + "/funding/community.html")
    assert result.kind == "multi"
    assert [c.url.rsplit("#")[1] for c in result.calls] == ["a", "b"]


def test_fund_named_like_a_site_page_is_not_skipped():
    body = "<h1>Home Security Grant</h1><p>Grants of up to &pound;500 for door locks. Apply by 1 June 2027.</p>"
    assert page(body, BASE + "/funding/home-security.html").kind == "call"


def test_accordion_items_that_are_funds_become_sections():
    body = """<h1>Community grants</h1>
      <details id="safety"><summary>Community Safety Small Grants</summary>
        <p>Grants of up to &pound;1,000. Closing date: Wednesday 31 March 2027.</p></details>
      <details id="chest"><summary>Community Chest</summary>
        <p>Grants of &pound;250 to &pound;2,500. Applications can be made at any time of year.</p></details>
      <details id="climate"><summary>Climate Action Grants</summary>
        <p>A new round opens in spring 2027. Dates and grant levels are to be confirmed.</p></details>
      <details id="help"><summary>Help with your application</summary>
        <p>Call us at least two weeks before a closing date.</p></details>"""
    result = page(body, BASE + "/community/grants.html")
    assert result.kind == "multi"
    assert [(c.url.rsplit("#")[1], c.title) for c in result.calls] == [
        ("safety", "Community Safety Small Grants"), ("chest", "Community Chest"), ("climate", "Climate Action Grants")]


def test_one_funds_page_folded_into_an_accordion_stays_one_call():
    body = """<h1>Safer Streets Fund</h1><p>Grants for community safety projects. Apply by 1 May 2027.</p>
      <details><summary>Funding available</summary><p>Grants of up to &pound;5,000.</p></details>
      <details><summary>Key dates</summary><p>Opens 1 February 2027. Closes 1 May 2027.</p></details>
      <details><summary>When will I hear?</summary>
        <p>By 1 July 2027; grants of &pound;5,000 are paid in June.</p></details>"""
    result = page(body, BASE + "/funding/safer-streets.html")
    assert result.kind == "call" and result.calls[0].title == "Safer Streets Fund"


def test_a_govuk_published_line_does_not_make_a_fund_page_news():
    body = """<h1>Knife Crime Prevention Fund 2025</h1><dl><dt>Published</dt><dd>3 March 2025</dd></dl>
      <p>Published: 3 March 2025</p>
      <p>Grants of up to &pound;50,000 for projects preventing knife crime. The closing date is 30 April 2025.</p>"""
    assert page(body, BASE + "/government/publications/knife-crime-prevention-fund-2025.html").kind == "call"


# holdout2: page shapes the extractor was not written against
def _page(body: str, url: str = BASE + "/council/news/articles/x.html", **kw):
    return analyse_page(f"<html><body><main>{body}</main></body></html>", url, **kw)


def test_news_post_that_is_the_call_itself():
    body = ("<h1>Applications now open for the Community Safety Fund 2027</h1><p>Published: 9 November 2026</p>"
            "<p>Grants of £500 to £2,500 are available. Community groups and parish councils can apply.</p>"
            "<p>Applications close at 11.59pm on Sunday 14 March 2027.</p>")
    assert _page(body).kind == "call"
    # ... but not when it points to the fund's own page, or announces awards
    pointer = body + "<p>Full details are on the Community Safety Fund page.</p>"
    assert _page(pointer).kind == "noncall"
    awards = body.replace("Applications now open for the Community Safety Fund 2027", "£48,000 awarded to 19 groups")
    assert _page(awards).kind == "noncall"


def test_not_accepting_applications_before_opening_is_not_invitation_only():
    body = ("<h1>Together for Youth</h1><p>Grants of £5k-£25k. Charities can apply.</p>"
            "<p>Applications open on 4 January and close on 1 February. We will not accept applications before the "
            "programme opens.</p>")
    assert _page(body, url=BASE + "/funding/together.html").kind == "call"


@pytest.mark.parametrize("title", ["Funding we have given", "How we assess applications", "Writing a good application"])
def test_awards_and_guidance_titles(title):
    body = f"<h1>{title}</h1><p>Grants of up to £5,000. Applications for more than £10,000 go to panel.</p>"
    assert _page(body, url=BASE + "/funding/page.html").kind == "noncall"


def test_listing_of_link_tiles_and_a_row_linking_to_a_pdf():
    tiles = "".join(f'<a class="tile" href="/f/{i}.html"><span>Fund {i}</span><span>Grants up to £{i},000.</span></a>'
                    for i in range(1, 4))
    assert _page(f"<h1>In the community</h1><div>{tiles}</div>", url=BASE + "/f/").kind == "listing"
    table = ("<h1>Grants</h1><table><thead><tr><th>Fund</th><th>Amount</th><th>Deadline</th><th>Status</th></tr>"
             "</thead>"
             '<tbody><tr><td><a href="a.html">A Fund</a></td><td>£1,000</td><td>1 May 2027</td><td>Open</td></tr>'
             '<tr><td><a href="b.html">B Fund</a></td><td>£2,000</td><td>Ongoing</td><td>Open</td></tr>'
             '<tr><td><a href="d.html">D Fund</a></td><td>£3,000</td><td>TBC</td><td>Opening 2027</td></tr>'
             '<tr><td><a href="/docs/c-guidance.pdf">C Grants</a> (PDF, 3 pages)</td><td>£2,000 - £40,000</td>'
             "<td>12 February 2027</td><td>Open</td></tr></tbody></table>")
    result = _page(table, url=BASE + "/grants/")
    assert result.kind == "listing"
    assert [c.url for c in result.calls] == [BASE + "/docs/c-guidance.pdf"]
    assert result.calls[0].title == "C Grants"
    assert result.calls[0].fields["Deadline"] == "12 February 2027"


# holdout3: a blog-style funding directory
def test_directory_of_posted_cards_is_a_listing_not_a_news_post():
    cards = "".join(
        f'<article class="post"><h2>Fund {i}</h2><p>Posted {i} November 2026</p><p>Small grants for groups.</p>'
        f'<a href="/directory/fund-{i}/">Read more</a></article>' for i in range(1, 5))
    result = _page(f"<h1>Funding directory</h1>{cards}", url=BASE + "/directory/")
    assert result.kind == "listing" and len(result.links) == 4
    # one post with a Posted line stays a news post
    post = "<h1>Grants fair</h1><p>Posted 3 November 2026</p><p>Meet funders at our fair on 13 March 2027.</p>"
    assert _page(post, url=BASE + "/directory/fair/").kind == "noncall"


def test_an_event_about_funding_is_not_a_call():
    body = """<h1>Funding Fair 2027</h1><p>Meet funders and get help with your bid. Date: 12 March 2027, 10am to
      3pm. Cost: Free. Booking closes on 5 March 2027.</p>"""
    result = page(body, BASE + "/funding-directory/funding-fair-2027/")
    assert result.kind == "noncall" and result.reason == "event"
    body = "<h1>Community Events Fund</h1><p>Grants of up to &pound;500 for street parties. Apply by 1 May 2027.</p>"
    assert page(body, BASE + "/funding/community-events-fund.html").kind == "call"


def start(body: str, url: str = BASE + "/grants/") -> object:
    html = (f"<html><head><title>t</title></head><body><header><a href='/'>Home</a></header>"
            f"<nav><a href='/about/'>About us</a></nav><main>{body}</main>"
            f"<footer><a href='/privacy/'>Privacy</a></footer></body></html>")
    return analyse_page(html, url, explore=True)


def test_a_grants_page_with_one_link_to_one_fund_leads_to_that_fund():
    result = start("<h1>Grants</h1><p>We currently run one grant programme.</p>"
                   "<ul><li><a href='/grants/village-halls/'>Village Halls Fund</a></li></ul>")
    assert result.kind != "call" and not result.calls
    assert [lk.url for lk in result.links] == [BASE + "/grants/village-halls/"]


def test_one_link_in_a_sentence_is_followed_from_a_page_that_is_not_a_call():
    result = analyse_page("<main><h1>Funding</h1><p>Read about our <a href='/funds/parish'>parish fund</a>.</p>"
                          "</main>", BASE + "/funding/")
    assert result.kind == "listing" and [lk.url for lk in result.links] == [BASE + "/funds/parish"]


def test_one_fund_card_with_its_date_and_amount_is_a_listing_not_a_call_under_the_page_heading():
    result = start("""<h1>Funding opportunities</h1><p>Find out what is open to your organisation.</p>
      <div class="x7"><h3><a href="/grants/green-spaces/">Green Spaces Grant</a></h3>
        <p>Grants of up to &pound;5,000.</p><p>Closing date: 30 June 2027</p></div>""")
    assert result.kind == "listing" and not result.calls
    (link,) = result.links
    assert "30 June 2027" in link.context_text and "Funding opportunities" not in link.context_text


def test_a_start_page_describing_one_fund_is_a_call_and_its_other_links_are_explored():
    result = start("""<h1>Riverside Community Fund</h1><p>Grants of &pound;500 to &pound;2,000 for local groups.
      Apply by 12 May 2027.</p><h2>How to apply</h2>
      <p>Read the <a href="/grants/guidance/">guidance notes</a> before you apply.</p>
      <p><a href="/">Back to home</a> <a href="/grants/index.html">All grants</a></p>""",
                   BASE + "/grants/riverside/")
    assert result.kind == "call" and result.calls[0].title == "Riverside Community Fund"
    assert [lk.url for lk in result.links] == [BASE + "/grants/guidance/"]
    assert result.links[0].context_text == ""  # a link in a sentence carries no card facts


def test_only_a_start_page_is_explored_past_its_own_call():
    body = """<h1>Riverside Community Fund</h1><p>Grants of up to &pound;2,000. Apply by 12 May 2027.</p>
      <p>See the <a href="/grants/guidance/">guidance notes</a>.</p>"""
    assert page(body, BASE + "/grants/riverside/").links == []


@pytest.mark.parametrize("h1", [
    'Green Spaces Grant <span class="q1">Closing soon</span>',
    '<strong class="tag">Open</strong> Green Spaces Grant',
    'Green Spaces Grant <span><em>Closed</em></span>',
    "Green Spaces Grant <span class=\"tag\">Upcoming</span>",
    "Green Spaces Grant <span>Coming soon</span>",
])
def test_a_status_badge_on_the_title_is_a_status_not_part_of_the_title(h1):
    result = page(f"<h1>{h1}</h1><p>Grants of up to &pound;5,000. Apply by 1 May 2027.</p>",
                  BASE + "/funding/green-spaces.html")
    (call,) = result.calls
    assert call.title == "Green Spaces Grant"
    assert call.fields["Status"] in ("Closing soon", "Open", "Closed", "Upcoming", "Coming soon")


def test_words_of_a_title_set_in_their_own_element_are_not_a_badge():
    body = ("<h1>Safer Streets <span>Fund</span> <small>2027</small></h1>"
            "<p>Grants of up to &pound;5,000. Apply by 1 May 2027.</p>")
    (call,) = page(body, BASE + "/funding/safer-streets.html").calls
    assert call.title == "Safer Streets Fund 2027" and "Status" not in call.fields


def test_badged_section_headings_give_titles_and_statuses():
    body = """<h1>Our funds</h1>
      <section id="a"><h2>Alpha Fund <span>Open</span></h2><p>Up to &pound;5,000. Closes 30 November 2027.</p></section>
      <section id="b"><h2>Beta Grants <span>Closed</span></h2><p>Up to &pound;2,000. Closed 1 March 2026.</p>
      </section>"""
    a, b = page(body, BASE + "/funding/community.html").calls
    assert (a.title, a.fields["Status"]) == ("Alpha Fund", "Open")
    assert (b.title, b.fields["Status"]) == ("Beta Grants", "Closed")


def test_one_accordion_panel_per_listing_page_is_the_fund_and_the_next_page_is_followed():
    result = start("""<h1>Funding</h1><p>Find out about the grants we offer.</p>
      <details id="arts"><summary>Arts Awards 2027</summary><p>Up to &pound;10,000.</p>
        <dl><dt>Status</dt><dd>Reopens 25 February 2027</dd></dl></details>
      <p><a href="/grants/page-2.html">Next</a></p>""")
    assert result.kind == "multi" and [c.title for c in result.calls] == ["Arts Awards 2027"]
    assert result.next_pages == [BASE + "/grants/page-2.html"]


THIN = """<h1>Arts Programme</h1><p>We want to fund local projects that support arts and culture.</p>
  <h2>Eligibility</h2><p>Town councils and charities can apply. We do not fund individual people.</p>"""


def test_the_listing_cards_facts_make_a_page_without_its_own_date_or_amount_a_call():
    card = Listing("Arts Programme Open for applications\nGrant size: From £2k; Dates: 1 October 2026 to 16/09/2027")
    result = analyse_page(f"<main>{THIN}</main>", BASE + "/funding/arts-programme.html", listing=card)
    assert result.kind == "call" and result.calls[0].title == "Arts Programme"


def test_a_fund_page_reached_from_a_listing_record_is_a_call_without_any_date_or_amount():
    url = BASE + "/funding/arts-programme.html"
    assert analyse_page(f"<main>{THIN}</main>", url, allow_listing=False).kind == "noncall"
    result = analyse_page(f"<main>{THIN}</main>", url, listing=Listing("Arts Programme\nSupport for arts"))
    assert result.kind == "call"


def test_a_closed_funds_panel_without_a_date_is_still_a_fund_money_and_name():
    result = start("""<h1>Community grants</h1>
      <details id="asb"><summary>Anti-Social Behaviour Grants 2024/25</summary>
        <p><strong>This fund is closed.</strong></p><p>The fund has a total pot of &pound;750K.</p></details>""")
    assert [c.title for c in result.calls] == ["Anti-Social Behaviour Grants 2024/25"]


def test_one_funds_section_under_a_page_heading_that_names_no_fund():
    result = start("""<h1>Our funds</h1><p>Find out about the grants we offer.</p>
      <section id="vs"><h3>Victim Support Programme 2027</h3><p>No more than &pound;150,000.</p>
        <h2>Eligibility</h2><p>Charities can apply.</p></section>""")
    assert result.kind == "multi"
    assert [(c.url, c.title) for c in result.calls] == [(BASE + "/grants/#vs", "Victim Support Programme 2027")]


def test_a_funds_own_page_with_one_fund_heading_stays_one_call():
    body = """<h1>Victim Support Programme</h1><p>Support for victims of crime.</p>
      <h2>Victim Support Programme Grants</h2><p>No more than &pound;150,000. Apply by 1 May 2027.</p>"""
    result = page(body, BASE + "/funding/victims.html")
    assert result.kind == "call" and result.calls[0].url == BASE + "/funding/victims.html"


def test_sibling_fund_boxes_are_sections_even_where_one_gives_no_money_or_date():
    body = """<h1>Grants and funding</h1>
      <section id="a"><h3>Stronger Communities Grant Scheme</h3><p>Between &pound;300 and &pound;25,000.</p></section>
      <section id="b"><h3>Healthy Communities Fund: Round 1</h3><p>This fund is closed.</p></section>"""
    result = page(body, BASE + "/funding/page-8.html")
    assert [c.url.rsplit("#")[1] for c in result.calls] == ["a", "b"]


@pytest.mark.parametrize("title", ["Grants we\u2019ve made", "Grants we've made", "Who we\u2019ve funded"])
def test_past_awards_titles_with_either_apostrophe(title):
    body = (f"<h1>{title}</h1><table><tr><th>Organisation</th><th>Amount</th><th>Date awarded</th></tr>"
            "<tr><td>Riverside Youth Club</td><td>&pound;20,000</td><td>25/12/2025</td></tr></table>")
    result = page(body, BASE + "/grants/awarded.html")
    assert result.kind == "noncall" and result.reason == "past awards"


def test_the_last_page_of_a_table_listing_with_one_row_is_a_listing():
    result = start("""<h1>Apply for a grant</h1><p>Below are our current and recent funding programmes.</p>
      <table><thead><tr><th>Fund</th><th>Grant size</th><th>Deadline</th></tr></thead>
      <tbody><tr><td><a href="/grants/safer/">Safer Communities Grants</a></td><td>&pound;15K</td>
        <td>Reopens 1st March 2027</td></tr></tbody></table>""", BASE + "/grants/page/16/")
    assert result.kind == "listing" and not result.calls
    (link,) = result.links
    assert link.context_fields["Deadline"] == "Reopens 1st March 2027"


def test_one_card_with_its_badge_above_the_title_is_a_listing():
    result = start("""<h1>Funding</h1><p>Find out about the grants we offer and how to apply.</p>
      <div class="c"><span>Closing soon</span><h3><a href="/grants/healthy/">Healthy Communities Fund</a></h3>
        <p>Grant size up to &pound;750</p></div>""")
    assert result.kind == "listing" and result.links[0].context_fields["Status"] == "Closing soon"


def test_fund_cards_with_read_more_links_to_the_funds_own_pages_are_a_listing_not_sections():
    card = """<article class="x"><h3>{name}</h3><p>From &pound;1,000 up to &pound;15,000. Deadline 26/05/2028.</p>
      <p><a href="{slug}.html">Read more</a></p></article>"""
    body = "<h1>Our funds</h1>" + card.format(name="Young People's Small Grants 2027/28",
                                             slug="young-peoples-small-grants-2027-28") + card.format(
        name="Climate Action Awards: Round 3", slug="climate-action-awards-round-3")
    result = page(body, BASE + "/funding/")
    assert result.kind == "listing" and not result.calls
    assert [lk.url.rsplit("/", 1)[1] for lk in result.links] == [
        "young-peoples-small-grants-2027-28.html", "climate-action-awards-round-3.html"]


@pytest.mark.parametrize("leaf", ["index.html", "index.php", "default.aspx"])
def test_read_more_links_to_each_funds_folder_index_page_are_a_listing_not_sections(leaf):
    """A fund's page often lives at its folder's index ("/young-peoples-grants/index.html"): the
    folder, not the file, spells the fund's name, so the card is a teaser to follow."""
    card = """<div class="card"><h3>{name}</h3><p>From &pound;1,000 up to &pound;15,000. Deadline 26/05/2028.</p>
      <p><a href="/funding/{slug}/{leaf}">Read more</a></p></div>"""
    body = "<h1>Grants and funding</h1><div class=cards>" + "".join(card.format(name=n, slug=s, leaf=leaf) for n, s in [
        ("Young People's Grants Programme 2027-29", "young-peoples-grants-programme-2027-29"),
        ("Community Hate Crime Grants Programme", "community-hate-crime-grants-programme")]) + "</div>"
    result = page(body, BASE + "/funding/")
    assert result.kind == "listing" and not result.calls
    assert [lk.url.rsplit("/", 2)[1] for lk in result.links] == [
        "young-peoples-grants-programme-2027-29", "community-hate-crime-grants-programme"]


def test_one_fund_card_with_a_read_more_link_is_a_listing_not_a_section():
    result = start("""<h1>Funding</h1><p>Find out about the grants we offer.</p>
      <div class="c"><h3>Young People's Small Grants: Round 6</h3><p>Grant size &pound;2,500 to &pound;150,000</p>
        <p><a href="/grants/young-peoples-small-grants-round-6/">Read more</a></p></div>""")
    assert result.kind == "listing" and not result.calls


def test_a_call_whose_words_sit_in_web_component_attributes_is_read():
    html = """<html><body><main><fund-page heading="Village Hall Fund" amount="Up to &pound;3,000"
      closing-date="1 May 2027" theme="dark" icon="coins"><p>Community groups can apply.</p></fund-page>
      </main></body></html>"""
    (call,) = analyse_page(html, BASE + "/funds/hall/").calls
    assert call.title == "Village Hall Fund"
    assert call.fields == {"amount": "Up to £3,000", "closing date": "1 May 2027"}
    assert "dark" not in call.text and "coins" not in call.text


def test_web_component_cards_with_an_href_are_a_listings_records():
    html = """<html><body><main><h1>Our funds</h1>
      <fund-card heading="Village Hall Fund" amount="Up to &pound;3,000" href="/funds/hall/"></fund-card>
      <fund-card heading="Green Fund" amount="Up to &pound;1,000" href="/funds/green/"></fund-card>
      </main></body></html>"""
    result = analyse_page(html, BASE + "/funds/")
    assert result.kind == "listing"
    assert [(lk.url, lk.anchor, lk.context_fields) for lk in result.links] == [
        (BASE + "/funds/hall/", "Village Hall Fund", {"amount": "Up to £3,000"}),
        (BASE + "/funds/green/", "Green Fund", {"amount": "Up to £1,000"})]


CALL_UNDER_NEWS = """<html><body><main><h1>Community Resilience Fund</h1><p>Support for flood-hit groups.</p>
  <dl><dt>Closing date</dt><dd>1 May 2027</dd><dt>Amount</dt><dd>Up to &pound;5,000</dd></dl></main></body></html>"""


def test_a_url_word_like_news_does_not_overrule_a_call_reached_from_a_funds_card():
    url = BASE + "/stories/community-resilience-fund/"
    assert analyse_page(CALL_UNDER_NEWS, url).reason == "news post (url)"
    card = Listing("Community Resilience Fund\nUp to £5,000, closes 1 May 2027")
    assert analyse_page(CALL_UNDER_NEWS, url, listing=card).kind == "call"


def test_the_admins_start_page_is_judged_on_its_text_not_its_address():
    result = analyse_page(CALL_UNDER_NEWS, BASE + "/news/community-resilience-fund/", explore=True)
    assert result.kind == "call"


def test_one_funds_tab_panel_under_a_general_heading_is_that_fund():
    result = start("""<h1>Grants and funding</h1><p>Below are our current and recent funding programmes.</p>
      <div class="t"><ul role="tablist"><li><a role="tab" href="#skills">Skills Community Fund</a></li></ul>
      <div role="tabpanel" id="skills"><h2>Skills Community Fund</h2>
        <p>We can fund up to &pound;25,000. Apply by Monday, 20 December 2027 at noon.</p></div></div>""")
    assert [(c.url, c.title) for c in result.calls] == [(BASE + "/grants/#skills", "Skills Community Fund")]


def test_a_funds_page_in_tab_panels_is_one_call_not_a_section_per_panel():
    body = """<h1>Knife Crime Grant Scheme</h1><p>We want to fund projects that reduce knife crime.</p>
      <div class="tabs"><div class="panel" id="tab-grant-size-0"><h2>Grant size</h2>
        <p>Funding of between &pound;300 and &pound;1,000 is available.</p></div>
      <div class="panel" id="tab-area-1"><h2>Area</h2><p>North West.</p></div></div>
      <h2>How to apply</h2><p>Complete the online form.</p>"""
    result = page(body, BASE + "/funding/knife-crime-grant-scheme.html")
    assert result.kind == "call" and result.calls[0].title == "Knife Crime Grant Scheme"


def test_a_one_row_table_whose_link_is_apply_in_the_last_cell_is_a_listing():
    result = start("""<h1>Apply for a grant</h1><p>Below are our funding programmes.</p>
      <table><tr><th>Fund</th><th>Grant size</th><th>Deadline</th><th>Link</th></tr>
      <tr><td>Road Safety Grants</td><td>A maximum of &pound;2,500</td><td>Wednesday 19 January 2028</td>
        <td><a href="/grants/road-safety-grants/">Apply</a></td></tr></table>""")
    assert result.kind == "listing" and not result.calls


def test_a_lone_funds_own_documents_and_apply_portal_do_not_make_it_a_teaser():
    result = start("""<h1>Community grants</h1><p>Read each fund's guidance before you apply.</p>
      <div role="tabpanel" id="innovation"><h2>Innovation Small Grants 2027</h2><p>Grants of up to &pound;250,000.</p>
        <p><a href="/docs/innovation-guidance.pdf">Guidance notes (PDF)</a></p>
        <p><a href="https://apply.example.org/innovation">Apply now</a></p></div>""")
    assert [c.url for c in result.calls] == [BASE + "/grants/#innovation"]


def test_the_pages_only_panel_naming_a_fund_is_that_fund_without_money_or_date():
    result = start("""<h1>Our funds</h1><p>Find out about the grants we offer.</p>
      <details id="sport"><summary>Sport Grant Scheme <span>Now closed</span></summary>
        <p>We are not currently accepting applications to this fund.</p></details>""")
    assert [(c.title, c.fields.get("Status")) for c in result.calls] == [("Sport Grant Scheme", "Now closed")]


def test_a_funds_page_with_one_panel_of_its_own_stays_one_call():
    body = """<h1>Sport Grant Scheme</h1><p>Grants of up to &pound;2,000. Apply by 1 May 2027.</p>
      <details><summary>Sport Grant Scheme rules</summary><p>Read these before you apply.</p></details>"""
    assert page(body, BASE + "/funding/sport.html").kind == "call"


def test_a_fund_page_whose_only_date_is_a_month_and_year_is_a_call():
    """Funders often first announce a round by month ("expected to open in January 2027"), with no
    day and no amount yet: that is the call's date, so the page is the fund, not a stray page."""
    body = ("<main><h1>Creative Communities Awards</h1><p>We fund projects that bring people together.</p>"
            "<h2>Deadline</h2><p>The next funding round is expected to open in January 2027.</p>"
            "<h2>Eligibility</h2><p>You can apply if you are a registered charity.</p></main>")
    result = analyse_page(f"<html><body>{body}</body></html>", "https://trust.example/funding/creative/")
    assert result.kind == "call" and result.calls[0].title == "Creative Communities Awards"
    undated = body.replace(" in January 2027", " later")
    page = analyse_page(f"<html><body>{undated}</body></html>", "https://trust.example/funding/creative/")
    assert page.kind != "call"


def test_a_fund_page_whose_only_date_is_its_application_window_is_a_call():
    """ "You can apply between 21 July 2026 and 17 August 2027" names no deadline word, yet a span of
    two dates said of applying is the window the fund takes bids in: the page is the call, reached by
    a plain link in a sentence, with no amount given."""
    body = ("<main><h1>Arts Fund 2026-28</h1><p>The aim of the programme is to fund creative arts.</p>"
            "<p>You can apply between 21 July 2026 and 17 August 2027.</p>"
            "<h2>Who can apply</h2><ul><li>Schools</li><li>CICs</li></ul></main>")
    url = "https://trust.example/what-we-do/funding/arts-fund.html"
    result = analyse_page(f"<html><body>{body}</body></html>", url)
    assert result.kind == "call" and result.calls[0].title == "Arts Fund 2026-28"
    for other in ("from 1 May 2027 to 30 June 2027", "1 May 2027 – 30 June 2027"):
        page = analyse_page(f"<html><body>{body.replace('between 21 July 2026 and 17 August 2027', other)}"
                            "</body></html>", url)
        assert page.kind == "call", other
    # a span that is the project's, not the applications', is no window to apply in
    project = body.replace("You can apply between", "Projects run between")
    assert analyse_page(f"<html><body>{project}</body></html>", url).kind != "call"


def test_a_closed_funds_panel_among_fund_panels_is_a_fund_without_a_date_or_sum():
    """An accordion of funds on a listing page: a closed fund's panel often gives neither a date nor a
    sum ("We are not currently accepting applications"), yet it names a fund and says who may apply,
    like its siblings. A panel beside them that names no fund stays out."""
    result = page("""<h1>Current funding opportunities</h1>
      <details id="safety"><summary>Community Safety Grant Scheme 2027</summary>
        <p>Grants from &pound;1,000. You can apply between 4 August 2026 and 3 February 2028.</p></details>
      <details id="active"><summary>Active Communities Grants 2024-26</summary>
        <p>This fund is closed.</p><h3>Status</h3><p>We are not currently accepting applications.</p>
        <h4>Who can apply</h4><p>The fund is open to faith groups and CICs.</p></details>
      <details id="youth"><summary>Youth Activities Fund</summary>
        <p>A maximum of &pound;750. Opens 21 July 2026, closes 22 Dec 2027.</p></details>
      <details id="help"><summary>Help with your application</summary>
        <p>Call us before you apply.</p></details>""", BASE + "/funding/page-2.html")
    assert [c.url.rsplit("#")[1] for c in result.calls] == ["safety", "active", "youth"]
