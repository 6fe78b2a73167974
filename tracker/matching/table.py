"""Opportunities as column arrays, so one need is checked against all of them at once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import numpy as np

from tracker.matching.synonyms import themes_in_many
from tracker.matching.text import Bm25Index
from tracker.matching.types import OppSpec
from tracker.vocab import Vocabulary

STATUS = {"open": 0, "upcoming": 1, "closed": 2}
NO_DATE = -1
SECONDARY_THEME = 0.6  # weight of a theme that is neither named first nor in the title


def _ord(d: date | None) -> int:
    return d.toordinal() if d else NO_DATE


def _num(v: int | None) -> float:
    return float(v) if v is not None else np.nan


TITLE_WEIGHT = 2  # a word of the title counts as two of the summary and body


def opp_fields(o: OppSpec) -> tuple[str, str]:
    """The index's text fields of a call: summary and body, then title."""
    return f"{o.summary}\n{o.text}", o.title


class ColumnMemo:
    """Values made once per key; at most `LIMIT` kept (about 160 KB each at 20,000 calls)."""

    LIMIT = 256

    def __init__(self, today: date | None, n_rows: int) -> None:
        self.today, self.n_rows = today, n_rows
        self._values: dict[object, Any] = {}

    def get(self, key: object, make: Callable[[], Any]) -> Any:
        if key not in self._values:
            if len(self._values) >= self.LIMIT:
                self._values.clear()
            self._values[key] = make()
        return self._values[key]


