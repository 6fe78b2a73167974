from scrapy.http import Request, Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from spiders.sites import FeedSpider
from tests.spiders.helpers import BASE, devset_response, make_spider, run, stat

FEED = "/cambs-cf/feed/grants.xml"


def test_feed_items_become_detail_requests_and_news_is_skipped():
    s = make_spider(FeedSpider, BASE + FEED, funder="Cambridgeshire Community Foundation")
    items, requests = run(s.parse, devset_response(FEED))
    assert items == [] and len(requests) == 9
    assert all(isinstance(r, Request) and r.url.startswith(BASE + "/cambs-cf/grants/") for r in requests)
    assert s.skipped == [(BASE + "/cambs-cf/news/autumn-2026-grants-awarded.html", "news item (category 'News')")]
    assert stat(s, "tracker/skipped_non_call") == 1


def test_detail_page_call_keeps_the_feed_text():
    s = make_spider(FeedSpider, BASE + FEED)
    _, requests = run(s.parse, devset_response(FEED))
    request = next(r for r in requests if "peterborough-think" in r.url)
    path = "/cambs-cf/grants/peterborough-think-communities-fund.html"
    (call,), _ = run(s.parse_item, devset_response(path), **request.cb_kwargs)
    assert call.url == BASE + path and call.title == "Peterborough Think Communities Fund"
    assert call.funder == "Peterborough City Council"
    assert call.fields["Deadline"] == "23:59 on 1 Aug"
    assert "Apply by 23:59 on 1 Aug." in call.listing_text
    assert call.listing_fields["Category"] == "Open funds"


def test_detail_title_wins_over_the_feed_title():
    s = make_spider(FeedSpider, BASE + FEED)
    _, requests = run(s.parse, devset_response(FEED))
    request = next(r for r in requests if "fire-community-safety" in r.url)
    (call,), _ = run(s.parse_item, devset_response("/cambs-cf/grants/fire-community-safety-fund.html"),
                     **request.cb_kwargs)
    assert call.title == "Cambridgeshire Fire and Rescue Community Safety Fund"
    assert call.listing_fields["Feed title"] == "Coming soon: Fire and Rescue Community Safety Fund"


def test_failed_item_page_falls_back_to_the_feed_item():
    s = make_spider(FeedSpider, BASE + FEED)
    _, requests = run(s.parse, devset_response(FEED))

    failure = Failure(HttpError(Response(requests[1].url, status=404, request=requests[1]), "404"))
    failure.request = requests[1]  # as Scrapy hands it to an errback
    (call,) = list(s.item_failed(failure))
    assert call.url == requests[1].url and call.title == "Peterborough Think Communities Fund"
    assert "£500 to £5k" in call.text


def test_an_entry_without_a_link_is_a_call_only_when_it_reads_as_one():
    from scrapy.http import XmlResponse

    from tests.spiders.helpers import response

    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Funding</title>
      <entry><id>tag:pfcc.example,2026:roadshow</id><title>Summer of safety roadshow dates announced</title>
        <updated>2026-10-29T09:00:00Z</updated>
        <summary>The safety roadshow will visit Corby and Kettering between 3 and 17 May 2027.</summary></entry>
      <entry><id>tag:pfcc.example,2026:safer-streets</id><title>Safer Streets Summer Grants</title>
        <updated>2026-10-20T09:00:00Z</updated>
        <summary>Community groups can apply for grants between \xc2\xa32,000 and \xc2\xa312,000.
          Closing date 14 May.</summary>
      </entry></feed>"""
    s = make_spider(FeedSpider, BASE + "/feeds/funding.atom")
    items, requests = run(s.parse, response(BASE + "/feeds/funding.atom", atom, cls=XmlResponse))
    assert [i.title for i in items] == ["Safer Streets Summer Grants"] and requests == []
    assert any("roadshow" in url and "without a link" in why for url, why in s.skipped)
