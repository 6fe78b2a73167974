"""The matching side's synonym table: phrases read word by word, the longest first."""

from __future__ import annotations

import random
import re

from tracker.matching import synonyms
from tracker.matching.synonyms import SYNONYMS


def regex_reading(text: str) -> list[str]:
    """The definition, as one regex: at each word start the longest phrase, a word read once."""
    def norm(t: str) -> str:
        t = t.casefold().replace("’", "'").replace("'s", "s").replace("'", "")
        return " " + " ".join(re.findall(r"[a-z0-9&]+", t)) + " "

    owners: dict[str, list[str]] = {}
    for theme, phrases in SYNONYMS.items():
        for phrase in phrases:
            owners.setdefault(norm(phrase).strip(), []).append(theme)
    alts = sorted(owners, key=len, reverse=True)
    pattern = re.compile(r"(?<= )(" + "|".join(re.escape(a) for a in alts) + r")(?= )")
    found: dict[str, None] = {}
    for m in pattern.finditer(norm(text)):
        for theme in owners[m.group(1)]:
            found.setdefault(theme, None)
    return list(found)


def test_phrases_are_read_as_the_longest_phrase_at_each_word() -> None:
    assert synonyms._local_themes(["Tackling knife crime and drug dealing"]) == [
        ["serious_violence", "organised_crime"]]
    assert synonyms._local_themes(["knife, crime", "Drug-dealing", "street drinking"]) == [
        ["serious_violence"], ["organised_crime"], ["drugs_alcohol", "antisocial_behaviour"]]
    assert synonyms._local_themes(["", "  ", "’s", "anti-social behaviour of victims"]) == [
        [], [], [], ["antisocial_behaviour", "victims"]]


def test_word_by_word_reading_agrees_with_the_regex_on_random_text() -> None:
    rng = random.Random(11)
    vocab = [w for phrases in SYNONYMS.values() for p in phrases for w in p.split()]
    vocab += ["the", "and", "Crime", "KNIFE", "young's", "people’s", "-", ",", ".", "&", "x"]
    for _ in range(3000):
        text = "".join(rng.choice(vocab) + rng.choice([" ", " ", "-", ", ", "'s ", "\n"])
                       for _ in range(rng.randint(0, 12)))
        assert synonyms._local_themes([text]) == [regex_reading(text)], text
