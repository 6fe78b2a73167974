"""The generator's own guarantees, checked on a generated data set (devset check.py-style).

Every truth url is served and shows its title; truth fields are well formed and use vocabulary
keys; non-calls are served; every link resolves; everything reachable from the sources is a
truth page, a non-call or a listing page; statuses agree with the date rules.
"""

from __future__ import annotations

import html
import json
import re
import tomllib
import xml.etree.ElementTree as ET
from collections import deque
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from . import words as W
from .places import places

ROOT = Path(__file__).resolve().parents[2]
ALLOWED_EXTERNAL = {"www.gov.uk", "www.find-government-grants.service.gov.uk", "www.w3.org"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.dup_ids: set[str] = set()
        self.links: list[str] = []
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            if a["id"] in self.ids:
                self.dup_ids.add(a["id"])
            self.ids.add(a["id"])
        key = {"a": "href", "link": "href", "img": "src", "script": "src"}.get(tag)
        if key and a.get(key):
            self.links.append(a[key])
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def decode(raw: bytes) -> str:
    m = re.search(rb'charset=["\']?([A-Za-z0-9_-]+)', raw[:2048])
    return raw.decode(m.group(1).decode() if m else "utf-8")


def norm(s: str) -> str:
    s = html.unescape(s)
    for a, b in (
        ("\u2013", "-"),
        ("\u2014", "-"),
        ("\u2018", "'"),
        ("\u2019", "'"),
        ("\u201c", '"'),
        ("\u201d", '"'),
        ("\u00a0", " "),
    ):
        s = s.replace(a, b)
    return re.sub(r"\s+", " ", s).strip().lower()


def file_for(site: Path, url_path: str, query: str = "") -> Path:
    p = site / url_path.lstrip("/")
    if url_path.endswith("/"):
        p = p / "index.html"
    if query:
        p = p.with_name(p.name + "?" + query)
    return p


def page_text(site: Path, url: str) -> str:
    """Normalised visible text of a served page or feed (tags dropped)."""
    parts = urlsplit(url)
    raw = decode(file_for(site, parts.path, parts.query).read_bytes())
    if parts.path.endswith(".xml"):
        raw = html.unescape(raw.replace("<![CDATA[", "").replace("]]>", ""))
    pg = _Page()
    pg.feed(raw)
    return norm(" ".join(pg.text))


def check_dataset(data: Path) -> list[str]:
    errors: list[str] = []
    err = errors.append
    site = data / "site"
    load = lambda n: json.loads((data / n).read_text(encoding="utf-8"))  # noqa: E731
    sources, truth, non_calls = load("sources.json"), load("truth.json"), load("non_calls.json")
    listing = set(load("listing_pages.json"))
    vocab = tomllib.loads((ROOT / "tracker" / "data" / "vocabulary.toml").read_text(encoding="utf-8"))
    org_keys, theme_keys = set(vocab["org_types"]), set(vocab["themes"])
    area_names = set(places().by_name)
    as_of = date.fromisoformat(truth["as_of"])
    cache: dict[Path, _Page] = {}

    def page(p: Path) -> _Page:
        if p not in cache:
            pg = _Page()
            pg.feed(decode(p.read_bytes()))
            cache[p] = pg
        return cache[p]

    def split(u: str) -> tuple[str, str, str]:
        parts = urlsplit(u)
        return parts.path, parts.query, parts.fragment

    names = {s["name"] for s in sources}
    if len(names) != len(sources):
        err("duplicate source names")
    for s in sources:
        if s["kind"] not in ("html", "rss", "atom"):
            err(f"source {s['name']}: kind {s['kind']}")
        if not file_for(site, *split(s["start_url"])[:2]).is_file():
            err(f"source {s['name']}: start_url not served {s['start_url']}")
    urls = set()
    for o in truth["opportunities"]:
        u = o["url"]
        tag = f"truth {u}"
        if u in urls:
            err(f"{tag}: duplicate url")
        urls.add(u)
        path, query, frag = split(u)
        fp = file_for(site, path, query)
        if not fp.is_file():
            err(f"{tag}: not served")
            continue
        pg = page(fp)
        if frag and frag not in pg.ids:
            err(f"{tag}: no element #{frag}")
        if norm(o["title"]) not in norm(" ".join(pg.text)):
            err(f"{tag}: title not on page: {o['title']!r}")
        if o["source"] not in names:
            err(f"{tag}: unknown source")
        for k in ("eligible_org_types", "excluded_org_types"):
            bad = set(o[k]) - org_keys
            if bad:
                err(f"{tag}: unknown org types {bad}")
        if set(o["eligible_org_types"]) & set(o["excluded_org_types"]):
            err(f"{tag}: org type both eligible and excluded")
        if set(o["themes"]) - theme_keys or not o["themes"]:
            err(f"{tag}: bad themes {o['themes']}")
        if not o["areas"] or set(o["areas"]) - area_names:
            err(f"{tag}: bad areas {o['areas']}")
        dl = date.fromisoformat(o["deadline"]) if o["deadline"] else None
        op = date.fromisoformat(o["opens"]) if o["opens"] else None
        st = o["status"]
        if o["rolling"] and dl:
            err(f"{tag}: rolling with a deadline")
        if o["amount_min"] and o["amount_max"] and o["amount_min"] > o["amount_max"]:
            err(f"{tag}: amount_min > amount_max")
        if st == "open":
            if op and op > as_of:
                err(f"{tag}: open but opens after as_of")
            if not o["rolling"] and not (dl and W.OPEN_FROM <= dl <= W.OPEN_TO):
                err(f"{tag}: open deadline {dl} outside the window")
        elif st == "upcoming":
            if op and op <= as_of:
                err(f"{tag}: upcoming but opened")
            if dl and not W.OPEN_FROM <= dl <= W.OPEN_TO:
                err(f"{tag}: upcoming deadline outside the window")
        elif st == "closed":
            if o["rolling"] or (dl and dl >= as_of):
                err(f"{tag}: closed but rolling or deadline ahead")
            if "closed" not in norm(" ".join(pg.text)):
                err(f"{tag}: closed but the page does not say closed")
        else:
            err(f"{tag}: bad status {st}")
    facts_path = data / "facts.json"
    if facts_path.exists():
        for u, entry in json.loads(facts_path.read_text(encoding="utf-8")).items():
            text = " ".join(page_text(site, pu) for pu in entry["pages"])
            for name, wordings in entry["facts"].items():
                if not any(norm(w) in text for w in wordings):
                    err(f"truth {u}: its {name} ({wordings[0]!r}) is on neither its page nor its listing")
    truth_bases = {split(u)[0] + ("?" + split(u)[1] if split(u)[1] else "") for u in urls}
    for u in non_calls:
        if not file_for(site, *split(u)[:2]).is_file():
            err(f"non-call {u}: not served")
        if u in truth_bases:
            err(f"non-call {u}: is a truth page")

    def links(u: str) -> list[str]:
        path, query, _ = split(u)
        fp = file_for(site, path, query)
        if fp.suffix == ".xml":
            root = ET.parse(fp).getroot()
            out = []
            for el in root.iter():
                t = el.tag.split("}")[-1]
                if t == "link":
                    if el.text and el.text.strip():
                        out.append(el.text.strip())
                    if el.get("href"):
                        out.append(el.get("href"))
            return out
        if fp.suffix in (".svg", ".pdf"):
            return []
        return page(fp).links

    starts = [s["start_url"] for s in sources]
    seen, queue = set(starts), deque(starts)
    while queue:
        u = queue.popleft()
        for href in links(u):
            if href.startswith(("mailto:", "tel:", "#")):
                if href.startswith("#") and len(href) > 1:
                    fp = file_for(site, *split(u)[:2])
                    if href[1:] not in page(fp).ids:
                        err(f"{u}: anchor {href} has no target")
                continue
            parts = urlsplit(href)
            if parts.scheme in ("http", "https"):
                if parts.netloc not in ALLOWED_EXTERNAL:
                    err(f"{u}: external link to {parts.netloc}")
                continue
            full = urljoin(u, href)
            path, query, frag = split(full)
            fp = file_for(site, path, query)
            if not fp.is_file():
                err(f"{u}: broken link {href!r}")
                continue
            if frag and fp.suffix == ".html" and frag not in page(fp).ids:
                err(f"{u}: link {href!r}: no #{frag}")
            target = path + ("?" + query if query else "")
            if target.endswith("/"):
                target += "index.html"
            if target not in seen:
                seen.add(target)
                queue.append(target)
    nc = set(non_calls)
    for u in truth_bases | nc:
        if u not in seen:
            err(f"not reachable from any source: {u}")
    for u in sorted(seen):
        if u.endswith(".svg"):
            continue
        if not u.endswith((".xml", ".pdf")) and page(file_for(site, *split(u)[:2])).dup_ids:
            err(f"{u}: repeated ids {sorted(page(file_for(site, *split(u)[:2])).dup_ids)[:3]}")
        if u not in truth_bases and u not in nc and u not in listing:
            err(f"reachable page is neither truth, non-call nor listing: {u}")
    return errors
