"""Matching quality on the dev set, from its ideal extraction (truth.json) and page text.

    .venv/bin/python bench/matching_devset.py [DEVSET_DIR] [--no-text] [--show N]

Prints per-need nDCG@5 against relevance.json (grades 0-3, unlisted = 0; duplicates
collapse onto duplicate_of), grade-0 items in any top 5 and grade-3 items outside top 10.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import date
from pathlib import Path

from bs4 import BeautifulSoup

from tracker.matching import NeedSpec, OppSpec, match_all

DEVSET = Path(__file__).resolve().parents[2] / "shared" / "devset"


def page_text(site: Path, url: str) -> str:
    """The call's main content as plain text (what the pipeline's extractor would keep)."""
    path, _, frag = url.partition("#")
    file = site / path.lstrip("/")
    if file.is_dir():  # a directory url (the holdouts' sites): its index page
        file = file / "index.html"
    if not file.exists():
        return ""
    if file.suffix == ".json":
        for rel in json.loads(file.read_text()).get("releases", []):
            if rel.get("ocid") == frag:
                t = rel.get("tender") or rel.get("planning") or {}
                return f"{t.get('title', '')}\n{t.get('description', '')}"
        return ""
    raw = file.read_bytes()
    try:
        html = raw.decode("utf-8")
    except UnicodeDecodeError:  # a holdout site's Windows-1252 page
        html = raw.decode("cp1252", errors="replace")
    soup = BeautifulSoup(html, "html.parser")
    node = soup.find(id=frag) if frag else None
    if node is None:
        node = soup.find("article") or soup.find("main") or soup.body or soup
        for junk in node.find_all(["nav", "header", "footer", "aside", "script", "style", "form"]):
            if junk.name != "header" or junk.find("h1") is None:
                junk.decompose()
    return node.get_text("\n", strip=True)


def load_opps(devset: Path, with_text: bool) -> tuple[list[OppSpec], date]:
    """The set's calls as its truth.json states them, with their page text; and its as_of date."""
    truth = json.loads((devset / "truth.json").read_text())
    opps = []
    for o in truth["opportunities"]:
        d = {k: o.get(k) for k in ("title", "funder", "rolling", "status", "amount_min", "amount_max",
                                   "total_pot", "eligible_org_types", "excluded_org_types", "areas",
                                   "themes", "duplicate_of")}
        opps.append(OppSpec(
            key=o["url"], text=page_text(devset / "site", o["url"]) if with_text else "",
            deadline=date.fromisoformat(o["deadline"]) if o.get("deadline") else None,
            opens=date.fromisoformat(o["opens"]) if o.get("opens") else None, **d,
        ))
    return opps, date.fromisoformat(truth["as_of"])


def load(devset: Path, with_text: bool) -> tuple[list[NeedSpec], list[OppSpec], dict, date]:
    opps, today = load_opps(devset, with_text)
    needs = [NeedSpec(id=n["id"], title=n["title"], description=n.get("description", ""),
                      keywords=n.get("keywords", []), themes=n.get("themes", []), area=n["area"],
                      applicant=n.get("applicant", "local_authority"), partners=n.get("partners", []),
                      amount_min=n.get("amount_min"), amount_max=n.get("amount_max"),
                      prep_days=n.get("prep_days", 21)) for n in json.loads((devset / "needs.json").read_text())]
    relevance = json.loads((devset / "relevance.json").read_text())
    return needs, opps, relevance, today


def dcg(grades: list[int]) -> float:
    return sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(grades))


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    show = int(argv[argv.index("--show") + 1]) if "--show" in argv else 0
    if show:
        args = [a for a in args if a != str(show)]
    devset = Path(args[0]) if args else DEVSET
    needs, opps, relevance, today = load(devset, "--no-text" not in argv)
    primary = {o.key: o.duplicate_of or o.key for o in opps}
    results = match_all(needs, opps, today)
    ok, total = True, 0.0
    for need in needs:
        grades: dict[str, int] = {}
        for key, g in relevance.get(need.id, {}).items():
            p = primary.get(key, key)
            grades[p] = max(grades.get(p, 0), g)
        ranked = sorted((r for r in results if r.need_id == need.id and r.rank), key=lambda r: r.rank)
        got = [grades.get(r.opp_key, 0) for r in ranked]
        ideal = dcg(sorted(grades.values(), reverse=True)[:5])
        ndcg = dcg(got[:5]) / ideal if ideal else 1.0
        total += ndcg
        zero_top5 = [r.opp_key for r in ranked[:5] if grades.get(r.opp_key, 0) == 0]
        top10 = {r.opp_key for r in ranked[:10]}
        missing3 = [k for k, g in grades.items() if g == 3 and k not in top10]
        ok &= not zero_top5 and not missing3
        print(f"{need.id}  nDCG@5 {ndcg:.3f}  grade-0 in top5: {len(zero_top5)}  grade-3 outside top10: "
              f"{len(missing3)}  {zero_top5 + missing3 if zero_top5 or missing3 else ''}")
        for r in ranked[:show]:
            print(f"   {r.rank:>2} {r.score:5.1f} g{grades.get(r.opp_key, 0)} {r.opp_key.split('/')[-1][:60]}"
                  f"  | {'; '.join(r.reasons[:4])}")
    mean = total / len(needs)
    print(f"mean nDCG@5 {mean:.3f}  ({'PASS' if ok and mean >= 0.90 else 'FAIL'})")
    return 0 if ok and mean >= 0.90 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
