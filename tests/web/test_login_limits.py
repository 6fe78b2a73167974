"""Sign-in limits as users behind the documented reverse proxy meet them: per account from one
client address, per client address across accounts, for the whole site, and X-Forwarded-For
believed only from the trusted proxy."""

from datetime import timedelta

import pytest
import time_machine

from tests.web.conftest import ADA, PASSWORD, SAM, VAL, Browser, csrf_of
from tracker.config import WebSettings

PROXY = "10.0.0.2"
WRONG = "not the password"


@pytest.fixture
def web(settings, app) -> WebSettings:  # noqa: ANN001
    """The app's [web] settings, behind one trusted proxy; a test may change the limits."""
    settings.web = WebSettings(trusted_proxies=[PROXY])
    return settings.web


def client_at(app, peer: str) -> Browser:  # noqa: ANN001
    """A browser whose TCP connection comes from `peer` (the proxy, or a client directly)."""
    client = Browser(app, client=(peer, 40000))
    client.csrf = csrf_of(client)
    return client


def sign_in(client: Browser, email: str, password: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    r = client.post("/login", data={"email": email, "password": password, "csrf_token": client.csrf},
                    headers=headers, follow_redirects=False)
    if r.status_code == 429:
        assert "Too many failed attempts. Wait" in r.text and int(r.headers["retry-after"]) > 0
    return r.status_code


def test_a_locked_account_stays_open_to_its_owner_and_others_behind_the_proxy(app, web):
    via_proxy = client_at(app, PROXY)
    attacker = "203.0.113.9"
    assert [sign_in(via_proxy, ADA, WRONG, attacker) for _ in range(6)] == [401] * 5 + [429]
    assert sign_in(via_proxy, ADA, PASSWORD, attacker) == 429
    # The same proxy, other people: ada from her own desk, val from the attacker's
    # address (per-account limits there are separate).
    assert sign_in(client_at(app, PROXY), ADA, PASSWORD, "198.51.100.7") == 303
    assert sign_in(client_at(app, PROXY), VAL, PASSWORD, attacker) == 303


def test_one_address_spraying_many_emails_is_stopped(app, web):
    web.login_failures_per_address = 4
    via_proxy = client_at(app, PROXY)
    sprayer = "203.0.113.9"
    results = [sign_in(via_proxy, f"user{n}@council.example", WRONG, sprayer) for n in range(6)]
    assert results == [401] * 4 + [429, 429]
    assert sign_in(via_proxy, SAM, PASSWORD, sprayer) == 429  # even a right password, from there
    assert sign_in(via_proxy, SAM, PASSWORD, "198.51.100.7") == 303  # other addresses are not affected


def test_site_wide_cap_on_failed_sign_ins_per_minute(app, web):
    web.login_failures_per_minute = 3
    via_proxy = client_at(app, PROXY)
    assert [sign_in(via_proxy, ADA, WRONG, f"203.0.113.{n}") for n in range(1, 4)] == [401] * 3
    r = via_proxy.post("/login", data={"email": VAL, "password": PASSWORD, "csrf_token": via_proxy.csrf},
                       headers={"X-Forwarded-For": "198.51.100.7"})
    assert r.status_code == 429 and "Wait 1 minute," in r.text
    with time_machine.travel(timedelta(minutes=1, seconds=1)):
        assert sign_in(via_proxy, VAL, PASSWORD, "198.51.100.7") == 303


def test_forged_forwarded_for_from_an_untrusted_peer_is_ignored(app, web):
    direct = client_at(app, "203.0.113.9")  # not the proxy: its X-Forwarded-For is the client's own word
    results = [sign_in(direct, ADA, WRONG, f"198.51.100.{n}") for n in range(6)]
    assert results == [401] * 5 + [429]
    assert sign_in(direct, ADA, PASSWORD, "198.51.100.200") == 429


def test_forged_left_part_of_forwarded_for_through_the_proxy_is_ignored(app, web):
    via_proxy = client_at(app, PROXY)  # the proxy appends the real client; the rest is forged
    results = [sign_in(via_proxy, ADA, WRONG, f"198.51.100.{n}, 203.0.113.9") for n in range(6)]
    assert results == [401] * 5 + [429]


def test_successful_sign_ins_do_not_use_up_a_shared_address(app, web):
    web.login_failures_per_address = 2
    web.login_failures_per_minute = 2
    office = client_at(app, "192.0.2.50")  # a whole office behind one NAT address, no trusted proxy
    assert sign_in(office, ADA, WRONG) == 401
    for _ in range(4):
        assert sign_in(client_at(app, "192.0.2.50"), SAM, PASSWORD) == 303
    assert sign_in(office, VAL, PASSWORD) == 303


def test_the_right_password_clears_the_accounts_earlier_typos(app, web):
    client = client_at(app, PROXY)
    for _ in range(4):
        assert sign_in(client, ADA, WRONG, "198.51.100.7") == 401
    assert sign_in(client, ADA, PASSWORD, "198.51.100.7") == 303
    again = client_at(app, PROXY)
    assert [sign_in(again, ADA, WRONG, "198.51.100.7") for _ in range(5)] == [401] * 5


def test_a_lockout_lapses_when_its_window_has_passed(app, web):
    client = client_at(app, PROXY)
    assert [sign_in(client, ADA, WRONG, "198.51.100.7") for _ in range(6)] == [401] * 5 + [429]
    with time_machine.travel(timedelta(minutes=15, seconds=1)):
        assert sign_in(client, ADA, PASSWORD, "198.51.100.7") == 303
