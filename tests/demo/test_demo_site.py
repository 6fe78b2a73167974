"""The bundled demo funder web: links, server behaviour, and consistency of the ground truth."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import re
import socket
import tomllib
import urllib.robotparser
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from tracker.demo import (
    DEMO_DIR,
    SITE_DIR,
    load_expected,
    load_needs,
    load_sources,
)
from tracker.demo.server import serve_site
from tracker.vocab import load_vocabulary

VOCAB_FILE = Path(__file__).resolve().parents[2] / "tracker" / "data" / "vocabulary.toml"
CP1252_PAGE = "/great-ouse-trust/grants/safer-spaces-lighting-and-cctv.html"
ESCAPED_TITLE = 'Walk Home Safe & Sound: "Night Owl" <Pilot> Grants'
ESCAPED_PAGE = "/fenvalley-pcc/funding/night-owl-pilot-grants.html"
FUNDER_DIRS = ["fenvalley-pcc", "grants-finder", "nene-welland-cf", "brightway", "great-ouse-trust"]


# --------------------------------------------------------------------------- helpers
class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.meta_charset: str | None = None
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if "id" in a:
            self.ids.add(a["id"])
        for attr in ("href", "src", "action"):
            if attr in a:
                self.links.append(a[attr])
        if tag == "meta":
            if "charset" in a:
                self.meta_charset = a["charset"].lower()
            elif a.get("http-equiv", "").lower() == "content-type":
                m = re.search(r"charset=([\w-]+)", a.get("content", ""), re.I)
                if m:
                    self.meta_charset = m.group(1).lower()
        if tag == "h1":
            self._in_h1 = True
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def site_path(url_path: str) -> Path:
    return SITE_DIR / unquote(url_path.split("#", 1)[0]).lstrip("/")


def read_page(url_path: str) -> str:
    raw = site_path(url_path).read_bytes()
    m = re.search(rb'<meta[^>]+charset="?([\w-]+)', raw[:2048], re.I)
    return raw.decode(m.group(1).decode() if m else "utf-8")


def parse_page(url_path: str) -> _PageParser:
    parser = _PageParser()
    parser.feed(read_page(url_path))
    parser.close()
    return parser


def html_pages() -> list[str]:
    return sorted("/" + p.relative_to(SITE_DIR).as_posix() for p in SITE_DIR.rglob("*.html"))


def feed_links(url_path: str) -> list[str]:
    root = ET.parse(site_path(url_path)).getroot()
    links = [el.text or "" for el in root.iter("link")]
    links += [el.get("href", "") for el in root.iter("{http://www.w3.org/2005/Atom}link")]
    return links


# --------------------------------------------------------------------------- site structure
def test_site_layout() -> None:
    for d in FUNDER_DIRS:
        assert (SITE_DIR / d).is_dir(), d
    assert (SITE_DIR / "robots.txt").is_file()
    assert len(html_pages()) > 30


@pytest.mark.parametrize("page", html_pages())
def test_every_link_resolves(page: str) -> None:
    parsed = parse_page(page)
    assert parsed.links, f"{page} has no links"
    for link in parsed.links:
        parts = urlsplit(link)
        if parts.scheme in {"mailto", "tel"}:
            continue
        assert not parts.scheme and not parts.netloc, f"{page}: external link {link!r}"
        target = urljoin(page, link)
        target_path = urlsplit(target).path
        assert site_path(target_path).is_file(), f"{page}: broken link {link!r} -> {target_path}"
        if target_path.startswith("/") and target_path.count("/") > 1:
            # root-relative links must stay inside a funder folder (the whole site/ is the server root)
            assert target_path.split("/")[1] in FUNDER_DIRS, f"{page}: {link!r} leaves the funder folders"
        if parts.fragment and target_path.endswith(".html"):
            assert parts.fragment in parse_page(target_path).ids, f"{page}: missing anchor {link!r}"


def test_relative_and_root_relative_links_both_used() -> None:
    kinds = set()
    for page in html_pages():
        for link in parse_page(page).links:
            if link.startswith("/"):
                kinds.add("root")
            elif not urlsplit(link).scheme and not link.startswith("#"):
                kinds.add("relative")
    assert kinds == {"root", "relative"}


def test_feed_is_rss2_with_resolvable_links() -> None:
    root = ET.parse(site_path("/nene-welland-cf/feed.xml")).getroot()
    assert root.tag == "rss" and root.get("version") == "2.0"
    assert len(root.findall("./channel/item")) >= 5
    for link in feed_links("/nene-welland-cf/feed.xml"):
        assert site_path(urlsplit(urljoin("/nene-welland-cf/feed.xml", link)).path).is_file(), link
    raw = site_path("/nene-welland-cf/feed.xml").read_text(encoding="utf-8")
    assert "<![CDATA[" in raw


def test_sources_point_at_existing_start_pages() -> None:
    sources = load_sources()
    assert len(sources) >= 4
    assert len({s["funder"] for s in sources}) == len(sources)
    for s in sources:
        assert set(s) == {"name", "funder", "kind", "path"}
        assert s["kind"] in {"html", "rss"}
        assert site_path(s["path"]).is_file(), s["path"]
    assert {s["kind"] for s in sources} == {"html", "rss"}


def test_robots_txt_allows_everything() -> None:
    rp = urllib.robotparser.RobotFileParser()
    rp.parse((SITE_DIR / "robots.txt").read_text().splitlines())
    for path in ["/fenvalley-pcc/funding/index.html", "/nene-welland-cf/feed.xml", "/anything"]:
        assert rp.can_fetch("funding-tracker", path)


def test_contact_details_are_fictional() -> None:
    for f in SITE_DIR.rglob("*"):
        if f.suffix not in {".html", ".xml"}:
            continue
        text = f.read_bytes().decode("cp1252" if f.as_posix().endswith(CP1252_PAGE) else "utf-8")
        for email in re.findall(r"[\w.+-]+@[\w.-]+\w", text):
            assert email.endswith(".example"), (f, email)
        for phone in re.findall(r"\b0\d{3,4} ?\d{3} ?\d{3,4}\b", text):
            assert re.sub(r"\s", "", phone).startswith("01632960"), (f, phone)


# --------------------------------------------------------------------------- encodings and escaping
def test_windows_1252_page_is_really_cp1252() -> None:
    raw = site_path(CP1252_PAGE).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\xa3" in raw  # pound sign in cp1252
    assert b"\x96" in raw  # en dash in cp1252
    text = raw.decode("cp1252")
    assert "£5,000 – £60,000" in text
    assert parse_page(CP1252_PAGE).meta_charset == "windows-1252"


def test_other_pages_are_utf8() -> None:
    for page in html_pages():
        if page == CP1252_PAGE:
            continue
        site_path(page).read_bytes().decode("utf-8")
        assert parse_page(page).meta_charset == "utf-8", page


def test_special_characters_title_is_escaped() -> None:
    raw = read_page(ESCAPED_PAGE)
    assert "&lt;Pilot&gt;" in raw and "&amp; Sound" in raw and "&quot;Night Owl&quot;" in raw
    assert "<Pilot>" not in raw
    assert parse_page(ESCAPED_PAGE).h1 == [ESCAPED_TITLE]
    listing = read_page("/fenvalley-pcc/funding/index.html")
    assert "<Pilot>" not in listing and "&lt;Pilot&gt;" in listing


# --------------------------------------------------------------------------- ground truth
@pytest.fixture(scope="module")
def expected() -> dict:
    return load_expected()


@pytest.fixture(scope="module")
def vocab() -> dict:
    return tomllib.loads(VOCAB_FILE.read_text(encoding="utf-8"))


def test_expected_urls_exist_and_titles_match(expected: dict) -> None:
    urls = [o["url"] for o in expected["opportunities"]]
    assert len(urls) == len(set(urls))
    for o in expected["opportunities"]:
        assert site_path(o["url"]).is_file(), o["url"]
        assert parse_page(o["url"]).h1 == [o["title"]], o["url"]
        assert o["url"].split("/")[1] in FUNDER_DIRS
    for nc in expected["non_calls"]:
        assert site_path(nc["url"]).is_file(), nc["url"]
        assert nc["url"] not in urls
    for listing in expected["listing_pages"]:
        assert site_path(listing).is_file(), listing


def test_expected_is_reachable_from_sources(expected: dict) -> None:
    """Every call page is linked from its source's listing (following pagination / the feed)."""
    reachable: set[str] = set()
    for s in load_sources():
        queue, seen = [s["path"]], set()
        while queue:
            page = queue.pop()
            if page in seen:
                continue
            seen.add(page)
            links = feed_links(page) if page.endswith(".xml") else parse_page(page).links
            for link in links:
                if urlsplit(link).scheme:
                    continue
                target = urlsplit(urljoin(page, link)).path
                reachable.add(target)
                if target in expected["listing_pages"]:
                    queue.append(target)
    for o in expected["opportunities"]:
        assert o["url"] in reachable, o["url"]


