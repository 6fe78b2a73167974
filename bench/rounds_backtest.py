"""Backtest of the reopening forecast (tracker.rounds) on stored history.

    .venv/bin/python bench/rounds_backtest.py            # the demo's history and crawled calls
    .venv/bin/python bench/rounds_backtest.py --db URL   # every call in a tracker database

For every fund with at least three rounds, each round from the third on is hidden with all
later ones; the forecast is made the day after the round before it closed, from the rounds
before it only, and compared with the month the hidden round opened. A hit is within one
month either way. Rounds whose opening date is only estimated are not used as the truth.
"""

from __future__ import annotations

import argparse
import json
from datetime import date, timedelta
from pathlib import Path

from tracker.rounds import Round, forecast, group

DEMO = Path(__file__).resolve().parents[1] / "tracker" / "demo"


def demo_rounds() -> list[Round]:
    history = json.loads((DEMO / "history.json").read_text(encoding="utf-8"))["rounds"]
    crawled = json.loads((DEMO / "expected.json").read_text(encoding="utf-8"))["opportunities"]
    out = []
    for n, row in enumerate([*history, *({**c, "path": c["url"]} for c in crawled)]):
        out.append(Round(n, row["title"], row["funder"], "http://demo" + row["path"],
                         date.fromisoformat(row["opens"]) if row.get("opens") else None,
                         date.fromisoformat(row["deadline"]) if row.get("deadline") else None,
                         row.get("status", "closed")))
    return out


def db_rounds(url: str) -> list[Round]:
    from sqlmodel import Session

    from tracker.db import make_engine
    from tracker.fund_rounds import _rounds

    with Session(make_engine(url)) as session:
        return _rounds(session)


def _months(a: date, b: date) -> int:
    return (a.year * 12 + a.month) - (b.year * 12 + b.month)


def backtest(rounds: list[Round]) -> dict:
    trials = hits = forecast_made = 0
    lines = []
    for fund in group(rounds):
        dated = [r for r in fund if r.opened]
        for k in range(2, len(dated)):
            target = dated[k]
            if target.estimated:
                continue
            before = dated[k - 1]
            today = (before.deadline or before.opened) + timedelta(days=1)
            past = [Round(r.id, r.title, r.funder, r.url, r.opens, r.deadline, "closed") for r in dated[:k]]
            for p, r in zip(past, dated[:k], strict=True):
                p.first_seen = r.first_seen
            group(past)  # estimates openings from these rounds only
            result = forecast(past, today)
            trials += 1
            if result.expected is None:
                lines.append(f"  no forecast ({result.note}): {target.title}, opened {target.opened:%B %Y}")
                continue
            forecast_made += 1
            off = _months(target.opened, result.expected)
            hits += abs(off) <= 1
            lines.append(f"  {'hit ' if abs(off) <= 1 else 'miss'} forecast {result.expected:%B %Y}, opened "
                         f"{target.opened:%B %Y} ({off:+d} months): {target.title}")
    return {"reopenings": trials, "forecast": forecast_made, "within_1_month": hits, "lines": lines}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a tracker database URL (default: the demo's history)")
    args = parser.parse_args()
    result = backtest(db_rounds(args.db) if args.db else demo_rounds())
    print("\n".join(result["lines"]))
    print(f"reopenings tested: {result['reopenings']}; forecast made: {result['forecast']}; "
          f"within ±1 month: {result['within_1_month']}")


if __name__ == "__main__":
    main()
