"""The controlled vocabularies (org types, themes, areas) shipped with the tracker.

Areas come from the UK gazetteer (tracker.gazetteer); an area is stored by its name.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources

from tracker.gazetteer import Area, Gazetteer, load_gazetteer


@dataclass(frozen=True)
class Vocabulary:
    org_types: dict[str, str]
    themes: dict[str, str]
    theme_names: dict[str, str] = field(default_factory=dict)  # theme key -> short name for people
    org_kinds: dict[str, str] = field(default_factory=dict)  # finer kind -> the org type it belongs to
    gazetteer: Gazetteer = field(default_factory=load_gazetteer, repr=False)

    def org_type(self, key: str) -> str | None:
        """The org type for an org type key or a finer kind ("housing_association"); None if unknown."""
        return key if key in self.org_types else self.org_kinds.get(key)

    @property
    def parents(self) -> dict[str, Area]:
        """Every area name (the stored form), with its area."""
        return self.gazetteer.by_name

    def theme_name(self, key: str) -> str:
        """'Drugs and alcohol' for drugs_alcohol: keys drop the "and" a reader needs."""
        return self.theme_names.get(key) or key.replace("_", " ").capitalize()

    def canonical_area(self, name: str) -> str | None:
        """The area name for a name, alias, former name or code, case-insensitively; None if unknown."""
        area = self.gazetteer.find(name)
        return area.name if area else None

    def ancestors(self, area: str) -> frozenset[str]:
        """The area itself and every area that contains it."""
        return self.gazetteer.ancestors(area)

    def covers(self, opportunity_area: str, need_area: str) -> bool:
        """True when a fund open to `opportunity_area` is open to `need_area`."""
        return opportunity_area in self.gazetteer.ancestors(need_area)

    def children(self, area: str) -> list[str]:
        return self.gazetteer.children(area)

    def area_choices(self) -> list[str]:
        """Area names for a picker: the UK, nations and regions first, then every other area A to Z."""
        return list(self._area_choices)

    @cached_property
    def _area_choices(self) -> tuple[str, ...]:
        # ~500 areas sorted: worked out once, not on every page with an area picker
        wide = ("state", "country_group", "nation", "region")
        areas = list(self.gazetteer.by_key.values())
        first = [a.name for kind in wide for a in areas if a.kind == kind]
        return (*first, *sorted((a.name for a in areas if a.kind not in wide), key=str.casefold))


def search_areas(query: str, limit: int = 50) -> list[Area]:
    """Areas whose name, alias or code contains `query` (`tracker vocab areas SEARCH`)."""
    return load_gazetteer().search(query, limit)


@lru_cache(maxsize=1)
def load_vocabulary() -> Vocabulary:
    text = resources.files("tracker.data").joinpath("vocabulary.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return Vocabulary(
        org_types=dict(data["org_types"]),
        themes=dict(data["themes"]),
        org_kinds=dict(data.get("org_kinds", {})),
        theme_names=dict(data.get("theme_names", {})),
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
    """(area, its code, kind and the widest-but-one areas it lies in) for each gazetteer area whose
    name, alias or code contains `search`: what `tracker vocab areas` prints."""
    gazetteer = load_gazetteer()
    rows = []
    for area in gazetteer.search(search, limit=len(gazetteer.by_key)):
        within = sorted(gazetteer.ancestors(area.name) - {area.name}, key=lambda n: len(gazetteer.ancestors(n)))
        where = ", ".join(reversed(within[-3:])) if within else "the whole country"
        also = f" (also: {', '.join(area.aliases[:3])})" if area.aliases else ""
        rows.append((area.name, f"{area.key}, {area.kind.replace('_', ' ')}, in {where}{also}"
                     if within else f"{area.key}, {where}{also}"))
    return rows
