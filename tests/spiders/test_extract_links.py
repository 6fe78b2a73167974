import pytest

from spiders.extract.content import main_content, parse_html
from spiders.extract.links import item_links, pagination_links, web_url
from tests.spiders.helpers import DEVSET

URL = "http://funders.test/funding/index.html"


def links(html: str, url: str = URL, **kw):
    doc = parse_html(html)
    return item_links(main_content(doc), url, **kw)


def test_cards_relative_and_root_relative_links_with_card_facts():
    html = """<main><h1>Funding</h1><div class="cards">
      <div class="card"><h2><a href="a.html">Fund A</a></h2><p>Open – closes 5pm on 17/09/2027</p>
      <dl><dt>Funding size</dt><dd>£300 to £20,000</dd></dl></div>
      <div class="card"><h2><a href="/funding/b.html#top">Fund B</a></h2><p>Closed</p></div>
      <div class="card"><a href="mailto:x@y.z">Email</a> <a href="guide.pdf">Guide</a>
      <a href="https://elsewhere.example/c">Elsewhere</a></div></div></main>"""
    found = links(html)
    assert [lk.url for lk in found] == ["http://funders.test/funding/a.html", "http://funders.test/funding/b.html"]
    a = found[0]
    assert a.in_item and "closes 5pm on 17/09/2027" in a.context_text
    assert a.context_fields == {"Funding size": "£300 to £20,000"}


def test_table_rows_give_their_cells_as_fields():
    html = """<main><table><thead><tr><th>Fund</th><th>Deadline</th><th>Link</th></tr></thead><tbody>
      <tr><td>Fund A</td><td>5pm on 14/01/2028</td><td><a href="a.html">Details</a></td></tr>
      <tr><td>Fund B</td><td>Rolling</td><td><a href="b.html">Details</a></td></tr></tbody></table></main>"""
    a, b = links(html)
    assert a.context_fields["Deadline"] == "5pm on 14/01/2028" and a.context_fields["Fund"] == "Fund A"
    assert b.context_fields["Deadline"] == "Rolling"


def test_link_pattern_limits_links():
    html = '<main><ul><li><a href="/opportunity/x/">X</a></li><li><a href="/councils/y/">Y</a></li></ul></main>'
    assert [lk.url for lk in links(html, link_pattern=r"/opportunity/")] == ["http://funders.test/opportunity/x/"]


def test_pagination_govuk_rel_next_and_numbers():
    doc = parse_html((DEVSET / "find-grant/grants/index.html").read_text())
    pages = pagination_links(doc, "http://funders.test/find-grant/grants/index.html")
    assert pages == ["http://funders.test/find-grant/grants/page-2.html",
                     "http://funders.test/find-grant/grants/page-3.html"]


def test_pagination_next_text_and_wordpress_page_numbers():
    html = """<main><p><a href="/news/">News</a></p></main><div class="nav-links">
      <a class="page-numbers" href="/funds/page/2/">2</a></div><p><a href="?page=3">Next</a></p>"""
    pages = pagination_links(parse_html(html), "http://funders.test/funds/")
    assert pages == ["http://funders.test/funds/page/2/", "http://funders.test/funds/?page=3"]


@pytest.mark.parametrize(("href", "url"), [
    ("/grants/a", "https://funder.test/grants/a"),
    ("//cdn.funder.test/grants/b", "https://cdn.funder.test/grants/b"),
    ("http://other.test/c#apply", "http://other.test/c#apply"),
    ("mailto:grants@funder.test", None), (" JavaScript:void(0)", None), ("java\tscript:alert(1)", None),
    ("data:text/html,<h1>x</h1>", None), ("ftp://funder.test/x", None), ("", None), (None, None),
])
def test_web_url_resolves_links_and_keeps_only_http(href, url):
    assert web_url(href, "https://funder.test/funding/index.html") == url


def pages(html: str, url: str = "http://funders.test/funds/"):
    return pagination_links(parse_html(html), url)


def test_pagination_rel_next_on_a_link_element_and_an_anchor_with_other_rels():
    head = '<html><head><link rel="next" href="/funds/?page=2"></head><body><main><p>x</p></main></body></html>'
    assert pages(head) == ["http://funders.test/funds/?page=2"]
    anchor = '<main><a rel="nofollow next" href="/funds/p2/">&rarr;</a></main>'
    assert pages(anchor) == ["http://funders.test/funds/p2/"]


def test_pagination_numbered_links_without_any_pagination_markup():
    html = """<main><ul><li><a href="/funds/a/">A fund</a></li></ul>
      <div><span>1</span> <a href="/funds/?pg=2">2</a> <a href="/funds/?pg=3">3</a></div>
      <p><a href="/reports/2027/">2027</a> <a href="/funds/round-4/">Round</a></p></main>"""
    assert pages(html) == ["http://funders.test/funds/?pg=2", "http://funders.test/funds/?pg=3"]


def test_pagination_same_listing_with_another_page_number_whatever_the_anchor():
    html = """<main><a href="/funds/page/2/"><img alt=""></a> <a href="/funds/?page=4">last</a>
      <a href="/news/page/2/">News</a> <a href="/funds/?page=1">first</a></main>"""
    assert pages(html) == ["http://funders.test/funds/page/2/", "http://funders.test/funds/?page=4"]
    assert pages('<main><a href="page-3.html">x</a></main>', "http://funders.test/grants/page-2.html") == [
        "http://funders.test/grants/page-3.html"]


