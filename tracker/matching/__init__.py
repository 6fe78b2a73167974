"""Matching project needs to funding opportunities: pure functions over plain dataclasses."""

from tracker.matching.engine import Matcher, match_all
from tracker.matching.synonyms import themes_in
from tracker.matching.types import MatchResult, NeedSpec, OppSpec

__all__ = ["MatchResult", "Matcher", "NeedSpec", "OppSpec", "match_all", "themes_in"]
