from datetime import date, time

import pytest

from tracker.normalize.dates import dates_from_fields, dates_from_text, parse_date

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("text", "deadline", "at"),
    [
        ("The closing date is 5pm on 14/03/2027.", date(2027, 3, 14), time(17, 0)),
        (
            "Send it to the team by Friday 16 July 2027 at 12 noon. We cannot accept late bids.",
            date(2027, 7, 16),
            time(12, 0),
        ),
        ("Applications must reach us by 14th July 2027.", date(2027, 7, 14), None),
        ("Open – closes 5pm on 17/09/2027", date(2027, 9, 17), time(17, 0)),
        ("Closing date: 14.09.27", date(2027, 9, 14), None),
        ("Round 30 closes: 12 noon, September 30, 2027", date(2027, 9, 30), time(12, 0)),
        (
            "We are accepting applications from 2 November 2026 until 12 noon on Wednesday 13 October 2027.",
            date(2027, 10, 13),
            time(12, 0),
        ),
        ("Closing date 13 October 2027, 12:00pm", date(2027, 10, 13), time(12, 0)),
        ("Closing date 30 July 2027, 11:59pm", date(2027, 7, 30), time(23, 59)),
        ("The closing time for this round is 17:00 on Friday 15 October 2027.", date(2027, 10, 15), time(17, 0)),
        ("It closed at 9am on Friday 27 January 2023.", date(2023, 1, 27), time(9, 0)),
        (
            "Applications close at 23:59 on 1 Aug and decisions are made by the end of November.",
            date(2027, 8, 1),
            time(23, 59),
        ),
        ("Deadline: 31 Jan", date(2027, 1, 31), None),
        ("It stopped taking applications at midnight on 31 January 2026.", date(2026, 1, 31), None),
        ("Tender submission deadline 2027-06-18", date(2027, 6, 18), None),
        ("Our quarterly deadlines: 1 Feb, 1 May, 1 Aug and 1 Nov.", date(2027, 2, 1), None),
        ("Our quarterly deadlines: 1 Feb, 1 May, 1 Aug and 1 Nov.", date(2027, 2, 1), None),
        ("Deadlines\n1 Feb, 1 May, 1 Aug and 1 Nov (23:59).", date(2027, 2, 1), time(23, 59)),
        ("Closes 1 March 2027 (5pm)", date(2027, 3, 1), time(17, 0)),
        ("Deadline 1 June 2027 (decision by 5pm on 1 Sept 2027)", date(2027, 6, 1), None),
    ],
)
def test_deadline_in_prose(text, deadline, at):
    found = dates_from_text(text, TODAY)
    assert (found.deadline, found.deadline_time) == (deadline, at)


def test_year_less_date_on_today_is_today():
    assert dates_from_text("Deadline: 26 Nov", TODAY).deadline == TODAY


@pytest.mark.parametrize(
    "text",
    [
        "Last updated: 18 November 2027",
        "Published 16 November 2026",
        "We will hold a drop-in at the community centre on 2 June 2027.",
        "Clarification questions close 4 June 2027",
        "Decisions by December 9, 2027",
        "Funded activity must be completed by 31 March 2028.",
        "Most of the money must be spent by 31 March 2028.",
        "Contract start 1 January 2028",
        "Successful projects will deliver between 1 October 2027 and 31 March 2029.",
        "Awarded 12 June 2026",
        "Call 01632 960101 for help; projects last 12 months.",
    ],
)
def test_dates_that_are_not_deadlines(text):
    assert dates_from_text(text, TODAY).deadline is None


def test_drop_in_next_to_deadline():
    text = (
        "Applications must reach us by 14th July 2027. We will hold a drop-in at Gladstone Park "
        "Community Centre on 2 June 2027 for anyone who would like to talk."
    )
    assert dates_from_text(text, TODAY).deadline == date(2027, 7, 14)


def test_rounds_pick_next_deadline():
    text = (
        "Round | Closing date | Decisions by\nRound 1 | 30 April 2026 (closed) | June 2026\n"
        "Round 2 | 30 September 2027 | November 2027\nRound 3 | 31 January 2028 | March 2028"
    )
    assert dates_from_text(text, TODAY).deadline == date(2027, 9, 30)


def test_rounds_as_lines_pick_next_deadline():
    text = (
        "Bidding rounds\nRound\nClosing date\nDecisions by\nRound 1\n30 April 2026 (closed)\nJune 2026\n"
        "Round 2\n30 September 2027\nNovember 2027\nRound 3\n31 January 2028\nMarch 2028"
    )
    assert dates_from_text(text, TODAY).deadline == date(2027, 9, 30)


