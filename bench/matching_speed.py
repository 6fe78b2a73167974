"""Matching speed on synthetic data: N opportunities x M needs, full and incremental.

    .venv/bin/python bench/matching_speed.py [--opps 20000] [--needs 200] [--new 100]

Prints index build, full re-score and incremental (upsert + score_subset_many, median of
--rounds batches of new calls) times, the
number of results, and peak memory (ru_maxrss; tracemalloc peak with --tracemalloc).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import time
import tracemalloc
from datetime import date, timedelta

from tracker.matching import Matcher, NeedSpec, OppSpec
from tracker.matching.synonyms import SYNONYMS
from tracker.vocab import load_vocabulary

TODAY = date(2026, 11, 26)


def corpus_words(rng: random.Random, n: int = 6000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    made = {"".join(rng.choice(letters) for _ in range(rng.randint(3, 10))) for _ in range(n)}
    return sorted(made) + [w for phrases in SYNONYMS.values() for p in phrases for w in p.split()]


def text(rng: random.Random, words: list[str], themes: list[str], n: int) -> str:
    picks = rng.choices(words, weights=[1 / (i + 1) for i in range(len(words))], k=n)
    picks += [rng.choice(SYNONYMS[t]) for t in themes for _ in range(3)]
    rng.shuffle(picks)
    return " ".join(picks)


def make_opps(rng: random.Random, n: int, words: list[str], prefix: str = "o") -> list[OppSpec]:
    v = load_vocabulary()
    themes, orgs, areas = list(v.themes), list(v.org_types), list(v.parents)
    out = []
    for i in range(n):
        ts = rng.sample(themes, rng.randint(1, 4))
        status = rng.choices(["open", "upcoming", "closed"], [0.45, 0.1, 0.45])[0]
        rolling = status == "open" and rng.random() < 0.15
        deadline = None if rolling else TODAY + timedelta(days=rng.randint(-400, 500))
        lo = rng.choice([None, 500, 1000, 5000, 10000, 50000])
        hi = None if lo is None else lo * rng.choice([2, 5, 10, 20])
        dup = f"{prefix}{i - 1}" if i and rng.random() < 0.05 else None
        out.append(OppSpec(
            key=f"{prefix}{i}", title=text(rng, words, ts[:1], 5), summary=text(rng, words, ts, 30),
            text=text(rng, words, ts, 150), funder=f"funder {i % 300}", deadline=deadline,
            rolling=rolling, status=status, amount_min=lo, amount_max=hi,
            total_pot=rng.choice([None, 100_000, 1_000_000]), eligible_org_types=rng.sample(orgs, rng.randint(0, 5)),
            excluded_org_types=rng.sample(orgs, rng.randint(0, 2)), areas=rng.sample(areas, rng.randint(0, 2)),
            themes=ts, duplicate_of=dup,
        ))
    return out


def make_needs(rng: random.Random, n: int, words: list[str]) -> list[NeedSpec]:
    v = load_vocabulary()
    themes, orgs = list(v.themes), list(v.org_types)
    return [NeedSpec(id=f"n{i}", title=text(rng, words, [], 6), description=text(rng, words, [], 60),
                     themes=rng.sample(themes, rng.randint(1, 3)),
                     area=rng.choice(["Peterborough", "Cumbria", "Fenland", "London"]),
                     applicant="local_authority", partners=rng.sample(orgs, 2),
                     amount_min=rng.choice([None, 2000, 10000]), amount_max=rng.choice([None, 50000, 300000]))
            for i in range(n)]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--opps", type=int, default=20000)
    ap.add_argument("--needs", type=int, default=200)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--rounds", type=int, default=5, help="incremental rounds (new calls each)")
    ap.add_argument("--tracemalloc", action="store_true")
    args = ap.parse_args()
    rng = random.Random(7)
    words = corpus_words(rng)
    opps, needs = make_opps(rng, args.opps, words), make_needs(rng, args.needs, words)
    new = make_opps(rng, args.new, words, prefix="new")
    base_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    if args.tracemalloc:
        tracemalloc.start()

    clock = [(time.perf_counter(), time.process_time())]
    matcher = Matcher(opps, TODAY)
    if hasattr(matcher, "keep_between_runs"):  # as run_matching's kept matcher does (not in older trees)
        matcher.keep_between_runs()
    clock.append((time.perf_counter(), time.process_time()))
    # an older tree scores need by need
    full = getattr(matcher, "score_many", None) or (lambda ns: map(matcher.score, ns))
    results = sum(len(r) for r in full(needs))
    clock.append((time.perf_counter(), time.process_time()))
    # several crawls' worth of new calls, one after another: the median round is reported
    rounds, inc = [], 0
    # an older tree (PYTHONPATH=its copy, to compare) scores need by need
    score_many = getattr(matcher, "score_subset_many", None) or (
        lambda ns, ks: [matcher.score_subset(n, ks) for n in ns])
    for i in range(args.rounds):
        batch = new if i == 0 else make_opps(rng, args.new, words, prefix=f"new{i}-")
        start = time.perf_counter()
        matcher.upsert(batch)
        inc = sum(len(r) for r in score_many(needs, [o.key for o in batch]))
        rounds.append(time.perf_counter() - start)
    clock.append((time.perf_counter(), time.process_time()))
    keys = [o.key for o in batch]
    one_by_one = sum(len(matcher.score_subset(n, keys)) for n in needs)
    clock.append((time.perf_counter(), time.process_time()))

    def span(a: int, b: int) -> str:
        return f"{clock[b][0] - clock[a][0]:6.2f} s wall {clock[b][1] - clock[a][1]:6.2f} s cpu"

    print(f"{args.opps} opportunities x {args.needs} needs")
    print(f"  index build        {span(0, 1)}")
    print(f"  full re-score      {span(1, 2)}  ({results} results kept)")
    print(f"  build + re-score   {span(0, 2)}")
    print(f"  incremental        {statistics.median(rounds):6.2f} s wall median of {args.rounds} rounds "
          f"(min {min(rounds):.2f}, max {max(rounds):.2f}; upsert {args.new} + score_subset_many of "
          f"{args.needs} needs, {inc} results in the last)")
    print(f"  the same need by need {span(3, 4)}  (score_subset x {args.needs} again, {one_by_one} results)")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  peak RSS           {rss / 1024:6.0f} MB  (synthetic data alone {base_rss / 1024:.0f} MB)")
    if args.tracemalloc:
        print(f"  tracemalloc peak   {tracemalloc.get_traced_memory()[1] / 2**20:6.0f} MB")


if __name__ == "__main__":
    main()
