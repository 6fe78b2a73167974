"""Page analysis results kept next to the HTTP cache. A page the server answered 304 for
has the same body as last time; with the same listing context its analysis is the same,
so a re-crawl reads it back instead of parsing the page again.

An entry is a function of its key (url, body, listing context, and the source's settings:
an admin's selectors or link pattern change the analysis) and says nothing about
the database; it is only read for pages the HTTP cache vouches for. Workers pickle the
analysis, the crawl process writes it: one writer, in short transactions."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any

from spiders.sqlite_file import SqliteFile

_SCHEMA = ("CREATE TABLE IF NOT EXISTS analysis (key TEXT PRIMARY KEY, result BLOB)",
           "CREATE TABLE IF NOT EXISTS source_settings (source TEXT PRIMARY KEY, fingerprint TEXT)")


def _file(path: Path) -> SqliteFile:
    return SqliteFile.get(path, _SCHEMA)


def memo_key(url: str, body: bytes, context: str, spider_settings: str = "") -> str:
    digest = hashlib.blake2b(digest_size=20)
    for part in (url.encode(), b"\0", body, b"\0", context.encode(), b"\0", spider_settings.encode()):
        digest.update(part)
    return digest.hexdigest()


def pack(result: Any) -> bytes:
    return pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)


def get(path: Path, key: str) -> Any | None:
    row = _file(path).conn.execute("SELECT result FROM analysis WHERE key = ?", (key,)).fetchone()
    return pickle.loads(row[0]) if row else None  # noqa: S301 - our own file


def put(path: Path, key: str, packed: bytes) -> None:
    _file(path).stage("INSERT OR REPLACE INTO analysis (key, result) VALUES (?, ?)", (key, packed))


def settings_changed(path: Path, source: str, fingerprint: str) -> bool:
    """Whether the source was last crawled to the end with other settings (or never): then a
    304 page's calls are not "as stored", since the settings decide what is read from it."""
    row = _file(path).conn.execute("SELECT fingerprint FROM source_settings WHERE source = ?",
                                   (source,)).fetchone()
    return row is None or row[0] != fingerprint


def remember_settings(path: Path, source: str, fingerprint: str) -> None:
    """Record the settings of a crawl that finished (its calls are committed by then)."""
    _file(path).stage("INSERT OR REPLACE INTO source_settings (source, fingerprint) VALUES (?, ?)",
                      (source, fingerprint))


def flush(path: Path) -> None:
    _file(path).flush()