def test_all_rounds_past_gives_last_one():
    text = "Round 1 closes 1 March 2026. Round 2 closes 1 September 2026."
    assert dates_from_text(text, TODAY).deadline == date(2026, 9, 1)


def test_labelled_rows_with_non_deadline_dates():
    text = (
        "Published\n16 November 2026\nClarification questions close\n4 June 2027\n"
        "Tender submission deadline\n12:00 on Friday 18 June 2027"
    )
    found = dates_from_text(text, TODAY)
    assert (found.deadline, found.deadline_time) == (date(2027, 6, 18), time(12, 0))


def test_opening_and_closing_in_one_sentence():
    found = dates_from_text("Application window: opens 1 September 2027 and closes on Tuesday 30 November 2027.", TODAY)
    assert (found.opens, found.deadline) == (date(2027, 9, 1), date(2027, 11, 30))


@pytest.mark.parametrize(
    "text",
    [
        "Rolling – no closing date",
        "There is no deadline – applications are accepted all year.",
        "The fund is open until funds are spent.",
        "Applications are open all year round.",
        "Deadline: ongoing",
        "You can apply at any time.",
    ],
)
def test_rolling(text):
    found = dates_from_text(text, TODAY)
    assert found.rolling and found.deadline is None


@pytest.mark.parametrize(
    "text", ["Deadline TBC", "The next round is expected in spring 2027; dates are to be confirmed."]
)
def test_tbc(text):
    found = dates_from_text(text, TODAY)
    assert found.tbc and found.deadline is None and not found.rolling


def test_future_deadline_beats_rolling_words():
    found = dates_from_text("Apply any time before the closing date of 3 March 2027.", TODAY)
    assert found.deadline == date(2027, 3, 3) and not found.rolling


def test_fields():
    found = dates_from_fields(
        {
            "Opening date": "2 November 2026, 12:01am",
            "Closing date": "30 July 2027, 11:59pm",
            "Last updated": "18 November 2026",
        },
        TODAY,
    )
    assert (found.opens, found.deadline, found.deadline_time) == (date(2026, 11, 2), date(2027, 7, 30), time(23, 59))


def test_fields_rolling_tbc_closed_and_unreadable():
    assert dates_from_fields({"Closing date": "Rolling – no closing date"}, TODAY).rolling
    assert dates_from_fields({"Application deadline": "Ongoing"}, TODAY).rolling
    assert dates_from_fields({"Deadline": "TBC", "Next round": "TBC"}, TODAY).tbc
    assert dates_from_fields({"Application deadline": "Closed"}, TODAY).closed_hint
    assert dates_from_fields({"Deadline": "1 May 2025 (closed)"}, TODAY).deadline == date(2025, 5, 1)
    assert dates_from_fields({"Deadline": "By invitation"}, TODAY).unreadable
    assert dates_from_fields({"Decisions by": "December 9, 2027"}, TODAY).deadline is None


def test_parse_date_falls_back_to_dateparser():
    assert parse_date("5pm on 17/09/2027", TODAY) == (date(2027, 9, 17), time(17, 0))
    assert parse_date("3rd of March, 2027", TODAY)[0] == date(2027, 3, 3)
    assert parse_date("sometime soon", TODAY) == (None, None)


def test_application_window_between_two_dates():
    found = dates_from_text("Applications can be submitted between 1 May and 30 June 2027.", TODAY)
    assert (found.opens, found.deadline) == (date(2027, 5, 1), date(2027, 6, 30))
    found = dates_from_fields({"Application window": "1 May – 30 June 2027"}, TODAY)
    assert (found.opens, found.deadline) == (date(2027, 5, 1), date(2027, 6, 30))


def test_month_only_value_is_reported_unreadable():
    found = dates_from_fields({"Closing date": "March 2027"}, TODAY)
    assert found.deadline is None and found.unreadable == ["deadline: unreadable 'March 2027'"]


# holdout2
def test_last_day_to_apply_is_a_deadline():
    assert dates_from_text("The last day to apply was 28 February 2026.", TODAY).deadline == date(2026, 2, 28)


def test_one_closing_time_for_every_closing_date():
    from tracker.normalize.dates import closing_time

    assert closing_time("Applications must reach us by 5pm on the closing date.") == time(17, 0)
    assert closing_time("Our online form closes at noon on the closing date.") == time(12, 0)
    assert closing_time("Decisions are made at 5pm on Fridays.") is None


