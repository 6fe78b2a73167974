"""The UK gazetteer: which areas contain which, in every nation, and how names are found."""

import pytest

from tracker.gazetteer import load_gazetteer
from tracker.vocab import load_vocabulary, search_areas


def covers(call_area: str, need_area: str) -> bool:
    return load_vocabulary().covers(call_area, need_area)


@pytest.mark.parametrize(
    "wider",
    [
        "Peterborough", "Cambridgeshire", "Cambridgeshire and Peterborough Combined Authority",
        "Cambridgeshire Constabulary area", "East of England", "England", "England and Wales",
        "Great Britain", "United Kingdom",
    ],
)
def test_a_call_for_any_area_containing_peterborough_covers_a_peterborough_need(wider):
    assert covers(wider, "Peterborough")


@pytest.mark.parametrize(
    "other", ["Norfolk", "Fenland", "Wales", "Cambridgeshire County Council", "Lincolnshire", "East Midlands",
              "Thames Valley Police area", "Scotland"],
)
def test_a_call_for_an_area_not_containing_peterborough_does_not_cover_it(other):
    assert not covers(other, "Peterborough")


@pytest.mark.parametrize(
    ("need", "wider", "not_wider"),
    [
        # a two-tier district: its county council, ceremonial county, police force area and region
        ("Cotswold", ["Gloucestershire County Council", "Gloucestershire", "Gloucestershire Constabulary area",
                      "South West", "England", "Great Britain"], ["South Gloucestershire", "Wales", "Oxfordshire"]),
        # a London borough: London, the Metropolitan Police area; not the City of London Police area
        ("Hackney", ["London", "Metropolitan Police area", "England", "United Kingdom"],
         ["City of London Police area", "South East", "Kent"]),
        # a Welsh unitary: Wales, its police force area, England and Wales; not England
        ("Cardiff", ["Wales", "South Wales Police area", "England and Wales", "Great Britain"],
         ["England", "North Wales Police area", "Scotland"]),
        # a Scottish council
        ("Fife", ["Scotland", "Police Scotland area", "Great Britain", "United Kingdom"],
         ["England and Wales", "England", "Northern Ireland"]),
        # a Northern Irish council: in the UK but not Great Britain
        ("Belfast", ["Northern Ireland", "Police Service of Northern Ireland area", "United Kingdom"],
         ["Great Britain", "England and Wales"]),
        # a police force area spanning several counties: Thames Valley covers Berkshire, Bucks, Milton Keynes, Oxon
        ("Reading", ["Thames Valley Police area", "Berkshire", "South East"], ["Oxfordshire", "Hampshire"]),
        ("Milton Keynes", ["Thames Valley Police area", "Buckinghamshire"], ["Buckinghamshire Council"]),
        ("Cherwell", ["Thames Valley Police area", "Oxfordshire County Council", "Oxfordshire"], ["Berkshire"]),
        # a metropolitan borough: its combined authority and the metropolitan county
        ("Wigan", ["Greater Manchester", "Greater Manchester Combined Authority", "Greater Manchester Police area",
                   "North West"], ["Lancashire", "Merseyside"]),
        # North Lincolnshire: ceremonial Lincolnshire, Humberside police, Yorkshire and The Humber region
        ("North Lincolnshire", ["Lincolnshire", "Humberside Police area", "Yorkshire and The Humber"],
         ["Lincolnshire Police area", "East Midlands"]),
    ],
)
def test_containment_in_every_nation(need, wider, not_wider):
    for area in wider:
        assert covers(area, need), f"{area} should cover {need}"
    for area in not_wider:
        assert not covers(area, need), f"{area} should not cover {need}"


def test_the_43_police_forces_of_england_and_wales_cover_every_council_once():
    g = load_gazetteer()
    forces = [a for a in g.by_key.values() if a.kind == "police_force_area"]
    assert len(forces) == 45  # 43 in England and Wales, Police Scotland, PSNI
    councils = [a.name for a in g.by_key.values()
                if a.kind in ("district", "unitary", "metropolitan_district", "london_borough", "city_corporation",
                              "welsh_unitary", "scottish_council", "ni_district")]
    assert len(councils) == 361
    for name in councils:
        assert sum(f.name in g.ancestors(name) for f in forces) == 1, name


@pytest.mark.parametrize(
    ("written", "name", "key"),
    [
        ("Cambs", "Cambridgeshire", "county:cambridgeshire"),
        ("the Peterborough City Council area", None, None),  # a phrase, not a name: found in text instead
        ("Peterborough City Council", "Peterborough", "E06000031"),
        ("e06000031", "Peterborough", "E06000031"),
        ("Greater Manchester", "Greater Manchester", "county:greater-manchester"),
        ("Thames Valley", "Thames Valley Police area", "pfa:thames-valley"),
        ("the West Midlands", "West Midlands", "E12000005"),
        ("Aylesbury Vale", "Buckinghamshire Council", "E06000060"),  # a predecessor names its successor
        ("UK-wide", "United Kingdom", "K02000001"),
        ("England & Wales", "England and Wales", "K04000001"),
        ("fenland", "Fenland", "E07000010"),
    ],
)
def test_names_people_write(written, name, key):
    g = load_gazetteer()
    area = g.find(written)
    assert (area.name if area else None, area.key if area else None) == (name, key)


def test_every_area_of_the_old_vocabulary_keeps_its_name():
    old = ["United Kingdom", "England", "Wales", "Scotland", "Northern Ireland", "East of England", "East Midlands",
           "North West", "London", "Cambridgeshire", "Peterborough", "Cambridge", "Fenland", "Huntingdonshire",
           "East Cambridgeshire", "South Cambridgeshire", "Norfolk", "Suffolk", "Essex", "Bedfordshire",
           "Hertfordshire", "Lincolnshire", "Northamptonshire", "Cumbria", "Cheshire", "Lancashire"]
    vocab = load_vocabulary()
    assert [vocab.canonical_area(a) for a in old] == old
    assert vocab.covers("Cambridgeshire", "Fenland") and vocab.covers("East of England", "Cambridge")


def test_misspelt_place_gets_suggestions():
    assert load_gazetteer().find("Fenlnd") is None
    assert "Fenland" in load_gazetteer().suggest("Fenlnd")
    assert "Peterborough" in load_gazetteer().suggest("Peterbrough")


def test_search_areas_by_name_alias_or_code():
    assert [a.name for a in search_areas("E06000031")] == ["Peterborough"]
    assert "Thames Valley Police area" in [a.name for a in search_areas("thames")]
    assert search_areas("Cambs")[0].name == "Cambridgeshire"
