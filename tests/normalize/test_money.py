import pytest

from tracker.normalize.money import Money, amounts_from_fields, amounts_in_text, parse_amount


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("£10k", 10_000),
        ("£5k", 5_000),
        ("£1m", 1_000_000),
        ("£1.5 million", 1_500_000),
        ("£45,000,000", 45_000_000),
        ("£20,001", 20_001),
        ("GBP 2,500", 2_500),
        ("up to £10 000", 10_000),
        ("£1\u00a0250\u00a0000 in total", 1_250_000),
        ("£2,500.00", 2_500),
        ("no money here", None),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value


def mmp(text: str) -> tuple[int | None, int | None, int | None]:
    m = amounts_in_text(text)
    return m.amount_min, m.amount_max, m.total_pot


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Grants of £500 to £5k for community-led projects.", (500, 5_000, None)),
        ("We expect individual awards to fall in the range £5,000 - £50,000.", (5_000, 50_000, None)),
        ("You can apply for between £300 and £20,000, to spend over two years.", (300, 20_000, None)),
        ("Sport for Safer Communities: £10k–£50k", (10_000, 50_000, None)),
        ("Grants of £10-50k are available", (10_000, 50_000, None)),
        ("Awards run from £300 up to £15,000, paid as a grant.", (300, 15_000, None)),
        ("The pilot has £1m total, grants up to £50,000.", (None, 50_000, 1_000_000)),
        (
            "In our priority places we can cover 100% of costs up to £25,000. Elsewhere we will fund up to 70%"
            " of project costs, with the same £25,000 ceiling.",
            (None, 25_000, None),
        ),
        ("Every CSP can draw down up to £10k a year.", (None, 10_000, None)),
        ("Groups can ask for up to £3,000.", (None, 3_000, None)),
        ("Grants of £1,000 to £15,000, from a total pot of £80,000.", (1_000, 15_000, 80_000)),
        (
            "For 2027/28 the Commissioner has set aside £400,000. Awards will be £5,000 - £50,000.",
            (5_000, 50_000, 400_000),
        ),
        (
            "This £22 million programme is funded by DCMS. You can apply for £30,000 to £100,000.",
            (30_000, 100_000, 22_000_000),
        ),
        ("A £1.5 million fund for partnerships testing new approaches.", (None, None, 1_500_000)),
        ("£160 million is committed to the fund over four years.", (None, None, 160_000_000)),
        ("Around £40,000 is available this year.", (None, None, 40_000)),
        ("£30,000 to £100,000, from a programme budget of £19 million.", (30_000, 100_000, 19_000_000)),
        ("The programme offered £300 to £10,000 to not-for-profit organisations.", (300, 10_000, None)),
        ("Grants between £20,000 and £80,000 will be awarded to successful bids.", (20_000, 80_000, None)),
        ("Grants between £20,000 and £80,000 will be awarded to successful bids.", (20_000, 80_000, None)),
        ("Grants of up to £10,000 are available for community groups.", (None, 10_000, None)),
        ("Funding of up to £25,000 is available per project.", (None, 25_000, None)),
        ("Funding of £2m is available.", (None, None, 2_000_000)),
    ],
)
def test_amounts_in_prose(text, expected):
    assert mmp(text) == expected


def test_minimum_only_has_no_maximum():
    m = amounts_in_text(
        "The smallest grant is £20,001. We do not set a maximum, although in practice few awards go above £500,000."
    )
    assert (m.amount_min, m.amount_max, m.no_max) == (20_001, None, True)
    m = amounts_in_text("£20,001 or more, for up to 5 years")
    assert (m.amount_min, m.amount_max, m.no_max) == (20_001, None, True)


@pytest.mark.parametrize(
    "text",
    [
        "In the spring round the Commissioner awarded £24,310 to 11 organisations.",
        "Our average grant is around £4,500.",
        "We aim to decide within 8 weeks for requests of £30,000 or less.",
    ],
)
def test_amounts_that_are_not_the_calls(text):
    assert mmp(text) == (None, None, None)


def test_labelled_fields():
    m = amounts_from_fields(
        {"Total size of grant scheme": "£45,000,000", "Maximum amount": "£750,000", "Minimum amount": "£100,000"}
    )
    assert (m.amount_min, m.amount_max, m.total_pot) == (100_000, 750_000, 45_000_000)


def test_labelled_not_specified_blocks_lower_sources():
    m = amounts_from_fields(
        {
            "Minimum amount": "Not specified",
            "Maximum amount": "£1,500,000",
            "Total size of grant scheme": "Not applicable (rolling programme)",
        }
    )
    assert (m.amount_min, m.amount_max, m.total_pot) == (None, 1_500_000, None)
    m.fill(Money(amount_min=5, amount_max=6, total_pot=7))
    assert (m.amount_min, m.amount_max, m.total_pot) == (None, 1_500_000, None)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"Grant size": "Up to £4,000"}, (None, 4_000, None)),
        ({"Grant size": "£500 to £5k", "Total available": "About £40,000 this year"}, (500, 5_000, 40_000)),
        ({"How much you can get": "From £100,000 to £750,000"}, (100_000, 750_000, None)),
        ({"Funding size": "£20,001 or more, for up to 5 years"}, (20_001, None, None)),
        ({"Funding size": "Over £20,000"}, (20_000, None, None)),
        ({"Grant size": "£10,000"}, (None, 10_000, None)),
        ({"Total fund": "£1m"}, (None, None, 1_000_000)),
        ({"Total size of grant scheme": "£160,000,000 over four years"}, (None, None, 160_000_000)),
    ],
)
def test_labelled_values(fields, expected):
    m = amounts_from_fields(fields)
    assert (m.amount_min, m.amount_max, m.total_pot) == expected