def test_expected_fields_and_mix(expected: dict, vocab: dict) -> None:
    as_of = dt.date.fromisoformat(expected["as_of"])
    valid_until = dt.date.fromisoformat(expected["valid_until"])
    opps = expected["opportunities"]
    assert len(opps) >= 18
    counts = {s: sum(o["status"] == s for o in opps) for s in ("open", "upcoming", "closed")}
    assert counts["upcoming"] >= 2 and counts["closed"] >= 2
    assert sum(o["rolling"] for o in opps) == 1
    assert expected["counts"] == {**counts, "rolling": 1, "total": len(opps)}
    areas = set(load_vocabulary().parents)
    for o in opps:
        assert o["status"] in {"open", "upcoming", "closed"}
        assert set(o["themes"]) <= set(vocab["themes"]), o["url"]
        assert set(o["areas"]) <= areas, o["url"]
        assert set(o["eligible_org_types"]) <= set(vocab["org_types"]), o["url"]
        assert set(o["excluded_org_types"]) <= set(vocab["org_types"]), o["url"]
        assert not set(o["eligible_org_types"]) & set(o["excluded_org_types"]), o["url"]
        if o["amount_min"] is not None and o["amount_max"] is not None:
            assert o["amount_min"] <= o["amount_max"]
        deadline = dt.date.fromisoformat(o["deadline"]) if o["deadline"] else None
        opens = dt.date.fromisoformat(o["opens"]) if o["opens"] else None
        if o["rolling"]:
            assert deadline is None and o["status"] == "open"
        if o["status"] == "closed":
            assert deadline is not None and deadline < as_of and deadline.year == 2025
        if o["status"] == "open" and deadline:
            assert valid_until < deadline and dt.date(2027, 1, 1) <= deadline <= dt.date(2028, 6, 30)
        if o["status"] == "upcoming":
            assert opens is None or valid_until < opens
        if deadline:
            # the deadline is written on the call page or on its listing
            text = read_page(o["url"]) + "".join(
                read_page(p) for p in expected["listing_pages"] if p.endswith(".html")
            )
            assert str(deadline.year) in text and str(deadline.day) in text, o["url"]
    assert {"Peterborough", "Cambridgeshire", "East of England", "England", "United Kingdom", "Norfolk"} <= {
        a for o in opps for a in o["areas"]
    }


