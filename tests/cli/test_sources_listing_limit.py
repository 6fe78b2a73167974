"""`tracker sources test` on a long paginated listing (tests/crawl/test_listing_limit.py) with
the listing page limit set low: it says where it stopped."""

import pytest

from tests.crawl.test_listing_limit import long_listing_site


@pytest.fixture
def long_listing(tmp_path):
    with long_listing_site(tmp_path / "site") as url:
        yield url


def test_sources_test_prints_where_the_listing_stopped(run_tracker, long_listing, tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[crawl]\nallow_hosts = ["127.0.0.1"]\ndownload_delay = 0\nmax_listing_pages = 5\n')
    run_tracker("sources", "add", "--name", "long", "--kind", "html", "--url", long_listing, "--config", str(config))
    out = run_tracker("sources", "test", "long", "--config", str(config)).stdout
    assert "10 call(s) would be stored" in out
    assert "listing not read to the end: stopped after 5 listing pages" in " ".join(out.split())
