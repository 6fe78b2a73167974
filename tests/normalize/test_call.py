from datetime import date, time

import pytest

from tracker.normalize import RawCall, normalize_call
from tracker.normalize.call import clean_title

TODAY = date(2026, 11, 26)
PCC = "Cambridgeshire and Peterborough Police and Crime Commissioner"


def norm(raw: RawCall, funder: str | None = PCC):
    return normalize_call(raw, today=TODAY, default_funder=funder)


def test_prose_page():
    raw = RawCall(
        url="https://pcc.example/grants/crime-and-disorder.html?utm_source=news",
        title="Crime and Disorder Reduction Grants 2027/28 – Police and Crime Commissioner for Cambridgeshire and "
        "Peterborough",
        text="For 2027/28 the Commissioner has set aside\n£400,000. We expect individual awards to fall in the range "
        "£5,000 - £50,000.\nWhat we want to fund\ntackle anti-social behaviour and neighbourhood crime;\n"
        "Who can apply\nWe welcome bids from district, city and county councils, parish and town councils and "
        "registered charities working in Cambridgeshire or Peterborough.\nThis scheme cannot fund unconstituted "
        "community groups, individuals or businesses.\nHow to apply\nSend the form by Friday 16 July 2027 at 12 "
        "noon. A panel will meet in September 2027. Funded activity must be completed by 31 March 2028.\n"
        "Last updated: 19 November 2026",
    )
    f = norm(raw)
    assert f.url == "https://pcc.example/grants/crime-and-disorder.html"
    assert f.title == "Crime and Disorder Reduction Grants 2027/28"
    assert (f.deadline, f.deadline_time, f.status, f.rolling) == (date(2027, 7, 16), time(12, 0), "open", False)
    assert (f.amount_min, f.amount_max, f.total_pot) == (5_000, 50_000, 400_000)
    assert set(f.eligible_org_types) == {"local_authority", "town_parish_council", "charity"}
    assert set(f.excluded_org_types) == {"community_group", "individual", "business"}
    assert f.areas == ["Cambridgeshire"]
    assert {"antisocial_behaviour", "crime_prevention"} <= set(f.themes)
    assert "Who can apply" in f.eligibility_text
    assert f.problems == []


def test_deadline_only_on_listing_card():
    raw = RawCall(
        url="https://pcc.example/youth.html",
        title="Youth and Community Fund",
        text="Grants of up to £3,000 for groups working with young people. The closing date is shown on "
        "our listing page.",
        listing_text="Youth and Community Fund\nOpen\n– closes 5pm on 17/09/2027",
    )
    f = norm(raw)
    assert (f.deadline, f.deadline_time, f.status) == (date(2027, 9, 17), time(17, 0), "open")
    assert f.amount_max == 3_000


def test_listing_table_fields_fill_gaps():
    raw = RawCall(
        url="https://sport.example/safer.html",
        title="Sport for Safer Communities (pilot) | Sport England",
        text="The pilot has £1m total, grants up to £50,000.\nPriority places include Peterborough. Bids "
        "from elsewhere in England will be considered.",
        listing_fields={
            "Fund": "Sport for Safer Communities (pilot)",
            "Grant size": "£10k–£50k",
            "Deadline": "5pm on 14/01/2028",
        },
    )
    f = norm(raw, "Sport England")
    assert f.title == "Sport for Safer Communities (pilot)"
    assert (f.deadline, f.deadline_time) == (date(2028, 1, 14), time(17, 0))
    assert (f.amount_min, f.amount_max, f.total_pot) == (10_000, 50_000, 1_000_000)
    assert f.areas == ["England"]


def test_govuk_summary_list():
    raw = RawCall(
        url="https://grants.example/safer-streets",
        title="Safer Streets Fund 2027 to 2028",
        fields={
            "Opening date": "2 November 2026, 12:01am",
            "Closing date": "30 July 2027, 11:59pm",
            "Total size of grant scheme": "£45,000,000",
            "Maximum amount": "£750,000",
            "Minimum amount": "£100,000",
            "Who can apply": "Police and crime commissioners\nLocal authorities (with PCC endorsement)",
            "Location": "England, Wales",
        },
        text="Charities, community groups and social enterprises can be delivery partners in a bid but "
        "cannot apply as the lead organisation.\nSuccessful projects will deliver between 1 October "
        "2027 and 31 March 2029.\nLast updated: 18 November 2026",
    )
    f = norm(raw, "Home Office")
    assert (f.opens, f.deadline, f.deadline_time) == (date(2026, 11, 2), date(2027, 7, 30), time(23, 59))
    assert (f.amount_min, f.amount_max, f.total_pot) == (100_000, 750_000, 45_000_000)
    assert set(f.eligible_org_types) == {"police", "local_authority"}
    assert set(f.excluded_org_types) == {"charity", "community_group", "social_enterprise"}
    assert f.areas == ["England", "Wales"]