@pytest.mark.parametrize("text", ["Older posts \u2192", "Older entries &raquo;", "Next page \u203a", "Load more",
                                  "Show more", "&raquo;"])
def test_pagination_next_and_older_and_load_more_anchors(text):
    assert pages(f'<main><a href="/funds/more-a">{text}</a></main>') == ["http://funders.test/funds/more-a"]


def test_pagination_previous_page_in_a_pager_is_not_a_next_page():
    html = """<nav aria-label="Results pages"><a rel="prev" href="/funds/?page=1">Previous</a>
      <a href="/funds/?page=3">3</a></nav>"""
    assert pages(html, "http://funders.test/funds/?page=2") == ["http://funders.test/funds/?page=3"]


def test_card_badges_are_statuses_not_part_of_the_link_text():
    html = """<main><h1>Funds</h1><ul>
      <li><h3><a href="/f/a/">Alpha Fund <span>Closing soon</span></a></h3><p>Up to £5,000</p></li>
      <li><h3><a href="/f/b/">Beta Fund</a> <mark>Closed</mark></h3><p>Up to £2,000</p></li>
      <li><span>Open</span><h3><a href="/f/c/">Gamma Fund</a></h3><p>Up to £1,000</p></li>
      <li><h3><a href="/f/d/">Delta Fund</a></h3><p>Up to £9,000 by 1 May 2027</p></li></ul></main>"""
    found = {lk.anchor: lk.context_fields.get("Status") for lk in links(html)}
    assert found == {"Alpha Fund": "Closing soon", "Beta Fund": "Closed", "Gamma Fund": "Open", "Delta Fund": None}


def test_pagination_block_previous_and_first_links_are_not_next_pages():
    html = """<p class="pager"><a href="/funds/index.html">Previous</a> | <a href="/funds/first">&laquo; First</a>
      <a href="/funds/page-3.html">Next</a></p>"""
    assert pages(html, "http://funders.test/funds/page-2.html") == ["http://funders.test/funds/page-3.html"]


def test_pagination_goes_forward_only_from_a_later_page():
    html = """<main><a href="../26/">Newer posts &raquo;</a> <a href="../28/">&laquo; Older posts</a>
      <span><a href="/funds/page/1/">1</a> <a href="/funds/page/26/">26</a>
      <a href="/funds/page/29/">29</a></span></main>"""
    assert pages(html, "http://funders.test/funds/page/27/") == [
        "http://funders.test/funds/page/28/", "http://funders.test/funds/page/29/"]


def test_a_linked_term_or_heading_takes_the_facts_that_follow_it_into_its_record():
    html = """<main><h1>Funding</h1><dl>
      <dt><a href="/f/climate.html">Climate Action Fund</a> <span>Closed</span></dt><dd>Grant size: up to £3,000</dd>
        <dd>Closing date: 26 September 2025</dd>
      <dt><a href="/f/youth.html">Young People's Fund</a></dt><dd>When to apply: Ongoing</dd></dl>
      <h3><a href="/f/arts.html">Arts Grants</a></h3><p>Deadline: 1 May 2027</p><p>Up to £500</p>
      <h3><a href="/f/sport.html">Sport Grants</a></h3><p>Deadline: 2 June 2027</p></main>"""
    found = {lk.anchor: (lk.context_text, lk.context_fields) for lk in links(html)}
    assert found["Climate Action Fund"][1] == {"Grant size": "up to £3,000", "Closing date": "26 September 2025",
                                               "Status": "Closed"}
    assert found["Young People's Fund"][1] == {"When to apply": "Ongoing"}
    assert found["Arts Grants"][0] == "Arts Grants\nDeadline: 1 May 2027\nUp to £500"
    assert found["Sport Grants"][1] == {"Deadline": "2 June 2027"}


def test_records_are_found_by_structure_whatever_their_class_names():
    html = """<main><h1>Funds</h1><div class="zq1"><div class="x9"><h3><a href="/f/a/">Alpha Fund</a></h3>
      <p>Up to £5,000</p></div><div class="x9"><h3><a href="/f/b/">Beta Fund</a></h3><p>Up to £2,000</p></div>
      <div class="x9"><img src="b.png" alt=""><a href="/f/c/">Gamma Fund</a><p>Up to £1,000</p></div></div></main>"""
    found = links(html)
    assert [(lk.anchor, lk.in_item) for lk in found] == [("Alpha Fund", True), ("Beta Fund", True),
                                                         ("Gamma Fund", True)]
    assert found[2].context_text == "Gamma Fund\nUp to £1,000"


def test_a_numbered_pager_does_not_lead_back_to_the_first_or_earlier_pages():
    html = """<div class="pagination"><a href="/funds/">1</a> <a href="/funds/page-2.html">2</a>
      <a href="/funds/page-4.html">4</a></div>"""
    assert pages(html, "http://funders.test/funds/page-3.html") == ["http://funders.test/funds/page-4.html"]
