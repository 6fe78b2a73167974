"""What the funder's grant record costs: a full match run with and without imported grants,
one call page's panel, one page of a funder's grant list, partner suggestions.

    .venv/bin/python bench/funder_history_speed.py [--calls 2000] [--needs 20]

Imports the three real 360Giving files (../shared/360giving, 5,140 grants) into a temporary
SQLite database, adds synthetic calls from 60 funders (three of them the real ones) and needs
in 10 areas, and times each step (best of 3 for the small ones).
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import Session, select

from tracker.db import make_engine, upgrade
from tracker.funder_history import funder_history, grants_in_area
from tracker.grants.importer import import_file
from tracker.matches import run_matching
from tracker.models import GrantRecord, Need, Opportunity
from tracker.partners import suggest_partners

SHARED = Path(__file__).resolve().parents[2] / "shared" / "360giving"
if not SHARED.exists():
    SHARED = Path("/work/shared/360giving")
TODAY = date(2026, 12, 2)
AREAS = ["Peterborough", "Leeds", "Cambridgeshire", "Bristol", "Cornwall", "Liverpool", "Somerset", "Wales",
         "Manchester", "Norfolk"]
REAL = ["Power to Change", "Lloyds Bank Foundation for England and Wales", "Foundation Scotland"]
THEMES = ["youth", "serious_violence", "domestic_abuse", "community_cohesion", "antisocial_behaviour"]


def populate(engine, calls: int, needs: int, grants: bool) -> None:  # noqa: ANN001
    rnd = random.Random(7)
    upgrade(engine)
    if grants:
        for name in ("power-to-change-grants.json", "community-foundations-grants.json",
                     "lloyds-bank-foundation-grants.json"):
            import_file(engine, SHARED / name)
    funders = REAL + [f"Synthetic Trust {i}" for i in range(57)]
    with Session(engine) as s:
        for i in range(calls):
            theme = rnd.choice(THEMES)
            s.add(Opportunity(url=f"https://f.example/{i}", title=f"{theme.replace('_', ' ').title()} fund {i}",
                              summary=f"Grants for {theme.replace('_', ' ')} projects in local communities.",
                              funder=rnd.choice(funders), deadline=TODAY + timedelta(days=rnd.randint(30, 300)),
                              amount_min=1000, amount_max=rnd.choice([10000, 50000, 250000]), themes=[theme],
                              areas=["England"], eligible_org_types=["local_authority", "charity"]))
        for i in range(needs):
            s.add(Need(id=f"N{i}", title=f"Need {i}", description="Youth work and community safety",
                       themes=rnd.sample(THEMES, 2), area=AREAS[i % len(AREAS)], amount_max=40000,
                       partners=["charity"]))
        s.commit()


def timed(fn, repeat: int = 1) -> float:  # noqa: ANN001
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=2000)
    ap.add_argument("--needs", type=int, default=20)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        runs = {}
        for grants in (False, True):
            engine = make_engine(f"sqlite:///{tmp}/{'with' if grants else 'without'}.db")
            t = timed(lambda e=engine, g=grants: populate(e, args.calls, args.needs, g))
            if grants:
                print(f"import of 3 files + {args.calls} calls: {t:.1f} s")
            with Session(engine) as s:
                runs[grants] = timed(lambda s=s: (run_matching(s, TODAY), s.commit()))
                # the second full run: links are stored, figures computed again (a new run's cache)
                again = timed(lambda s=s: (run_matching(s, TODAY), s.commit()))
            print(f"full match run, {args.calls} calls x {args.needs} needs, grants {'imported' if grants else 'none'}:"
                  f" {runs[grants]:.2f} s (again: {again:.2f} s)")
        with Session(engine) as s:
            print(f"grants imported: {len(s.exec(select(GrantRecord.id)).all())}")
            panel = timed(lambda: funder_history(s, "Lloyds Bank Foundation for England and Wales",
                                                 ["Peterborough", "Leeds"]), 3)
            print(f"call page panel (Lloyds, 2 areas): {panel * 1000:.0f} ms")
            page = timed(lambda: grants_in_area(s, "GB-CHC-327114", None, 1), 3)
            print(f"grant list, first page of Lloyds's 4,116: {page * 1000:.0f} ms")
            local = timed(lambda: grants_in_area(s, "GB-CHC-1159982", "Leeds", 1), 3)
            print(f"grant list, Power to Change in Leeds: {local * 1000:.0f} ms")
            need = s.get(Need, "N1")
            partners = timed(lambda: suggest_partners(s, need, THEMES, TODAY), 3)
            print(f"partner suggestions for a need in {need.area}: {partners * 1000:.0f} ms")


if __name__ == "__main__":
    main()