def test_upcoming_by_opening_date():
    raw = RawCall(
        url="https://grants.example/asb",
        title="Anti-social Behaviour Hotspot Partnership Fund",
        fields={"Opening date": "1 July 2027, 9:00am", "Closing date": "30 September 2027, 11:59pm"},
        text="This grant is not open yet.",
    )
    assert norm(raw).status == "upcoming"


def test_tbc_is_upcoming_not_rolling():
    raw = RawCall(
        url="https://ccf.example/fire",
        title="Coming soon: Fire and Rescue Community Safety Fund",
        fields={"Grant size": "Up to £2,000", "Next round": "TBC", "Deadline": "TBC"},
        text="The next round is expected to open in spring 2027; dates are to be confirmed.",
    )
    f = norm(raw, "Cambridgeshire Community Foundation")
    assert (f.deadline, f.status, f.rolling, f.amount_max) == (None, "upcoming", False, 2_000)
    assert f.title == "Fire and Rescue Community Safety Fund"
    assert f.areas == ["Cambridgeshire"]


def test_rolling():
    raw = RawCall(
        url="https://ccf.example/rural",
        title="Rural Crime Prevention Fund",
        fields={
            "Grant size": "£250 to £2,000",
            "Deadline": "Open until funds are spent",
            "Area": "Rural parishes in East Cambridgeshire, Fenland, Huntingdonshire and South Cambridgeshire",
        },
        text="Projects in Cambridge city and Peterborough are not eligible.\nWho can apply:\nparish "
        "councils, community groups and charities.",
    )
    f = norm(raw, "Cambridgeshire Community Foundation")
    assert (f.rolling, f.deadline, f.status) == (True, None, "open")
    assert set(f.areas) == {"East Cambridgeshire", "Fenland", "Huntingdonshire", "South Cambridgeshire"}


def test_closed_words_and_past_deadline():
    raw = RawCall(
        url="https://ccf.example/warm",
        title="CLOSED: Winter Warmth Fund 2025",
        text="This fund closed on 3 November 2025. Grants were £500 to £2,000 for warm spaces.",
    )
    f = norm(raw)
    assert (f.title, f.status, f.deadline) == ("Winter Warmth Fund 2025", "closed", date(2025, 11, 3))
    raw = RawCall(
        url="https://tnl.example/kyn",
        title="Know Your Neighbourhood Fund",
        fields={"Application deadline": "Closed"},
        text="What we funded\nVolunteering projects.",
    )
    assert norm(raw).status == "closed"


def test_year_less_deadline_and_rounds():
    raw = RawCall(
        url="https://ccf.example/think",
        title="Peterborough Think Communities Fund",
        fields={"Grant size": "£500 to £5k", "Area": "Peterborough only", "Deadline": "23:59 on 1 Aug"},
    )
    f = norm(raw)
    assert (f.deadline, f.deadline_time, f.areas) == (date(2027, 8, 1), time(23, 59), ["Peterborough"])
    raw = RawCall(
        url="https://pcc.example/scf",
        title="Safer Communities Fund",
        text="Every CSP can draw down up to £10k a year.\nRound | Closing date | Decisions by\n"
        "Round 1 | 30 April 2026 (closed) | June 2026\nRound 2 | 30 September 2027 | November 2027\n"
        "Round 3 | 31 January 2028 | March 2028",
    )
    f = norm(raw)
    assert (f.deadline, f.amount_max, f.status) == (date(2027, 9, 30), 10_000, "open")


def test_structured_values_win():
    raw = RawCall(
        url="https://ocds.example/release-package.json#ocds-abc-1",
        title="Youth Mentoring",
        text="Grants of between £5,000 and £25,000. Closing date 1 March 2027.",
        structured={
            "deadline": "2027-06-18T12:00:00+01:00",
            "opens": "2026-11-16T10:00:00Z",
            "amount_max": 240000,
            "amount_min": 180000,
            "areas": ["Cambridgeshire", "Atlantis"],
            "status": "open",
        },
    )
    f = norm(raw)
    assert f.url.endswith("#ocds-abc-1")
    assert (f.deadline, f.deadline_time, f.opens) == (date(2027, 6, 18), time(12, 0), date(2026, 11, 16))
    assert (f.amount_min, f.amount_max) == (180_000, 240_000)
    assert f.areas == ["Cambridgeshire"]


