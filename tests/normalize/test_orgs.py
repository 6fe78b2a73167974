import pytest

from tracker.normalize.orgs import eligibility_from_fields, orgs_in, read_eligibility


def both(text: str, default: str | None = None) -> tuple[set[str], set[str]]:
    e = read_eligibility(text, default)
    return set(e.eligible), set(e.excluded)


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("local authorities", {"local_authority"}),
        ("combined county authorities", {"local_authority"}),
        ("mayoral combined authorities", {"local_authority"}),
        ("business improvement districts", {"business"}),
        ("housing associations", {"social_enterprise"}),
        ("multi-academy trusts", {"school"}),
        ("community safety partnerships", {"local_authority"}),
        ("fire and rescue authorities", {"police"}),
        ("councils", {"local_authority"}),
        ("town and parish councils", {"town_parish_council"}),
        ("parish or town councils", {"town_parish_council"}),
        ("registered charities and CIOs", {"charity"}),
        ("community interest companies", {"social_enterprise"}),
        ("voluntary and community groups", {"charity", "community_group"}),
        ("schools", {"school"}),
        ("NHS trusts and integrated care boards", {"health_body"}),
        ("police forces", {"police"}),
        ("police and crime commissioners", {"police"}),
        ("universities", {"university"}),
        ("businesses", {"business"}),
        ("individuals", {"individual"}),
        ("Public sector", {"local_authority"}),
        ("Non-profit", {"charity", "community_group", "social_enterprise"}),
        ("Private sector", {"business"}),
        ("Personal / Individual", {"individual"}),
        (
            "statutory bodies, including local authorities and town and parish councils",
            {"local_authority", "town_parish_council"},
        ),
        (
            "Not-for-profit organisations: sports clubs, charities, local authorities",
            {"community_group", "charity", "local_authority"},
        ),
        ("activity outside the school day", set()),
        ("individual awards of £5,000", set()),
    ],
)
def test_orgs_in(text, keys):
    assert set(orgs_in(text)) == keys


def test_who_can_apply_section_and_exclusions():
    text = (
        "Who can apply\nWe welcome bids from statutory partners – district, city and county councils, parish and "
        "town councils, the NHS and the Community Safety Partnerships – and from registered charities and social "
        "enterprises working in Cambridgeshire or Peterborough.\nThis scheme cannot fund unconstituted community "
        "groups, individuals or businesses.\nHow to apply\nSend the form to the police team."
    )
    assert both(text) == (
        {"local_authority", "town_parish_council", "health_body", "charity", "social_enterprise"},
        {"community_group", "individual", "business"},
    )


def test_negation_scope_stops_at_clause():
    text = (
        "Who can apply\nConstituted voluntary and community groups, registered charities, community interest "
        "companies and faith groups. Councils, individuals and businesses are not eligible, and schools can only "
        "apply for activity outside the school day."
    )
    assert both(text) == (
        {"community_group", "charity", "social_enterprise", "faith_group"},
        {"local_authority", "individual", "business"},
    )


def test_partners_only_clauses():
    text = (
        "Who can bid\nBids must come from a CSP and be submitted by the district or city council that hosts it. "
        "Voluntary organisations, parish councils and others are very welcome as delivery partners, but they "
        "cannot bid to this fund directly."
    )
    assert both(text) == ({"local_authority"}, {"charity", "community_group", "town_parish_council"})
    text = (
        "Charities, community groups and social enterprises can be delivery partners in a bid but cannot apply "
        "as the lead organisation."
    )
    assert both(text) == (set(), {"charity", "community_group", "social_enterprise"})
    assert both("We welcome bids from partnerships that include the police, health services and schools.") == (
        set(),
        set(),
    )


def test_statutory_bodies_including():
    text = "Statutory bodies, including Peterborough City Council and the police, cannot apply."
    assert both(text) == (set(), {"local_authority", "police"})
    assert both("Public bodies may not apply.") == (set(), {"local_authority", "police", "health_body", "school"})


@pytest.mark.parametrize(
    ("text", "eligible", "excluded"),
    [
        (
            "We cannot fund individuals, businesses or statutory bodies.",
            set(),
            {"individual", "business", "local_authority", "police", "health_body", "school"},
        ),
        ("This fund is not open to public bodies.", set(), {"local_authority", "police", "health_body", "school"}),
        ("Local authorities are not eligible.", set(), {"local_authority"}),
        (
            "Only individuals can apply. Organisations, including companies and charities, are not eligible.",
            {"individual"},
            {"charity", "community_group", "social_enterprise", "local_authority", "business"},
        ),
        (
            "Community groups, charities and faith groups could apply.",
            {"community_group", "charity", "faith_group"},
            set(),
        ),
        (
            "The fund is for the voluntary and community sector, so charities, community groups, social enterprises "
            "and parish or town councils may bid. Councils, police teams and businesses are not eligible.",
            {"charity", "community_group", "social_enterprise", "town_parish_council"},
            {"local_authority", "police", "business"},
        ),
        (
            "Police forces, councils and charities can be project partners but cannot hold the award.",
            set(),
            {"police", "local_authority", "charity"},
        ),
        ("Referrals will come from the youth justice service, schools and the police.", set(), set()),
        ("It is paid for from money raised when items that came into police hands cannot be returned.", set(), set()),
    ],
)
def test_prose(text, eligible, excluded):
    assert both(text) == (eligible, excluded)