def test_fill_keeps_higher_precedence():
    detail = amounts_in_text("The pilot has £1m total, grants up to £50,000.")
    detail.fill(amounts_from_fields({"Grant size": "£10k–£50k"}))
    assert (detail.amount_min, detail.amount_max, detail.total_pot) == (10_000, 50_000, 1_000_000)


def test_currency():
    assert amounts_in_text("Grants up to €5,000").currency == "EUR"
    assert amounts_in_text("Grants up to £5,000").currency == "GBP"


def test_grants_of_single_figure_is_a_ceiling():
    assert mmp("We offer grants of £2,500 to local groups.") == (None, 2_500, None)


def test_question_label_with_range_and_pot():
    m = amounts_from_fields({"How much is available?": "Grants of £1,000 to £15,000, from a total pot of £80,000."})
    assert (m.amount_min, m.amount_max, m.total_pot) == (1_000, 15_000, 80_000)


def test_over_years_is_not_a_pot_after_up_to():
    assert mmp("Estimated value up to £300,000 over three years.") == (None, 300_000, None)


# holdout2
def test_from_before_a_single_figure_is_its_minimum():
    m = amounts_in_text("We offer grants from £500 up to a maximum of £5,000 for projects.")
    assert (m.amount_min, m.amount_max) == (500, 5000)


def test_pot_in_the_fund_and_project_cost_is_not_a_pot():
    m = amounts_in_text("There is £1.2m in the fund for 2026 to 2028.\nWe can fund 100% of eligible costs, up to a "
                        "maximum of £50,000. Projects costing more than £150,000 in total are unlikely to be "
                        "supported.")
    assert (m.amount_max, m.total_pot) == (50000, 1_200_000)


def test_each_wards_share_is_not_the_pot():
    m = amounts_in_text("Each of the city's 24 wards has a Ward Community Fund of £6,000 a year.\n"
                        "Groups can apply for up to £1,500.")
    assert (m.amount_max, m.total_pot) == (1500, None)


def test_space_grouped_thousands_after_a_currency_sign():
    assert mmp("This fund offers up to £10 000 for projects.") == (None, 10_000, None)
    assert mmp("Grants from £2 000 to £12 500.") == (2_000, 12_500, None)
    # without a currency sign a space never joins numbers
    assert parse_amount("Round 1 2027") == 1


# Sentence roles on generated funder sites (bench/sitegen): each rule, not a page.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a cue that leads the next figure is that figure's, not this one's
        ("Minimum £5,000, maximum £250,000", (5_000, 250_000, None)),
        ("min £500 / max £5,000", (500, 5_000, None)),
        ("Minimum grant £1k; maximum grant £10k.", (1_000, 10_000, None)),
        # a cue with a noun and a copula between it and the figure
        ("The maximum grant is £15,000. £75,000 is available in total.", (None, 15_000, 75_000)),
        ("The smallest award is £300.", (300, None, None)),
        # a grant-size cue right before a figure beats a following "are available"
        ("Grants of no more than £25,000 are available.", (None, 25_000, None)),
        ("Grants of any amount up to £40,000 are available.", (None, 40_000, None)),
        ("Grants of a minimum of £75,000 and a maximum of £250,000 are available.", (75_000, 250_000, None)),
        # the sum a funder shares out is the pot
        ("There is £200k to award this year.", (None, None, 200_000)),
        ("We have £10,000,000 to give in grants of no more than £75k.", (None, 75_000, 10_000_000)),
        # short forms: a suffix on a second figure with its own £ does not scale the first
        ("We award grants of between £250 and £250k.", (250, 250_000, None)),
        ("£5k–£25k", (5_000, 25_000, None)),
        ("£1k to £10k", (1_000, 10_000, None)),
    ],
)
def test_figure_roles_from_nearest_cue(text, expected):
    assert mmp(text) == expected


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        # a label that only says money lets the value's words decide
        ({"Funding available": "Usually between £50,000 and £150,000", "Total fund": "£1 million"},
         (50_000, 150_000, 1_000_000)),
        ({"Funding available": "No more than £50k", "Total fund": "£1m"}, (None, 50_000, 1_000_000)),
        ({"Funding available": "At least £20,000", "Total fund": "£400,000"}, (20_000, None, 400_000)),
        ({"Funding available": "£12 million in total"}, (None, None, 12_000_000)),
        ({"Funding available": "£2m"}, (None, None, 2_000_000)),
        ({"How much you can apply for": "Minimum £2k, maximum £250k"}, (2_000, 250_000, None)),
        # a label that names the whole sum decides a lone figure, whatever sentence carries it
        ({"Total size of grant scheme": "We have £2m to distribute."}, (None, None, 2_000_000)),
        # label words are whole words: "Upcoming" holds "min" but names no minimum (the prose is read elsewhere)
        ({"Sport Community Fund Upcoming": "The maximum grant is £50,000."}, (None, None, None)),
    ],
)
def test_labels_name_the_whole_or_let_the_value_speak(fields, expected):
    m = amounts_from_fields(fields)
    assert (m.amount_min, m.amount_max, m.total_pot) == expected
