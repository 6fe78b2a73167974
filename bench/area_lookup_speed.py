"""Time to look up a place name in the UK gazetteer (the issue asks for under 1 ms).

    .venv/bin/python bench/area_lookup_speed.py

Prints, per look-up path, the median and 99th-percentile and worst time over every name and alias the
gazetteer knows: the precompiled text matcher (one regex alternation), the
case-insensitive look-up used by needs and the web, and finding every area in a
typical eligibility sentence. The first call compiles the matcher; its cost is shown apart.
"""

from __future__ import annotations

import statistics
import time

from tracker.gazetteer import load_gazetteer
from tracker.normalize import areas


def timed(fn, items) -> tuple[float, float, float]:
    times = []
    for item in items:  # best of 3 per name, as timeit does: the machine is shared, spikes are other work
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            fn(item)
            best = min(best, time.perf_counter() - start)
        times.append(best)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.99)] * 1000, times[-1] * 1000


def main() -> None:
    start = time.perf_counter()
    gazetteer = load_gazetteer()
    areas.lookup("Peterborough")
    print(f"load gazetteer and compile matcher: {(time.perf_counter() - start) * 1000:.0f} ms (once per process)")
    names = list(gazetteer.text_names)
    sentences = [f"Open to community groups and charities based in {n}, except projects outside it." for n in names]
    for label, fn, items in [
        ("text matcher, one name", areas.lookup, names),
        ("case-insensitive find", gazetteer.find, [n.upper() for n in names]),
        ("areas in a sentence", areas.areas_in, sentences),
    ]:
        median, p99, worst = timed(fn, items)
        print(f"{label:24} {len(items):5} names  median {median:.4f} ms  p99 {p99:.4f} ms  worst {worst:.4f} ms")


if __name__ == "__main__":
    main()
