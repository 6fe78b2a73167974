"""The controlled vocabularies (org types, themes, area tree) shipped with the tracker."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Vocabulary:
    org_types: dict[str, str]
    themes: dict[str, str]
    parents: dict[str, str]  # area -> parent area ("" for the root)
    aliases: dict[str, str] = field(default_factory=dict)  # other name -> area

    def canonical_area(self, name: str) -> str | None:
        """The area key for a name or alias, case-insensitively; None if unknown."""
        wanted = " ".join(name.split()).casefold()
        for area in self.parents:
            if area.casefold() == wanted:
                return area
        for alias, area in self.aliases.items():
            if alias.casefold() == wanted:
                return area
        return None

    def ancestors(self, area: str) -> list[str]:
        """The area itself and every area above it, nearest first."""
        chain: list[str] = []
        current = area
        while current and current not in chain:
            chain.append(current)
            current = self.parents.get(current, "")
        return chain

    def covers(self, opportunity_area: str, need_area: str) -> bool:
        """True when a fund open to `opportunity_area` is open to `need_area`."""
        return opportunity_area in self.ancestors(need_area)

    def children(self, area: str) -> list[str]:
        return [a for a, p in self.parents.items() if p == area]


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    text = resources.files("tracker.data").joinpath("vocabulary.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Vocabulary(
        org_types=dict(data["org_types"]),
        themes=dict(data["themes"]),
        parents=dict(data["areas"]),
        aliases=dict(data.get("area_aliases", {})),
    )


def _matching(entries: dict[str, str], search: str) -> list[tuple[str, str]]:
    wanted = " ".join(search.split()).casefold()
    return [(key, label) for key, label in entries.items()
            if not wanted or wanted in key.casefold() or wanted in label.casefold()]


def theme_entries(search: str = "") -> list[tuple[str, str]]:
    """(key, label) of each theme whose key or label contains `search` (any case)."""
    return _matching(load_vocabulary().themes, search)


def org_type_entries(search: str = "") -> list[tuple[str, str]]:
    """(key, label) of each organisation type whose key or label contains `search`."""
    return _matching(load_vocabulary().org_types, search)


def area_entries(search: str = "") -> list[tuple[str, str]]:
    """(area, the areas it lies in) for each area whose name, parent or alias contains `search`.
    The one place `tracker vocab areas` reads areas from, so a fuller gazetteer can replace it."""
    vocab = load_vocabulary()
    aliases: dict[str, list[str]] = {}
    for alias, area in vocab.aliases.items():
        aliases.setdefault(area, []).append(alias)
    described = {}
    for area in vocab.parents:
        within = " < ".join(vocab.ancestors(area)[1:])
        also = f" (also: {', '.join(aliases[area])})" if area in aliases else ""
        described[area] = (f"in {within}" if within else "the whole country") + also
    return _matching(described, search)
