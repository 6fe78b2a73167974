import pytest

from spiders.extract.feeds import FeedError, clean_link, entry_anchor, news_reason, parse_feed
from tests.spiders.helpers import BASE, DEVSET, FIXTURES

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Announcements</title>
<entry><title>Safer Streets Fund: round 7 prospectus</title>
<link rel="alternate" type="text/html" href="https://www.gov.uk/government/publications/safer-streets-7"/>
<id>tag:gov.uk,1</id><updated>2026-11-01T10:00:00Z</updated>
<summary type="html">&lt;p&gt;Bids of up to &amp;pound;750,000. Closes 30 July 2027.&lt;/p&gt;</summary>
<category term="guidance"/></entry>
<entry><title>Minister visits youth project</title><link href="/government/news/visit"/>
<summary>Press release</summary><category term="News story"/></entry>
</feed>"""


def test_rss_cdata_and_escaped_html_descriptions():
    entries = parse_feed((DEVSET / "cambs-cf/feed/grants.xml").read_bytes(), BASE + "/cambs-cf/feed/grants.xml")
    assert len(entries) == 10
    first = entries[0]
    assert first.link == BASE + "/cambs-cf/grants/pcc-youth-and-community-fund.html"
    assert first.text.split("\n") == [
        "The Police and Crime Commissioner's fund for grassroots youth and community projects is now open. "
        "Groups can apply for up to £3,000.", "The closing date is 5pm on Friday 17 September 2027."]
    fenland = entries[2]
    assert fenland.text.split("\n")[-1] == "Closing date: 14.09.27"
    assert "<p>" not in fenland.text
    assert [news_reason(e) is not None for e in entries].count(True) == 1
    assert "News" in news_reason(entries[-1])


def test_atom_entries_links_and_news():
    entries = parse_feed(ATOM, "https://www.gov.uk/search/all.atom")
    assert entries[0].link == "https://www.gov.uk/government/publications/safer-streets-7"
    assert entries[0].text == "Bids of up to £750,000. Closes 30 July 2027."
    assert news_reason(entries[0]) is None
    assert entries[1].link == "https://www.gov.uk/government/news/visit"
    assert news_reason(entries[1])


def test_utm_parameters_are_dropped():
    assert clean_link("https://x.org/o/a/?utm_source=rss&utm_medium=rss") == "https://x.org/o/a/"
    assert clean_link("https://x.org/o/?id=3&utm_source=rss") == "https://x.org/o/?id=3"
    entries = parse_feed((FIXTURES / "ukri/feed.xml").read_bytes(), "https://www.ukri.org/opportunity/feed/")
    assert entries[0].link == "https://www.ukri.org/opportunity/policing-and-crime-research-partnerships/"


def test_windows_1252_feed_is_decoded():
    body = ('<?xml version="1.0" encoding="windows-1252"?><rss version="2.0"><channel><item>'
            "<title>Caf\u00e9 grants \u2013 up to \u00a3500</title><link>http://x.test/a</link>"
            "</item></channel></rss>").encode("cp1252")
    (entry,) = parse_feed(body, "http://x.test/feed")
    assert entry.title == "Caf\u00e9 grants \u2013 up to \u00a3500"


def test_a_news_url_alone_does_not_make_a_feed_item_news():
    from spiders.extract.feeds import FeedEntry

    call = FeedEntry(title="Rural Business Grants", link="http://x.test/news/articles/rural-business-grants.html")
    assert news_reason(call) is None  # the page decides (spiders.extract.page)
    assert news_reason(FeedEntry(title="Walking football", link="http://x.test/stories/walking.html"))
    assert news_reason(FeedEntry(title="£48,000 awarded to 19 groups", link="http://x.test/news/a.html"))


def test_entries_without_links_get_distinct_section_urls():
    from spiders.sites.feed import entry_call
    from tracker.normalize.urls import canonical_url

    feed = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><id>tag:pfcc.example,2026:funding/fund-a</id><title>Fund A</title><summary>Up to 1000</summary></entry>
      <entry><id>tag:pfcc.example,2026:funding/fund-b</id><title>Fund B</title><summary>Up to 2000</summary></entry>
    </feed>"""
    entries = parse_feed(feed, BASE + "/feeds/funding.atom")
    assert [e.link for e in entries] == ["", ""]
    assert entry_anchor(entries[0]) == "tag:pfcc.example-2026:funding-fund-a"
    urls = {canonical_url(entry_call(e, BASE + "/feeds/funding.atom", None).url) for e in entries}
    assert len(urls) == 2 and all("#tag:" in u for u in urls)


def test_a_link_that_is_not_a_web_address_gives_way_to_the_next_or_leaves_the_entry_linkless():
    atom = b"""<feed xmlns="http://www.w3.org/2005/Atom">
      <entry><title>A</title><link rel="alternate" href="mailto:grants@x.test"/>
        <link rel="alternate" href="/grants/a"/></entry>
      <entry><title>B</title><link href="javascript:void(0)"/></entry></feed>"""
    a, b = parse_feed(atom, "https://x.test/feed.atom")
    assert (a.link, a.refused_link) == ("https://x.test/grants/a", "")
    assert (b.link, b.refused_link) == ("", "javascript:void(0)")
    rss = b"""<rss version="2.0"><channel><item><title>C</title><link> DATA:text/html,x</link>
      <guid>https://x.test/grants/c</guid></item></channel></rss>"""
    (c,) = parse_feed(rss, "https://x.test/feed.xml")
    assert c.link == "https://x.test/grants/c"


@pytest.mark.parametrize(("body", "why"), [
    (b"", "empty response"),
    (b"<html><body><h1>Grants</h1></body></html>", "the document is <html>, not RSS or Atom"),
    (b"<b>Warning</b>: database down<br />\n<?xml version='1.0'?><rss><channel></channel></rss>",
     "Extra content at the end of the document"),
    (b'{"error": "feed unavailable"}', "Start tag expected"),
])
def test_a_body_that_is_no_feed_is_refused_with_the_reason(body, why):
    with pytest.raises(FeedError, match="^the feed could not be parsed: ") as refused:
        parse_feed(body, "https://x.test/feed.xml")
    assert why in str(refused.value) and "<string>" not in str(refused.value)


def test_a_feed_cut_short_keeps_the_entries_it_has():
    cut = (b'<?xml version="1.0"?><rss version="2.0"><channel><item><title>Safer Streets Fund</title>'
           b"<link>/grants/a</link></item><item><title>Youth Fu")
    entries = parse_feed(cut, "https://x.test/feed.xml")
    assert entries[0].title == "Safer Streets Fund" and entries[0].link == "https://x.test/grants/a"
