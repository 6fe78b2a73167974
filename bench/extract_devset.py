"""Measure page-level extraction on a funder web with ground truth (default ../shared/devset).

Serves DATASET/site on 127.0.0.1, crawls every source in sources.json with the spider that
spiders.sites.spider_for picks, and prints: truth calls found, items from non-call pages (must be 0),
spurious items, title accuracy, and (when tracker.normalize.call exists) deadline / amounts / status
accuracy after normalisation.

Usage: .venv/bin/python bench/extract_devset.py [DATASET_DIR] [--verbose]
"""

from __future__ import annotations

import difflib
import functools
import http.server
import json
import re
import sys
import threading
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

from scrapy import signals
from scrapy.crawler import CrawlerProcess

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from spiders.sites import spider_for  # noqa: E402

FIELDS = ("deadline", "amount_min", "amount_max", "total_pot", "status", "rolling", "opens")


def key(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/index\.html?$", "/", parts.path or "/")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def similar(a: str, b: str) -> bool:
    norm = lambda s: re.sub(r"\s+", " ", s or "").strip().lower()  # noqa: E731
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio() >= 0.9


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve(root: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


def crawl(sources: list[dict], base: str) -> tuple[list[tuple[dict, object]], list[tuple[str, str]]]:
    items: list[tuple[dict, object]] = []
    skipped: list[tuple[str, str]] = []
    process = CrawlerProcess({"ROBOTSTXT_OBEY": False, "LOG_LEVEL": "ERROR", "DOWNLOAD_DELAY": 0,
                              "CONCURRENT_REQUESTS_PER_DOMAIN": 8, "TELNETCONSOLE_ENABLED": False,
                              "DOWNLOAD_HANDLERS": {"file": None, "data": None, "ftp": None, "s3": None}})
    for source in sources:
        url = base + source["start_url"]
        crawler = process.create_crawler(spider_for(source["kind"], url))

        def on_item(item, response, spider, source=source):  # noqa: ANN001
            items.append((source, item))

        def on_closed(spider, reason):  # noqa: ANN001
            skipped.extend(spider.skipped)

        crawler.signals.connect(on_item, signal=signals.item_scraped, weak=False)
        crawler.signals.connect(on_closed, signal=signals.spider_closed, weak=False)
        process.crawl(crawler, source_name=source["name"], start_url=url, funder=source.get("funder"))
    process.start()
    return items, skipped


def normaliser():  # noqa: ANN201
    try:
        import tracker.normalize.call  # noqa: F401
        from tracker.normalize import normalize_call
    except ImportError:
        return None
    return normalize_call


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    args = [a for a in argv[1:] if not a.startswith("--")]
    data = Path(args[0] if args else Path(__file__).resolve().parents[2] / "shared" / "devset")
    truth = json.loads((data / "truth.json").read_text())
    as_of = date.fromisoformat(truth["as_of"])
    opportunities = truth["opportunities"]
    non_calls = {key(u) for u in json.loads((data / "non_calls.json").read_text())}
    sources = json.loads((data / "sources.json").read_text())
    server, base = serve(data / "site")
    try:
        items, skipped = crawl(sources, base)
    finally:
        server.shutdown()
    by_key: dict[str, list] = {}
    for source, item in items:
        by_key.setdefault(key(item.url), []).append((source, item))
    found, titles, matched = 0, 0, set()
    misses, wrong_titles = [], []
    normalize = normaliser()
    field_ok = dict.fromkeys(FIELDS, 0)
    wrong_fields = []
    for t in opportunities:
        got = by_key.get(key(t["url"]))
        if not got:
            misses.append(t["url"])
            continue
        source, item = got[0]
        matched.add(id(item))
        found += 1
        if similar(item.title, t["title"]):
            titles += 1
        else:
            wrong_titles.append((t["url"], t["title"], item.title))
        if normalize:
            facts = normalize(item, today=as_of, default_funder=source.get("funder"))
            for f in FIELDS:
                value = getattr(facts, f)
                value = value.isoformat() if hasattr(value, "isoformat") else value
                ok = value == t.get(f) or (f == "rolling" and bool(value) == bool(t.get(f)))
                field_ok[f] += ok
                if not ok:
                    wrong_fields.append((t["url"], f, t.get(f), value))
    from_non_calls = sorted({key(i.url) for _, i in items if key(i.url).split("#")[0] in non_calls})
    spurious = sorted({key(i.url) for _, i in items if id(i) not in matched} - set(from_non_calls))
    n = max(found, 1)
    print(f"truth calls            {len(opportunities)}")
    print(f"items yielded          {len(items)}")
    print(f"calls found            {found} ({found / len(opportunities):.1%})")
    print(f"items from non-calls   {len(from_non_calls)}")
    print(f"spurious items         {len(spurious)}")
    print(f"pages skipped          {len(skipped)}")
    print(f"title accuracy         {titles / n:.1%}")
    if normalize:
        for f in FIELDS:
            print(f"{f + ' accuracy':22} {field_ok[f] / n:.1%}")
    else:
        print("(tracker.normalize.call not available: deadline/amount/status not measured)")
    for url in misses:
        print("missed:", url)
    for url in from_non_calls:
        print("non-call item:", url)
    for url in spurious:
        print("spurious:", url)
    for w in wrong_titles:
        print("title:", w)
    if verbose:
        for w in wrong_fields:
            print("field:", w)
        for url, reason in skipped:
            print("skipped:", key(url), "-", reason)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