def test_needs_format(vocab: dict) -> None:
    needs = load_needs()
    assert len(needs) == 4
    keys = {
        "id",
        "title",
        "description",
        "applicant",
        "partners",
        "area",
        "amount_min",
        "amount_max",
        "themes",
    }
    for n in needs:
        assert set(n) == keys
        assert n["applicant"] == "local_authority" and n["area"] == "Peterborough"
        assert set(n["partners"]) <= set(vocab["org_types"])
        assert set(n["themes"]) <= set(vocab["themes"])
        assert 0 < n["amount_min"] < n["amount_max"]
    assert len({n["id"] for n in needs}) == 4


def test_json_files_are_valid() -> None:
    for name in ("sources.json", "needs.json", "expected.json"):
        json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- server
def _get(server, path: str, headers: dict[str, str] | None = None, method: str = "GET"):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=5)
    try:
        conn.request(method, path, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.headers, resp.read()
    finally:
        conn.close()


def test_server_serves_pages_with_validators(capfd: pytest.CaptureFixture[str]) -> None:
    with serve_site() as server:
        assert server.url == f"http://127.0.0.1:{server.port}" and server.port > 0
        status, headers, body = _get(server, "/fenvalley-pcc/funding/index.html")
        assert status == 200
        assert headers["Content-Type"].startswith("text/html")
        assert b"Youth Diversion Fund 2027/28" in body
        etag, last_modified = headers["ETag"], headers["Last-Modified"]
        assert etag.startswith('"') and etag.endswith('"')

        status, headers304, body = _get(server, "/fenvalley-pcc/funding/index.html", {"If-None-Match": etag})
        assert status == 304 and body == b""
        assert headers304["ETag"] == etag

        status, _, _ = _get(server, "/fenvalley-pcc/funding/index.html", {"If-None-Match": f"W/{etag}"})
        assert status == 304
        status, _, _ = _get(server, "/fenvalley-pcc/funding/index.html", {"If-None-Match": '"other"'})
        assert status == 200
        status, _, _ = _get(server, "/fenvalley-pcc/funding/index.html", {"If-Modified-Since": last_modified})
        assert status == 304

        status, headers, body = _get(server, "/nene-welland-cf/feed.xml")
        assert status == 200 and headers["Content-Type"].startswith("application/rss+xml")
        assert body.startswith(b"<?xml")

        status, headers, body = _get(server, CP1252_PAGE)
        assert status == 200 and b"\xa3" in body

        status, _, body = _get(server, "/robots.txt")
        assert status == 200 and b"Allow: /" in body

        status, _, _ = _get(server, "/no/such/page.html")
        assert status == 404
        status, _, _ = _get(server, "/fenvalley-pcc/news/2026/")  # no index: no directory listing
        assert status == 404
        status, headers, _ = _get(server, "/fenvalley-pcc/funding")  # stdlib redirect to the slash form
        assert status == 301
        status, headers, _ = _get(server, "/fenvalley-pcc/funding/")
        assert status == 200 and "ETag" in headers
        status, headers, body = _get(server, "/fenvalley-pcc/funding/index.html", method="HEAD")
        assert status == 200 and body == b"" and "ETag" in headers
    out, err = capfd.readouterr()
    assert err == "" and out == ""  # quiet: no request logging


def test_server_stops_and_frees_its_port() -> None:
    server = serve_site(SITE_DIR)
    port = server.port
    assert _get(server, "/robots.txt")[0] == 200
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_server_with_custom_directory(tmp_path: Path) -> None:
    (tmp_path / "a.html").write_text("<p>hi</p>", encoding="utf-8")
    with serve_site(tmp_path) as server:
        status, headers, body = _get(server, "/a.html")
        assert status == 200 and body == b"<p>hi</p>"
    with pytest.raises(FileNotFoundError):
        serve_site(tmp_path / "missing")
