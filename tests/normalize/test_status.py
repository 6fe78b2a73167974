from datetime import date

import pytest

from tracker.normalize.status import decide_status, split_title_prefix, status_words

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize(
    ("kwargs", "status"),
    [
        ({"deadline": date(2027, 7, 1)}, "open"),
        ({"deadline": date(2025, 7, 1)}, "closed"),
        ({"deadline": TODAY}, "open"),
        ({"deadline": date(2027, 9, 30), "opens": date(2027, 7, 1)}, "upcoming"),
        ({"deadline": date(2027, 9, 30), "opens": date(2026, 11, 2)}, "open"),
        ({"deadline": None, "tbc": True}, "upcoming"),
        ({"deadline": None, "rolling": True}, "open"),
        ({"deadline": None, "hint": "closed"}, "closed"),
        ({"deadline": date(2027, 9, 30), "hint": "closed"}, "open"),
        ({"deadline": None, "hint": "upcoming"}, "upcoming"),
        ({"deadline": date(2027, 9, 30), "opens": date(2026, 1, 1), "hint": "upcoming"}, "open"),
    ],
)
def test_decide_status(kwargs, status):
    kwargs.setdefault("opens", None)
    assert decide_status(today=TODAY, **kwargs) == status


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("This fund is now closed.", "closed"),
        ("This programme closed to new applications on 29 April 2024.", "closed"),
        ("This grant is no longer accepting applications.", "closed"),
        ("Closed", "closed"),
        ("THE PROPERTY FUND IS NOW OPEN", "open"),
        ("This grant is not open yet.", "upcoming"),
        ("Coming soon", "upcoming"),
        # a line that is only a badge
        ("Sport Fund 2027\nUpcoming\nGrants for clubs.", "upcoming"),
        ("Status: open", "open"),
        # an open phrase under a negation is not open
        ("Our team is never accepting applications by post.", None),
        ("Open spaces fund", None),
        # who the fund is not open to says nothing of when it opens
        ("Exclusions\nThe fund is not open to:\nSchools and colleges", None),
        ("Applications close on 3 May 2027.", None),
        ("Round 1: 30 April 2026 (closed)", None),
    ],
)
def test_status_words(text, hint):
    assert status_words(text) == hint


def test_title_prefix():
    assert split_title_prefix("CLOSED: Winter Warmth Fund 2025") == ("Winter Warmth Fund 2025", "closed")
    assert split_title_prefix("Coming soon: Fire and Rescue Community Safety Fund") == (
        "Fire and Rescue Community Safety Fund",
        "upcoming",
    )
    assert split_title_prefix("Open Doors Fund") == ("Open Doors Fund", None)


def test_a_closed_fund_with_a_future_opening_is_upcoming():
    assert decide_status(today=TODAY, deadline=None, opens=date(2027, 3, 1), hint="closed") == "upcoming"
    assert decide_status(today=TODAY, deadline=None, opens=date(2026, 3, 1), hint="closed") == "closed"