def test_not_pay_for_what_nhs_should_provide():
    text = (
        "Who can apply:\ncharities, community groups and parish councils. The fund will not pay for anything "
        "the NHS or a GP surgery should provide, or for businesses."
    )
    assert both(text) == ({"charity", "community_group", "town_parish_council"}, {"business"})


def test_who_cannot_apply_list():
    text = (
        "Who can apply\nregistered charities and CIOs\nschools\nstatutory bodies, including local authorities\n"
        "Who cannot apply\nunincorporated associations\nindividuals\ncompanies that distribute profits\n"
        "organisations based outside the UK\nWhen to apply\nApply by 3 May."
    )
    assert both(text) == ({"charity", "school", "local_authority"}, {"community_group", "individual", "business"})


def test_fields():
    e = eligibility_from_fields({"Who can apply": "Public sector, Non-profit", "Location": "England"})
    assert set(e.eligible) == {"local_authority", "charity", "community_group", "social_enterprise"}
    e = eligibility_from_fields({"Who cannot apply": "individuals, businesses"})
    assert set(e.excluded) == {"individual", "business"}
    e = eligibility_from_fields({"Who can apply": "Police and crime commissioners in England and Wales only"})
    assert e.eligible == ["police"]


def test_label_covers_the_whole_line():
    text = ("Who may apply: sports clubs, youth charities and social enterprises, and council youth services, "
            "anywhere in the East of England.")
    assert both(text) == ({"community_group", "charity", "social_enterprise", "local_authority"}, set())


def test_unregistered_groups_and_led_by():
    text = ("Only registered charities may apply. We cannot accept applications from statutory bodies "
            "or from unregistered groups.")
    assert {"community_group", "local_authority"} <= both(text)[1]
    assert both("Partnerships led by a charity, a social enterprise or a local authority.")[0] == {
        "charity", "social_enterprise", "local_authority"}


@pytest.mark.parametrize(
    ("text", "eligible", "excluded"),
    [
        ("Charities and social enterprises will be able to apply.", {"charity", "social_enterprise"}, set()),
        ("Projects for children who are excluded from school. Schools can apply.", {"school"}, set()),
        ("Who can apply? Community groups and registered charities.", {"community_group", "charity"}, set()),
        ("Who can apply: community groups and charities. No grants to individuals.",
         {"community_group", "charity"}, {"individual"}),
    ],
)
def test_who_may_apply_as_sites_word_it(text, eligible, excluded) -> None:
    assert both(text) == (eligible, excluded)


# holdout2: wordings from funder sites the extractor was not written against
@pytest.mark.parametrize(
    ("text", "eligible", "excluded"),
    [
        ("Who can apply\na statutory body, such as a town, parish or local council",
         {"town_parish_council", "local_authority"}, set()),
        ("Who cannot apply\nindividuals\nsole traders\norganisations that aim to make profits for shareholders",
         set(), {"individual", "business"}),
        ("Community energy groups, registered charities and CICs could apply.",
         {"community_group", "charity", "social_enterprise"}, set()),
        ("Fresh Start Grants are for individual tenants.", {"individual"}, set()),
        ("Community groups and schools can apply. Individuals and businesses cannot.",
         {"community_group", "school"}, {"individual", "business"}),
        ("Grants of up to £10k will be available to community groups and parish councils.",
         {"community_group", "town_parish_council"}, set()),
        ("Parish councils and sports clubs in the district can still apply for a grant.",
         {"town_parish_council", "community_group"}, set()),
        # a closed fund's page says who held the grants; only the object of "helped" counts
        ("Grants of up to £2,500 helped community organisations raise awareness among groups who are less "
         "likely to ask the police for help.", {"community_group"}, set()),
        # "supported by" names the funders, not the applicants
        ("The fund is supported by local businesses and by the city council.", set(), set()),
    ],
)
def test_holdout2_wordings(text, eligible, excluded):
    assert both(text) == (eligible, excluded)


