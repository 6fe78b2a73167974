"""Crawl speed: the tracker's full crawl (extraction, normalisation, storage) of a
synthetic funder site of N call pages on loopback, against a bare Scrapy spider that
fetches the same pages, in the same run; then a re-crawl of the unchanged site.

    python bench/crawl_speed.py [--calls 2000] [--rounds 5]            # flat: 50 calls a listing page
    python bench/crawl_speed.py --chain [--calls 2000] [--rounds 3]    # 80-page rel=next chain, first crawl only

The chain mode is a long paginated listing: only each listing page's rel=next link leads
to the next, so the crawl is as fast as the listing pages are read (issue 11, item 6).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlmodel import Session  # noqa: E402

from jobs.crawl_runner import run_crawl  # noqa: E402
from tracker.config import Settings  # noqa: E402
from tracker.db import make_engine, upgrade  # noqa: E402
from tracker.models import Source  # noqa: E402

T = TypeVar("T")
PER_PAGE = 50
CHAIN_PAGES = 80
THEMES = ["knife crime", "youth diversion", "CCTV and street lighting", "domestic abuse", "county lines",
          "anti-social behaviour", "community cohesion", "night-time economy safety"]
AREAS = ["Peterborough", "Cambridgeshire", "England", "the East of England", "Norfolk"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "September", "October", "November"]

BARE = textwrap.dedent('''
    import sys, scrapy
    from scrapy.crawler import CrawlerProcess

    class Bare(scrapy.Spider):
        name = "bare"
        count = 0
        async def start(self):
            yield scrapy.Request(sys.argv[1])
        def parse(self, response):
            for href in response.css("main a::attr(href)").getall():
                yield response.follow(href, callback=self.detail if "calls/" in href else self.parse)
        def detail(self, response):
            Bare.count += 1
            yield {"url": response.url, "title": response.css("h1::text").get()}

    p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False})
    c = p.create_crawler(Bare)
    p.crawl(c)
    p.start()
    print(Bare.count)
''')


# Only conditional GETs that the server answers 304, nothing parsed: what any Scrapy re-crawl
# of these pages costs at least.
FLOOR = textwrap.dedent('''
    import sys, scrapy
    from scrapy.crawler import CrawlerProcess

    class Floor(scrapy.Spider):
        name = "floor"
        custom_settings = {"HTTPERROR_ALLOWED_CODES": [304]}
        async def start(self):
            base = sys.argv[1].rsplit("/", 1)[0]
            for i in range(int(sys.argv[2])):
                yield scrapy.Request(f"{base}/calls/fund-{i}.html", headers={"If-None-Match": "*"})
        def parse(self, response):
            return None

    p = CrawlerProcess({"LOG_LEVEL": "ERROR", "CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 8,
                        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": True, "TELNETCONSOLE_ENABLED": False})
    p.crawl(p.create_crawler(Floor))
    p.start()
''')


def call_page(i: int, rng: random.Random) -> str:
    theme = rng.choice(THEMES)
    low = rng.choice([500, 1000, 2000, 5000])
    high = low * rng.choice([5, 10, 20])
    day, month, year = rng.randint(1, 28), rng.choice(MONTHS), rng.choice([2027, 2028])
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fund {i}</title></head>
<body><header><nav><a href="/">Home</a></nav></header><main>
<h1>{theme.capitalize()} Fund {i}</h1>
<p>This fund supports projects tackling {theme} in {rng.choice(AREAS)}.</p>
<h2>How much can I apply for?</h2><p>Grants of between £{low:,} and £{high:,} are available.</p>
<h2>Who can apply</h2><p>Local authorities, registered charities and community groups may apply.
Individuals and businesses are not eligible.</p>
<h2>Deadline</h2><p>The closing date is 5pm on {day} {month} {year}.</p>
<p>Page last updated: 3 October 2026</p></main><footer>Fictional benchmark funder</footer></body></html>"""


