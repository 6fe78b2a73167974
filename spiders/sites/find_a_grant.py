"""GOV.UK Find a grant (find-government-grants.service.gov.uk): read the page's __NEXT_DATA__ JSON
(pageProps.searchResult on listings, pageProps.grantDetail.fields on grant pages); without it, the
generic reading of govuk-summary-list rows applies."""

from __future__ import annotations

from scrapy.http import TextResponse

from spiders.extract.links import ItemLink
from spiders.extract.next_data import (
    detail_grant,
    grant_call,
    grant_fields,
    next_data,
    next_search_page,
    result_url,
    search_results,
)
from spiders.extract.page import Listing, PageResult
from spiders.sites.html import GenericHtmlSpider

HOST = "find-government-grants.service.gov.uk"


class FindAGrantSpider(GenericHtmlSpider):
    name = "find_a_grant"

    def analyse(self, response: TextResponse, listing: Listing, depth: int) -> PageResult:
        data = next_data(response.text)
        if data is None:
            return super().analyse(response, listing, depth)
        grant = detail_grant(data)
        if grant and grant.get("grantName"):
            call = grant_call(grant, response.url.split("#", 1)[0])
            call.listing_text, call.listing_fields = listing.text, dict(listing.fields)
            call.funder = call.funder or self.funder
            return PageResult(response.url, "call", "grantDetail in __NEXT_DATA__", calls=[call])
        results = search_results(data)
        if results:
            links = []
            for r in results:
                url = result_url(r, response.url)
                if url:
                    fields = grant_fields(r)
                    text = "\n".join(str(x) for x in (r.get("grantName"), r.get("grantShortDescription")) if x)
                    links.append(ItemLink(url=url, anchor=str(r.get("grantName") or ""), in_item=True,
                                          context_text=text, context_fields=fields))
            nxt = next_search_page(data, response.url)
            generic = super().analyse(response, listing, depth)
            pages = [nxt] if nxt else []
            pages += [u for u in generic.next_pages if u not in pages]
            return PageResult(response.url, "listing", f"{len(links)} search results in __NEXT_DATA__",
                              links=links, next_pages=pages)
        return super().analyse(response, listing, depth)
