"""python -m bench.sitegen OUT_DIR [--sites N] [--seed S] [--check]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import fresh_seed, generate
from .check import check_dataset


def main() -> int:
    ap = argparse.ArgumentParser(description="Generate fictional funder sites with ground truth.")
    ap.add_argument("out")
    ap.add_argument("--sites", type=int, default=20)
    ap.add_argument("--seed", type=int)
    ap.add_argument("--check", action="store_true", help="validate the generated data set")
    args = ap.parse_args()
    seed = fresh_seed() if args.seed is None else args.seed
    print(f"sitegen seed {seed}", flush=True)
    summary = generate(Path(args.out), args.sites, seed)
    print(summary)
    if args.check:
        errors = check_dataset(Path(args.out))
        for e in errors[:50]:
            print("ERROR:", e)
        print("OK" if not errors else f"FAILED with {len(errors)} error(s)")
        return 1 if errors else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
