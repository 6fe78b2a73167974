"""Build tracker/data/gazetteer.json from mySociety's register of UK local authorities
and places.toml (nations, regions, ceremonial counties, police force areas).

    python -m tracker.data.build_gazetteer [REGISTER_DIR]   (default ../shared/geography)

The register is CC BY 4.0 (mySociety, "UK local authority names and codes"); the
output keeps that credit. The build stops with one line naming what did not resolve.
"""

from __future__ import annotations

import csv
import json
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_REGISTER = HERE.parents[2] / "shared" / "geography"
if not DEFAULT_REGISTER.exists():
    DEFAULT_REGISTER = Path("/work/shared/geography")

_KINDS = {
    "NMD": "district", "UA": "unitary", "MD": "metropolitan_district", "LBO": "london_borough",
    "CC": "city_corporation", "CTY": "county_council", "COMB": "combined_authority",
    "WPA": "welsh_unitary", "SCO": "scottish_council", "NID": "ni_district",
}
_NATION_KEY = {"England": "E92000001", "Wales": "W92000004", "Scotland": "S92000003",
               "Northern Ireland": "N92000002"}


class BuildError(Exception):
    pass


class Builder:
    def __init__(self) -> None:
        self.areas: dict[str, dict] = {}
        self.taken: dict[str, str] = {}  # exact name -> key (names in text are matched by case)

    def add(self, key: str, name: str, kind: str, fallback_name: str = "") -> dict:
        if name in self.taken:
            name = fallback_name or f"{name} ({kind.replace('_', ' ')})"
        if name in self.taken:
            raise BuildError(f"{key}: name {name!r} already used by {self.taken[name]}")
        self.taken[name] = key
        area = {"key": key, "name": name, "kind": kind, "parts": [], "aliases": [], "lookup": []}
        self.areas[key] = area
        return area

    def alias(self, key: str, name: str) -> None:
        name = " ".join(name.split())
        if name and name not in self.taken:
            self.taken[name] = key
            self.areas[key]["aliases"].append(name)

    def lookup(self, key: str, name: str) -> None:
        """A spelling for case-insensitive look-up only (too loose to find in running text)."""
        self.areas[key]["lookup"].append(" ".join(name.split()).casefold())

    def part(self, parent: str, child: str) -> None:
        if child not in self.areas[parent]["parts"]:
            self.areas[parent]["parts"].append(child)


