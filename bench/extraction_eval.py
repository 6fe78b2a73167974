"""Extraction quality on a data set with ground truth (default ../shared/devset).

Serves DATASET/site on loopback, registers each source of sources.json with only its
kind and start URL, crawls, exports, and compares with truth.json and non_calls.json.
Prints a table per field and per source.

    python bench/extraction_eval.py [DATASET_DIR] [--keep DIR]
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlsplit

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tracker.demo.server import DemoRequestHandler, serve_site  # noqa: E402

FIELDS = ["title", "deadline", "deadline_time", "amount_min", "amount_max", "total_pot", "status", "rolling", "opens"]
SETS = ["eligible_org_types", "excluded_org_types", "areas", "themes"]
console = Console(width=170)


def key(url: str | None) -> str:
    if not url:
        return ""
    parts = urlsplit(url)
    path = re.sub(r"/index\.html?$", "/", parts.path or "/")
    return path + (f"#{parts.fragment}" if parts.fragment else "")


def norm(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "").strip().lower()


def similar(a: str | None, b: str | None) -> float:
    return difflib.SequenceMatcher(None, norm(a), norm(b)).ratio()


def jaccard(a, b) -> float:
    a, b = set(a or []), set(b or [])
    return 1.0 if not a and not b else len(a & b) / len(a | b)


class QueryFileHandler(DemoRequestHandler):
    """Serves `PATH?QUERY` from the file named `PATH?QUERY` when there is one (wget's way of saving
    such pages), so a static data set can hold `?page=N` listing pages; otherwise as usual."""

    def translate_path(self, path: str) -> str:
        base = super().translate_path(path)
        query = urlsplit(path).query
        if query:
            stem = os.path.join(base, "index.html") if os.path.isdir(base) else base
            if os.path.isfile(f"{stem}?{query}"):
                return f"{stem}?{query}"
        return base

    def guess_type(self, path) -> str:
        return super().guess_type(str(path).split("?", 1)[0])


def toml_str(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def tracker(*args: str, env: dict) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("tracker")
    return subprocess.run([str(exe), *args], env=env, capture_output=True, text=True)


def crawl(dataset: Path, home: Path, via_config: bool = False) -> tuple[list[dict], float]:
    """Crawl the data set's sources. With via_config the sources go into config.toml's [[sources]]
    (kind, start URL, name, funder: what `sources add` gets) instead of one `sources add` each."""
    env = dict(os.environ, TRACKER_HOME=str(home))
    env.pop("TRACKER_DATABASE_URL", None)
    # The truth holds for its as_of day ("31 Jan" with no year, what is closed): crawl as of then.
    env.setdefault("TRACKER_TODAY", json.loads((dataset / "truth.json").read_text())["as_of"])
    home.mkdir(parents=True, exist_ok=True)
    cfg = home / "config.toml"
    cfg.write_text('[crawl]\ndownload_delay = 0\nconcurrency_per_domain = 8\nallow_hosts = ["127.0.0.1"]\n'
                   'contact = "eval@example.gov.uk"\n')
    with serve_site(dataset / "site", handler_class=QueryFileHandler) as server:
        sources = json.loads((dataset / "sources.json").read_text())
        if via_config:
            with cfg.open("a") as fh:
                for src in sources:
                    fh.write(f"\n[[sources]]\nname = {toml_str(src['name'])}\nkind = {toml_str(src['kind'])}\n"
                             f"url = {toml_str(server.url + src['start_url'])}\nfunder = {toml_str(src['funder'])}\n")
            sources = []
        for src in sources:
            done = tracker("sources", "add", "--config", str(cfg), "--name", src["name"], "--kind", src["kind"],
                           "--url", server.url + src["start_url"], "--funder", src["funder"], env=env)
            if done.returncode:
                console.print(f"[red]sources add {src['name']}[/]: {done.stderr.strip()}")
        started = time.perf_counter()
        done = tracker("crawl", "--config", str(cfg), env=env)
        elapsed = time.perf_counter() - started
        if done.returncode:
            console.print(f"[red]crawl exited {done.returncode}[/]\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    exported = tracker("opportunities", "export", "--config", str(cfg), "--format", "json", env=env)
    if exported.returncode:
        raise SystemExit(f"export failed: {exported.stderr}")
    return json.loads(exported.stdout), elapsed


def find(truth: dict, by_key: dict[str, list[dict]]) -> dict | None:
    k = key(truth["url"])
    if k in by_key:
        return by_key[k][0]
    base = k.split("#")[0]
    cands = [o for kk, os_ in by_key.items() if kk.split("#")[0] == base for o in os_]
    best = max(cands, key=lambda o: similar(o.get("title"), truth["title"]), default=None)
    return best if best is not None and similar(best.get("title"), truth["title"]) >= 0.6 else None


def evaluate(dataset: Path, opps: list[dict]) -> dict:
    truth = json.loads((dataset / "truth.json").read_text())["opportunities"]
    non_calls = {key(u).split("#")[0] for u in json.loads((dataset / "non_calls.json").read_text())}
    by_key: dict[str, list[dict]] = defaultdict(list)
    for o in opps:
        by_key[key(o["url"])].append(o)
    per_source: dict[str, dict] = defaultdict(lambda: defaultdict(float))
    totals: dict[str, float] = defaultdict(float)
    wrong, missed, matched = [], [], set()
    for t in truth:
        o = find(t, by_key)
        src = per_source[t["source"]]
        if o is not None:
            matched.add(id(o))
        if t.get("duplicate_of"):
            src["dup_total"] += 1
            totals["dup_total"] += 1
            good = o is not None and key(o.get("duplicate_of")) == key(t["duplicate_of"])
            src["dup_ok"] += good
            totals["dup_ok"] += good
            continue
        src["truth"] += 1
        totals["truth"] += 1
        if o is None:
            missed.append(t["url"])
            continue
        src["found"] += 1
        totals["found"] += 1
        for f in FIELDS:
            good = similar(o.get(f), t.get(f)) >= 0.9 if f == "title" else (
                bool(o.get(f)) == bool(t.get(f)) if f == "rolling" else o.get(f) == t.get(f))
            src[f] += good
            totals[f] += good
            if not good:
                wrong.append((t["url"], f, t.get(f), o.get(f)))
        for f in SETS:
            j = jaccard(o.get(f), t.get(f))
            src[f] += j
            totals[f] += j
            if j < 1:
                wrong.append((t["url"], f, t.get(f), o.get(f)))
    from_non_calls = sorted({key(o["url"]) for o in opps if key(o["url"]).split("#")[0] in non_calls
                             and id(o) not in matched})
    spurious = sorted({key(o["url"]) for o in opps if id(o) not in matched} - set(from_non_calls))
    return {"totals": totals, "per_source": per_source, "wrong": wrong, "missed": missed,
            "from_non_calls": from_non_calls, "spurious": spurious, "exported": len(opps)}


def report(result: dict, elapsed: float) -> None:
    totals = result["totals"]
    found = max(totals["found"], 1)
    table = Table(title="Extraction by field")
    table.add_column("field")
    table.add_column("score", justify="right")
    table.add_column("bar")
    rows = [("calls found", totals["found"] / max(totals["truth"], 1), "≥ 0.98")]
    rows += [(f, totals[f] / found, "≥ 0.95" if f in ("title", "deadline", "amount_min", "amount_max", "status")
              else "") for f in FIELDS]
    rows += [(f"{f} (Jaccard)", totals[f] / found, "≥ 0.85") for f in SETS]
    rows += [("duplicates linked", totals["dup_ok"] / max(totals["dup_total"], 1), "")]
    for name, value, bar in rows:
        table.add_row(name, f"{value:.3f}", bar)
    table.add_row("items from non-calls", str(len(result["from_non_calls"])), "= 0")
    table.add_row("other extra items", str(len(result["spurious"])), "")
    table.add_row("crawl wall time (s)", f"{elapsed:.1f}", "")
    console.print(table)
    src_table = Table(title="Extraction by source")
    for col in ["source", "found", *["deadline", "amount_min", "amount_max", "status", "title"], "areas", "themes"]:
        src_table.add_column(col, justify="left" if col == "source" else "right")
    for name, s in sorted(result["per_source"].items()):
        n = max(s["found"], 1)
        src_table.add_row(name, f"{int(s['found'])}/{int(s['truth'])}",
                          *[f"{s[f] / n:.2f}" for f in ("deadline", "amount_min", "amount_max", "status", "title",
                                                          "areas", "themes")])
    console.print(src_table)
    for url in result["missed"]:
        console.print(f"[red]missed[/] {url}", highlight=False)
    for url in result["from_non_calls"]:
        console.print(f"[red]from non-call[/] {url}", highlight=False)
    for url in result["spurious"]:
        console.print(f"[yellow]extra[/] {url}", highlight=False)
    for url, f, want, got in result["wrong"]:
        console.print(f"[dim]wrong {f}[/] {url}: want {want!r} got {got!r}", highlight=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset", nargs="?", default=str(ROOT.parent / "shared" / "devset"))
    parser.add_argument("--keep", help="keep the tracker home here")
    args = parser.parse_args()
    home = Path(args.keep or tempfile.mkdtemp(prefix="tracker-eval-"))
    home.mkdir(parents=True, exist_ok=True)
    opps, elapsed = crawl(Path(args.dataset), home)
    report(evaluate(Path(args.dataset), opps), elapsed)


if __name__ == "__main__":
    main()