@pytest.mark.parametrize(
    ("text", "opens", "deadline"),
    [
        # the round, the call or the applications run the range: it is the window to apply
        ("The round is running from 1 March to 30 April 2027.", date(2027, 3, 1), date(2027, 4, 30)),
        ("Round 4 runs between 1 February and 15 March 2027.", date(2027, 2, 1), date(2027, 3, 15)),
        ("Applications open from 4 May until 30 June 2027.", date(2027, 5, 4), date(2027, 6, 30)),
        # applying itself runs over the range: "you can apply between X and Y"
        ("You can apply between 4 August 2026 and 3 February 2028.", date(2026, 8, 4), date(2028, 2, 3)),
        ("Bids can be submitted between 1 May and 30 June 2027.", date(2027, 5, 1), date(2027, 6, 30)),
        # a range alone (a card's line, a table cell) is a window; its start takes the end's year
        ("1 November – 31 January 2027", date(2026, 11, 1), date(2027, 1, 31)),
        ("Grant size: £500 to £5,000; Dates: 9 November 2026 – 26 April 2028", date(2026, 11, 9), date(2028, 4, 26)),
        ("Opening and closing dates: Wednesday 12 May 2027 to October 25, 2027 at 17:00", date(2027, 5, 12),
         date(2027, 10, 25)),
        # a range the projects run over, or one said to be something else, is neither
        ("Projects must run between 1 April 2027 and 31 March 2028.", None, None),
        ("Projects must be delivered between 1 April 2027 and 31 March 2028.", None, None),
        ("Drop-in sessions run from 3 May to 7 May 2027.", None, None),
        ("You can apply for projects that run between 1 April 2027 and 31 March 2028.", None, None),
    ],
)
def test_a_date_range_gives_opening_and_deadline(text, opens, deadline):
    found = dates_from_text(text, TODAY)
    assert (found.opens, found.deadline) == (opens, deadline)


def test_a_list_of_deadlines_gives_the_next_and_keeps_all():
    found = dates_from_text("Our panels meet quarterly. Deadlines are 31 January, 30 April, 31 July, 31 October 2027.",
                            date(2027, 3, 2))
    assert found.deadline == date(2027, 4, 30)
    assert found.deadlines == [date(2027, 1, 31), date(2027, 4, 30), date(2027, 7, 31), date(2027, 10, 31)]


@pytest.mark.parametrize(
    ("text", "later"),
    [
        ("Applications will next open in March 2027.", date(2027, 3, 1)),
        # "opens January 2027" leaves out the "in"
        ("Opens January 2027", date(2027, 1, 1)),
        ("The fund reopens spring 2027.", date(2027, 3, 1)),
        ("The fund will reopen in spring 2027.", date(2027, 3, 1)),
        ("We expect the programme to open in late January.", date(2027, 1, 20)),
        ("You may apply from May.", date(2027, 5, 1)),
        ("The next round will open in spring 2027. Dates TBC.", date(2027, 3, 1)),
        # a month that is not an opening is not read
        ("Decisions are made in March 2027.", None),
        ("You may apply at any time.", None),
    ],
)
def test_an_opening_given_as_a_month_or_season_is_later_but_not_a_day(text, later):
    found = dates_from_text(text, TODAY)
    assert (found.later_opening, found.opens) == (later, None)


def test_a_labelled_month_of_the_next_round_is_a_later_opening():
    found = dates_from_fields({"Next round": "May 2027"}, TODAY)
    assert (found.later_opening, found.opens, found.deadline) == (date(2027, 5, 1), None, None)
    assert dates_from_fields({"Closing date": "March 2027"}, TODAY).later_opening is None
    # the same with the label repeated inside the value under a broader one
    nested = dates_from_fields({"When to apply": "Next round: May 2027"}, TODAY)
    assert (nested.later_opening, nested.deadline) == (date(2027, 5, 1), None)


def test_a_closed_round_that_says_when_it_reopens_gives_the_reopening():
    found = dates_from_text("The fund closed on 1 November 2026 and will reopen on 1 March 2027.", TODAY)
    assert (found.opens, found.deadline) == (date(2027, 3, 1), None)


def test_a_dates_label_holding_a_range_gives_the_window():
    found = dates_from_fields({"Dates": "31 July 2026 to 26th of April 2028"}, TODAY)
    assert (found.opens, found.deadline) == (date(2026, 7, 31), date(2028, 4, 26))