def build(register: Path) -> dict:
    rows = list(csv.DictReader((register / "uk_local_authorities.csv").open(encoding="utf-8")))
    places = tomllib.loads((HERE / "places.toml").read_text(encoding="utf-8"))
    b = Builder()
    by_code = {r["local-authority-code"]: r for r in rows}
    current = [r for r in rows if r["current-authority"] == "True" and r["local-authority-type"] in _KINDS]

    for key, (name, _parts, _aliases) in places["groups"].items():
        b.add(key, name, "nation" if key[1:3] == "92" else "state" if key == "K02000001" else "country_group")
    for key, (name, _aliases) in places["regions"].items():
        b.add(key, name, "region")
        b.part("E92000001", key)
    for key, (_name, parts, _aliases) in places["groups"].items():
        for p in parts:
            b.part(key, p)
    for name in places["ceremonial_counties"]:
        b.add("county:" + _slug(name), name, "ceremonial_county")
    for slug, (force, _members, _aliases) in places["police_force_areas"].items():
        b.add("pfa:" + slug, f"{force} area", "police_force_area")

    code_key: dict[str, str] = {}
    # the Greater London Authority (a "strategic regional authority") is left out: its area is the London region
    for r in current:  # councils before combined authorities: "West Midlands" the region, not the CA
        kind = _KINDS[r["local-authority-type"]]
        nice, official = r["nice-name"].strip(), r["official-name"].strip()
        if kind == "combined_authority" and not any(w in nice for w in ("Combined", "CCA", "MCA")):
            nice = f"{nice} Combined Authority"
        b.add(r["gss-code"], nice, kind, fallback_name=official)
        code_key[r["local-authority-code"]] = r["gss-code"]
    for r in current:
        key, code = r["gss-code"], r["local-authority-code"]
        if r["local-authority-type"] == "COMB":
            continue
        if r["county-la"]:
            b.part(code_key[r["county-la"]], key)
        elif r["nation"] == "England":
            wanted = r["region"].casefold()
            region = next((k for k, (n, _) in places["regions"].items() if n.casefold() == wanted), None)
            if region is None:
                raise BuildError(f"{code}: region {r['region']!r} not in places.toml")
            b.part(region, key)
        else:
            b.part(_NATION_KEY[r["nation"]], key)
        if r["combined-authority"] and r["combined-authority"] in code_key:
            b.part(code_key[r["combined-authority"]], key)

    def resolve(token: str, where: str) -> str:
        if token in b.areas:
            return token
        if token in code_key:
            return code_key[token]
        hits = [k for k, a in b.areas.items() if a["kind"] in _KINDS.values() and a["name"] == token]
        hits = hits or [code_key[r["local-authority-code"]] for r in current if r["nice-name"].strip() == token]
        if len(hits) != 1:
            raise BuildError(f"places.toml {where}: member {token!r} is not one current authority")
        return hits[0]

    for name, (members, _aliases) in places["ceremonial_counties"].items():
        for m in members:
            b.part("county:" + _slug(name), resolve(m, f"[ceremonial_counties] {name}"))
    for slug, (_force, members, _aliases) in places["police_force_areas"].items():
        for m in members:
            b.part("pfa:" + slug, resolve(m, f"[police_force_areas] {slug}"))
    _check_police(b, current, code_key)

    # aliases, most general first: a shared name goes to the wider or better-known place
    for key, (_n, _p, aliases) in places["groups"].items():
        for a in aliases:
            b.alias(key, a)
    for key, (_n, aliases) in places["regions"].items():
        for a in aliases:
            b.alias(key, a)
    b.alias("E12000007", "Greater London")
    for name, (_m, aliases) in places["ceremonial_counties"].items():
        for a in aliases:
            b.alias("county:" + _slug(name), a)
    for slug, (force, _m, aliases) in places["police_force_areas"].items():
        for a in aliases:
            b.alias("pfa:" + slug, a)
        # "Lincolnshire Police" in running text is the force (an organisation); looked up, its area
        b.lookup("pfa:" + slug, force)
    for r in current:
        key = code_key.get(r["local-authority-code"])
        if key is None:
            continue
        b.alias(key, r["nice-name"])
        b.alias(key, r["official-name"])
        for alt in r["alt-names"].split(","):
            if alt.strip() and alt.strip() != alt.strip().lower():
                b.alias(key, alt)
            b.lookup(key, alt)
    for r in rows:  # predecessors name their successor
        succ = _successor(r, by_code)
        if succ and succ in code_key:
            b.alias(code_key[succ], r["nice-name"])
            b.alias(code_key[succ], r["official-name"])
            b.lookup(code_key[succ], r["nice-name"])
    for alias, target in places["aliases"].items():
        b.alias(resolve(target, f"[aliases] {alias}"), alias)
    lookup_csv = register / "lookup_name_to_registry.csv"
    if lookup_csv.exists():
        for r in csv.DictReader(lookup_csv.open(encoding="utf-8")):
            code = r["local-authority-code"]
            key = code_key.get(code) or code_key.get(_successor(by_code.get(code, {}), by_code) or "")
            if key:
                b.lookup(key, r["la-name"])
    for area in b.areas.values():
        written = {area["name"].casefold(), *(a.casefold() for a in area["aliases"])}
        area["lookup"] = sorted(set(area["lookup"]) - written)
    return {
        "credit": "Contains local authority names and codes from mySociety (CC BY 4.0), "
                  "snapshot " + _snapshot(register) + "; ceremonial counties and police force areas from "
                  "tracker/data/places.toml (sources noted there).",
        "areas": list(b.areas.values()),
    }


def _successor(row: dict, by_code: dict) -> str | None:
    """The one current authority that replaced this one (following a chain), if single."""
    seen: set[str] = set()
    while row and row.get("current-authority") != "True":
        nxt = row.get("replaced-by", "")
        if not nxt or "," in nxt or nxt in seen:
            return None
        seen.add(nxt)
        row = by_code.get(nxt, {})
    return row.get("local-authority-code") if row and seen else None


def _check_police(b: Builder, current: list[dict], code_key: dict[str, str]) -> None:
    """Every English and Welsh council with its own area sits in exactly one of the 43 forces."""
    forces = [k for k in b.areas if k.startswith("pfa:") and k not in ("pfa:scotland", "pfa:northern-ireland")]
    if len(forces) != 43:
        raise BuildError(f"places.toml [police_force_areas]: {len(forces)} forces in England and Wales, not 43")
    covered: dict[str, list[str]] = {}
    for f in forces:
        for p in b.areas[f]["parts"]:
            for leaf in [p, *b.areas[p]["parts"]]:
                covered.setdefault(leaf, []).append(f)
    for r in current:
        if r["nation"] in ("England", "Wales") and r["lower-or-unitary"] == "True":
            got = covered.get(code_key[r["local-authority-code"]], [])
            if len(got) != 1:
                raise BuildError(f"police force areas: {r['nice-name']} is in {got or 'none'}")


def _slug(name: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


def _snapshot(register: Path) -> str:
    readme = (register / "README.md").read_text(encoding="utf-8") if (register / "README.md").exists() else ""
    marker = "snapshot of "
    return readme.split(marker, 1)[1].split(")", 1)[0] if marker in readme else "unknown date"


def main(argv: list[str]) -> int:
    register = Path(argv[0]) if argv else DEFAULT_REGISTER
    try:
        data = build(register)
    except (BuildError, OSError, KeyError, ValueError) as exc:
        print(f"build_gazetteer: {exc}", file=sys.stderr)
        return 2
    out = HERE / "gazetteer.json"
    out.write_text(json.dumps(data, ensure_ascii=False, indent=0, sort_keys=False) + "\n", encoding="utf-8")
    print(f"{out}: {len(data['areas'])} areas")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
