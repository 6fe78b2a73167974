"""Check that a change to the matcher gives exactly the results another commit's matcher gives.

    .venv/bin/python bench/matching_compare.py [--ref main] [--opps 6000] [--needs 60] [--new 100]
                                               [--devset DIR]

Runs the same cases with this worktree's `tracker` and with REF's (exported with `git archive`
into a temporary directory), each in its own process, and compares every result field by
field: score, eligibility, too_tight, rank and reasons for every need and call. Cases: the
synthetic bench corpus (full score, upsert + score_subset of new calls, changed and removed
calls, a compaction), every row explained (no relevance floor, no cap), the dev set's needs
against the dev set's and holdouts' calls with their page text, and the tokenizer's output
(terms in order, counts, names) on every page text, the README and random odd text.
Exits 1 and prints the first differences when anything differs.
"""

from __future__ import annotations

import argparse
import os
import pickle
import random
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ODD = ("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789    ..,,;:!?'’‘“”\"-–—()&/\n"
       "£%éÉßİıﬁÆøñ½²Σ\u00a0\u200b中😀")


def odd_texts(rng: random.Random, n: int = 400) -> list[str]:
    """Text with the characters tokenisers trip on: quotes, hyphens, non-ASCII letters and case."""
    words = ["Youth", "youth's", "don't", "Peterborough", "CCTV", "anti-social", "O'Neill", "St. Ives",
             "children’s", "‘quoted’", "Cambs-wide", "e.g.", "2026/27", "£50,000", "AI-driven", "İstanbul"]
    out = []
    for _ in range(n):
        parts = [rng.choice(words) if rng.random() < 0.4 else
                 "".join(rng.choice(ODD) for _ in range(rng.randint(1, 12))) for _ in range(rng.randint(1, 40))]
        out.append(rng.choice([" ", "", "\n", "-", "'"]).join(parts))
    return out


def at_once(matcher: object, needs: list, keys: list[str]) -> list:
    """Every need's `score_subset` (in one call where the matcher has one)."""
    many = getattr(matcher, "score_subset_many", None)
    return many(needs, keys) if many else [matcher.score_subset(n, keys) for n in needs]  # type: ignore[attr-defined]


def make_cases(args: argparse.Namespace) -> dict:
    sys.path.insert(0, str(ROOT / "bench"))
    import matching_devset  # noqa: PLC0415
    import matching_speed as ms  # noqa: PLC0415

    rng = random.Random(7)
    words = ms.corpus_words(rng)
    opps, needs = ms.make_opps(rng, args.opps, words), ms.make_needs(rng, args.needs, words)
    new = ms.make_opps(rng, args.new, words, prefix="new")
    changed = [replace(o, text=o.text[::-1], title=o.title.upper(), themes=o.themes[::-1]) for o in opps[::120][:50]]
    devset = Path(args.devset or matching_devset.DEVSET)
    sets = [devset] + [ROOT / "bench" / h for h in ("holdout", "holdout2", "holdout3")]
    dev_needs = matching_devset.load(devset, True)[0]
    real = []
    for s in sets:
        if (s / "truth.json").exists():
            with warnings.catch_warnings():  # a feed page read as HTML
                warnings.simplefilter("ignore")
                got, today = matching_devset.load_opps(s, True)
            real += [replace(o, key=f"{s.name}:{o.key}",
                             duplicate_of=o.duplicate_of and f"{s.name}:{o.duplicate_of}") for o in got]
    texts = [f"{o.title}\n{o.summary}\n{o.text}" for o in real] + [f"{n.title}\n{n.description}" for n in dev_needs]
    texts += [p.read_text() for p in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]]
    texts += odd_texts(rng)
    return dict(today=ms.TODAY, opps=opps, needs=needs, new=new, changed=changed, dev_needs=dev_needs,
                real=real, real_today=today if real else ms.TODAY, texts=texts)


def rows(results: list) -> list[tuple]:
    return [(r.need_id, r.opp_key, r.score, r.eligible, r.too_tight, tuple(r.reasons), r.rank) for r in results]


