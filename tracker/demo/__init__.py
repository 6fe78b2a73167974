"""Demo funder web, sample needs and ground truth for trying the tracker end to end without internet.

- ``site/``          static funder sites (fictional), served by :func:`tracker.demo.server.serve_site`
- ``sources.json``   one source per funder: name, funder, kind (html|rss), path on the demo server
- ``needs.json``     four needs of a fictional Peterborough safer-communities team
- ``expected.json``  ground truth: what a crawl of the demo sources should find
- ``power-to-change-grants.csv``  real grants: the 870 grants of Power to Change Trust as kept
  in 360Giving's GrantNav test data (../shared/360giving/power-to-change-grants.json), written
  as a GrantNav-style CSV with the fields the tracker reads. Data: Power to Change Trust,
  published through 360Giving under CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DEMO_DIR = Path(__file__).resolve().parent
SITE_DIR = DEMO_DIR / "site"
SOURCES_FILE = DEMO_DIR / "sources.json"
NEEDS_FILE = DEMO_DIR / "needs.json"
EXPECTED_FILE = DEMO_DIR / "expected.json"
GRANTS_FILE = DEMO_DIR / "power-to-change-grants.csv"


def _load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def load_sources() -> list[dict[str, str]]:
    return _load(SOURCES_FILE)


def load_needs() -> list[dict[str, Any]]:
    return _load(NEEDS_FILE)


def load_expected() -> dict[str, Any]:
    return _load(EXPECTED_FILE)


def __getattr__(name: str) -> Any:  # lazy, so importing the package does not import http.server
    if name in {"serve_site", "DemoServer"}:
        from tracker.demo import server

        return getattr(server, name)
    raise AttributeError(name)


__all__ = [
    "DEMO_DIR",
    "SITE_DIR",
    "SOURCES_FILE",
    "NEEDS_FILE",
    "EXPECTED_FILE",
    "GRANTS_FILE",
    "load_sources",
    "load_needs",
    "load_expected",
    "serve_site",
    "DemoServer",
]
