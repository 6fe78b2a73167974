"""`tracker funders import`: a 360Giving file into grant_record and fundingorg, all or nothing.

The file is streamed (JSON with ijson, CSV and XLSX row by row) and written in batches inside
ONE transaction: a bad row without --skip-bad, or a file that breaks half-way, rolls it all
back. (A large file on SQLite is checked whole first, then committed batch by batch.)
Each batch is an INSERT .. ON CONFLICT (id) DO UPDATE of only the grants that are new or
differ from what is stored, so importing the same file again changes nothing (not even
imported_at) and a corrected grant is updated in place.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine

from tracker.grants.names import name_key
from tracker.grants.rows import COLUMNS, BadRow, registry_number, to_record
from tracker.grants.sources import READERS, CountingReader, NotGrantsFile, sniff
from tracker.models import FundingOrg, GrantRecord

BATCH = 1000
LARGE = 32 * 1024 * 1024  # bytes: above this, on SQLite, check first and commit batch by batch
KEEP_BAD = 1000  # bad-row messages kept (the total is always counted): memory stays flat

GRANTS = GrantRecord.__table__
ORGS = FundingOrg.__table__


@dataclass
class ImportResult:
    path: Path
    format: str
    grants: int = 0  # good rows read
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    with_district: int = 0  # good rows whose recipient district is known
    funders: dict[str, str] = field(default_factory=dict)  # org id -> name, as in the file
    bad: list[str] = field(default_factory=list)  # "FILE: row N (ID): field F: problem", the first KEEP_BAD
    bad_total: int = 0
    moved_from: set[str] = field(default_factory=set)  # funders that lost a grant to another funder
    imported: bool = False  # False: the transaction was rolled back (bad rows without skip_bad)
    seconds: float = 0.0


class _RollBack(Exception):
    pass


def import_file(engine: Engine, path: Path, *, skip_bad: bool = False,
                progress: Callable[[int], None] | None = None, batch_commits: bool | None = None) -> ImportResult:
    """Import a 360Giving JSON, CSV or XLSX file. NotGrantsFile when it is not one (or breaks
    part-way); then nothing is changed. With bad rows and not `skip_bad`, nothing is changed
    and result.imported is False; `progress` gets the bytes done so far (of the file's size).

    `batch_commits` (default: on SQLite for files over 32 MB) reads the file twice: first
    to check every row, then writing each batch in its own short transaction, because one
    transaction of several minutes would lock SQLite against the crawler and the web app."""
    started = time.perf_counter()
    kind = sniff(path)
    insert = _insert_for(engine)
    size = path.stat().st_size
    if batch_commits is None:
        batch_commits = engine.dialect.name == "sqlite" and size > LARGE
    if batch_commits:
        checked = ImportResult(path=path, format=kind)
        for _record in _records(path, kind, checked, None if progress is None else lambda n: progress(n // 2)):
            pass
        if checked.bad_total and not skip_bad:
            checked.seconds = time.perf_counter() - started
            return checked
        result = ImportResult(path=path, format=kind)
        half = None if progress is None else (lambda n: progress((size + n) // 2))
        for batch in _batches(_records(path, kind, result, half), result, skip_bad):
            with engine.begin() as conn:
                _write(conn, insert, batch, result)
        with engine.begin() as conn:
            _upsert_funders(conn, insert, result)
        result.imported = True
    else:
        result = ImportResult(path=path, format=kind)
        try:
            with engine.begin() as conn:
                for batch in _batches(_records(path, kind, result, progress), result, skip_bad):
                    _write(conn, insert, batch, result)
                if result.bad_total and not skip_bad:
                    raise _RollBack
                _upsert_funders(conn, insert, result)
            result.imported = True
        except _RollBack:
            result.new = result.updated = result.unchanged = 0
    result.seconds = time.perf_counter() - started
    return result


def _records(path: Path, kind: str, result: ImportResult,
             progress: Callable[[int], None] | None) -> Iterator[dict[str, Any]]:
    """The file's good grants as grant_record rows; bad ones are counted and listed in result."""
    with path.open("rb") as fh:
        for row_number, raw in READERS[kind](CountingReader(fh, progress)):
            try:
                record = to_record(raw)
            except BadRow as exc:
                result.bad_total += 1
                if len(result.bad) < KEEP_BAD:
                    hint = f" ({raw.grant_id_hint})" if raw.grant_id_hint else ""
                    result.bad.append(f"{path}: row {row_number}{hint}: {exc}")
                continue
            result.grants += 1
            result.with_district += record["recipient_district_code"] is not None
            result.funders[record["funder_org_id"]] = record["funder_name"]
            yield record


def _batches(records: Iterator[dict[str, Any]], result: ImportResult,
             skip_bad: bool) -> Iterator[dict[str, dict[str, Any]]]:
    batch: dict[str, dict[str, Any]] = {}
    for record in records:
        if result.bad_total and not skip_bad:
            batch = {}
            continue  # nothing will be kept: read on only to list every bad row
        batch[record["id"]] = record  # a repeated id in one file: the last one wins
        if len(batch) >= BATCH:
            yield batch
            batch = {}
    if batch and not (result.bad_total and not skip_bad):
        yield batch


def _insert_for(engine: Engine) -> Callable:
    name = engine.dialect.name
    if name == "sqlite":
        return sqlite.insert
    if name == "postgresql":
        return postgresql.insert
    raise NotGrantsFile(f"importing grants needs SQLite or PostgreSQL, not {name}")


def _write(conn: Connection, insert: Callable, batch: dict[str, dict[str, Any]], result: ImportResult) -> None:
    if not batch:
        return
    stored = {row.id: row for row in conn.execute(
        select(GRANTS.c.id, *(GRANTS.c[c] for c in COLUMNS)).where(GRANTS.c.id.in_(list(batch))))}
    now = datetime.now(UTC)
    changed: list[dict[str, Any]] = []
    for gid, record in batch.items():
        old = stored.get(gid)
        if old is None:
            result.new += 1
        elif all(getattr(old, c) == record[c] for c in COLUMNS):
            result.unchanged += 1
            continue
        else:
            result.updated += 1
            if old.funder_org_id != record["funder_org_id"]:
                result.moved_from.add(old.funder_org_id)  # its count changes too
        changed.append({**record, "imported_at": now})
    if changed:
        stmt = insert(GRANTS)
        stmt = stmt.on_conflict_do_update(index_elements=[GRANTS.c.id],
                                          set_={c: stmt.excluded[c] for c in (*COLUMNS, "imported_at")})
        conn.execute(stmt, changed)


def _upsert_funders(conn: Connection, insert: Callable, result: ImportResult) -> None:
    funders = result.funders
    if not funders:
        return
    rows = [{"id": org_id, "name": name, "name_key": name_key(name), "grants": 0,
             "charity_number": registry_number(org_id, "CHC", "SC", "NIC"),
             "company_number": registry_number(org_id, "COH")} for org_id, name in funders.items()]
    stmt = insert(ORGS)
    stmt = stmt.on_conflict_do_update(index_elements=[ORGS.c.id], set_={
        c: stmt.excluded[c] for c in ("name", "name_key", "charity_number", "company_number")})
    conn.execute(stmt, rows)
    count = (select(func.count()).select_from(GRANTS).where(GRANTS.c.funder_org_id == ORGS.c.id)
             .scalar_subquery())
    ids = list({*funders, *result.moved_from})
    for start in range(0, len(ids), BATCH):
        conn.execute(update(ORGS).where(ORGS.c.id.in_(ids[start:start + BATCH])).values(grants=count))