def run_cases(data: dict) -> dict[str, list]:
    """Every case's output as plain tuples, with the `tracker` on sys.path."""
    from tracker.matching import Matcher, match_all  # noqa: PLC0415
    from tracker.matching.text import proper_nouns, term_counts, tokens  # noqa: PLC0415

    today, opps, needs = data["today"], data["opps"], data["needs"]
    out: dict[str, list] = {}
    m = Matcher(opps, today)
    out["score"] = [rows(m.score(n)) for n in needs]
    # all needs at once, a few per pass (need by need in a tree without score_many)
    m.CELLS_PER_PASS = 7 * len(opps)
    out["score many"] = [rows(r) for r in (m.score_many(needs) if hasattr(m, "score_many") else map(m.score, needs))]
    m.upsert(data["new"])
    new_keys = [o.key for o in data["new"]]
    out["subset new"] = [rows(m.score_subset(n, new_keys)) for n in needs]
    out["score after upsert"] = [rows(m.score(n)) for n in needs[:10]]
    out["score many after upsert"] = [rows(r) for r in (m.score_many(needs) if hasattr(m, "score_many")
                                                        else map(m.score, needs))]
    m.upsert(data["changed"])
    m.remove([o.key for o in opps[7::300]])
    keys = [o.key for o in data["changed"]] + new_keys + [o.key for o in opps[:50]]
    out["subset changed"] = [rows(m.score_subset(n, keys)) for n in needs[:20]]
    out["score changed"] = [rows(m.score(n)) for n in needs[:10]]
    out["subset changed, needs at once"] = [rows(r) for r in at_once(m, needs, keys)]
    fresh = Matcher(opps[:3000], today)  # needs never scored over the whole corpus
    fresh.upsert(data["new"] + data["changed"])
    out["subset at once, needs new"] = [rows(r) for r in at_once(fresh, needs[::-1], keys + keys[:5])]
    capped = Matcher(opps[:2000], today, max_results=7)
    out["subset at once, capped"] = [rows(r) for r in at_once(capped, needs[:15], [o.key for o in opps[:900]])]
    every = Matcher(opps[:1500], today, min_relevance=0.0, max_results=None)
    out["every row"] = [rows(every.score(n)) for n in needs[:8]]
    small = Matcher(opps[:1000], today)
    small.upsert(opps[1000:1600])  # past the compaction threshold
    out["compacted"] = [rows(small.score(n)) for n in needs[:8]]
    out["real"] = rows(match_all(data["dev_needs"], data["real"], data["real_today"]))
    real = Matcher(data["real"], data["real_today"], min_relevance=0.0, max_results=None)
    out["real every row"] = [rows(real.score(n)) for n in data["dev_needs"]]
    out["tokens"] = [(tokens(t), list(term_counts(t).items()), sorted(proper_nouns(t))) for t in data["texts"]]
    # the index itself over odd text, as it is and in ASCII only: vocabulary in id order, each
    # row's terms in order and their weights
    out["index"] = []
    for texts in (data["texts"], [t.encode("ascii", "ignore").decode() for t in data["texts"]]):
        odd = [replace(opps[i], key=f"odd{i}", title=texts[i - 1], summary=texts[i][:200], text=texts[i][200:])
               for i in range(1, len(texts))]
        odd_matcher = Matcher(odd[: len(odd) // 2], today)
        odd_matcher.upsert(odd[len(odd) // 2:])  # appended rows: new words, terms the corpus lacked
        index = odd_matcher.table.index
        out["index"] += [list(index.vocab), index.indptr.tolist(), index.terms.tolist(), index.weights.tolist()]
    return out


def child(data_path: str, out_path: str) -> None:
    import tracker  # noqa: PLC0415

    with open(data_path, "rb") as f:
        data = pickle.load(f)
    t0 = time.process_time()
    out = run_cases(data)
    with open(out_path, "wb") as f:
        pickle.dump(out, f)
    print(f"  {Path(tracker.__file__).parent}: {time.process_time() - t0:.1f} s cpu")


def first_diffs(a: list, b: list, limit: int = 5) -> list[str]:
    diffs = []
    for i, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            diffs.append(f"    item {i}:\n      ref {x!r:.600}\n      new {y!r:.600}")
            if len(diffs) >= limit:
                break
    if len(a) != len(b):
        diffs.append(f"    lengths differ: ref {len(a)}, new {len(b)}")
    return diffs


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ref", default="main")
    ap.add_argument("--opps", type=int, default=6000)
    ap.add_argument("--needs", type=int, default=60)
    ap.add_argument("--new", type=int, default=100)
    ap.add_argument("--devset", help="the dev set directory (default: matching_devset.py's)")
    ap.add_argument("--child", nargs=2, metavar=("DATA", "OUT"))
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        ref_root = tmp_path / "ref"
        ref_root.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.ref, "tracker"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(ref_root)], input=archive, check=True)
        with open(tmp_path / "data.pkl", "wb") as f:
            pickle.dump(make_cases(args), f)
        outs = {}
        for name, path in (("ref", ref_root), ("new", ROOT)):
            env = {**os.environ, "PYTHONPATH": str(path)}
            cmd = [sys.executable, __file__, "--child", str(tmp_path / "data.pkl"), str(tmp_path / f"{name}.out")]
            subprocess.run(cmd, check=True, env=env)
            with open(tmp_path / f"{name}.out", "rb") as f:
                outs[name] = pickle.load(f)
    ok = True
    for case, ref in outs["ref"].items():
        new = outs["new"][case]
        n = sum(len(x) if isinstance(x, list) else 1 for x in ref)
        if ref == new:
            print(f"  same       {case} ({n} results)")
            continue
        ok = False
        print(f"  DIFFERENT  {case}")
        flat_ref = [r for x in ref for r in (x if isinstance(x, list) else [x])]
        flat_new = [r for x in new for r in (x if isinstance(x, list) else [x])]
        print("\n".join(first_diffs(flat_ref, flat_new)))
    print("identical" if ok else "RESULTS DIFFER")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
