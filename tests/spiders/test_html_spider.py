import asyncio

from scrapy.http import HtmlResponse

from spiders.sites import GenericHtmlSpider
from tests.spiders.helpers import BASE, devset_response, make_spider, response, run, stat
from tracker.normalize.raw import RawCall

LISTING = "/cambs-pcc/commissioning-and-grants/index.html"


def spider(start: str = LISTING, **kw) -> GenericHtmlSpider:
    return make_spider(GenericHtmlSpider, BASE + start, funder="Cambs PCC", **kw)


def test_contract_kwargs_and_start_request():
    s = spider(overrides={"link_pattern": "grants"}, crawl_run_id=7)
    assert (s.source_name, s.start_url, s.funder, s.link_pattern) == ("test source", BASE + LISTING, "Cambs PCC",
                                                                      "grants")
    assert s.crawl_run_id == 7 and s.skipped == []

    async def first():
        return [r async for r in s.start()]

    (request,) = asyncio.run(first())
    assert request.url == BASE + LISTING and request.meta["tracker_depth"] == 0


def test_listing_follows_cards_lists_and_inline_links_with_context():
    s = spider()
    items, requests = run(s.parse, devset_response(LISTING, meta={"tracker_depth": 0}))
    assert items == []
    urls = {r.url.removeprefix(BASE + "/cambs-pcc/commissioning-and-grants/") for r in requests}
    assert {"youth-and-community-fund.html", "crime-and-disorder-reduction-grants.html",
            "youth-mentoring-diversion-tender.html", "road-safety-community-fund.html",
            "past-awards.html"} <= urls
    assert not any("news" in u or u.endswith(".json") for u in urls)  # sidebar news, OCDS link
    youth = next(r for r in requests if r.url.endswith("/youth-and-community-fund.html"))
    assert "closes 5pm on 17/09/2027" in youth.meta["listing_text"]
    assert youth.meta["tracker_depth"] == 1
    assert stat(s, "tracker/pages") == 1


def test_detail_page_gets_listing_only_deadline():
    s = spider()
    _, requests = run(s.parse, devset_response(LISTING, meta={"tracker_depth": 0}))
    youth = next(r for r in requests if r.url.endswith("/youth-and-community-fund.html"))
    path = "/cambs-pcc/commissioning-and-grants/youth-and-community-fund.html"
    (call,), more = run(s.parse, devset_response(path, meta=youth.meta))
    assert isinstance(call, RawCall) and more == []
    assert call.title == "Youth and Community Fund" and call.funder == "Cambs PCC"
    assert "17/09/2027" in call.listing_text and "17/09/2027" not in call.text


def test_non_call_pages_are_recorded_not_yielded():
    s = spider()
    for path in ("/cambs-pcc/commissioning-and-grants/past-awards.html",
                 "/cambs-pcc/news/commissioner-boosts-local-safety-partnerships.html"):
        items, requests = run(s.parse, devset_response(path, meta={"tracker_depth": 1}))
        assert items == [] and requests == []
    assert [reason for _, reason in s.skipped] == ["past awards", "news post (url)"]
    assert stat(s, "tracker/skipped_non_call") == 2


def test_pagination_is_followed_at_the_same_depth():
    s = spider("/find-grant/grants/index.html")
    _, requests = run(s.parse, devset_response("/find-grant/grants/index.html", meta={"tracker_depth": 0}))
    pages = [r for r in requests if "page-" in r.url]
    assert {r.url for r in pages} == {BASE + "/find-grant/grants/page-2.html", BASE + "/find-grant/grants/page-3.html"}
    assert all(r.meta["tracker_depth"] == 0 for r in pages)
    assert len(requests) - len(pages) == 7


