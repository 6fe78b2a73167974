"""Extraction quality on freshly generated funder sites (bench/sitegen), broken down per axis value.

Generates --sites fictional UK funder sites with ground truth on a fresh seed (printed; replay
with --seed), crawls them with the `tracker` next to this Python (so any worktree's venv can
measure its own code: /work/wt/<branch>/.venv/bin/python /work/wt/sitegen/bench/sitegen_eval.py),
and prints the calls found, items stored from non-call pages, accuracy per field, and the same
per value of every axis the generator drew.

    python bench/sitegen_eval.py [--sites 200] [--seed N] [--keep DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))  # bench.* and tracker.* from this file's checkout, not the cwd

from bench.extraction_eval import crawl, evaluate, find, jaccard, key, similar  # noqa: E402
from bench.sitegen import fresh_seed, generate  # noqa: E402

FIELDS = ["title", "deadline", "deadline_time", "opens", "amount_min", "amount_max", "total_pot", "status", "rolling"]
SETS = ["eligible_org_types", "excluded_org_types", "areas", "themes"]
# fields averaged into the one "acc" figure of the per-axis table
CORE = [
    "title",
    "deadline",
    "opens",
    "amount_min",
    "amount_max",
    "status",
    "eligible_org_types",
    "excluded_org_types",
    "areas",
    "themes",
]
SKIP_AXES = {"per_page", "pages", "encoding_declared", "n_news"}  # counts: see long_chain, n_funds_band


def field_scores(t: dict, o: dict) -> dict[str, float]:
    out = {}
    for f in FIELDS:
        if f == "title":
            out[f] = float(similar(o.get(f), t.get(f)) >= 0.9)
        elif f == "rolling":
            out[f] = float(bool(o.get(f)) == bool(t.get(f)))
        else:
            out[f] = float(o.get(f) == t.get(f))
    for f in SETS:
        out[f] = jaccard(o.get(f), t.get(f))
    return out


def per_call(data: Path, opps: list[dict]) -> list[dict]:
    truth = json.loads((data / "truth.json").read_text())["opportunities"]
    by_key: dict[str, list[dict]] = defaultdict(list)
    for o in opps:
        by_key[key(o["url"])].append(o)
    rows = []
    for t in truth:
        o = find(t, by_key)
        rows.append({"url": t["url"], "found": o is not None, "scores": field_scores(t, o) if o else None})
    return rows


def summarise(rows: list[dict]) -> dict:
    found = [r for r in rows if r["found"]]
    n = max(len(found), 1)
    fields = {f: sum(r["scores"][f] for r in found) / n for f in FIELDS + SETS}
    acc = sum(sum(r["scores"][f] for f in CORE) / len(CORE) for r in found) / n
    return {
        "calls": len(rows),
        "found": len(found),
        "found_rate": len(found) / max(len(rows), 1),
        "acc": acc,
        "fields": fields,
    }


def by_axis(rows: list[dict], axes: dict) -> dict[str, dict[str, dict]]:
    groups: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for r in rows:
        for name, value in axes["calls"].get(r["url"], {}).items():
            if name not in SKIP_AXES:
                groups[(name, str(value))].append(r)
    out: dict[str, dict[str, dict]] = defaultdict(dict)
    for (name, value), rs in sorted(groups.items()):
        out[name][value] = summarise(rs)
    return out


def sources_reported(home: Path) -> tuple[int, list[dict]]:
    exe = Path(sys.executable).with_name("tracker")
    env = dict(os.environ, TRACKER_HOME=str(home))
    env.pop("TRACKER_DATABASE_URL", None)
    done = subprocess.run(
        [str(exe), "sources", "list", "--config", str(home / "config.toml"), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
    )
    try:
        listed = json.loads(done.stdout)
    except ValueError:
        return 0, []
    if isinstance(listed, dict):
        listed = listed.get("sources") or []
    return len(listed), listed


def print_report(
    seed: int,
    n_sites: int,
    total: dict,
    result: dict,
    axis_table: dict,
    elapsed: float,
    n_listed: int,
    non_call_kinds: dict[str, str],
) -> list[tuple]:
    print(
        f"\nsitegen seed {seed}  sites {n_sites}  calls {total['calls']}  crawl {elapsed:.0f}s  "
        f"sources crawled {n_listed}/{n_sites}"
    )
    print(f"calls found              {total['found']}/{total['calls']} = {total['found_rate']:.3f}")
    print(f"items from non-call pages {len(result['from_non_calls'])}   (must be 0)")
    on_listings = sum(1 for u in result["spurious"] if non_call_kinds.get(u) == "listing")
    print(f"other extra items         {len(result['spurious'])}   ({on_listings} with a listing page's own url)")
    print("accuracy per field (found calls; Jaccard for sets):")
    for f, v in total["fields"].items():
        print(f"  {f:22} {v:.3f}")
    print(f"  {'mean of core fields':22} {total['acc']:.3f}")
    print("\nper axis value            n   found   acc  title  dl   opens  min   max   status elig  excl  areas themes")
    weak = []
    for name, values in axis_table.items():
        for value, s in values.items():
            fl = s["fields"]
            print(
                f"{(name + '=' + value)[:26]:26} {s['calls']:4d}  {s['found_rate']:.2f}  {s['acc']:.2f}  "
                + "  ".join(f"{fl[f]:.2f}" for f in CORE)
            )
            if s["calls"] >= 5:
                weak.append((s["found_rate"] * s["acc"], name, value, s["calls"], s["found_rate"], s["acc"]))
    weak.sort()
    print("\nweakest axis values (found rate x mean field accuracy, n >= 5):")
    for score, name, value, n, fr, acc in weak[:15]:
        print(f"  {score:.3f}  {name}={value}  (n={n}, found {fr:.2f}, acc {acc:.2f})")
    kinds = Counter(non_call_kinds.get(u, "?") for u in result["from_non_calls"])
    if kinds:
        print("items from non-call pages by page kind: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
    for url in result["from_non_calls"][:20]:
        print(f"from non-call: {url}")
    return weak


def run(n_sites: int, seed: int, keep: Path | None) -> dict:
    work = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="sitegen-eval-"))
    data, home = work / "data", work / "home"
    if home.exists():
        shutil.rmtree(home)
    home.mkdir(parents=True)
    started = time.perf_counter()
    generate(data, n_sites, seed)
    print(f"generated {n_sites} sites in {time.perf_counter() - started:.1f}s into {data}", flush=True)
    opps, elapsed = crawl(data, home, via_config=True)
    n_listed, listed = sources_reported(home)
    n_listed = sum(1 for s in listed if s.get("last_crawl_at"))
    result = evaluate(data, opps)
    rows = per_call(data, opps)
    axes = json.loads((data / "axes.json").read_text())
    total = summarise(rows)
    table = by_axis(rows, axes)
    nc_kinds = {key(u): k for u, k in axes.get("non_calls", {}).items()}
    nc_kinds.update({key(u): "listing" for u in json.loads((data / "listing_pages.json").read_text())})
    weak = print_report(seed, n_sites, total, result, table, elapsed, n_listed, nc_kinds)
    if not keep:
        shutil.rmtree(work, ignore_errors=True)
    return {
        "seed": seed,
        "sites": n_sites,
        "sources_listed": n_listed,
        "crawl_seconds": round(elapsed, 1),
        **{k: v for k, v in total.items() if k != "fields"},
        "fields": total["fields"],
        "non_call_items": len(result["from_non_calls"]),
        "non_call_items_by_kind": dict(Counter(nc_kinds.get(u, "?") for u in result["from_non_calls"])),
        "other_extra_items": len(result["spurious"]),
        "exported": result["exported"],
        "per_axis": table,
        "weakest": [{"axis": a, "value": v, "n": n, "found_rate": fr, "acc": ac} for _, a, v, n, fr, ac in weak[:15]],
        "missed": [r["url"] for r in rows if not r["found"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sites", type=int, default=200)
    ap.add_argument("--seed", type=int, help="replay a run (default: a fresh seed, printed)")
    ap.add_argument("--keep", help="keep the generated data set (DIR/data) and tracker home (DIR/home) here")
    ap.add_argument("--json", help="write the figures here")
    args = ap.parse_args()
    seed = fresh_seed() if args.seed is None else args.seed
    print(f"sitegen seed {seed}  (replay: --seed {seed})", flush=True)
    out = run(args.sites, seed, Path(args.keep) if args.keep else None)
    if args.json:
        Path(args.json).write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
