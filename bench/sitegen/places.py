"""Areas a generated fund may cover, named as the tracker's gazetteer names them (the truth keys)."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

GAZETTEER = Path(__file__).resolve().parents[2] / "tracker" / "data" / "gazetteer.json"
PLACE_KINDS = {
    "ceremonial_county",
    "district",
    "unitary",
    "metropolitan_district",
    "london_borough",
    "region",
    "nation",
    "welsh_unitary",
    "scottish_council",
    "ni_district",
}


class Places:
    def __init__(self) -> None:
        areas = json.loads(GAZETTEER.read_text(encoding="utf-8"))["areas"]
        self.by_key = {a["key"]: a for a in areas}
        self.by_name = {a["name"]: a for a in areas}
        names = [a["name"] for a in areas if a["kind"] in PLACE_KINDS]
        # a name is "clean" when it holds no other place name as a word, so its wording on a page
        # names one area only ("East Cambridgeshire" holds "Cambridgeshire": not clean)
        clean = set()
        for n in names:
            if not any(m != n and re.search(rf"\b{re.escape(m)}\b", n) for m in names):
                clean.add(n)
        self.clean = clean
        self.kind = {a["name"]: a["kind"] for a in areas}

    def of_kind(self, *kinds: str) -> list[str]:
        return sorted(n for n in self.clean if self.kind[n] in kinds)

    def regions(self) -> list[str]:
        """All English regions, "East of England" too (it holds "England", as a page would write it)."""
        return sorted(n for n, k in self.kind.items() if k == "region")

    def leaves(self, name: str) -> list[str]:
        """The council areas (districts, unitaries) that make up an area."""
        out: list[str] = []

        def walk(key: str) -> None:
            a = self.by_key[key]
            if not a["parts"]:
                out.append(a["name"])
            for p in a["parts"]:
                walk(p)

        walk(self.by_name[name]["key"])
        return out

    def counties_with_leaves(self) -> list[str]:
        """Ceremonial counties of 3+ council areas whose names are all clean (for 'except X')."""
        return [
            c
            for c in self.of_kind("ceremonial_county")
            if len(self.leaves(c)) >= 3 and sum(x in self.clean for x in self.leaves(c)) >= 2
        ]

    def police_areas(self) -> list[tuple[str, str]]:
        """(police force area name, the county it is named after) where that county is clean."""
        out = []
        for a in self.by_key.values():
            if a["kind"] != "police_force_area":
                continue
            place = re.sub(r" (Constabulary|Police) area$", "", a["name"])
            if place in self.clean and self.kind.get(place) == "ceremonial_county":
                out.append((a["name"], place))
        return sorted(out)

    def county_of(self, leaf: str) -> str | None:
        for c in self.of_kind("ceremonial_county"):
            if leaf in self.leaves(c):
                return c
        return None


@lru_cache(maxsize=1)
def places() -> Places:
    return Places()
