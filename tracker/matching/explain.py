"""Plain-English reasons for one need/opportunity verdict."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import date, timedelta
from operator import attrgetter

import numpy as np

from tracker.format import amount_range, long_date, money
from tracker.matching import rules
from tracker.matching.table import OppTable
from tracker.matching.types import NeedSpec, OppSpec

ORG_LABEL = {
    "local_authority": ("council", "local authorities"),
    "town_parish_council": ("town or parish council", "town and parish councils"),
    "police": ("police", "police bodies"),
    "charity": ("charity", "charities"),
    "community_group": ("community group", "community groups"),
    "social_enterprise": ("social enterprise", "social enterprises"),
    "school": ("school", "schools"),
    "university": ("university", "universities"),
    "health_body": ("health body", "health bodies"),
    "faith_group": ("faith group", "faith groups"),
    "business": ("business", "businesses"),
    "individual": ("individual", "individuals"),
}
THEME_LABEL = {
    "vawg": "violence against women and girls", "antisocial_behaviour": "anti-social behaviour",
    "drugs_alcohol": "drugs and alcohol", "sport_physical_activity": "sport and physical activity",
    "arts_culture": "arts and culture", "health_wellbeing": "health and wellbeing",
    "housing_homelessness": "housing and homelessness", "employment_skills": "employment and skills",
    "environment_climate": "environment and climate", "research_innovation": "research and innovation",
}


def org(key: str, plural: bool = False) -> str:
    label = ORG_LABEL.get(key)
    if label is None:
        label = (key.replace("_", " "), key.replace("_", " ") + "s")
    return label[1] if plural else label[0]


def theme(key: str) -> str:
    label = THEME_LABEL.get(key)
    return key.replace("_", " ") if label is None else label


def day(d: date) -> str:
    return long_date(d)


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]


def area_reason(code: int, need: NeedSpec, opp: OppSpec) -> str:
    where = ", ".join(opp.areas)
    return {
        rules.COVERS: f"covers {need.area}",
        rules.PART: f"covers only part of {need.area} ({where})",
        rules.NO_AREA: "area not stated: assumed open nationally, check",
        rules.NOT_COVERED: f"not open to {need.area} ({where} only)",
    }[code]


def who_reason(code: int, need: NeedSpec, opp: OppSpec) -> str:
    me = org(need.applicant)
    if code == rules.DIRECT:
        return f"{me} may apply"
    if code == rules.DIRECT_UNLISTED:
        return f"who may apply is not stated: check the {me} qualifies"
    if code == rules.VIA_PARTNER:
        ok = [p for p in need.partners if p not in opp.excluded_org_types
              and (not opp.eligible_org_types or p in opp.eligible_org_types)]
        article = "an" if org(ok[0])[0] in "aeiou" else "a"
        return f"{me} may apply via {article} {_joined([org(p) for p in ok])} partner"
    if need.applicant in opp.excluded_org_types:
        return f"{org(need.applicant, True)} excluded"
    if not opp.eligible_org_types:
        return f"{org(need.applicant, True)} not eligible"
    return f"open only to {_joined([org(t, True) for t in opp.eligible_org_types])}"


def amount_reason(ok: bool, need: NeedSpec, opp: OppSpec) -> str:
    if not ok:
        cap = opp.amount_max if opp.amount_max is not None else opp.total_pot
        return f"at most {money(cap or 0)}, below the {money(need.amount_min or 0)} needed"
    if opp.amount_min is None and opp.amount_max is None:
        pot = f" ({money(opp.total_pot)} in total)" if opp.total_pot else ""
        return f"grant size not stated{pot}"
    lo, hi = need.amount_min or 0, need.amount_max if need.amount_max is not None else float("inf")
    olo, ohi = opp.amount_min or 0, opp.amount_max if opp.amount_max is not None else float("inf")
    verb = "overlaps" if olo <= hi and ohi >= lo else "does not fit"
    theirs = amount_range(opp.amount_min, opp.amount_max, "amount not stated")
    return f"{theirs} {verb} {amount_range(need.amount_min, need.amount_max, 'amount not stated')}"


def timing_reason(closed: bool, left: int, too_tight: bool, need: NeedSpec, opp: OppSpec, today: date) -> str:
    """`left`: days to the deadline."""
    if closed:
        return "closed"
    if too_tight:
        return f"too tight: closes in {left} days, needs {need.prep_days} days to prepare"
    closes = f"closes {day(today + timedelta(days=left))} ({left} days)" if opp.deadline else ""
    if opp.status == "upcoming":
        opens = f"opens {day(opp.opens)}" if opp.opens and opp.opens > today else "opening soon"
        return f"upcoming: {opens}" + (f", {closes}" if closes else ", dates to be confirmed")
    if opp.rolling or not opp.deadline:
        return "rolling: no fixed deadline"
    return closes


TIMING_STARTS = ("closed", "too tight: ", "closes ", "upcoming: ", "rolling: ")


def states_timing(reason: str) -> bool:
    """Whether a stored reason is `timing_reason`'s (a dated line, stale a day later): the
    digest states the deadline itself, once."""
    return reason.startswith(TIMING_STARTS)


def _order(late: bool, away: bool, barred: bool, short: bool) -> tuple[int, ...]:
    """The order of the parts (topic, area, who, amount, timing): the failed rules (timing,
    place, who, money) first, then the rest in their usual order."""
    fails = [part for part, failed in ((4, late), (1, away), (2, barred), (3, short)) if failed]
    return (*fails, *(part for part in range(5) if part not in fails))


# by the failed rules as a number (timing 8, place 4, who 2, money 1): the parts in order
_ORDER = [list(_order(*(bool(f >> bit & 1) for bit in (3, 2, 1, 0)))) for f in range(16)]


NO_THEME = "no shared theme"
_MENTIONS, _WORD_SEP = "; mentions ", ", "  # as `topic` and `mentions` both write them


def topic(overlap: list[str], words: list[str] | None) -> str:
    """What the need and the call share: themes, else the need's words the call uses."""
    topic = "themes " + " + ".join(theme(t) for t in overlap) if overlap else NO_THEME
    if words:
        topic += _MENTIONS + _WORD_SEP.join(words)
    return topic


