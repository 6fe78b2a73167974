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
    theme_names: dict[str, str] = field(default_factory=dict)  # theme key -> short name for people

    def theme_name(self, key: str) -> str:
        """'Drugs and alcohol' for drugs_alcohol: keys drop the "and" a reader needs."""
        return self.theme_names.get(key) or key.replace("_", " ").capitalize()

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
        theme_names=dict(data.get("theme_names", {})),
    )
