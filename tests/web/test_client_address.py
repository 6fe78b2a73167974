"""Which address a request comes from: X-Forwarded-For is read only from trusted proxies,
right to left, stopping at the first address that is not a trusted proxy."""

import ipaddress

import pytest

from tracker.config import ConfigError, load_settings
from tracker.web.client_address import resolve

TRUSTED = [ipaddress.ip_network("10.0.0.0/29"), ipaddress.ip_network("fd00::/64")]


@pytest.mark.parametrize(("peer", "forwarded", "client"), [
    ("203.0.113.9", ["198.51.100.1"], "203.0.113.9"),  # not a proxy: its header is ignored
    ("10.0.0.2", [], "10.0.0.2"),  # a proxy that did not say
    ("10.0.0.2", ["203.0.113.9"], "203.0.113.9"),
    ("10.0.0.2", ["198.51.100.1, 203.0.113.9"], "203.0.113.9"),  # the left part is the client's word
    ("10.0.0.2", ["198.51.100.1", "203.0.113.9, 10.0.0.3"], "203.0.113.9"),  # two proxies, two headers
    ("10.0.0.2", ["10.0.0.4, 10.0.0.3"], "10.0.0.4"),  # only proxies: the farthest one
    ("10.0.0.2", ["203.0.113.9:51234"], "203.0.113.9"),
    ("fd00::2", ["[2001:db8::7]:443"], "2001:db8::7"),
    ("::ffff:10.0.0.2", ["203.0.113.9"], "203.0.113.9"),  # IPv4 on a dual-stack socket
    ("10.0.0.2", ["203.0.113.9, not-an-address"], "10.0.0.2"),  # nonsense from the proxy: stop there
    ("testclient", ["203.0.113.9"], "testclient"),
])
def test_client_address(peer: str, forwarded: list[str], client: str) -> None:
    assert resolve(peer, forwarded, TRUSTED) == client


def test_no_trusted_proxies_means_the_peer_always() -> None:
    assert resolve("127.0.0.1", ["203.0.113.9"], []) == "127.0.0.1"


def test_a_trusted_proxy_that_is_not_an_address_is_refused_naming_key_and_line(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[web]\ntrusted_proxies = ["10.0.0.2", "proxy.internal"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(config)
    message = str(err.value)
    assert str(config) in message and "web.trusted_proxies.1" in message and "line 2" in message
    assert "'proxy.internal'" in message


def test_trusted_proxies_read_as_networks(tmp_path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[web]\ntrusted_proxies = ["10.0.0.2", "fd00::/64"]\n', encoding="utf-8")
    trusted = load_settings(config).web.trusted_proxies
    assert resolve("10.0.0.2", ["203.0.113.9"], trusted) == "203.0.113.9"
    assert resolve("fd00::9", ["203.0.113.9"], trusted) == "203.0.113.9"
    assert resolve("10.0.0.3", ["203.0.113.9"], trusted) == "10.0.0.3"
