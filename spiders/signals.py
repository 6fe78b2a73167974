"""Signals of the tracker's own crawl components (Scrapy signals are any unique object)."""

# Sent by the store pipeline when everything the spider handed it is committed to the
# tracker's database; the HTTP cache trusts the pages of this crawl only from then on.
calls_committed = object()