@pytest.mark.parametrize(
    ("given", "text", "areas"),
    [
        (["East of England"], "Open to groups in Fenland only.", ["Fenland"]),  # a place inside the region
        (["East of England"], "Open to groups in Norfolk and Suffolk.", ["Norfolk", "Suffolk"]),
        (["Cambridgeshire"], "Open to groups in Lincolnshire.", ["Cambridgeshire"]),  # not inside: the field wins
        (["E12000006"], "Youth mentoring.", ["East of England"]),  # a GSS code in the field
        (["Cambs"], "Youth mentoring.", ["Cambridgeshire"]),
    ],
)
def test_a_source_area_field_does_not_override_a_more_specific_place_in_the_text(given, text, areas):
    raw = RawCall(url="https://ocds.example/p.json#ocds-1", title="Youth Mentoring", text=text,
                  structured={"areas": given})
    assert norm(raw).areas == areas


def test_problems_recorded():
    raw = RawCall(
        url="https://x.example/a",
        title="A Fund",
        fields={"Closing date": "When the moon is full"},
        structured={"deadline": "not a date"},
    )
    f = norm(raw)
    assert any(p.startswith("deadline:") for p in f.problems)


def test_clean_title():
    assert clean_title("  Movement   Fund | Sport England ") == ("Movement Fund", None)
    assert clean_title("Safer Streets Fund 2027 to 2028 - Find a grant - GOV.UK") == (
        "Safer Streets Fund 2027 to 2028",
        None,
    )
    assert clean_title("Serious Violence Prevention Community Grants - Peterborough and Fenland")[0] == (
        "Serious Violence Prevention Community Grants - Peterborough and Fenland"
    )
    assert clean_title("Police and Crime Commissioner's Youth and Community Fund is open") == (
        "Police and Crime Commissioner's Youth and Community Fund",
        "open",
    )


def test_dates_in_page_text_are_read_without_dateparser(monkeypatch):
    """dateparser takes 40-400 ms on a page of text (and invents dates in it): the page's
    dates are found by the regex scanner; dateparser is left for odd short labelled values."""
    import tracker.normalize.dates as dates

    def no_dateparser(today):
        raise AssertionError("dateparser was asked to read page text")

    monkeypatch.setattr(dates, "_dateparser", no_dateparser)
    text = "\n".join(
        [
            "Who can apply",
            "Charities and community groups in Cambridgeshire can apply.",
            "Grants of £1,000 to £15,000, from a total pot of £80,000.",
            "Applications must reach us by 14th July 2027. A drop-in is on 2 June 2027.",
        ]
        * 6
    )
    raw = RawCall(url="https://x.example/a", title="A Fund", text=text, fields={"Closing date": "14 July 2027"})
    f = norm(raw)
    assert f.deadline == date(2027, 7, 14)


# holdout2: news headlines wrapped around a fund's name
@pytest.mark.parametrize(
    ("headline", "title", "hint"),
    [
        ("Applications now open for the Community Safety Fund 2027", "Community Safety Fund 2027", "open"),
        ("Community Defibrillator and Health Grants remain open", "Community Defibrillator and Health Grants", "open"),
        ("Youth Diversion Grants to open in January", "Youth Diversion Grants", "upcoming"),
        ("Open Spaces Fund", "Open Spaces Fund", None),
        ("Commissioner reopens Safer Communities Fund and backs local partnerships",
         "Commissioner reopens Safer Communities Fund and backs local partnerships", None),
    ],
)
def test_clean_title_headlines(headline, title, hint):
    assert clean_title(headline) == (title, hint)


def test_fuller_name_takes_the_year_from_the_text():
    from tracker.normalize.call import fuller_name

    assert fuller_name("Youth Diversion Grants", "The new Youth Diversion Grants 2027 will help") == (
        "Youth Diversion Grants 2027")
    assert fuller_name("Youth Diversion Grants", "Youth Diversion Grants help") == "Youth Diversion Grants"


@pytest.mark.parametrize(
    ("funder", "text", "areas"),
    [
        # the funder's name tells the area only when the text says nothing else
        ("Gloucestershire Police and Crime Commissioner", "Grants for youth diversion.", ["Gloucestershire"]),
        ("Thames Valley Police and Crime Commissioner", "Grants for youth diversion.", ["Thames Valley Police area"]),
        ("Gloucestershire Police and Crime Commissioner", "Open to groups in Cheltenham and Gloucester.",
         ["Cheltenham", "Gloucester"]),
        ("West Yorkshire Combined Authority", "Grants for safer streets.", ["West Yorkshire Combined Authority"]),
    ],
)
def test_funder_name_gives_the_area_only_when_the_text_names_none(funder, text, areas):
    raw = RawCall(url="https://pcc.example/fund", title="Community Safety Fund", text=text)
    assert norm(raw, funder).areas == areas