def test_single_call_start_page_and_sections():
    s = spider("/cumbria-pcc/what-we-do/funding/property-fund.html")
    (call,), _ = run(s.parse, devset_response("/cumbria-pcc/what-we-do/funding/property-fund.html"))
    assert call.title == "Property Fund" and "17:00 on Friday 15 October 2027" in call.text
    s = spider("/cheshire-pcc/what-i-do/community-funding.html")
    calls, _ = run(s.parse, devset_response("/cheshire-pcc/what-i-do/community-funding.html"))
    assert [c.url.split("#")[1] for c in calls] == ["community-action-fund", "community-cashback-fund"]


def test_declared_windows_1252_page_is_decoded():
    body = ('<html><head><meta charset="windows-1252"><title>x</title></head><body><main>'
            "<h1>Caf\u00e9 Safety Fund</h1><p>Grants up to \u00a35,000 \u2013 apply by 1 May 2027.</p>"
            "</main></body></html>").encode("cp1252")
    s = spider("/cafe.html")
    (call,), _ = run(s.parse, response(BASE + "/cafe.html", body, cls=HtmlResponse))
    assert call.title == "Caf\u00e9 Safety Fund" and "\u00a35,000 \u2013 apply" in call.text


def test_selectors_override_fields():
    s = spider("/cumbria-pcc/what-we-do/funding/property-fund.html",
               overrides={"selectors": {"deadline": ".callout p:nth-of-type(2) strong", "title": "//h1"}})
    (call,), _ = run(s.parse, devset_response("/cumbria-pcc/what-we-do/funding/property-fund.html"))
    assert call.fields["deadline"] == "17:00 on Friday 15 October 2027"
    assert call.title == "Property Fund"


def test_numbered_pagination_counts_each_listing_page_once_and_the_limit_is_said():
    from scrapy.utils.test import get_crawler

    from spiders.extract.page import PageResult

    crawler = get_crawler(GenericHtmlSpider, {"TRACKER_MAX_LISTING_PAGES": 5})
    s = GenericHtmlSpider.from_crawler(crawler, source_name="numbered", start_url=BASE + "/grants?page=1")
    numbered = [BASE + f"/grants?page={n}" for n in range(1, 11)]  # every page links to all ten
    first = list(s.follow_listing(PageResult(BASE + "/grants?page=1", "listing", "", next_pages=numbered), 0))
    assert [r.url for r in first] == numbered[1:5] and all(r.priority > 0 for r in first)
    assert s.stopped.startswith(f"stopped after 5 listing pages; the next one, {numbered[5]}, was not read")
    again = list(s.follow_listing(PageResult(numbered[1], "listing", "", next_pages=numbered), 0))
    assert again == [] and stat(s, "tracker/listing_page_limit") == 1
    assert s.skipped == [(numbered[5], "listing page limit reached: " + s.stopped)]


def html(body: str) -> bytes:
    return f"<html><head><title>t</title></head><body><main>{body}</main></body></html>".encode()


def test_a_start_page_with_one_fund_link_leads_to_that_funds_call():
    s = spider("/grants/")
    items, (request,) = run(s.parse, response(BASE + "/grants/", html(
        "<h1>Grants</h1><p>We have one fund at the moment: <a href='/grants/hall/'>Village Hall Fund</a>.</p>"),
        meta={"tracker_depth": 0}))
    assert items == [] and request.url == BASE + "/grants/hall/" and request.meta["tracker_depth"] == 1
    (call,), more = run(s.parse, response(request.url, html(
        "<h1>Village Hall Fund</h1><p>Grants of up to &pound;3,000. Closing date: 1 May 2027.</p>"),
        meta=request.meta))
    assert call.title == "Village Hall Fund" and more == []


def test_a_start_page_call_is_kept_and_its_links_are_explored():
    s = spider("/fund/")
    (call,), requests = run(s.parse, response(BASE + "/fund/", html(
        "<h1>Parish Fund</h1><p>Grants of up to &pound;3,000. Closing date: 1 May 2027.</p>"
        "<p>Please read our <a href='/fund/faq/'>questions and answers</a>.</p>"), meta={"tracker_depth": 0}))
    assert call.title == "Parish Fund" and [r.url for r in requests] == [BASE + "/fund/faq/"]