@pytest.mark.parametrize("text", ["Applications are accepted throughout the year and considered monthly.",
                                  "You can apply year-round.", "Open all year round."])
def test_year_round_intake_is_rolling(text):
    assert dates_from_text(text, TODAY).rolling


def test_a_range_whose_end_has_a_time():
    found = dates_from_text("Dates: 17th December 2026 to noon, 6th October 2027", TODAY)
    assert (found.opens, found.deadline, found.deadline_time) == (date(2026, 12, 17), date(2027, 10, 6), time(12, 0))


def test_two_closing_dates_joined_by_and_are_a_list_not_a_window():
    found = dates_from_fields({"Closing dates": "24 June and 23 July"}, TODAY)
    assert (found.opens, found.deadline, found.deadlines) == (None, date(2027, 6, 24), [date(2027, 6, 24),
                                                                                         date(2027, 7, 23)])
    found = dates_from_text("The round runs between 24 June and 23 July 2027.", TODAY)
    assert (found.opens, found.deadline) == (date(2027, 6, 24), date(2027, 7, 23))


def test_a_status_badge_above_dates_is_not_their_label():
    found = dates_from_text("Arts Community Fund 2027\nOpen\nA maximum of £100k\n15 July, 16 August and 25 September",
                            TODAY)
    assert found.opens is None


@pytest.mark.parametrize("label", ["Panel deadline(s)", "Panel deadlines", "Committee meeting deadline"])
def test_a_panels_deadline_is_the_last_day_to_apply_for_that_panel(label):
    """Funders that decide at quarterly panels give each panel's deadline: the day bids must be in
    for it. The panel's own dates (when it meets) stay no deadline."""
    assert dates_from_fields({label: "3 February 2027, 5 May 2027"}, TODAY).deadline == date(2027, 2, 3)
    found = dates_from_text(f"{label}: 3 February 2027 and 5 May 2027.", TODAY)
    assert found.deadlines == [date(2027, 2, 3), date(2027, 5, 5)]
    assert dates_from_text("The panel meets on 3 February 2027.", TODAY).deadline is None
    assert dates_from_fields({"Panel dates": "3 February 2027"}, TODAY).deadline is None


@pytest.mark.parametrize(("value", "opens", "deadline"), [
    ("17 May 2027 to midnight on Monday 13 December 2027", date(2027, 5, 17), date(2027, 12, 13)),
    ("Opens 1 May 2027, closes 30 June 2027", date(2027, 5, 1), date(2027, 6, 30)),
    ("13 December 2027", None, date(2027, 12, 13)),
])
def test_a_label_naming_both_opening_and_closing_leaves_the_value_to_say_which(value, opens, deadline):
    """"Opening and closing dates: 17 May to 13 December" is a window: the label names both ends, so
    the first date is not a closing date just because "closing" is in the label."""
    for label in ("Opening and closing dates", "Open/close dates"):
        found = dates_from_fields({label: value}, TODAY)
        assert (found.opens, found.deadline) == (opens, deadline), label


def test_a_funds_name_with_its_status_badge_is_no_opening_label_for_the_date_after_it():
    """A listing row "Heritage Awards 2027-29 Open | £30k | 31 March 2028": "Open" is the fund's badge,
    so the row's date is not an opening date; a real label ("Applications open") still is one."""
    row = "Heritage Awards 2027-29 Open | £30k to £75k | Powys | Friday 31 March 2028 | Apply"
    assert dates_from_text(row, TODAY).opens is None
    assert dates_from_text("Arts Fund Closed\n31 March 2026", TODAY).opens is None
    assert dates_from_text("Applications open\n9 July 2027", TODAY).opens == date(2027, 7, 9)


@pytest.mark.parametrize(("value", "window"), [
    ("05/05/2027 to 25 November 2027", (date(2027, 5, 5), date(2027, 11, 25), None)),
    ("Thursday, 29 April 2027 to 4 October 2027 (midday)", (date(2027, 4, 29), date(2027, 10, 4), time(12, 0))),
    ("1 May – 30 June 2027", (date(2027, 5, 1), date(2027, 6, 30), None)),
])
def test_a_range_that_is_the_whole_value_under_a_deadline_label_is_the_window(value, window):
    found = dates_from_fields({"Deadline": value}, TODAY)
    assert (found.opens, found.deadline, found.deadline_time) == window
