from spiders.sites import FindAGrantSpider, spider_for
from tests.spiders.helpers import fixture, make_spider, response, run

SITE = "https://www.find-government-grants.service.gov.uk"


def spider() -> FindAGrantSpider:
    return make_spider(FindAGrantSpider, SITE + "/grants", funder="Various")


def test_registry_picks_the_site_spider():
    assert spider_for("html", SITE + "/grants") is FindAGrantSpider


def test_listing_reads_search_results_from_next_data():
    s = spider()
    items, requests = run(s.parse, response(SITE + "/grants", fixture("find_a_grant/listing.html"),
                                            meta={"tracker_depth": 0}))
    assert items == []
    details = [r for r in requests if "/grants/" in r.url]
    assert [r.url for r in details] == [SITE + "/grants/safer-streets-fund-2027-to-2028",
                                        SITE + "/grants/community-ownership-fund-round-5"]
    assert details[0].meta["listing_fields"]["Closing date"] == "2027-07-30T22:59:00.000Z"
    assert details[0].meta["listing_fields"]["How much you can get"] == "From £100,000 to £750,000"
    pages = [r.url for r in requests if "page=" in r.url]
    assert pages == [SITE + "/grants?page=2"]


def test_detail_reads_grant_detail_fields():
    s = spider()
    url = SITE + "/grants/safer-streets-fund-2027-to-2028"
    (call,), _ = run(s.parse, response(url, fixture("find_a_grant/detail.html"), meta={"tracker_depth": 1}))
    assert call.url == url and call.title == "Safer Streets Fund 2027 to 2028" and call.funder == "Home Office"
    assert call.structured == {"deadline": "2027-07-30T23:59:00+01:00", "opens": "2026-11-02T00:01:00+00:00",
                               "amount_min": 100000, "amount_max": 750000, "total_pot": 45000000}
    assert call.fields["Who can apply"] == "Public Sector" and call.fields["Location"] == "England, Wales"
    assert "Bidders must match at least 50%" in call.text
    assert call.fields["Eligibility"].startswith("Police and crime commissioners may bid.")


def test_without_next_data_the_summary_list_is_read():
    s = spider()
    url = SITE + "/grants/safer-streets-fund-2027-to-2028"
    (call,), _ = run(s.parse, response(url, fixture("find_a_grant/detail_no_json.html"), meta={"tracker_depth": 1}))
    assert call.title == "Safer Streets Fund 2027 to 2028" and call.structured == {}
    assert call.fields["Closing date"] == "30 July 2027, 11:59pm" and call.funder == "Home Office"
