"""Procedural fictional UK funder sites with ground truth, in the devset's layout.

    from bench.sitegen import generate
    generate(Path("out"), sites=20, seed=1234)

See README.md for the axes and the truth conventions.
"""

from __future__ import annotations

import html
import json
import os
import random
import shutil
import time
from pathlib import Path

from . import words as W
from .model import draw_site
from .render import Renderer

__all__ = ["generate", "fresh_seed"]


def fresh_seed() -> int:
    return int.from_bytes(os.urandom(4), "big") ^ (time.time_ns() & 0xFFFF)


def _truth(site, f) -> dict:
    def iso(d):
        return d.isoformat() if d else None

    note = "; ".join(f"{k}={v}" for k, v in sorted(f.axes.items()))
    return {
        "url": f.url,
        "source": site.source_name,
        "title": f.title,
        "funder": site.funder,
        "deadline": iso(f.deadline),
        "deadline_time": f.deadline_time if f.deadline else None,
        "opens": iso(f.opens),
        "rolling": f.rolling,
        "status": f.status,
        "amount_min": f.amount_min,
        "amount_max": f.amount_max,
        "total_pot": f.total_pot,
        "eligible_org_types": f.eligible,
        "excluded_org_types": f.excluded,
        "areas": f.areas,
        "themes": f.themes,
        "notes": f"generated; {note}",
    }


def _facts(f) -> dict[str, list[str]]:
    """Each truth fact's wordings (any one must be on the fund's page or its listing): the audit
    that the truth is stated, not only drawn."""
    out = {"title": [f.title]}
    pairs = {
        "amount": (f.amount_value, f.amount_sentence),
        "pot": (f.pot_value, f.pot_sentence),
        "dates": (f.dates_value, f.dates_sentence),
        "area": (f.area_value, f.area_sentence),
    }
    needed = {
        "amount": f.amount_min or f.amount_max,
        "pot": f.total_pot,
        "area": True,
        "dates": f.deadline or f.opens or f.rolling or f.status != "open",
    }
    if f.axes.get("money") == "pot_and_max":  # one sentence states the pot and the grant size
        pairs["amount"] = (f.amount_value, f.pot_sentence)
    for name, (value, sentence) in pairs.items():
        if needed[name]:
            out[name] = [html.unescape(x) for x in (value, sentence, *(f.dates_alts if name == "dates" else [])) if x]
    return out


def generate(out: Path, sites: int = 20, seed: int | None = None) -> dict:
    """Write `sites` generated funder sites with truth into `out` (emptied first). Returns a summary."""
    seed = fresh_seed() if seed is None else seed
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    (out / "site").mkdir(parents=True)
    sources, truth, non_calls, listing = [], [], [], []
    facts: dict[str, dict] = {}
    axes = {"seed": seed, "sites": {}, "calls": {}, "non_calls": {}}
    for i in range(sites):
        rng = random.Random(f"sitegen:{seed}:{i}")
        site = draw_site(rng, i)
        r = Renderer(rng, site)
        r.build()
        for path, data in sorted(r.pages.items()):
            fp = out / "site" / path.lstrip("/")
            if path.endswith("/"):
                fp = fp / "index.html"
            fp.parent.mkdir(parents=True, exist_ok=True)
            fp.write_bytes(data)
        site_axes = {k: v for k, v in site.axes.items()}
        site_axes["encoding_declared"] = r.encoding
        sources.append(
            {
                "name": site.source_name,
                "funder": site.funder,
                "kind": site.axes["source_kind"],
                "start_url": r.start,
                "note": "generated; " + "; ".join(f"{k}={v}" for k, v in sorted(site_axes.items())),
            }
        )
        axes["sites"][site.source_name] = {
            **site_axes,
            "slug": site.slug,
            "distractors": site.distractors,
            "encoding": r.ax["encoding"],
        }
        for f in site.funds:
            truth.append(_truth(site, f))
            axes["calls"][f.url] = {
                **{k: v for k, v in site_axes.items() if k not in ("per_page", "pages", "encoding_declared")},
                **f.axes,
                "status": f.status,
            }
        for f in site.funds:
            facts[f.url] = {"pages": sorted({f.url.split("#")[0], *r.listing_pages}), "facts": _facts(f)}
        non_calls += r.non_calls
        axes["non_calls"].update(r.non_call_kinds)
        listing += r.listing_pages

    def dump(name, obj):
        return (out / name).write_text(
            json.dumps(obj, indent=1, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )

    dump("sources.json", sources)
    dump("truth.json", {"as_of": W.AS_OF.isoformat(), "opportunities": truth})
    dump("non_calls.json", non_calls)
    dump("listing_pages.json", listing)
    dump("axes.json", axes)
    dump("facts.json", facts)
    (out / "README.md").write_text(
        f"# Generated funder sites (bench/sitegen), seed {seed}\n\n{sites} sites, {len(truth)} calls, "
        f"{len(non_calls)} non-call pages. Replay: `python -m bench.sitegen OUT --sites {sites} --seed {seed}`.\n",
        encoding="utf-8",
    )
    return {"seed": seed, "sites": sites, "calls": len(truth), "non_calls": len(non_calls)}
