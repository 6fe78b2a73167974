import pytest

from spiders.sites import FeedSpider, GenericHtmlSpider, OcdsSpider, spider_for


@pytest.mark.parametrize("kind,cls", [("html", GenericHtmlSpider), ("rss", FeedSpider), ("atom", FeedSpider),
                                      ("ocds", OcdsSpider), ("HTML", GenericHtmlSpider)])
def test_generic_kinds(kind, cls):
    assert spider_for(kind, "https://www.cambs-pcc.example/grants/") is cls


def test_site_spiders_only_for_their_kind_and_host():
    assert spider_for("ocds", "https://www.find-government-grants.service.gov.uk/x") is OcdsSpider
    assert spider_for("html", "https://notukri.org/opportunity/") is GenericHtmlSpider


def test_unknown_kind():
    with pytest.raises(ValueError):
        spider_for("csv", "https://x.test/")