@pytest.mark.parametrize(("text", "eligible"), [
    ("Grants of up to £2,500.00 for voluntary and community groups and registered charities with an annual "
     "income under £100,000.", ["community_group", "charity"]),
    ("Grants of £1,000 to £7,500 are available for community groups and charities in Northamptonshire.",
     ["community_group", "charity"]),
    ("Small grants for parish and town councils in Bedfordshire to buy speed indicator devices.",
     ["town_parish_council"]),
    ("Up to £3,000 for parish councils and schools in Northamptonshire.", ["town_parish_council", "school"]),
    ("Grants for projects that help schools.", []),
])
def test_grants_for_names_the_recipients(text, eligible):
    assert sorted(read_eligibility(text).eligible) == sorted(eligible)


def test_eligibility_text_is_kept_once():
    """A "Who can apply" field and the page's own section hold the same sentence: once."""
    from tracker.normalize.orgs import eligibility_from_fields, merge, read_eligibility

    sentence = "Registered charities and community groups may apply. Councils are not eligible."
    found = merge([eligibility_from_fields({"Who can apply": sentence}),
                   read_eligibility(f"Who can apply\n{sentence}")])
    assert found.text == sentence, found.text  # and no heading left on its own


@pytest.mark.parametrize(
    ("text", "eligible", "excluded"),
    [
        # a list's own lead-in decides its items, whatever the heading above says
        ("Eligibility\nYou can apply if you are one of the following:\nParish councils\nSchools\n"
         "The following are not eligible:\nUnitary authorities\nIndividual people\nProfit-making businesses",
         {"town_parish_council", "school"}, {"local_authority", "individual", "business"}),
        ("Who can apply?\nThe following are not eligible:\nLocal authorities\nSole traders\n"
         "We welcome applications from:\nSchools and academies\nCharities",
         {"school", "charity"}, {"local_authority", "business"}),
        # a silent lead-in leaves the heading's polarity
        ("Who can apply\nThis includes:\nRegistered charities\nParish councils",
         {"charity", "town_parish_council"}, set()),
        # a paragraph after the list is not one of its items
        ("Eligibility\nWe will not accept applications from:\nIndividuals\n"
         "Charities working with young people in the county are particularly encouraged to get in touch with us.",
         {"charity"}, {"individual"}),
    ],
)
def test_a_lists_lead_in_gives_its_polarity(text, eligible, excluded):
    assert both(text) == (eligible, excluded)


def test_a_labelled_value_holding_lists_reads_each_lead_in():
    e = eligibility_from_fields({"Who can apply?": "You can apply if you are one of the following:; Schools and "
                                 "colleges; Town councils; You cannot apply if you are:; Local authorities; "
                                 "Private individuals"})
    assert (set(e.eligible), set(e.excluded)) == ({"school", "town_parish_council"}, {"local_authority", "individual"})


@pytest.mark.parametrize(
    ("text", "eligible", "excluded"),
    [
        # what follows "but not", "except", "other than", "unless" turns the predicate that governs it round
        ("Applications are welcome from registered charities and parish councils, but not from local authorities "
         "or profit-making businesses.", {"charity", "town_parish_council"}, {"local_authority", "business"}),
        ("Any constituted group may apply, with the exception of schools.", {"community_group"}, {"school"}),
        ("Businesses cannot apply unless they are social enterprises.", {"social_enterprise"}, {"business"}),
        ("Organisations other than registered charities cannot apply.", {"charity"}, set()),
        ("All not-for-profit organisations can apply except individuals and businesses.",
         {"charity", "community_group", "social_enterprise"}, {"individual", "business"}),
        # not-for-profit is not a negation
        ("Not-for-profit organisations can apply.", {"charity", "community_group", "social_enterprise"}, set()),
        ("Who can apply?\nNot-for-profit bodies with a formal constitution: clubs, charities and schools. Businesses "
         "run for profit are not eligible.", {"community_group", "charity", "school"}, {"business"}),
    ],
)
def test_a_negation_inside_the_sentence_is_honoured(text, eligible, excluded):
    assert both(text) == (eligible, excluded)


@pytest.mark.parametrize(
    ("text", "eligible"),
    [
        # who a fund "is for" is the object of "for"; a purpose names no applicant
        ("Grants are for work that will prevent crime and help small businesses grow.", set()),
        ("The fund is for charities, community groups and schools in Kent.", {"charity", "community_group", "school"}),
        # a noun used as a modifier is not an applicant
        ("Grants are for work that will support business growth.", set()),
        ("Any business or charity can apply.", {"business", "charity"}),
    ],
)
def test_the_object_of_for_and_modifier_nouns(text, eligible):
    assert both(text) == (eligible, set())


def test_blocks_of_a_labelled_value_are_read_apart():
    # "; " joins the paragraphs under a heading: a rule about projects does not exclude the applicants before it
    e = eligibility_from_fields({"Eligibility": "This fund is only open to community groups and churches.; Your "
                                 "project must not have started before we make our decision."})
    assert (set(e.eligible), set(e.excluded)) == ({"community_group", "faith_group"}, set())