@pytest.mark.parametrize(
    ("text", "status", "opens"),
    [
        # a closure notice is not an open call; a reopening date makes it upcoming
        ("We are not currently accepting applications.", "closed", None),
        ("Applications are not being accepted at this time.", "closed", None),
        ("Applications are currently closed.", "closed", None),
        ("We are not currently accepting applications to this fund.", "closed", None),
        ("The fund is paused while we review it.", "closed", None),
        ("This fund is now closed for new applications. It will reopen on 12 January 2027.", "upcoming",
         date(2027, 1, 12)),
        ("Applications for this round have closed, and will reopen in spring 2027.", "upcoming", None),
        ("The fund closed on 1 November 2026 and will reopen in spring 2027.", "upcoming", None),
        # a future opening is upcoming with its date
        # (a month is not a day: it makes the call upcoming without an opening date)
        ("Applications will next open in March 2027.", "upcoming", None),
        ("Next round opens in August 2027.", "upcoming", None),
        ("The next round opens in early spring.", "upcoming", None),
        ("The next round opens on 5 January 2027.", "upcoming", date(2027, 1, 5)),
        # who may not apply, or what is not funded, says nothing about the intake
        ("We do not accept applications from individuals. Grants of up to £5,000.", "open", None),
        ("We do not accept applications for capital costs. Grants of up to £5,000.", "open", None),
    ],
)
def test_closure_notices_and_future_openings(text, status, opens):
    f = norm(RawCall(url="https://cf.example/fund", title="Community Fund", text=text))
    assert (f.status, f.opens) == (status, opens)


def test_a_list_of_deadlines_gives_the_next_one_and_keeps_all():
    f = norm(RawCall(url="https://cf.example/panels", title="Small Grants",
                     text="Our panel meets four times a year.\nDeadlines are 31 January, 30 April, 31 July and "
                          "31 October 2027.\nGrants of up to £2,000."))
    assert (f.deadline, f.status) == (date(2027, 1, 31), "open")
    assert f.deadlines == [date(2027, 1, 31), date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]


def test_a_labelled_area_on_the_listing_card_beats_a_place_in_the_funds_name():
    raw = RawCall(url="https://escf.example/arts", title="East Sussex Arts Grants Programme",
                  text="Grants for community arts projects of up to £5,000.",
                  listing_text="East Sussex Arts Grants Programme\nArea: Brighton and Hove, Hastings",
                  listing_fields={"Area": "Brighton and Hove, Hastings"})
    assert norm(raw, funder="East Sussex Community Foundation").areas == ["Brighton and Hove", "Hastings"]
    raw.listing_fields, raw.listing_text = {}, ""
    assert norm(raw, funder="East Sussex Community Foundation").areas == ["East Sussex"]


def test_a_place_in_the_funds_name_gives_way_to_the_place_its_text_says_it_serves():
    """ "Kent Victims' Fund ... only work that benefits residents of Thanet": the name heading the page
    text is not where the fund is open; it is the fallback when the text names no place."""
    text = ("Kent Victims' Services Challenge Fund\nWe have £750,000 to give. We can only fund work that benefits "
            "residents of Thanet. The closing date is 9 December 2027.")
    raw = RawCall(url="https://pcc.example/grants/kent-victims.html", title="Kent Victims' Services Challenge Fund",
                  text=text)
    assert norm(raw, funder=None).areas == ["Thanet"]
    unplaced = RawCall(url=raw.url, title=raw.title, text=text.replace(" We can only fund work that benefits "
                                                                       "residents of Thanet.", ""))
    assert norm(unplaced, funder=None).areas == ["Kent"]


def test_places_a_listing_card_carves_out_in_its_own_text_are_left_out():
    """The card's text is the only place the area is stated, in a line of other facts."""
    raw = RawCall(url="https://pcc.example/funding/child-exploitation.html", title="Child Exploitation Awards",
                  text="We want to fund local projects that protect children from exploitation.",
                  listing_text="Child Exploitation Awards – Area: All of Staffordshire apart from Cannock Chase; "
                               "Deadline: Dates to be confirmed")
    areas = norm(raw, funder=None).areas
    assert "Cannock Chase" not in areas and "Staffordshire" not in areas
    assert {"Tamworth", "Lichfield", "Stoke-on-Trent"} <= set(areas)


def test_a_place_in_the_funds_heading_with_a_badge_gives_way_to_the_place_its_text_names():
    raw = RawCall(url="https://cf.example/grants/safe-at-home.html", title="Staffordshire Safe at Home Fund",
                  text="Staffordshire Safe at Home Fund Opening soon\nGrants for families affected by domestic abuse.\n"
                       "The fund is for projects in Stoke-on-Trent.")
    assert norm(raw, funder=None).areas == ["Stoke-on-Trent"]
