"""Links the web shows lead back to the address the page was asked for, not to a default
`[digest] base_url` on another port; base_url is kept when it names the same host (its scheme)."""

import re

from icalendar import Calendar


def _calendar_url(client) -> str:  # noqa: ANN001
    return re.search(r'(https?://[^"<\s]+/calendar/[^"<\s]+\.ics)', client.get("/account").text).group(1)


def test_account_and_calendar_links_follow_the_request(as_role, seeded, settings) -> None:
    settings.digest.base_url = "http://127.0.0.1:8000"  # the default, while this app is elsewhere
    client = as_role("viewer")
    url = _calendar_url(client)
    assert url == f"http://testserver/calendar/{seeded['calendar']['viewer']}.ics"
    feed = Calendar.from_ical(client.get(url.removeprefix("http://testserver")).content)
    links = {str(e["url"]) for e in feed.walk("VEVENT")}
    assert links and all(link.startswith("http://testserver/opportunities/") for link in links), links


def test_base_url_on_the_same_host_keeps_its_scheme(as_role, seeded, settings) -> None:
    settings.digest.base_url = "https://testserver/"  # behind a TLS proxy that forwards to this app
    client = as_role("viewer")
    assert _calendar_url(client).startswith("https://testserver/calendar/")
