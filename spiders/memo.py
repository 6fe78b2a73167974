"""Page analysis results kept next to the HTTP cache. A page the server answered 304 for
has the same body as last time; with the same listing context its analysis is the same,
so a re-crawl reads it back instead of parsing the page again."""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
from pathlib import Path
from typing import Any

COMMIT_EVERY = 200
_open: dict[str, sqlite3.Connection] = {}
_writes: dict[str, int] = {}


def _conn(path: Path) -> sqlite3.Connection:
    key = str(path)
    if key not in _open:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(key, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE IF NOT EXISTS analysis (key TEXT PRIMARY KEY, result BLOB)")
        _open[key], _writes[key] = conn, 0
    return _open[key]


def memo_key(url: str, body: bytes, context: str) -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (url.encode(), b"\0", body, b"\0", context.encode()):
        digest.update(part)
    return digest.hexdigest()


def get(path: Path, key: str) -> Any | None:
    row = _conn(path).execute("SELECT result FROM analysis WHERE key = ?", (key,)).fetchone()
    return pickle.loads(row[0]) if row else None  # noqa: S301 - our own file


def put(path: Path, key: str, result: Any) -> None:
    conn = _conn(path)
    conn.execute("INSERT OR REPLACE INTO analysis (key, result) VALUES (?, ?)",
                 (key, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)))
    _writes[str(path)] += 1
    if _writes[str(path)] % COMMIT_EVERY == 0:
        conn.commit()


def flush() -> None:
    for conn in _open.values():
        conn.commit()
