import pytest

from tracker.normalize.themes import THEME_TERMS, themes_in
from tracker.vocab import load_vocabulary


def test_every_theme_has_terms_and_is_in_vocabulary():
    assert set(THEME_TERMS) == set(load_vocabulary().themes)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Community projects that steer young people away from knife crime.", {"serious_violence", "youth"}),
        ("Protecting vulnerable adults from cuckooing.", {"exploitation"}),
        ("Stopping children being drawn into county lines.", {"organised_crime", "exploitation", "drugs_alcohol"}),
        ("CCTV, better street lighting and alley-gating; designing out crime.", {"situational_prevention"}),
        ("Tackling ASB hotspots", {"antisocial_behaviour"}),
        ("Tackling anti-social behaviour", {"antisocial_behaviour"}),
        ("Safety in the night-time economy for women and girls", {"vawg"}),
        ("Raising awareness of domestic abuse and coercive control", {"domestic_abuse", "vawg"}),
        ("Support for victims and witnesses of crime", {"victims"}),
        ("Challenging hate crime and building cohesion", {"community_cohesion"}),
        ("Speed indicator devices and Community Speedwatch", {"road_safety"}),
        ("Reducing drug and alcohol harm", {"drugs_alcohol"}),
        ("Crime prevention and reducing reoffending", {"crime_prevention"}),
    ],
)
def test_themes(text, expected):
    assert expected <= set(themes_in(text))


def test_case_sensitive_acronyms():
    assert "antisocial_behaviour" not in themes_in("a basket of goods")
    assert themes_in("") == []


def test_most_mentioned_first():
    assert themes_in("youth work for young people; youth clubs; a little sport")[0] == "youth"