def build_site(root: Path, calls: int, per_page: int = PER_PAGE) -> str:
    rng = random.Random(7)
    site = root / "bench-funder"
    (site / "calls").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nAllow: /\n")
    pages = (calls + per_page - 1) // per_page
    for p in range(pages):
        items = "\n".join(f'<li class="card"><a href="calls/fund-{i}.html">Fund {i}</a> '
                          f'<span>Grants for local projects</span></li>'
                          for i in range(p * per_page, min(calls, (p + 1) * per_page)))
        nxt = f'<a rel="next" href="page-{p + 2}.html">Next</a>' if p + 1 < pages else ""
        name = "index.html" if p == 0 else f"page-{p + 1}.html"
        (site / name).write_text(f"<!doctype html><html><head><title>Funding</title></head><body><main>"
                                 f"<h1>Current funding opportunities</h1><ul>{items}</ul>"
                                 f"<nav class='pagination'>{nxt}</nav></main></body></html>")
    for i in range(calls):
        (site / "calls" / f"fund-{i}.html").write_text(call_page(i, rng))
    return "/bench-funder/index.html"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5, help="each from an empty database and cache; medians shown")
    parser.add_argument("--chain", action="store_true", help="an 80-page rel=next chain; first crawl only")
    args = parser.parse_args()
    per_page = -(-args.calls // CHAIN_PAGES) if args.chain else PER_PAGE
    work = Path(tempfile.mkdtemp(prefix="tracker-bench-"))
    start_path = build_site(work / "site", args.calls, per_page)
    (work / "bare_spider.py").write_text(BARE)  # files: Scrapy inspects spider source
    (work / "floor_spider.py").write_text(FLOOR)
    # The funder site runs in its own process, as a real one would: in this process it would
    # share the GIL with the crawl runner's progress reader, which the bare spider has not got.
    server = subprocess.Popen([sys.executable, "-m", "tracker.demo.server", "--port", "0",
                               "--directory", str(work / "site")], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    rounds = []
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split(" at ")[1].split()[0].rstrip("/") + start_path
        for n in range(args.rounds):
            rounds.append(one_round(work, n, url, args.calls, server.pid, recrawl=not args.chain))
    finally:
        server.terminate()
        server.wait()
    first, second = rounds[-1]["first_result"], rounds[-1]["second_result"]
    keys = ("bare", "first", "second", "floor") if second is not None else ("bare", "first")
    times = {key: [statistics.median(r[key][i] for r in rounds) for i in range(3)] for key in keys}
    first_ratio = statistics.median(r["first"][0] / r["bare"][0] for r in rounds)
    print(f"synthetic site: {args.calls} call pages + {-(-args.calls // per_page)} listing pages "
          f"({per_page} calls a page, rel=next chain); medians of {args.rounds} rounds")
    print("                            wall    crawler CPU  site server CPU")
    print(f"bare Scrapy spider:        {show(times['bare'])}  ({rounds[-1]['bare_items']} pages fetched as items)")
    print(f"tracker crawl (full):      {show(times['first'])}  ({first.calls} calls stored, {first.pages} pages) "
          f"= {first_ratio:.2f}x bare")
    if second is None:
        return
    second_ratio = statistics.median(r["second"][0] / r["first"][0] for r in rounds)
    floor_ratio = statistics.median(r["floor"][0] / r["bare"][0] for r in rounds)
    print(f"tracker re-crawl (same):   {show(times['second'])}  = {second_ratio:.0%} of first crawl; "
          f"{second.calls_unchanged} unchanged ({second.unchanged_pages} pages skipped extraction), "
          f"{second.not_modified} answered 304")
    print(f"stock Scrapy, only 304s:   {show(times['floor'])}  = {floor_ratio:.0%} of bare: the stack's floor "
          f"for {args.calls} conditional requests")


def one_round(work: Path, n: int, url: str, calls: int, server_pid: int, recrawl: bool = True) -> dict:
    settings = Settings(data_dir=work / f"home-{n}")
    settings.crawl.allow_hosts = ["127.0.0.1"]
    settings.crawl.download_delay = 0
    settings.crawl.concurrency_per_domain = 8
    engine = make_engine(settings.db_url)
    upgrade(engine)
    with Session(engine) as s:
        s.add(Source(name="bench", kind="html", url=url))
        s.commit()
    engine.dispose()
    def run_bare():  # noqa: ANN202
        return timed(server_pid, lambda: subprocess.run(
            [sys.executable, str(work / "bare_spider.py"), url], capture_output=True, text=True, check=True))

    if n % 2 == 0:  # every other round the bare spider goes last, so neither side always runs first
        bare, bare_t = run_bare()
    first, first_t = timed(server_pid, lambda: run_crawl(settings, ["bench"]).results[0])
    second = second_t = floor_t = None
    if recrawl:
        second, second_t = timed(server_pid, lambda: run_crawl(settings, ["bench"]).results[0])
    if n % 2 == 1:
        bare, bare_t = run_bare()
    if recrawl:
        _, floor_t = timed(server_pid, lambda: subprocess.run(
            [sys.executable, str(work / "floor_spider.py"), url, str(calls)], capture_output=True, text=True,
            check=True))
    return {"bare": bare_t, "first": first_t, "second": second_t, "floor": floor_t,
            "bare_items": bare.stdout.strip(), "first_result": first, "second_result": second}


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of a running process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(server_pid: int, work: Callable[[], T]) -> tuple[T, tuple[float, float, float]]:
    """work()'s result and (wall seconds, CPU of the processes it ran, CPU of the site server)."""
    children, served, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), cpu_of(server_pid), time.perf_counter()
    result = work()
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    crawler = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return result, (wall, crawler, cpu_of(server_pid) - served)


def show(t: list[float] | tuple[float, float, float]) -> str:
    return f"{t[0]:6.1f} s  {t[1]:6.1f} s  {t[2]:6.1f} s"

if __name__ == "__main__":
    main()
