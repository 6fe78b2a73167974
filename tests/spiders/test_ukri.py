from scrapy.http import XmlResponse

from spiders.sites import UkriFeedSpider, UkriHtmlSpider, spider_for
from tests.spiders.helpers import fixture, make_spider, response, run

FEED = "https://www.ukri.org/opportunity/feed/"
DETAIL = "https://www.ukri.org/opportunity/policing-and-crime-research-partnerships/"


def test_registry():
    assert spider_for("rss", FEED) is UkriFeedSpider
    assert spider_for("html", "https://www.ukri.org/opportunity/") is UkriHtmlSpider


def test_feed_links_are_cleaned_and_detail_dl_is_read():
    s = make_spider(UkriFeedSpider, FEED)
    _, requests = run(s.parse, response(FEED, fixture("ukri/feed.xml"), cls=XmlResponse))
    assert [r.url for r in requests] == [
        DETAIL, "https://www.ukri.org/opportunity/knowledge-exchange-fellowships-place-based-public-services/"]
    (call,), _ = run(s.parse_item, response(DETAIL, fixture("ukri/detail.html")), **requests[0].cb_kwargs)
    assert call.title == "Policing and crime research partnerships"
    assert call.funder == "Economic and Social Research Council (ESRC)"
    assert call.fields["Award range"] == "£150,000 - £400,000" and call.fields["Total fund"] == "£3,000,000"
    assert call.structured == {"deadline": "2027-02-10T16:00:00", "opens": "2026-11-10T09:00:00", "status": "open"}
    assert "Related opportunities" not in call.text and "cookies" not in call.text


def test_listing_cards_and_pagination():
    s = make_spider(UkriHtmlSpider, "https://www.ukri.org/opportunity/")
    _, requests = run(s.parse, response("https://www.ukri.org/opportunity/", fixture("ukri/listing.html"),
                                        meta={"tracker_depth": 0}))
    urls = [r.url for r in requests]
    assert urls[:2] == [DETAIL, "https://www.ukri.org/opportunity/knowledge-exchange-fellowships-place-based-"
                                "public-services/"]
    assert "https://www.ukri.org/opportunity/page/2/" in urls
    assert not any("councils" in u for u in urls)
    assert requests[1].meta["listing_fields"]["Opportunity status"] == "Upcoming"
    (call,), more = run(s.parse, response(DETAIL, fixture("ukri/detail.html"), meta=requests[0].meta))
    assert call.structured["status"] == "open" and more == []
