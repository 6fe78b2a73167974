from tracker.normalize.urls import canonical_url


def test_drops_tracking_and_sorts_query():
    assert canonical_url("https://Example.org/a.html?utm_source=x&b=2&a=1") == "https://example.org/a.html?a=1&b=2"


def test_keeps_section_fragment_only():
    assert (
        canonical_url("https://x.org/page.html#community-action-fund")
        == "https://x.org/page.html#community-action-fund"
    )
    assert canonical_url("https://x.org/page.html#top") == "https://x.org/page.html"
    assert canonical_url("https://x.org/#/search?q=1") == "https://x.org/"
