import pytest

from tracker.normalize.areas import areas_from_fields, areas_in, resolve

LEICS_BUT_MELTON = ["Blaby", "Charnwood", "Harborough", "Hinckley and Bosworth", "North West Leicestershire",
                    "Oadby and Wigston", "Leicester"]


def resolved(text: str) -> list[str]:
    found, excluded = areas_in(text)
    return resolve(found, excluded)


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("This fund is open to groups in Cambridgeshire and Peterborough.", ["Cambridgeshire"]),
        ("Projects must benefit people in England.", ["England"]),
        ("This programme is UK-wide.", ["United Kingdom"]),
        ("Fenland only", ["Fenland"]),
        (
            "Charities working in Cambridgeshire or Peterborough; work in Peterborough is a priority.",
            ["Cambridgeshire"],
        ),
        (
            "Open to groups in Cambridgeshire, excluding Peterborough and Cambridge.",
            ["East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire"],
        ),
        ("Bids from across England and Wales.", ["England", "Wales"]),
        ("Projects must take place in Cheshire East, Cheshire West and Chester, Halton or Warrington.", ["Cheshire"]),
        ("Priority places are Luton and Peterborough. Bids from elsewhere in England will be considered.", ["England"]),
        ("Since 2025 Cambridgeshire Constabulary has worked on Lincoln Road in Peterborough.", ["Peterborough"]),
        ("The Police and Crime Commissioner for Cambridgeshire and Peterborough runs it.", []),
        ("Apply on Sport England's website or ask Arts Council England.", []),
        ("Community Foundation for Staffordshire\nThe fund is for projects in Stoke-on-Trent.", ["Stoke-on-Trent"]),
        ("The Trust for Surrey funds groups in Woking.", ["Woking"]),
        ("We fund work anywhere in Berkshire outside Reading.",  # a place that is also a word, after "outside"
         ["Bracknell Forest", "Slough", "West Berkshire", "Windsor and Maidenhead", "Wokingham"]),
        ("Groups in Millfield and New England can apply.", []),
        (
            "Rural parishes in East Cambridgeshire and South Cambridgeshire",
            ["East Cambridgeshire", "South Cambridgeshire"],
        ),
        ("A charity in Cambs", ["Cambridgeshire"]),
        (
            "Open to groups across Cambridgeshire. This fund does not cover the Peterborough City Council area.",
            ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire"],
        ),
    ],
)
def test_prose(text, areas):
    assert resolved(text) == areas


def test_excluded_sentence_splits_county():
    found, excluded = areas_in("Projects in Cambridge city and Peterborough are not eligible.")
    assert found == [] and set(excluded) == {"Cambridge", "Peterborough"}
    assert set(resolve(["Cambridgeshire"], excluded)) == {
        "Fenland",
        "Huntingdonshire",
        "East Cambridgeshire",
        "South Cambridgeshire",
    }


@pytest.mark.parametrize(
    ("fields", "areas"),
    [
        ({"Location": "England, Wales"}, ["England", "Wales"]),
        ({"Area": "Cambridgeshire (including Peterborough)"}, ["Cambridgeshire"]),
        ({"Area": "Peterborough and the area served by Peterborough and Stamford hospitals"}, ["Peterborough"]),
        ({"Area": "Fenland district (Wisbech, March, Whittlesey)"}, ["Fenland"]),
        ({"Area": "England (eligible wards only)"}, ["England"]),
        ({"Location": "United Kingdom"}, ["United Kingdom"]),
        ({"Area": "National"}, ["United Kingdom"]),
        ({"Coverage": "Nationwide"}, ["United Kingdom"]),
        ({"Area": "England and Wales"}, ["England", "Wales"]),
        ({"Area": "Great Britain"}, ["England", "Wales", "Scotland"]),
        ({"Funded by": "Peterborough City Council"}, []),
    ],
)
def test_fields(fields, areas):
    found, excluded = areas_from_fields(fields)
    assert resolve(found, excluded) == areas


