import json

import pytest
from scrapy.http import TextResponse

from spiders.sites import OcdsSpider
from tests.spiders.helpers import BASE, devset_response, make_spider, response, run, stat

PACKAGE = "/cambs-opcc-procurement/ocds/release-package.json"


def test_one_call_per_release_with_package_url_and_ocid():
    s = make_spider(OcdsSpider, BASE + PACKAGE, funder="Cambs PCC")
    items, requests = run(s.parse, devset_response(PACKAGE))
    assert requests == [] and len(items) == 5
    assert all(i.url.startswith(BASE + PACKAGE + "#ocds-b5fd17-") for i in items)
    assert items[0].funder == "The Police and Crime Commissioner for Cambridgeshire"
    assert stat(s, "tracker/pages") == 1


def test_links_next_is_followed_and_urls_stay_on_the_registered_package():
    start = "https://api.example/ocds?stages=tender"
    page = {"releases": [{"ocid": "ocds-a-1", "date": "2026-11-01", "tag": ["tender"],
                          "tender": {"title": "Youth diversion grants", "value": {"amount": 90000}}},
                         {"ocid": "ocds-a-2", "date": "2026-11-01", "tag": ["award"], "tender": {"title": "Old"}}],
            "links": {"next": "https://api.example/ocds?cursor=abc"}}
    s = make_spider(OcdsSpider, start)
    items, requests = run(s.parse, response(start, json.dumps(page).encode(), cls=TextResponse,
                                            meta={"tracker_page": 1}))
    (item,) = items
    assert item.url == start + "#ocds-a-1" and item.structured == {"total_pot": 90000}
    assert [r.url for r in requests] == ["https://api.example/ocds?cursor=abc"]
    assert s.skipped == [(start + "#ocds-a-2", "award/contract notice, not a call")]


def test_not_json_is_an_error_not_a_crash():
    s = make_spider(OcdsSpider, BASE + "/x.json")
    assert run(s.parse, response(BASE + "/x.json", b"<html>", cls=TextResponse)) == ([], [])


@pytest.mark.parametrize(("link", "followed"), [
    ("javascript:void(0)", []), ("mailto:data@api.example", []), ("data:application/json,{}", []),
    ({"href": "https://api.example/ocds?cursor=2"}, []),  # not a string at all
    ("?cursor=2", ["https://api.example/ocds?cursor=2"]),  # relative: resolved against the page
])
def test_links_next_is_followed_only_to_a_web_address(link, followed):
    start = "https://api.example/ocds?stages=tender"
    page = {"releases": [{"ocid": f"ocds-a-{n}", "date": "2026-11-01", "tag": ["tender"],
                          "tender": {"title": f"Youth diversion grants {n}", "value": {"amount": 90000}}}
                         for n in range(3)], "links": {"next": link}}
    s = make_spider(OcdsSpider, start)
    items, requests = run(s.parse, response(start, json.dumps(page).encode(), cls=TextResponse,
                                            meta={"tracker_page": 1}))
    assert len(items) == 3 and [r.url for r in requests] == followed
