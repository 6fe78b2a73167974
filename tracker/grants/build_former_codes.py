"""Build tracker/grants/former_districts.json: GSS codes of councils that were merged or
recoded (Corby E07000150, Harrogate E07000165, Glasgow's S12000046...) mapped to the current
council that took over all of their land, from mySociety's register (CC BY 4.0).

    python -m tracker.grants.build_former_codes [REGISTER_DIR]   (default ../shared/geography)

Grants published before a reorganisation carry the old code; without this map they would
not count as grants in the council that exists now. A council split between several
successors (none in the register today) is left out rather than guessed.
"""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_REGISTER = HERE.parents[2] / "shared" / "geography"
if not DEFAULT_REGISTER.exists():
    DEFAULT_REGISTER = Path("/work/shared/geography")


def build(register: Path) -> dict[str, str]:
    rows = list(csv.DictReader((register / "uk_local_authorities.csv").open(encoding="utf-8")))
    by_code = {r["local-authority-code"]: r for r in rows}
    former: dict[str, str] = {}
    for r in rows:
        if r["current-authority"] == "True":
            for old in r["former-gss-codes"].split(","):
                if old.strip() and r["gss-code"]:
                    former[old.strip()] = r["gss-code"]
            continue
        successor = _successor(r, by_code)
        if successor and r["gss-code"] and successor["gss-code"]:
            former[r["gss-code"]] = successor["gss-code"]
    return dict(sorted(former.items()))


def _successor(row: dict, by_code: dict) -> dict | None:
    seen: set[str] = set()
    while row.get("current-authority") != "True":
        nxt = row.get("replaced-by", "")
        if not nxt or "," in nxt or nxt in seen or nxt not in by_code:
            return None
        seen.add(nxt)
        row = by_code[nxt]
    return row


def main(argv: list[str]) -> int:
    register = Path(argv[0]) if argv else DEFAULT_REGISTER
    try:
        former = build(register)
    except (OSError, KeyError) as exc:
        print(f"build_former_codes: {exc}", file=sys.stderr)
        return 2
    out = HERE / "former_districts.json"
    data = {"credit": "Contains local authority names and codes from mySociety (CC BY 4.0)", "former": former}
    out.write_text(json.dumps(data, indent=0) + "\n", encoding="utf-8")
    print(f"{out}: {len(former)} former codes")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