def test_funder_named_after_an_area_is_not_the_area():
    from tracker.normalize.areas import areas_in

    assert areas_in("Grants for rural Huntingdonshire, funded by the UK Shared Prosperity Fund.") == (
        ["Huntingdonshire"], [])


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        ("Open to organisations based in Gloucestershire.", ["Gloucestershire"]),
        ("Projects benefiting residents of Lincolnshire.", ["Lincolnshire"]),
        ("Groups in the West Midlands can apply.", ["West Midlands"]),
        ("Open to groups in the Thames Valley.", ["Thames Valley Police area"]),
        ("Open to projects in the Cambridgeshire Constabulary area.", ["Cambridgeshire Constabulary area"]),
        ("Projects in the Cambridgeshire County Council area", ["Cambridgeshire County Council"]),
        ("Charities in Greater Manchester, except Wigan.",
         ["Bolton", "Bury", "Manchester", "Oldham", "Rochdale", "Salford", "Stockport", "Tameside", "Trafford"]),
        ("Open to projects anywhere in Great Britain.", ["England", "Wales", "Scotland"]),
        ("Open UK-wide except Northern Ireland.", ["England", "Wales", "Scotland"]),
        ("Organisations in Bedford, Central Bedfordshire and Luton", ["Bedfordshire"]),
        ("Open to Welsh groups in Cardiff, Swansea or Newport.", ["Cardiff", "Swansea", "Newport"]),
        ("Charities in Edinburgh and the Scottish Borders", ["City of Edinburgh", "The Scottish Borders"]),
        ("Community groups in Derry and Strabane or Belfast", ["Derry City and Strabane", "Belfast"]),
        ("Available across Yorkshire", ["Yorkshire and The Humber"]),
        ("Groups in Reading and Wokingham.", ["Reading", "Wokingham"]),
        # organisations named after places are not the call's area
        ("The Gloucestershire Police and Crime Commissioner invites bids.", []),
        ("Thames Valley Police are funding this.", []),
        ("Cambridgeshire County Council is the funder.", []),
        ("Funded by Kent County Council for projects in Medway", ["Medway"]),
        # place names that are everyday words count only where a place is meant
        ("Reading groups for older people.", []),
        ("Bring your NI number.", []),
        # ... and after the words that carve a place out of a wider area
        ("The fund covers Leicestershire but not Melton, which has its own scheme.", LEICS_BUT_MELTON),
        ("Leicestershire (excluding Melton)", LEICS_BUT_MELTON),
        ("All of Leicestershire apart from Melton", LEICS_BUT_MELTON),
    ],
)
def test_places_anywhere_in_the_uk(text, areas):
    assert resolved(text) == areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # the same words that turn round who may apply turn round where
        ("We fund projects in Norfolk, unless they are in Norwich.",
         ["Breckland", "Broadland", "Great Yarmouth", "Kings Lynn and West Norfolk", "North Norfolk", "South Norfolk"]),
        ("Projects anywhere in England except London.",
         ["North East", "North West", "Yorkshire and The Humber", "East Midlands", "West Midlands", "East of England",
          "South East", "South West"]),
        ("The fund covers Norfolk but not Norwich, which has its own scheme.",
         ["Breckland", "Broadland", "Great Yarmouth", "Kings Lynn and West Norfolk", "North Norfolk", "South Norfolk"]),
        # a sentence saying its places may not apply names exclusions
        ("Groups across Norfolk can apply. We cannot fund projects in Norwich.",
         ["Breckland", "Broadland", "Great Yarmouth", "Kings Lynn and West Norfolk", "North Norfolk", "South Norfolk"]),
        # scope without a place
        ("Projects can take place anywhere in the world.", ["United Kingdom"]),
        ("The fund is open to organisations across the UK.", ["United Kingdom"]),
        ("This is a UK-wide programme.", ["United Kingdom"]),
        ("A programme for charities in England and Wales.", ["England", "Wales"]),
    ],
)
def test_negation_and_scope_of_areas(text, areas):
    assert resolved(text) == areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # the area an organisation covers is named through the organisation
        ("The area covered by Dorset Police", ["Dorset Police area"]),
        ("The fund covers the area policed by Cambridgeshire Constabulary.", ["Cambridgeshire Constabulary area"]),
        # the organisation alone is not the area
        ("Dorset Police are funding this.", []),
    ],
)
def test_the_area_covered_by_an_organisation(text, areas):
    assert resolved(text) == areas
    assert resolve(*areas_from_fields({"Location": text})) == areas or not areas


@pytest.mark.parametrize(
    ("text", "areas"),
    [
        # a place that is also a word counts in a list of places, and "St." does not end a sentence
        ("Projects must benefit people living in Sefton and St. Helens.", ["Sefton", "St. Helens"]),
        ("Halton and Warrington", ["Halton", "Warrington"]),
        ("Reading and writing clubs for older people.", []),
    ],
)
def test_places_in_lists(text, areas):
    assert resolved(text) == areas


def test_a_labelled_value_that_is_a_place_and_a_word():
    assert areas_from_fields({"Area": "Halton"}) == (["Halton"], [])
