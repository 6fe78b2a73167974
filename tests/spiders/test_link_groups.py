"""Groups of similar links on a start page, and the link pattern each one gives a source."""

import re

from spiders.extract.content import main_content, parse_html
from spiders.extract.link_groups import link_groups
from spiders.extract.links import item_links

START = "https://www.funder.org.uk/funding/"
PAGE = """<html><body><header><nav><a href="/">Home</a> <a href="/about/">About us</a></nav></header>
<div class="breadcrumb"><a href="/">Home</a> <a href="/funding/">Funding</a></div>
<main><h1>Funding</h1><p>Read our <a href="/guidance/how-to-apply/">guidance on applying</a> first.</p>
<h2>Open funds</h2><ul>
  <li><a href="/funding/youth-fund/">Youth Fund</a> closes 3 March</li>
  <li><a href="/funding/safer-streets/">Safer Streets</a></li>
  <li><a href="/funding/community-fund/">Community Fund</a></li></ul>
<table><caption>Past rounds</caption><tr><th>Round</th><th>Closed</th></tr>
  <tr><td><a href="/rounds/2023/12">Round 12</a></td><td>May 2023</td></tr>
  <tr><td><a href="/rounds/2024/13">Round 13</a></td><td>May 2024</td></tr></table>
<nav class="pagination"><a rel="next" href="/funding/?page=2">Next</a></nav></main>
<footer><a href="/privacy/">Privacy</a> <a href="https://elsewhere.example/">Partner</a></footer></body></html>"""


def test_groups_by_url_shape_and_place_biggest_first():
    groups = link_groups(PAGE, START)
    assert [g.describe() for g in groups] == [
        '3 links like /funding/<name>/ in a list under "Open funds"',
        '2 links like /rounds/<n>/<n> in a table under "Past rounds"',
        '1 link like /guidance/<name>/ in the text under "Funding"',
    ]
    assert groups[0].anchors == ["Youth Fund", "Safer Streets", "Community Fund"]


def test_navigation_footer_breadcrumbs_pagination_home_and_other_sites_are_not_grouped():
    urls = {u for g in link_groups(PAGE, START) for u in g.urls}
    assert not any(p in u for u in urls for p in ("/about/", "/privacy/", "page=2", "elsewhere"))
    assert "https://www.funder.org.uk/" not in urls and START not in urls


def test_each_pattern_selects_its_own_links_and_no_others():
    groups = link_groups(PAGE, START)
    every = [u for g in groups for u in g.urls] + [START, "https://www.funder.org.uk/funding/?page=2",
                                                  "https://www.funder.org.uk/funding/youth-fund/apply/"]
    for g in groups:
        assert [u for u in every if re.search(g.pattern, u)] == g.urls


def test_a_picked_pattern_makes_the_listing_follow_exactly_that_group():
    picked = link_groups(PAGE, START)[1]
    followed = item_links(main_content(parse_html(PAGE)), START, link_pattern=picked.pattern)
    assert [lk.url for lk in followed] == picked.urls


def test_cards_with_two_links_each_make_two_groups_in_cards():
    cards = "".join(f'<div class="card"><h3><a href="/grants/{n}">{n.title()}</a></h3><p>Grants for {n}.</p>'
                    f'<p><a href="/apply/{n}.aspx">Apply now</a></p></div>' for n in ("arts", "sport", "heritage"))
    html = f"<html><body><main><h1>Our grants</h1><div class='grid'>{cards}</div></main></body></html>"
    described = [g.describe() for g in link_groups(html, "https://trust.example/grants")]
    assert described == ['3 links like /grants/<name> in cards under "Our grants"',
                         '3 links like /apply/<name>.aspx in cards under "Our grants"']


def test_links_told_apart_by_their_query_string():
    rows = "".join(f'<p><a href="/Grant.aspx?id={i}">Grant {i}</a></p>' for i in (4, 17, 23))
    html = f"<html><body><main><h1>Grants</h1>{rows}</main></body></html>"
    (group,) = link_groups(html, "https://council.example/Grants.aspx")
    assert group.describe() == "3 links like /Grant.aspx?id=<n> in the text under \"Grants\""
    assert re.search(group.pattern, "https://council.example/Grant.aspx?id=99")
    assert not re.search(group.pattern, "https://council.example/Grant.aspx?id=99&print=1")


def test_one_shape_in_two_places_is_one_choice_naming_both():
    html = ("<html><body><main><h1>Funds</h1><h2>Open</h2><ul>"
            + "".join(f'<li><a href="/funds/{n}/">{n}</a></li>' for n in ("a", "b", "c"))
            + '</ul><h2>Also</h2><p>See also the <a href="/funds/d/">D fund</a>.</p></main></body></html>')
    (group,) = link_groups(html, "https://funder.example/funds/")
    assert group.count == 4
    assert group.describe() == '4 links like /funds/<name>/ in a list under "Open" (1 in the text under "Also")'


def test_a_page_with_one_fund_link_has_a_group_of_one():
    html = ('<html><body><main><h1>Grants</h1><p>We run one grant programme: the '
            '<a href="/grants/village-halls">Village Halls Fund</a>.</p></main></body></html>')
    (group,) = link_groups(html, "https://parish.example/grants")
    assert group.describe() == '1 link like /grants/<name> in the text under "Grants"'
    assert group.as_dict()["examples"] == [{"url": "https://parish.example/grants/village-halls",
                                            "text": "Village Halls Fund"}]


def test_patterns_escape_only_what_regexes_need():
    html = ('<html><body><main><h1>Grants</h1><ul><li><a href="/fen-valley/grants+aid/a.html">A</a></li>'
            '<li><a href="/fen-valley/grants+aid/b.html">B</a></li></ul></main></body></html>')
    (group,) = link_groups(html, "https://fen.example/")
    assert group.pattern == r"^https?://[^/]+/fen-valley/grants\+aid/[^/?#]+\.html$"
    assert all(re.search(group.pattern, u) for u in group.urls)


def test_numbered_pages_and_folders_are_one_shape():
    html = ("<html><body><main><h1>Calls</h1><ul>"
            + "".join(f'<li><a href="/calls/{y}/{n}">Call {n}</a></li>'
                      for y, n in ((2026, 88), (2027, 91), (2027, 95)))
            + "</ul></main></body></html>")
    (group,) = link_groups(html, "https://ukri.example/calls/")
    assert group.shape == "/calls/<n>/<n>" and group.pattern == r"^https?://[^/]+/calls/\d+/\d+$"
    assert not re.search(group.pattern, "https://ukri.example/calls/2027/open-call")


def test_boxes_with_a_plain_heading_are_described_as_cards():
    """A heading holding only text still makes its box a card (an element with no children is
    false in lxml, so "has a heading" must not be asked by truth-testing the element)."""
    page = """<html><body><main><h1>Grants</h1>
      <div><h3>Youth Fund</h3><a href="/grants/youth/">Read more</a></div>
      <div><h3>Arts Fund</h3><a href="/grants/arts/">Read more</a></div></main></body></html>"""
    (group,) = link_groups(page, "https://trust.example/grants/")
    assert "in cards" in group.describe()
