"""The UK gazetteer: every current local authority, county, combined authority, police
force area, region and nation, and which contains which.

Containment is a graph, not a tree: Peterborough is in the ceremonial county of
Cambridgeshire, the Cambridgeshire and Peterborough Combined Authority, the
Cambridgeshire Constabulary area, the East of England, England, England and Wales,
Great Britain and the United Kingdom. An area is identified in stored data by its
name (unique) and outside by its key (GSS code where one exists, else "pfa:<slug>"
or "county:<slug>"). Data: tracker/data/gazetteer.json, built by
tracker/data/build_gazetteer.py from mySociety's register (CC BY 4.0).
"""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    kind: str
    parts: tuple[str, ...]  # keys of the areas it is made of
    aliases: tuple[str, ...]


class Gazetteer:
    def __init__(self, areas: list[Area], lookup: dict[str, list[str]]) -> None:
        self.by_key = {a.key: a for a in areas}
        self.by_name = {a.name: a for a in areas}
        # names in running text, matched by case: canonical names and aliases
        self.text_names: dict[str, str] = {}
        for a in areas:
            for n in (a.name, *a.aliases):
                self.text_names.setdefault(n, a.name)
        self._fold: dict[str, str] = {}
        for a in areas:
            for n in (a.name, a.key, *a.aliases, *lookup.get(a.key, ())):
                self._fold.setdefault(_fold(n), a.name)
        # containment by land: A is within B when every council area of A is in B, so
        # ceremonial counties, police force areas and combined authorities sit in regions too
        leaf_bit: dict[str, int] = {}
        for a in areas:
            if not a.parts:
                leaf_bit[a.key] = 1 << len(leaf_bit)
        self._mask: dict[str, int] = {}
        for a in areas:
            self._mask[a.name] = self._leaves(a, leaf_bit)
        self._up: dict[str, frozenset[str]] = {}
        self._down: dict[str, frozenset[str]] = {}

    def _leaves(self, area: Area, leaf_bit: dict[str, int]) -> int:
        if not area.parts:
            return leaf_bit[area.key]
        mask = 0
        for key in area.parts:
            mask |= self._leaves(self.by_key[key], leaf_bit)
        return mask

    def find(self, name: str) -> Area | None:
        """The area for a name, alias, former name or code, case-insensitively."""
        hit = self._fold.get(_fold(name))
        if hit is None and _fold(name).startswith("the "):
            hit = self._fold.get(_fold(name)[4:])
        return self.by_name[hit] if hit else None

    def ancestors(self, name: str) -> frozenset[str]:
        """The area's name and the names of every area that contains all of it."""
        if name not in self._up:
            mask = self._mask.get(name)
            self._up[name] = frozenset(
                {name} if mask is None else {n for n, m in self._mask.items() if mask & ~m == 0})
        return self._up[name]

    def descendants(self, name: str) -> frozenset[str]:
        """The area's name and the names of every area that lies wholly inside it."""
        if name not in self._down:
            mask = self._mask.get(name)
            self._down[name] = frozenset(
                {name} if mask is None else {n for n, m in self._mask.items() if m & ~mask == 0})
        return self._down[name]

    def same_land(self, a: str, b: str) -> bool:
        """Two names for the same land (Norfolk, Norfolk County Council, the Norfolk Constabulary area)."""
        return a in self._mask and self._mask.get(a) == self._mask.get(b)

    def children(self, name: str) -> list[str]:
        area = self.by_name.get(name)
        return [self.by_key[k].name for k in area.parts] if area else []

    def key_of(self, name: str) -> str | None:
        area = self.by_name.get(name) or self.find(name)
        return area.key if area else None

    def keys_of(self, names: list[str]) -> list[str]:
        """Stable keys for stored area names (GSS code where one exists); unknown names are kept as given."""
        return [self.key_of(n) or n for n in names]

    def suggest(self, name: str, n: int = 3) -> list[str]:
        """Area names close to a misspelt one."""
        close = difflib.get_close_matches(_fold(name), list(self._fold), n=n * 3, cutoff=0.75)
        return list(dict.fromkeys(self._fold[c] for c in close))[:n]

    def search(self, query: str, limit: int = 50) -> list[Area]:
        """Areas whose name, alias or code contains the query (all areas for an empty query)."""
        q = _fold(query)
        if not q:
            return list(self.by_key.values())[:limit]
        exact = self.find(query)
        hits = [exact] if exact else []
        for area in self.by_key.values():
            if area is not exact and any(q in _fold(n) for n in (area.name, area.key, *area.aliases)):
                hits.append(area)
        return hits[:limit]


def _fold(name: str) -> str:
    return " ".join(name.replace("&", "and").split()).casefold()


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    text = resources.files("tracker.data").joinpath("gazetteer.json").read_text(encoding="utf-8")
    data = json.loads(text)
    areas = [Area(a["key"], a["name"], a["kind"], tuple(a["parts"]), tuple(a["aliases"])) for a in data["areas"]]
    return Gazetteer(areas, {a["key"]: a["lookup"] for a in data["areas"]})
