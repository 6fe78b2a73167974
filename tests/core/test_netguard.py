"""Address rules as functions; no packet leaves loopback here."""

import pytest

from tracker.netguard import UnsafeURL, check_url, host_allowed, is_blocked_ip, literal_ip


@pytest.mark.parametrize("ip", [
    "127.0.0.1", "127.8.9.10", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
    "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "::1", "fe80::1", "fc00::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "2002:7f00:1::", "fd00:ec2::254", "198.18.0.1",
])
def test_non_public_addresses_are_blocked(ip: str) -> None:
    assert is_blocked_ip(ip)


@pytest.mark.parametrize("ip", ["151.101.0.144", "2a04:4e42::144", "8.8.8.8"])
def test_public_addresses_pass(ip: str) -> None:
    assert not is_blocked_ip(ip)


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "ftp://example.org/", "data:text/html,hi", "gopher://x/", "javascript:alert(1)",
    "http://user:pw@example.org/", "http://example.org\\@127.0.0.1/", "http:///nohost",
])
def test_bad_schemes_and_shapes_are_refused(url: str) -> None:
    with pytest.raises(UnsafeURL):
        check_url(url)


@pytest.mark.parametrize("host", ["127.0.0.1", "127.1", "0x7f.0.0.1", "2130706433", "017700000001",
                                  "[::1]", "[::ffff:127.0.0.1]", "localhost", "metadata.internal"])
def test_loopback_spellings_are_refused(host: str) -> None:
    with pytest.raises(UnsafeURL):
        check_url(f"http://{host}/grants")


def test_literal_ip_reads_odd_spellings() -> None:
    assert literal_ip("127.1") == "127.0.0.1"
    assert literal_ip("0x7f.0.0.1") == "127.0.0.1"
    assert literal_ip("2130706433") == "127.0.0.1"
    assert literal_ip("grants.example.org") is None


def test_allowlist_by_address_cidr_and_name() -> None:
    check_url("http://127.0.0.1:8000/", ["127.0.0.1"])
    check_url("http://127.0.0.5/", ["127.0.0.0/8"])
    check_url("http://localhost:9/", ["localhost"])
    assert host_allowed("intranet.council", "10.0.0.5", ["10.0.0.0/24"])
    with pytest.raises(UnsafeURL, match="allow_hosts"):
        check_url("http://10.0.0.5/", ["127.0.0.1"])


def test_every_dns_answer_is_checked_with_a_stub_resolver() -> None:
    def resolver(host: str) -> list[str]:
        return {"funder.example": ["93.184.216.34"], "rebind.example": ["93.184.216.34", "127.0.0.1"],
                "inner.example": ["10.0.0.7"]}[host]

    check_url("https://funder.example/grants", resolver=resolver)
    with pytest.raises(UnsafeURL, match="127.0.0.1"):
        check_url("https://rebind.example/", resolver=resolver)
    with pytest.raises(UnsafeURL, match="10.0.0.7"):
        check_url("https://inner.example/", resolver=resolver)
