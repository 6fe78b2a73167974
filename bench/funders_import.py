"""Funder import speed and memory: the three real 360Giving files (5,140 grants) into a fresh
database, then a synthetic JSON package of --size MB (the Lloyds Bank Foundation grants
repeated with new ids) and one a tenth of its size, to show that peak memory does not grow
with the file; then the tenth-size grants as GrantNav CSV and as XLSX (read row by row too).
Target (issue 16): the three files in under 10 s, peak memory under 200 MB.

    .venv/bin/python bench/funders_import.py [--size 500] [--database-url URL]

Each import runs in its own child process, so "peak RSS" is that import's high-water mark
(resource.getrusage), interpreter and libraries included. Without --database-url each run
gets a new SQLite file; with a PostgreSQL URL, the runs import into that database (give an
empty one: the synthetic runs add --size worth of grants to it).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent.parent / "shared" / "360giving"
if not SHARED.exists():
    SHARED = Path("/work/shared/360giving")
FILES = sorted(SHARED.glob("*-grants.json"))


def _run(url: str, paths: list[str], out: mp.Queue) -> None:
    from tracker.db import make_engine, upgrade
    from tracker.grants.importer import import_file

    engine = make_engine(url)
    upgrade(engine)
    started = time.perf_counter()
    grants = 0
    for path in paths:
        result = import_file(engine, Path(path))
        grants += result.grants
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    out.put((grants, seconds, peak))


def measure(url: str, paths: list[Path]) -> tuple[int, float, float]:
    spawn = mp.get_context("spawn")  # a fresh interpreter: its peak RSS is this import's alone
    out = spawn.Queue()
    child = spawn.Process(target=_run, args=(url, [str(p) for p in paths], out))
    child.start()
    child.join()
    if child.exitcode != 0:
        sys.exit(f"import failed (exit {child.exitcode})")
    return out.get()


def synthetic(path: Path, megabytes: int) -> int:
    """A {"grants": [...]} package of about `megabytes` MB, written grant by grant."""
    grants = json.loads((SHARED / "lloyds-bank-foundation-grants.json").read_text())["grants"]
    target = megabytes * 1_000_000
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        fh.write('{"grants": [\n')
        size = 14
        while size < target:
            g = grants[n % len(grants)]
            text = json.dumps({**g, "id": f"{g['id']}-copy-{n}"})
            fh.write(("," if n else "") + text + "\n")
            size += len(text) + 2
            n += 1
        fh.write("]}\n")
    return n


def spreadsheets(json_path: Path, csv_path: Path, xlsx_path: Path) -> None:
    """The synthetic grants as GrantNav's CSV export and as an XLSX workbook (written row by row)."""
    import csv

    import ijson
    import openpyxl

    header = ["Identifier", "Title", "Description", "Currency", "Amount Awarded", "Award Date",
              "Recipient Org:Identifier", "Recipient Org:Name", "Recipient Org:Charity Number",
              "Recipient Org:Postal Code", "Funding Org:Identifier", "Funding Org:Name", "Grant Programme:Title"]
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("grants")
    sheet.append(header)
    with json_path.open("rb") as src, csv_path.open("w", newline="", encoding="utf-8") as out:
        w = csv.writer(out)
        w.writerow(header)
        for g in ijson.items(src, "grants.item", use_float=True):
            r, f = g["recipientOrganization"][0], g["fundingOrganization"][0]
            row = [g["id"], g["title"], g.get("description", ""), g["currency"], g["amountAwarded"],
                   g["awardDate"][:10], r["id"], r["name"], r.get("charityNumber", ""), r.get("postalCode", ""),
                   f["id"], f["name"], g["grantProgramme"][0]["title"]]
            w.writerow(row)
            sheet.append(row)
    book.save(xlsx_path)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=500, help="synthetic file size in MB (default 500)")
    ap.add_argument("--database-url", help="import into this database instead of a fresh SQLite file each run")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        def url(name: str) -> str:
            return args.database_url or f"sqlite:///{Path(tmp) / name}.db"

        grants, seconds, peak = measure(url("real"), FILES)
        backend = "PostgreSQL" if args.database_url else "SQLite"
        print(f"{backend}: three real files, {grants:,} grants: {seconds:.2f} s, peak RSS {peak:.0f} MB "
              f"(target: under 10 s and 200 MB)")
        for megabytes in (max(1, args.size // 10), args.size):
            path = Path(tmp) / f"synthetic-{megabytes}.json"
            synthetic(path, megabytes)
            grants, seconds, peak = measure(url(f"syn{megabytes}"), [path])
            print(f"{backend}: synthetic {path.stat().st_size / 1e6:.0f} MB, {grants:,} grants: {seconds:.1f} s "
                  f"({grants / seconds:,.0f} grants/s), peak RSS {peak:.0f} MB")
            if megabytes == args.size // 10 and not args.database_url:
                sheets = {"CSV": Path(tmp) / "syn.csv", "XLSX": Path(tmp) / "syn.xlsx"}
                spreadsheets(path, sheets["CSV"], sheets["XLSX"])
                for kind, sheet in sheets.items():
                    grants, seconds, peak = measure(url(f"syn-{kind}"), [sheet])
                    print(f"{backend}: the same grants as {kind} ({sheet.stat().st_size / 1e6:.0f} MB): "
                          f"{seconds:.1f} s, peak RSS {peak:.0f} MB")
                    sheet.unlink()
            path.unlink()


if __name__ == "__main__":
    main()