class OppTable:
    """Rows are appended; a changed opportunity gets a new row and its old row goes dead."""

    def __init__(self, opps: list[OppSpec], vocab: Vocabulary) -> None:
        self.vocab = vocab
        self.theme_keys = list(vocab.themes)
        self.theme_ix = {t: i for i, t in enumerate(self.theme_keys)}
        from tracker.matching.rules import BROAD_THEMES  # noqa: PLC0415 (rules imports this module)

        # per theme id (and the padding id len(theme_keys)): is it an umbrella theme?
        self.broad_theme = np.array([t in BROAD_THEMES for t in self.theme_keys] + [False], dtype=bool)
        self.org_bit = {o: 1 << i for i, o in enumerate(vocab.org_types)}
        self.opps: list[OppSpec] = []
        self.row_of: dict[str, int] = {}
        self.area_sets: list[tuple[str, ...]] = []
        self._area_id: dict[tuple[str, ...], int] = {}
        self._canon: dict[str, str] = {}
        self.area_cache: dict[str, np.ndarray] = {}  # need area -> verdict per area set
        cols = ("status", "deadline", "opens", "rolling", "amin", "amax", "pot", "elig", "excl", "listed", "area")
        self.col: dict[str, np.ndarray] = {c: np.zeros(0) for c in cols}
        self.alive = np.zeros(0, dtype=bool)
        n_themes = len(self.theme_keys)
        self.themes = np.zeros((0, n_themes), dtype=np.float32)
        # views of `themes` that scoring reads, appended to with it (see _add_theme_views)
        self.theme_norm = np.zeros(0, dtype=np.float32)
        self.main_theme_rows = self.side_theme_rows = np.zeros((n_themes, 0), dtype=bool)
        self._memo = ColumnMemo(None, 0)
        self.index = Bm25Index([opp_fields(o) for o in opps], field_weights=(1, TITLE_WEIGHT))
        self._add_columns(opps)

    def whole_corpus_memo(self, today: date) -> ColumnMemo:
        """Columns derived from the whole corpus and a few need fields, for `today` (made anew
        when rows are added or the day changes)."""
        if self._memo.today != today or self._memo.n_rows != len(self):
            self._memo = ColumnMemo(today, len(self))
        return self._memo

    def __len__(self) -> int:
        return len(self.opps)

    def _bits(self, org_types: list[str]) -> int:
        return sum({self.org_bit[t] for t in org_types if t in self.org_bit})

    def _canonical(self, name: str) -> str:
        if name not in self._canon:
            self._canon[name] = self.vocab.canonical_area(name) or name
        return self._canon[name]

    def _area(self, areas: list[str]) -> int:
        canon = tuple(sorted({self._canonical(a) for a in areas}))
        if canon not in self._area_id:
            self._area_id[canon] = len(self.area_sets)
            self.area_sets.append(canon)
        return self._area_id[canon]

    def _add_columns(self, opps: list[OppSpec]) -> None:
        new = {
            "status": np.array([STATUS.get(o.status, 0) for o in opps], dtype=np.int8),
            "deadline": np.array([_ord(o.deadline) for o in opps], dtype=np.int64),
            "opens": np.array([_ord(o.opens) for o in opps], dtype=np.int64),
            "rolling": np.array([o.rolling for o in opps], dtype=bool),
            "amin": np.array([_num(o.amount_min) for o in opps], dtype=np.float64),
            "amax": np.array([_num(o.amount_max) for o in opps], dtype=np.float64),
            "pot": np.array([_num(o.total_pot) for o in opps], dtype=np.float64),
            "elig": np.array([self._bits(o.eligible_org_types) for o in opps], dtype=np.int64),
            "excl": np.array([self._bits(o.excluded_org_types) for o in opps], dtype=np.int64),
            "listed": np.array([bool(o.eligible_org_types) for o in opps], dtype=bool),
            "area": np.array([self._area(o.areas) for o in opps], dtype=np.int32),
        }
        for name, arr in new.items():
            self.col[name] = np.concatenate([self.col[name].astype(arr.dtype), arr])
        themes = np.zeros((len(opps), len(self.theme_keys)), dtype=np.float32)
        # No themes from normalisation: fall back to the synonym table over its text.
        untagged = [i for i, o in enumerate(opps) if not o.themes]
        read = dict(zip(untagged, themes_in_many([f"{opps[i].title}\n{opps[i].summary}\n{opps[i].text}"
                                                  for i in untagged]), strict=True))
        all_keys = [o.themes or read[i] for i, o in enumerate(opps)]
        # the first-named and the title's themes are main (a title is read only when it could matter)
        titled = [i for i, keys in enumerate(all_keys) if len(keys) > 1]
        title_themes = dict(zip(titled, themes_in_many([opps[i].title for i in titled]), strict=True))
        for i, keys in enumerate(all_keys):
            main = set(keys[:1]) | set(title_themes.get(i, ()))
            for t in keys:
                if t in self.theme_ix:
                    themes[i, self.theme_ix[t]] = 1.0 if t in main else SECONDARY_THEME
        self._add_theme_views(themes)
        self.alive = np.concatenate([self.alive, np.ones(len(opps), dtype=bool)])
        for o in opps:
            old = self.row_of.get(o.key)
            if old is not None:
                self.alive[old] = False
            self.row_of[o.key] = len(self.opps)
            self.opps.append(o)

    def _add_theme_views(self, themes: np.ndarray) -> None:
        """Append new rows' themes and the views scoring reads, made for the new rows only (each
        row's views depend on that row alone: an upsert costs its rows, not the corpus)."""
        self.themes = np.vstack([self.themes, themes])
        self.theme_norm = np.concatenate([self.theme_norm, np.sqrt((themes * themes).sum(axis=1))])
        n_themes = len(self.theme_keys)
        # per theme, the rows that have it (as a main theme; at all) when it is not an umbrella theme
        specific = ~self.broad_theme[:n_themes]
        self.main_theme_rows = np.concatenate([self.main_theme_rows, ((themes >= 1.0) & specific).T], axis=1)
        self.side_theme_rows = np.concatenate([self.side_theme_rows, ((themes > 0) & specific).T], axis=1)

    def upsert(self, opps: list[OppSpec]) -> list[int]:
        """Add new or changed opportunities; returns their rows."""
        self.index.append([opp_fields(o) for o in opps])
        self._add_columns(opps)
        return [self.row_of[o.key] for o in opps]

    def remove(self, keys: list[str]) -> None:
        for k in keys:
            row = self.row_of.pop(k, None)
            if row is not None:
                self.alive[row] = False

    def rows_for(self, keys: list[str]) -> np.ndarray:
        return np.array([self.row_of[k] for k in keys if k in self.row_of], dtype=np.int64)