def mentions(words: np.ndarray, first: np.ndarray, count: np.ndarray) -> list[str]:
    """`topic([], w)` for many pairs sharing no theme, pair i's words being
    `words[first[i]:first[i] + count[i]]`: joined column by column over object arrays, not
    pair by pair in Python."""
    said = np.full(len(first), "", dtype=object)
    for place in range(int(count.max(initial=0))):
        more = count > place
        word = words[first[more] + place]
        said[more] = word if place == 0 else said[more] + _WORD_SEP + word
    return np.where(count > 0, NO_THEME + _MENTIONS + said, NO_THEME).tolist()


# The call fields each part of a reason reads: calls alike in them share the part's text.
ALIKE: dict[str, Callable[[OppSpec], Hashable]] = {
    "area": lambda o: tuple(o.areas),
    "who": lambda o: (tuple(o.eligible_org_types), tuple(o.excluded_org_types)),
    "amount": attrgetter("amount_min", "amount_max", "total_pot"),
    "timing": attrgetter("deadline", "status", "opens", "rolling"),
}


class Explainer:
    """The reasons for many rows of one need at once, for one table of calls and one day.

    Each part (place, who may apply, money, timing) is a function of the need's fields it
    reads, the verdict code and the call's fields in `ALIKE`, so it is made by its one-row
    function (area_reason, who_reason, ...) the first time and looked up after: across a
    team's needs and calls most parts repeat (the same dates, the same grant sizes)."""

    MAX_REMEMBERED = 1_000_000  # parts kept before starting afresh (bounded memory)

    def __init__(self, table: OppTable, today: date) -> None:
        self.table, self.opps, self.today = table, table.opps, today
        self._memo: dict[tuple, dict[int, str]] = {}
        self._remembered = 0
        self._alike: dict[str, dict[Hashable, int]] = {part: {} for part in ALIKE}
        self._alike_ids: dict[str, np.ndarray] = {part: np.zeros(0, dtype=np.int64) for part in ALIKE}

    def _ids(self, part: str, rows: np.ndarray) -> np.ndarray:
        """Per row, an id shared by the calls alike in what `part` reads."""
        ids = self._alike_ids[part]
        if len(ids) < len(self.opps):  # rows appended since: give them ids
            seen = self._alike[part]
            new = [seen.setdefault(v, len(seen)) for v in map(ALIKE[part], self.opps[len(ids):])]
            ids = self._alike_ids[part] = np.concatenate([ids, np.array(new, dtype=np.int64)])
        return ids[rows]

    def _keys(self, part: str, rows: np.ndarray, codes: np.ndarray | int, n_codes: int,
              same_for_every_call: tuple[int, ...] = ()) -> np.ndarray:
        """A memo key per (calls alike, verdict code); codes whose text does not depend on the
        call get one key each."""
        keys = self._ids(part, rows) * n_codes + codes
        if same_for_every_call:
            keys = np.where(np.isin(codes, same_for_every_call), -1 - codes, keys)
        return keys

    def _partners_taken(self, needs: list[NeedSpec], which: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per pair, the org-type bits of the need's partners the call takes (not excluded, and
        listed when it lists any), as `who_reason` reads them; -1 for a need with a partner
        type the vocabulary lacks (no bit to read it by)."""
        table = self.table
        partners = np.array([table._bits(n.partners) if all(p in table.org_bit for p in n.partners) else -1
                             for n in needs], dtype=np.int64)[which]
        col = table.col
        takes = np.where(col["listed"][rows], col["elig"][rows], -1) & ~col["excl"][rows]
        return np.where(partners >= 0, partners & takes, -1)

    def _parts(self, contexts: list[tuple], context: np.ndarray, keys: np.ndarray,
               make: Callable[[int], str]) -> np.ndarray:
        """The part for each pair, as an object array: pair i is in `contexts[context[i]]` (the
        need's fields its text reads) and `make(i)` makes its text the first time its key is
        seen in that context. Pairs alike in context and key are looked up once (a look-up
        per pair cost more than the rest of the reasons)."""
        if not len(keys):
            return np.zeros(0, dtype=object)
        low = int(keys.min())
        span = int(keys.max()) - low + 1
        alike, first, inverse = np.unique(context * span + (keys - low), return_index=True, return_inverse=True)
        texts = []
        for code, j in zip(alike.tolist(), first.tolist(), strict=True):
            c, key = divmod(code, span)
            memo = self._memo.setdefault(contexts[c], {})
            part = memo.get(key + low)
            if part is None:
                part = memo[key + low] = make(j)
                self._remembered += 1
            texts.append(part)
        out = np.empty(len(texts), dtype=object)
        out[:] = texts
        return out[inverse.reshape(-1)]

    def reasons(self, v: rules.Verdicts, which: np.ndarray, cols: np.ndarray, needs: list[NeedSpec],
                topics: list[str], duplicates_of: list[str | None]) -> list[list[str]]:
        """The reasons of each (need, row) pair: `needs[which[i]]` against the row in column
        `cols[i]` of the (needs x rows) verdicts. Failed rules first (for ineligible matches),
        then fit, place, who, money and time, given its `topic` and duplicate."""
        if self._remembered > self.MAX_REMEMBERED:
            self._memo.clear()
            self._remembered = 0
        rows = v.rows[cols]
        row_list, need_of = rows.tolist(), which.tolist()
        area, who, amount_ok = v.area[which, cols], v.who[which, cols], v.amount_ok[which, cols]
        closed, too_tight = v.closed[which, cols], v.too_tight[which, cols]
        area_l, who_l, ok_l, closed_l, tight_l = (x.tolist() for x in (area, who, amount_ok, closed, too_tight))
        left_l = v.days_left[which, cols].tolist()
        opps, today = self.opps, self.today
        def by_need(context_of: Callable[[NeedSpec], tuple]) -> tuple[list[tuple], np.ndarray]:
            ids: dict[tuple, int] = {}
            of_need = np.array([ids.setdefault(context_of(n), len(ids)) for n in needs], dtype=np.int64)
            return list(ids), of_need[which]

        area_part = self._parts(*by_need(lambda n: ("area", n.area)),
                                self._keys("area", rows, area.astype(np.int64), 4, (rules.COVERS, rules.NO_AREA)),
                                lambda i: area_reason(area_l[i], needs[need_of[i]], opps[row_list[i]]))
        # only "via a partner" names the need's partners: the other answers are the applicant's
        partnered, via = by_need(lambda n: ("who", n.applicant, tuple(n.partners)))
        alone, itself = by_need(lambda n: ("who", n.applicant))
        who_keys = self._keys("who", rows, who.astype(np.int64), 4, (rules.DIRECT, rules.DIRECT_UNLISTED))
        # "via a partner" names the need's partners the call takes: pairs alike in those share
        # the text (keyed by the call's whole lists, most pairs' texts were made anew)
        taken = self._partners_taken(needs, which, rows)
        who_keys = np.where((who == rules.VIA_PARTNER) & (taken >= 0), -5 - taken, who_keys)
        who_part = self._parts(partnered + alone, np.where(who == rules.VIA_PARTNER, via, itself + len(partnered)),
                               who_keys,
                               lambda i: who_reason(who_l[i], needs[need_of[i]], opps[row_list[i]]))
        amount_part = self._parts(*by_need(lambda n: ("amount", n.amount_min, n.amount_max)),
                                  self._keys("amount", rows, amount_ok.astype(np.int64), 2),
                                  lambda i: amount_reason(ok_l[i], needs[need_of[i]], opps[row_list[i]]))
        timing_part = self._parts(*by_need(lambda n: ("timing", n.prep_days, today)),
                                  self._keys("timing", rows, 0, 1),
                                  lambda i: timing_reason(closed_l[i], left_l[i], tight_l[i], needs[need_of[i]],
                                                          opps[row_list[i]], today))
        # which rules failed, as a number 0-15: pairs alike in it order their parts alike
        failed = ((closed | too_tight) * 8 + (area == rules.NOT_COVERED) * 4 + (who == rules.NOBODY) * 2
                  + ~amount_ok)
        parts = np.empty((len(rows), 5), dtype=object)
        parts[:, 0] = topics
        parts[:, 1], parts[:, 2], parts[:, 3], parts[:, 4] = area_part, who_part, amount_part, timing_part
        # pairs alike in which rules failed order their parts alike: one reordering per kind
        for f in np.unique(failed).tolist():
            at = np.flatnonzero(failed == f)
            parts[at] = parts[at][:, _ORDER[f]]
        out = parts.tolist()
        for i, dup in enumerate(duplicates_of):
            if dup:
                out[i].append(f"same call as {dup}")
        return out
